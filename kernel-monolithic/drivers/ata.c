/* ata.c: the primary ATA (IDE) channel in PIO mode, LBA28: IDENTIFY, READ/WRITE SECTORS, IRQ 14.
 * (ATA/ATAPI-6, sections 8.15 IDENTIFY DEVICE, 8.27 READ SECTORS, 8.53 WRITE SECTORS.)
 * Requests queue up and complete in the interrupt handler, one sector per interrupt; before the
 * scheduler runs (no process to sleep) the driver polls instead. */
#include "defs.h"
#include "buf.h"
#include "proc.h"
#include "x86.h"
#include "traps.h"

#define ATA_DATA    0x1F0
#define ATA_ERROR   0x1F1
#define ATA_COUNT   0x1F2
#define ATA_LBA0    0x1F3
#define ATA_LBA1    0x1F4
#define ATA_LBA2    0x1F5
#define ATA_DRIVE   0x1F6   /* 0xE0 | (slave << 4) | LBA bits 24-27 */
#define ATA_STATUS  0x1F7   /* read; reading it acknowledges the interrupt */
#define ATA_CMD     0x1F7   /* write */
#define ATA_CTRL    0x3F6   /* device control: bit 1 = nIEN (interrupts off) */

#define ST_ERR  0x01
#define ST_DRQ  0x08
#define ST_DF   0x20
#define ST_DRDY 0x40
#define ST_BSY  0x80

#define CMD_READ     0x20
#define CMD_WRITE    0x30
#define CMD_IDENTIFY 0xEC
#define CMD_FLUSH    0xE7

#define SPB (BSIZE / SECTOR)   /* sectors per block */

struct disk {
  bool present;
  uint32_t sectors;        /* LBA28 capacity */
  char model[41];
};
static struct disk disks[2];   /* master, slave */

static struct buf *queue;      /* head is in progress */
static int sectors_left;       /* of the request in progress */

/* Waits for BSY to clear (bounded); returns the status, or -1 on an error or timeout. */
static int ata_wait(void) {
  for (int i = 0; i < 4; i++)
    inb(ATA_CTRL);              /* 400 ns: the status is not valid right after a command */
  for (int i = 0; i < 1000000; i++) {
    int s = inb(ATA_STATUS);
    if (s == 0xFF)
      return -1;                /* floating bus: no controller */
    if (!(s & ST_BSY))
      return (s & (ST_ERR | ST_DF)) ? -1 : s;
  }
  return -1;
}

static void identify(int n) {
  uint16_t id[256];
  outb(ATA_DRIVE, 0xE0 | (n << 4));
  for (int i = 0; i < 4; i++)
    inb(ATA_CTRL);              /* 400 ns for the drive select to settle */
  outb(ATA_COUNT, 0);
  outb(ATA_LBA0, 0);
  outb(ATA_LBA1, 0);
  outb(ATA_LBA2, 0);
  outb(ATA_CMD, CMD_IDENTIFY);
  if (inb(ATA_STATUS) == 0)
    return;                     /* no device */
  int s = ata_wait();
  if (s < 0 || !(s & ST_DRQ))
    return;                     /* an ATAPI device aborts IDENTIFY: not a disk */
  for (int i = 0; i < 256; i++)
    id[i] = inw(ATA_DATA);
  struct disk *d = &disks[n];
  d->present = true;
  d->sectors = id[60] | (uint32_t)id[61] << 16;
  for (int i = 0; i < 20; i++) {   /* words 27-46: model, two bytes per word, big end first */
    d->model[2 * i] = id[27 + i] >> 8;
    d->model[2 * i + 1] = id[27 + i] & 0xFF;
  }
  for (int i = 39; i >= 0 && d->model[i] == ' '; i--)
    d->model[i] = 0;
}

void ata_init(void) {
  if (inb(ATA_STATUS) == 0xFF)
    return;                     /* no primary channel */
  outb(ATA_CTRL, 0);            /* interrupts on */
  for (int n = 0; n < 2; n++) {
    identify(n);
    if (disks[n].present)
      printk("ata: hd%c: %s, %u sectors (%u MiB)\n", 'a' + n, disks[n].model, disks[n].sectors,
             disks[n].sectors >> 11);
  }
  picenable(IRQ_ATA);
}

