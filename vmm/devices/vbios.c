/* vbios.c: the BIOS of a VM that boots from its disk. What the jx86 firmware gives a bare
 * machine (emulator-core's jx86.firmware.Bios), the hypervisor gives the VM, against the VM's
 * own disk, memory and console:
 *
 *   the IVT at 0, the BIOS data area at 400h, an EBDA at 9FC00h, and in the "ROM" at F000:E000
 *   one 4-byte stub per serviced vector, 0F FF nn CF — the same stubs as jx86's firmware. On the
 *   bare machine the CPU turns 0F FF into a firmware call in real mode; in v86 mode it is #UD,
 *   which exits to the hypervisor (v86.c), and the service runs here. The stub's IRET is then
 *   carried out at once (one exit per call, not two).
 *
 * Services: INT 10h teletype, cursor, mode queries (text mode 3; VM 0's screen is the host's),
 * 11h, 12h, 13h (CHS and extended read/write, parameters, on the VM's disk: a polled ATA transfer
 * on its host drive inside the exit), 15h (E820, E801, 88h, A20, 86h), 16h (the keyboard is the
 * VM's console: bytes from its serial port), 19h (boot again), 1Ah (ticks, RTC), and the IRQ
 * vectors 08h-0Fh, 70h-77h (acknowledge on the virtual PIC; 08h counts the BDA ticks). */
#include "vmm.h"
#include "libkern/string.h"

#define STUB_BASE 0xE000
#define IRET_STUB 0xFF53
#define BDA 0x400
#define EBDA 0x9FC00
#define HEADS 16
#define SPT 63

static uint32_t disk_sectors PERVM;          /* the VM's disk, from its IDENTIFY (0: none) */
static uint8_t sector[512] PERVM;
static int key_held PERVM;                   /* a byte read from the console for INT 16h, + 1 */

/* ---- guest memory at real-mode addresses (real mode: paging off, linear = physical) ---- */

static uint8_t rd8(uint32_t a) { uint8_t v = 0; gread(a, &v, 1); return v; }
static uint16_t rd16(uint32_t a) { uint16_t v = 0; gread(a, &v, 2); return v; }
static uint32_t rd32(uint32_t a) { uint32_t v = 0; gread(a, &v, 4); return v; }
static void wr8(uint32_t a, uint8_t v) { gwrite(a, &v, 1); }
static void wr16(uint32_t a, uint16_t v) { gwrite(a, &v, 2); }
static void wr32(uint32_t a, uint32_t v) { gwrite(a, &v, 4); }
static uint32_t real(uint32_t seg, uint32_t off) { return ((seg & 0xFFFF) << 4) + (off & 0xFFFF); }

static void set_vector(int v, uint16_t seg, uint16_t off) {
  wr16(v * 4, off);
  wr16(v * 4 + 2, seg);
}

static void stub(int v) {
  uint8_t code[4] = { 0x0F, 0xFF, v, 0xCF };
  gwrite(0xF0000 + STUB_BASE + 4 * v, code, 4);
  set_vector(v, 0xF000, STUB_BASE + 4 * v);
}

/* ---- the VM's disk: its host drive, polled, interrupts off ---- */

static int host_drive(void) { return nvms > 1 ? vcpu.id : 0; }

static int ata_wait(void) {
  for (int i = 0; i < 1000000; i++) {
    uint8_t s = inb(0x1F7);
    if (s == 0xFF)
      return -1;
    if (!(s & 0x80))
      return s;
  }
  return -1;
}

static bool ata_cmd(uint8_t cmd, uint32_t lba, bool write) {
  outb(0x3F6, 2);                            /* nIEN: no interrupt for the guest to find later */
  if (ata_wait() < 0)
    return false;
  outb(0x1F6, 0xE0 | (host_drive() << 4) | ((lba >> 24) & 0x0F));
  outb(0x1F2, 1);
  outb(0x1F3, lba);
  outb(0x1F4, lba >> 8);
  outb(0x1F5, lba >> 16);
  outb(0x1F7, cmd);
  int s = ata_wait();
  if (s < 0 || (s & 1) || !(s & 8))
    return false;
  uint16_t *w = (uint16_t *)sector;
  for (int i = 0; i < 256; i++) {
    if (write)
      outw(0x1F0, w[i]);
    else
      w[i] = inw(0x1F0);
  }
  if (write && ((s = ata_wait()) < 0 || (s & 1)))
    return false;
  return true;
}

