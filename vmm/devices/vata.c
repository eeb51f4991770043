/* vata.c: the VM's disk when VMs share the machine: a virtual ATA primary channel with one
 * drive (the master), backed by one host drive (VM n: the host's primary drive n). The guest's
 * register writes go to the model; a command is carried out on the host drive sector by sector
 * inside one exit (polled, with the host drive's interrupts off), so two VMs' transfers never
 * interleave on the shared host channel, and a VM reaches only the sectors of its own drive.
 * Commands: IDENTIFY (the host drive's own answer), READ/WRITE SECTORS (LBA28), FLUSH CACHE;
 * others abort. The virtual IRQ 14 follows the guest's nIEN. While the VM has a snapshot, its
 * sector reads and writes go through the snapshot's overlay first (snapshot.c). */
#include "vmm.h"

#define ST_ERR 0x01
#define ST_DRQ 0x08
#define ST_DRDY 0x40
#define ST_BSY 0x80
#define ER_ABRT 0x04

struct vata {
  uint8_t feat, count, lba[3], drive, status, error, ctrl;
  bool present, writing;
  int host;                        /* host drive: 0 master, 1 slave */
  uint32_t sectors;                /* capacity, from the host drive's IDENTIFY */
  uint32_t cur, left, pos;         /* sector in buf, sectors left (this one too), bytes done */
  uint8_t buf[512];
};
static struct vata ata PERVM;

/* Polls the host drive until it is not busy. The bound is generous on purpose: jx86's drive is
 * ready at once, but QEMU's IDE finishes a command in another host thread, and on a loaded host a
 * million polls (well under a second there) ran out before a read did, failing the VM's I/O. */
static int host_wait(void) {
  for (int i = 0; i < (1 << 27); i++) {
    uint8_t s = inb(0x1F7);
    if (s == 0xFF)
      return -1;
    if (!(s & ST_BSY))
      return s;
  }
  return -1;
}

/* One sector (or IDENTIFY, or FLUSH) on host drive drive, start to end within this exit. */
static bool host_io(int drive, uint8_t cmd, uint32_t lba, uint8_t *buf, bool write) {
  if (host_wait() < 0)
    return false;
  outb(0x1F6, 0xE0 | (drive << 4) | ((lba >> 24) & 0x0F));
  outb(0x1F2, 1);
  outb(0x1F3, lba);
  outb(0x1F4, lba >> 8);
  outb(0x1F5, lba >> 16);
  outb(0x1F7, cmd);
  int s = host_wait();
  if (s < 0 || (s & ST_ERR))
    return false;
  if (cmd == 0xE7)
    return true;
  if (!(s & ST_DRQ))
    return false;
  uint16_t *w = (uint16_t *)buf;
  for (int i = 0; i < 256; i++) {
    if (write)
      outw(0x1F0, w[i]);
    else
      w[i] = inw(0x1F0);
  }
  if (write) {
    s = host_wait();
    if (s < 0 || (s & ST_ERR))
      return false;
  }
  return true;
}

static bool host_cmd(uint8_t cmd, uint32_t lba, bool write) {
  return host_io(ata.host, cmd, lba, ata.buf, write);
}

/* A sector written to host drive drive from any VM's thread (snapshot.c commits an overlay). */
bool vata_host_write(int drive, uint32_t lba, const void *buf) {
  return host_io(drive, 0x30, lba, (uint8_t *)buf, true);
}

/* The guest's sector ata.cur to or from ata.buf: the snapshot overlay's, or the disk's. */
static bool sector_read(void) {
  return snap_disk_read(ata.cur, ata.buf) || host_cmd(0x20, ata.cur, false);
}

static bool sector_write(void) {
  return snap_disk_write(ata.cur, ata.buf) || host_cmd(0x30, ata.cur, true);
}

static void irq(void) {
  if (!(ata.ctrl & 2))
    vm_raise(vcpu.id, 14);
}

static void fail(void) {
  ata.status = ST_DRDY | ST_ERR;
  ata.error = ER_ABRT;
  ata.left = 0;
  irq();
}