bool ata_present(int disk, uint32_t *sectors) {
  if (disk < 0 || disk > 1 || !disks[disk].present)
    return false;
  *sectors = disks[disk].sectors;
  return true;
}

static void put_sector(struct buf *b, int i) {
  outsw(ATA_DATA, b->data + i * SECTOR, SECTOR / 2);
}

static void get_sector(struct buf *b, int i) {
  insw(ATA_DATA, b->data + i * SECTOR, SECTOR / 2);
}

/* Issues the command for the request at the head of the queue. */
static void start(struct buf *b) {
  int disk = DEV_DISK(b->dev);
  outb(ATA_COUNT, SPB);
  outb(ATA_LBA0, b->sector);
  outb(ATA_LBA1, b->sector >> 8);
  outb(ATA_LBA2, b->sector >> 16);
  outb(ATA_DRIVE, 0xE0 | (disk << 4) | ((b->sector >> 24) & 0x0F));
  sectors_left = SPB;
  if (b->flags & B_FLUSH) {
    outb(ATA_CMD, CMD_FLUSH);   /* completes with one interrupt, no data */
  } else if (b->flags & B_DIRTY) {
    outb(ATA_CMD, CMD_WRITE);
    if (ata_wait() < 0)
      return;                   /* the interrupt reports the error */
    put_sector(b, 0);           /* the first sector goes without an interrupt */
  } else {
    outb(ATA_CMD, CMD_READ);
  }
}

/* One sector of the request at the head of the queue is done (interrupt or poll). When the
 * whole request is, it leaves the queue (B_QUEUED cleared) and the next one starts. On an error
 * the buffer keeps B_DIRTY (write) or lacks B_VALID (read): that is how ata_rw sees it. */
static void advance(void) {
  struct buf *b = queue;
  int s = ata_wait();
  int i = SPB - sectors_left;
  if (s < 0) {
    printk("ata: hd%c: I/O error at sector %u (error %x)\n", 'a' + DEV_DISK(b->dev), b->sector + i,
           inb(ATA_ERROR));
    sectors_left = 0;
  } else if (b->flags & B_FLUSH) {
    sectors_left = 0;
  } else if (b->flags & B_DIRTY) {
    if (--sectors_left > 0)
      put_sector(b, i + 1);
  } else if (!(s & ST_DRQ)) {
    printk("ata: hd%c: no data for sector %u\n", 'a' + DEV_DISK(b->dev), b->sector + i);
    s = -1;
    sectors_left = 0;
  } else {
    get_sector(b, i);
    sectors_left--;
  }
  if (sectors_left > 0)
    return;
  if (s >= 0)
    b->flags = (b->flags | B_VALID) & ~B_DIRTY;
  b->flags &= ~B_QUEUED;
  queue = b->qnext;
  if (queue)
    start(queue);
  wakeup(b);
}

void ataintr(void) {
  if (!queue) {
    inb(ATA_STATUS);            /* acknowledge a stray interrupt (e.g. one raised by polled I/O) */
    return;
  }
  advance();
}

/* Reads b (B_DIRTY clear) or writes it (B_DIRTY set); with B_FLUSH | B_DIRTY it is a FLUSH CACHE
 * of b's disk instead (ATA/ATAPI-6 8.14): the disk's write cache reaches the medium before it
 * completes. Returns 0 or -EIO. */
int ata_rw(struct buf *b) {
  if (!(b->flags & B_BUSY))
    panic("ata_rw: buffer not busy");
  uint32_t sectors;
  if (!ata_present(DEV_DISK(b->dev), &sectors) || (!(b->flags & B_FLUSH) && b->sector + SPB > sectors))
    return -EIO;
  bool write = b->flags & B_DIRTY;
  b->flags |= B_QUEUED;
  b->qnext = 0;
  struct buf **pp = &queue;
  while (*pp)
    pp = &(*pp)->qnext;
  *pp = b;
  if (queue == b)
    start(b);
  while (b->flags & B_QUEUED) {
    if (can_sleep())
      sleep(b);
    else
      advance();                /* boot time (or userinit), nothing to switch to: poll */
  }
  if (write)
    return (b->flags & B_DIRTY) ? -EIO : 0;
  return (b->flags & B_VALID) ? 0 : -EIO;
}