static void ata_done(void) {
  if (nvms == 1)
    outb(0x3F6, 0);                          /* the passed-through channel as the guest expects */
}

/* count sectors between the disk at lba and guest memory at gpa; returns how many were done */
static uint32_t transfer(uint32_t lba, uint32_t count, uint32_t gpa, bool write) {
  uint32_t i;
  for (i = 0; i < count; i++, gpa += 512) {
    if (lba + i >= disk_sectors)
      break;
    if (write && !gread(gpa, sector, 512))
      break;
    if (!ata_cmd(write ? 0x30 : 0x20, lba + i, write))
      break;
    if (!write && !gwrite(gpa, sector, 512))
      break;
  }
  ata_done();
  return i;
}

bool vbios_load_boot_sector(void) {
  if (!ata_cmd(0xEC, 0, false)) {
    ata_done();
    return false;
  }
  uint16_t *w = (uint16_t *)sector;
  disk_sectors = w[60] | (uint32_t)w[61] << 16;
  return transfer(0, 1, 0x7C00, false) == 1 && rd16(0x7C00 + 510) == 0xAA55;
}

/* ---- the tables a BIOS leaves after POST ---- */

void vbios_install(void) {
  static const uint8_t serviced[] = { 0x08, 0x09, 0x10, 0x11, 0x12, 0x13, 0x15, 0x16, 0x19, 0x1A };
  wr8(0xF0000 + IRET_STUB, 0xCF);
  for (int v = 0; v < 256; v++)
    set_vector(v, 0xF000, IRET_STUB);
  for (unsigned i = 0; i < sizeof serviced; i++)
    stub(serviced[i]);
  for (int irq = 2; irq < 16; irq++)
    stub(irq < 8 ? 0x08 + irq : 0x70 + irq - 8);
  uint8_t reset[2] = { 0xCD, 0x19 };                  /* F000:FFF0: INT 19h, boot again */
  gwrite(0xFFFF0, reset, 2);
  gwrite(0xFFFF5, "12/07/26", 8);
  wr8(0xFFFFE, 0xFC);                                 /* model byte: AT */
  for (int i = 0; i < 0x100; i++)
    wr8(BDA + i, 0);
  wr16(BDA + 0x00, 0x3F8);                            /* COM1, COM2 */
  wr16(BDA + 0x02, 0x2F8);
  wr16(BDA + 0x0E, EBDA >> 4);
  wr16(BDA + 0x10, 0x0061 | (2 << 9));                /* equipment: 80x25 colour, 2 serial ports */
  wr16(BDA + 0x13, EBDA >> 10);                       /* 639 KiB of base memory */
  wr16(BDA + 0x1A, 0x1E);                             /* keyboard buffer (empty) */
  wr16(BDA + 0x1C, 0x1E);
  wr16(BDA + 0x80, 0x1E);
  wr16(BDA + 0x82, 0x3E);
  wr8(BDA + 0x49, 3);                                 /* video mode 3, 80 columns, 25 rows */
  wr16(BDA + 0x4A, 80);
  wr16(BDA + 0x4C, 4000);
  wr16(BDA + 0x63, 0x3D4);
  wr8(BDA + 0x75, 1);                                 /* one hard disk */
  wr8(BDA + 0x84, 24);
  wr16(EBDA, 1);                                      /* EBDA size in KiB */
  key_held = 0;
}

/* ---- results: AX and friends in the frame, CF and ZF in the FLAGS the stub's IRET pops ---- */

static void set16(uint32_t *r, uint32_t v) { *r = (*r & 0xFFFF0000) | (v & 0xFFFF); }
static void set_ah(struct frame *f, uint32_t v) { f->eax = (f->eax & 0xFFFF00FF) | (v & 0xFF) << 8; }
static void flag(struct frame *f, uint32_t bit, bool on) {
  f->eflags = on ? f->eflags | bit : f->eflags & ~bit;
}
static void status(struct frame *f, int code) {
  set_ah(f, code);
  flag(f, FL_CF, code != 0);
}
#define AH(f) (((f)->eax >> 8) & 0xFF)
#define AL(f) ((f)->eax & 0xFF)

/* ---- INT 10h: text mode 3 on the screen (VM 0: the host's; VM 1: its own memory) ---- */