void vata_init(int host_drive) {
  ata.host = host_drive;
  outb(0x3F6, 2);                  /* the host channel's interrupts off: the hypervisor polls */
  if (host_cmd(0xEC, 0, false)) {
    uint16_t *w = (uint16_t *)ata.buf;
    ata.present = true;
    ata.sectors = w[60] | (uint32_t)w[61] << 16;
  }
  ata.status = ata.present ? ST_DRDY : 0;
}

/* The next sector of a READ into buf. */
static void read_next(void) {
  ata.pos = 0;
  if (!sector_read())
    return fail();
  ata.status = ST_DRDY | ST_DRQ;
  irq();
}

static void command(uint8_t c) {
  if ((ata.drive & 0x10) || !ata.present)
    return;                        /* no slave: the command goes nowhere */
  uint32_t lba = ata.lba[0] | ata.lba[1] << 8 | ata.lba[2] << 16 | (uint32_t)(ata.drive & 0x0F) << 24;
  uint32_t n = ata.count ? ata.count : 256;
  ata.error = 0;
  ata.pos = 0;
  switch (c) {
  case 0xEC:                                     /* IDENTIFY DEVICE */
    if (!host_cmd(0xEC, 0, false))
      return fail();
    ata.left = 1;
    ata.writing = false;
    ata.status = ST_DRDY | ST_DRQ;
    irq();
    break;
  case 0x20: case 0x21:                          /* READ SECTORS */
  case 0x30: case 0x31:                          /* WRITE SECTORS */
    if ((uint64_t)lba + n > ata.sectors)
      return fail();                             /* outside the VM's disk */
    ata.cur = lba;
    ata.left = n;
    ata.writing = c >= 0x30;
    if (ata.writing)
      ata.status = ST_DRDY | ST_DRQ;             /* the first sector goes without an interrupt */
    else
      read_next();
    break;
  case 0xE7: case 0xEA:                          /* FLUSH CACHE (EXT) */
    if (!host_cmd(0xE7, 0, false))
      return fail();
    ata.status = ST_DRDY;
    irq();
    break;
  default:
    fail();
  }
}

/* size bytes of the data register: a sector is done after 512. */
static void data(int size, bool out, uint32_t *val) {
  if (!(ata.status & ST_DRQ) || ata.writing != out) {
    if (!out)
      *val = 0xFFFFFFFF;
    return;
  }
  for (int i = 0; i < size && ata.pos < 512; i++, ata.pos++) {
    if (out)
      ata.buf[ata.pos] = *val >> (8 * i);
    else
      *val = (i ? *val : 0) | (uint32_t)ata.buf[ata.pos] << (8 * i);
  }
  if (ata.pos < 512)
    return;
  if (out) {
    ata.pos = 0;
    if (!sector_write())
      return fail();
    ata.cur++;
    ata.status = --ata.left ? ST_DRDY | ST_DRQ : ST_DRDY;
    irq();
  } else {
    ata.cur++;
    if (--ata.left)
      read_next();
    else
      ata.status = ST_DRDY;
  }
}

bool vata_io(uint16_t port, int size, bool out, uint32_t *val) {
  bool none = (ata.drive & 0x10) || !ata.present;
  uint8_t v = *val;
  switch (port) {
  case 0x1F0:
    if (none) {
      if (!out)
        *val = 0xFFFFFFFF;
    } else {
      data(size, out, val);
    }
    return true;
  case 0x1F1: if (out) ata.feat = v; else *val = ata.error; return true;
  case 0x1F2: if (out) ata.count = v; else *val = ata.count; return true;
  case 0x1F3: case 0x1F4: case 0x1F5:
    if (out)
      ata.lba[port - 0x1F3] = v;
    else
      *val = ata.lba[port - 0x1F3];
    return true;
  case 0x1F6: if (out) ata.drive = v; else *val = ata.drive; return true;
  case 0x1F7:
    if (out)
      command(v);
    else
      *val = none ? 0 : ata.status;
    return true;
  case 0x3F6:
    if (!out) {
      *val = none ? 0 : ata.status;
    } else {
      if ((v & 4) && !(ata.ctrl & 4)) {          /* software reset */
        ata.status = ata.present ? ST_DRDY : 0;
        ata.left = 0;
        ata.error = 1;
      }
      ata.ctrl = v;
    }
    return true;
  }
  return false;
}
