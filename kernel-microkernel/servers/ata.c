/* ata.c: the ATA driver in user space (idl/block.idl): PIO on the primary channel, master disk,
 * 28-bit LBA. Its ports (0x1F0-0x1F7, 0x3F6) and IRQ 14 come from the root task; the interrupt
 * arrives as an IPC from the interrupt thread and is acknowledged by sending to it. Sector data
 * moves through one page the client maps to the driver (block.attach). Between requests it
 * answers the restart server's heartbeat (idl/driver.idl). */
#include "srv.h"
#include "idl/block_server.h"
#include "idl/driver_server.h"
#include "libkern/portio.h"

#define ATA_DATA 0x1F0
#define ATA_COUNT 0x1F2
#define ATA_LBA0 0x1F3
#define ATA_LBA1 0x1F4
#define ATA_LBA2 0x1F5
#define ATA_DRIVE 0x1F6
#define ATA_CMD 0x1F7                       /* status on read */
#define ATA_CTRL 0x3F6
#define ST_BSY 0x80
#define ST_DRQ 0x08
#define ST_ERR 0x01
#define CMD_READ 0x20
#define CMD_WRITE 0x30
#define CMD_FLUSH 0xE7
#define CMD_IDENTIFY 0xEC

#define WINDOW 0x40000000u                  /* the client's buffer is mapped here */
#define WINDOW_LOG2 22
static uint32_t bufsize;                    /* bytes mapped by the client (0: none yet) */
static uint32_t nsectors;

static const l4_threadid_t irq = L4_IRQTHREAD(14);

/* Waits for the disk's interrupt (an IPC), reads the status (which clears the device's INTRQ)
 * and acknowledges the interrupt thread (which unmasks the line). */
static uint8_t wait_irq(void) {
  l4_threadid_t from;
  l4_receive(irq, &from);
  uint8_t st = inb(ATA_CMD);
  l4_send(irq, l4_mktag(0, 0, 0));
  return st;
}

static int wait_ready(void) {
  for (int i = 0; i < 1000000; i++) {
    uint8_t st = inb(ATA_CMD);
    if (!(st & ST_BSY))
      return st & ST_ERR ? -5 : 0;
  }
  return -5;                                /* EIO */
}

static void command(uint32_t lba, uint32_t count, uint8_t cmd) {
  outb(ATA_DRIVE, 0xE0 | ((lba >> 24) & 0x0F));   /* master, LBA mode */
  outb(ATA_COUNT, count);
  outb(ATA_LBA0, lba);
  outb(ATA_LBA1, lba >> 8);
  outb(ATA_LBA2, lba >> 16);
  outb(ATA_CMD, cmd);
}

int block_info_impl(l4_threadid_t caller, l4_word_t *sectors, l4_word_t *sector_size) {
  *sectors = nsectors;
  *sector_size = 512;
  return 0;
}

int block_attach_impl(l4_threadid_t caller, idl_fpage_t buffer, l4_word_t *size) {
  uint32_t log2 = (buffer.fpage.raw >> 4) & 0x3F;
  bufsize = log2 >= 12 && log2 <= WINDOW_LOG2 ? 1u << log2 : 0;
  *size = bufsize;
  return bufsize ? 0 : -22;
}

static int check_request(l4_word_t lba, l4_word_t count) {
  if (count == 0 || count > 255 || count * 512 > bufsize || lba + count > nsectors)
    return -22;                             /* EINVAL */
  return 0;
}

int block_read_impl(l4_threadid_t caller, l4_word_t lba, l4_word_t count, l4_word_t *done) {
  int r = check_request(lba, count);
  if (r < 0 || (r = wait_ready()) < 0)
    return r;
  command(lba, count, CMD_READ);
  for (*done = 0; *done < count; (*done)++) {
    uint8_t st = wait_irq();
    if (st & ST_ERR || !(st & ST_DRQ))
      return *done ? 0 : -5;
    insw(ATA_DATA, (void *)(WINDOW + *done * 512), 256);
  }
  return 0;
}

int block_write_impl(l4_threadid_t caller, l4_word_t lba, l4_word_t count, l4_word_t *done) {
  int r = check_request(lba, count);
  if (r < 0 || (r = wait_ready()) < 0)
    return r;
  command(lba, count, CMD_WRITE);
  for (*done = 0; *done < count; (*done)++) {
    while ((inb(ATA_CMD) & (ST_BSY | ST_DRQ)) != ST_DRQ)
      if (inb(ATA_CMD) & ST_ERR)
        return *done ? 0 : -5;
    outsw(ATA_DATA, (const void *)(WINDOW + *done * 512), 256);
    if (wait_irq() & ST_ERR)                /* the interrupt: this sector is on the disk */
      return *done ? 0 : -5;
  }
  return 0;
}

int block_flush_impl(l4_threadid_t caller) {
  int r = wait_ready();
  if (r < 0)
    return r;
  command(0, 0, CMD_FLUSH);
  return wait_irq() & ST_ERR ? -5 : 0;
}

/* The heartbeat: answered by the request loop, so only between requests. A multi-sector transfer
 * keeps the driver in wait_irq (a receive from the interrupt thread only) and the ping waits. */
int driver_ping_impl(l4_threadid_t caller, l4_word_t seq, l4_word_t *echo) {
  *echo = seq;
  return 0;
}

/* The request loop: block.idl requests and driver.idl pings, each answered by the reply. */
static _Noreturn void serve(void) {
  l4_threadid_t from;
  l4_msgtag_t tag = l4_receive(L4_ANYTHREAD, &from);
  for (;;) {
    if (l4_ipc_failed(tag)) {
      tag = l4_receive(L4_ANYTHREAD, &from);
      continue;
    }
    l4_msgtag_t reply = driver_owns(tag) ? driver_dispatch(from, tag) : block_dispatch(from, tag);
    tag = l4_reply_wait(from, reply, &from);
  }
}

/* IDENTIFY DEVICE: the sector count (words 60-61). The data goes through a stack buffer. */
static int identify(void) {
  uint16_t id[256];
  outb(ATA_DRIVE, 0xA0);
  outb(ATA_CMD, CMD_IDENTIFY);
  if (inb(ATA_CMD) == 0)
    return -1;                              /* no drive */
  uint8_t st = wait_irq();
  if (st & ST_ERR || !(st & ST_DRQ))
    return -1;
  insw(ATA_DATA, id, 256);
  nsectors = id[60] | (uint32_t)id[61] << 16;
  return 0;
}

int main(void) {
  set_name("ata");
  if (!root_resources()) {
    printf("ata: no ports from the root task\n");
    exit(1);
  }
  /* A predecessor may have died in the middle of a command (killed, restarted): reset the
   * channel (SRST), and take an interrupt still pending for the old handler. */
  outb(ATA_CTRL, 0x06);                     /* SRST, interrupts off */
  for (int i = 0; i < 4; i++)
    inb(ATA_CTRL);                          /* ~400 ns */
  outb(ATA_CTRL, 0);                        /* nIEN = 0: the disk interrupts */
  wait_ready();
  l4_threadid_t from;
  if (!l4_ipc_failed(l4_receive_timeout(irq, L4_TIMEOUT_ZERO, &from)))
    l4_send(irq, l4_mktag(0, 0, 0));
  if (identify() < 0) {
    printf("ata: no disk on the primary channel\n");
    exit(1);
  }
  printf("ata: disk 0: %u sectors, irq 14 as IPC\n", nsectors);
  l4_accept(l4_fpage(WINDOW, WINDOW_LOG2, L4_RWX));
  register_name("ata");
  serve();
}