static void cursor(uint32_t row, uint32_t col) {
  wr16(BDA + 0x50, row << 8 | col);
  if (vcpu.id == 0) {
    uint32_t pos = row * 80 + col;
    outb(0x3D4, 0x0E);
    outb(0x3D5, pos >> 8);
    outb(0x3D4, 0x0F);
    outb(0x3D5, pos);
  }
}

static void scroll_up(void) {
  for (uint32_t i = 0; i < 80 * 24; i++)
    wr16(0xB8000 + 2 * i, rd16(0xB8000 + 2 * (i + 80)));
  for (uint32_t i = 80 * 24; i < 80 * 25; i++)
    wr16(0xB8000 + 2 * i, 0x0720);
}

static void teletype(uint8_t c) {
  uint16_t pos = rd16(BDA + 0x50);
  uint32_t row = pos >> 8, col = pos & 0xFF;
  if (c == '\r') {
    col = 0;
  } else if (c == '\n') {
    row++;
  } else if (c == 8) {
    if (col)
      col--;
  } else if (c != 7) {
    wr8(0xB8000 + 2 * (row * 80 + col), c);
    if (++col == 80) {
      col = 0;
      row++;
    }
  }
  if (row >= 25) {
    scroll_up();
    row = 24;
  }
  cursor(row, col);
}

static void video(struct frame *f) {
  switch (AH(f)) {
  case 0x00:
    for (uint32_t i = 0; i < 80 * 25; i++)
      wr16(0xB8000 + 2 * i, 0x0720);
    cursor(0, 0);
    wr8(BDA + 0x49, 3);
    break;
  case 0x02: cursor((f->edx >> 8) & 0xFF, f->edx & 0xFF); break;
  case 0x03:
    set16(&f->edx, rd16(BDA + 0x50));
    set16(&f->ecx, 0x0607);
    break;
  case 0x0E: teletype(AL(f)); break;
  case 0x0F:                                         /* AL mode 3, AH 80 columns, BH page 0 */
    set16(&f->eax, 80 << 8 | 3);
    f->ebx &= 0xFFFF00FF;
    break;
  case 0x12:
    if ((f->ebx & 0xFF) == 0x10) {
      set16(&f->ebx, 0x0003);
      set16(&f->ecx, 0x0009);
    }
    break;
  case 0x1A:
    if (AL(f) == 0) {
      set16(&f->eax, 0x001A);
      set16(&f->ebx, 0x0008);
    }
    break;
  }
}

/* ---- INT 13h on the VM's one disk, 80h ---- */

static void disk(struct frame *f) {
  struct v86segs *vs = v86segs(f);
  uint32_t dl = f->edx & 0xFF;
  if (dl != 0x80 || !disk_sectors)
    return status(f, dl < 0x80 ? 0xAA : 0x01);
  uint32_t cyls = disk_sectors / (HEADS * SPT);
  if (cyls > 1024)
    cyls = 1024;
  if (cyls == 0)
    cyls = 1;
  switch (AH(f)) {
  case 0x00: case 0x01: case 0x0D:
    return status(f, 0);
  case 0x02: case 0x03: {                            /* CHS read, write */
    uint32_t cyl = ((f->ecx >> 8) & 0xFF) | ((f->ecx & 0xC0) << 2);
    uint32_t sec = f->ecx & 0x3F, head = (f->edx >> 8) & 0xFF, n = AL(f);
    if (sec == 0 || sec > SPT || head >= HEADS || n == 0)
      return status(f, 0x01);
    uint32_t lba = (cyl * HEADS + head) * SPT + sec - 1;
    uint32_t done = transfer(lba, n, real(vs->es, f->ebx), AH(f) == 0x03);
    status(f, done == n ? 0 : 0x04);
    f->eax = (f->eax & ~0xFF) | done;
    return;
  }
  case 0x08: {
    uint32_t maxc = cyls - 1;
    set16(&f->ecx, (maxc & 0xFF) << 8 | ((maxc >> 2) & 0xC0) | SPT);
    set16(&f->edx, (HEADS - 1) << 8 | 1);
    return status(f, 0);
  }
  case 0x15:
    set16(&f->ecx, disk_sectors >> 16);
    set16(&f->edx, disk_sectors);
    set_ah(f, 3);
    flag(f, FL_CF, false);
    return;
  case 0x41:
    if ((f->ebx & 0xFFFF) != 0x55AA)
      return status(f, 0x01);
    set16(&f->ebx, 0xAA55);
    set16(&f->ecx, 0x0001);                          /* the packet interface (42h-44h, 47h, 48h) */
    set_ah(f, 0x30);
    flag(f, FL_CF, false);
    return;
  case 0x42: case 0x43: {                            /* extended read, write */
    uint32_t dap = real(vs->ds, f->esi);
    uint32_t n = rd16(dap + 2);
    uint32_t buf = real(rd16(dap + 6), rd16(dap + 4));
    if (rd8(dap) < 16 || rd32(dap + 12) != 0)
      return status(f, 0x01);
    if (rd8(dap) >= 24 && rd16(dap + 4) == 0xFFFF && rd16(dap + 6) == 0xFFFF)
      buf = rd32(dap + 16);                          /* a flat 64-bit buffer address */
    uint32_t done = transfer(rd32(dap + 8), n, buf, AH(f) == 0x43);
    wr16(dap + 2, done);
    return status(f, done == n ? 0 : 0x04);
  }
  case 0x48: {
    uint32_t b = real(vs->ds, f->esi);
    if (rd16(b) < 26)
      return status(f, 0x01);
    wr16(b, 26);
    wr16(b + 2, 0x0002);
    wr32(b + 4, cyls);
    wr32(b + 8, HEADS);
    wr32(b + 12, SPT);
    wr32(b + 16, disk_sectors);
    wr32(b + 20, 0);
    wr16(b + 24, 512);
    return status(f, 0);
  }
  default:
    return status(f, 0x01);
  }
}

/* ---- INT 15h: the VM's memory as the hypervisor gives it ---- */

static void e820(struct frame *f) {
  struct v86segs *vs = v86segs(f);
  uint32_t map[4][3] = {                              /* base, length, type */
    { 0, EBDA, 1 }, { EBDA, 0xA0000 - EBDA, 2 }, { 0xF0000, 0x10000, 2 },
    { 0x100000, vcpu.gsize - 0x100000, 1 },
  };
  uint32_t i = f->ebx;
  if (f->edx != 0x534D4150 || i >= 4 || f->ecx < 20)
    return status(f, 0x86);
  uint32_t b = real(vs->es, f->edi);
  wr32(b, map[i][0]);
  wr32(b + 4, 0);
  wr32(b + 8, map[i][1]);
  wr32(b + 12, 0);
  wr32(b + 16, map[i][2]);
  f->eax = 0x534D4150;
  f->ecx = 20;
  f->ebx = i + 1 < 4 ? i + 1 : 0;
  flag(f, FL_CF, false);
}

static void system_services(struct frame *f) {
  uint32_t ax = f->eax & 0xFFFF, above = (vcpu.gsize - 0x100000) >> 10;   /* KiB above 1 MiB */
  if (f->eax == 0xE820) {
    e820(f);
  } else if (ax == 0xE801) {
    uint32_t low = above < 15 * 1024 ? above : 15 * 1024;
    uint32_t high = above > 16 * 1024 ? (above - 15 * 1024) >> 6 : 0;
    set16(&f->eax, low);
    set16(&f->ecx, low);
    set16(&f->ebx, high);
    set16(&f->edx, high);
    flag(f, FL_CF, false);
  } else if ((ax >> 8) == 0x88) {
    set16(&f->eax, above > 0xFFFF ? 0xFFFF : above);
    flag(f, FL_CF, false);
  } else if (ax >= 0x2400 && ax <= 0x2403) {
    /* the VM's memory has no 1 MiB wrap: A20 is always on, and cannot be turned off */
    if (ax == 0x2402)
      set16(&f->eax, 1);
    if (ax == 0x2403)
      set16(&f->ebx, 0);
    status(f, ax == 0x2400 ? 0x86 : 0);
  } else if ((ax >> 8) == 0x86) {
    status(f, 0);                                    /* wait: virtual time needs no waiting */
  } else {
    status(f, 0x86);
  }
}

/* ---- INT 16h: the VM's console (its COM1) is its keyboard ---- */

static uint16_t console_port(void) {
  return nvms > 1 && vcpu.id != front ? 0x2F8 : 0x3F8;
}

static bool key_ready(void) {
  if (!key_held && (inb(console_port() + 5) & 1))
    key_held = inb(console_port()) + 1;
  return key_held != 0;
}

/* false: the call must wait (AH=00h with no key): the guest runs the stub again */
static bool keyboard(struct frame *f) {
  uint8_t key = key_held - 1;
  switch (AH(f)) {
  case 0x00: case 0x10:
    if (!key_ready())
      return false;
    key = key_held - 1;
    key_held = 0;
    set16(&f->eax, key == '\n' ? '\r' : key);
    return true;
  case 0x01: case 0x11:
    flag(f, 0x40, !key_ready());
    if (key_held)
      set16(&f->eax, (uint8_t)(key_held - 1));
    return true;
  case 0x02: case 0x12:
    set16(&f->eax, 0);
    return true;
  }
  (void)key;
  flag(f, FL_CF, true);
  return true;
}

/* ---- INT 1Ah: the BDA tick count and the RTC (the host's CMOS, read only) ---- */

static uint8_t cmos(uint8_t reg) {
  outb(0x70, reg);
  return inb(0x71);
}

static void time_of_day(struct frame *f) {
  switch (AH(f)) {
  case 0x00: {
    uint32_t t = rd32(BDA + 0x6C);
    set16(&f->ecx, t >> 16);
    set16(&f->edx, t);
    f->eax = (f->eax & ~0xFF) | rd8(BDA + 0x70);
    wr8(BDA + 0x70, 0);
    return;
  }
  case 0x01:
    wr32(BDA + 0x6C, (f->ecx & 0xFFFF) << 16 | (f->edx & 0xFFFF));
    return;
  case 0x02:
    set16(&f->ecx, cmos(4) << 8 | cmos(2));
    set16(&f->edx, cmos(0) << 8);
    flag(f, FL_CF, false);
    return;
  case 0x04:
    set16(&f->ecx, cmos(0x32) << 8 | cmos(9));
    set16(&f->edx, cmos(8) << 8 | cmos(7));
    flag(f, FL_CF, false);
    return;
  }
  flag(f, FL_CF, true);
}

/* An IRQ vector: acknowledge on the virtual PIC (the timer also counts the BDA ticks). */
static void irq(int vector) {
  uint32_t eoi = 0x20;
  if (vector == 0x08)
    wr32(BDA + 0x6C, rd32(BDA + 0x6C) + 1);
  if (vector >= 0x70)
    vpic_io(0xA0, true, &eoi);
  vpic_io(0x20, true, &eoi);
}

/* #UD in v86 mode: a ROM stub 0F FF nn at F000:E000 + 4 nn is BIOS service nn. The service
 * works on the registers in the frame; the stub's IRET is done here, with the service's CF and
 * ZF put into the FLAGS it pops. */
bool vbios_stub(struct frame *f) {
  uint32_t at = ((f->cs & 0xFFFF) << 4) + (f->eip & 0xFFFF);
  if ((f->cs & 0xFFFF) != 0xF000 || at < 0xF0000 + STUB_BASE || at >= 0xF0000 + STUB_BASE + 1024 ||
      rd16(at) != 0xFF0F)
    return false;
  int vector = rd8(at + 2);
  count(EX_V86_BIOS);
  uint32_t flags_at = ((f->ss & 0xFFFF) << 4) + ((f->esp + 4) & 0xFFFF);
  uint32_t before = f->eflags;
  f->eflags = (f->eflags & ~(FL_CF | 0x40)) | (rd16(flags_at) & (FL_CF | 0x40));
  switch (vector) {
  case 0x10: video(f); break;
  case 0x11: set16(&f->eax, rd16(BDA + 0x10)); break;
  case 0x12: set16(&f->eax, rd16(BDA + 0x13)); break;
  case 0x13: disk(f); break;
  case 0x15: system_services(f); break;
  case 0x16:
    if (!keyboard(f)) {                              /* no key yet: the stub runs again */
      f->eflags = before;
      return true;
    }
    break;
  case 0x19:
    if (!vbios_load_boot_sector())
      vm_kill("INT 19h: the disk is no longer bootable");
    f->cs = 0;
    f->eip = 0x7C00;
    f->edx = 0x80;
    return true;
  case 0x1A: time_of_day(f); break;
  default: irq(vector); break;
  }
  /* the stub's IRET, with the service's CF and ZF in the popped FLAGS */
  uint16_t fl = rd16(flags_at);
  fl = (fl & ~(FL_CF | 0x40)) | (f->eflags & (FL_CF | 0x40));
  wr16(flags_at, fl);
  v86_iret(f);
  return true;
}
