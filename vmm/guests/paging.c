/* paging.c: the MMU as a guest kernel sees it: mapped and unmapped pages, read-only pages, the
 * Accessed and Dirty bits, remapping with INVLPG, two address spaces (CR3 loads), a 4 MiB page,
 * paging turned off and on, and two reaches for memory that is not the guest's (the VMM's
 * addresses at 0xF8000000, and guest-physical 120 MiB). Bare jx86 (128 MiB) and the VMM (96
 * MiB of guest memory) print the same lines except for the last two checks. */
#include "guest.h"
#include "libkern/uart16550.h"

#define P 0x001
#define W 0x002
#define U 0x004
#define A 0x020
#define D 0x040
#define PS 0x080
#define CR0_PG 0x80000000
#define CR0_WP 0x00010000
#define CR4_PSE 0x10

static uint32_t pd[1024] __attribute__((aligned(4096)));
static uint32_t pd2[1024] __attribute__((aligned(4096)));
static uint32_t pt0[1024] __attribute__((aligned(4096)));
static uint32_t pt1[1024] __attribute__((aligned(4096)));
static uint32_t pt2[1024] __attribute__((aligned(4096)));

#define VA 0x40000000u
#define FA 0x300000u
#define FB 0x301000u
#define FC 0x302000u

static void ok(const char *what, bool good) {
  gprintf("paging: %s: %s\n", what, good ? "ok" : "FAIL");
}

static void probe(const char *what, uint32_t va) {
  last_vector = -1;
  uint32_t v = probe_read(va);
  if (last_vector < 0)
    gprintf("paging: %s: value %x\n", what, v);
  else
    gprintf("paging: %s: fault %d err %x\n", what, last_vector, last_err);
}

int gmain(uint32_t magic, uint32_t mbi) {
  (void)magic;
  (void)mbi;
  gstart();
  for (int i = 0; i < 1024; i++)
    pt0[i] = (i << 12) | P | W;                   /* 0..4 MiB identity */
  pd[0] = (uint32_t)pt0 | P | W;
  pd[VA >> 22] = (uint32_t)pt1 | P | W | U;
  *(volatile uint32_t *)FA = 0x11111111;
  *(volatile uint32_t *)FB = 0x22222222;
  *(volatile uint32_t *)FC = 0x33333333;
  pt1[0] = FA | P | W;
  lcr3((uint32_t)pd);
  lcr0(rcr0() | CR0_PG | CR0_WP);
  gprintf("paging: on\n");

  last_vector = -1;
  ok("mapped page reads without a guest fault", probe_read(VA) == 0x11111111 && last_vector < 0);
  last_vector = -1;
  probe_read(VA + 0x1000);
  gprintf("paging: unmapped read: fault %d err %x cr2 %x\n", last_vector, last_err, last_cr2);
  pt1[0] &= ~W;
  invlpg(VA);
  last_vector = -1;
  probe_write(VA, 5);
  gprintf("paging: write to read-only page: fault %d err %x cr2 %x\n", last_vector, last_err, last_cr2);
  pt1[0] |= W;
  invlpg(VA);

  pt1[2] = FC | P | W;
  (void)probe_read(VA + 0x2000);
  gprintf("paging: after a read: A=%d D=%d\n", !!(pt1[2] & A), !!(pt1[2] & D));
  probe_write(VA + 0x2000, 0x33333333);
  gprintf("paging: after a write: A=%d D=%d\n", !!(pt1[2] & A), !!(pt1[2] & D));
  pt1[2] &= ~(A | D);
  invlpg(VA + 0x2000);
  probe_write(VA + 0x2000, 0x33333333);
  gprintf("paging: cleared, then a write: A=%d D=%d\n", !!(pt1[2] & A), !!(pt1[2] & D));

  pt1[0] = FB | P | W;                            /* a page-table update */
  invlpg(VA);
  ok("remapped with invlpg", probe_read(VA) == 0x22222222);

  for (int i = 0; i < 1024; i++)
    pd2[i] = pd[i];
  pd2[VA >> 22] = (uint32_t)pt2 | P | W;
  pt2[0] = FC | P | W;
  lcr3((uint32_t)pd2);
  uint32_t in2 = probe_read(VA);
  lcr3((uint32_t)pd);
  ok("cr3 switch: two address spaces", in2 == 0x33333333 && probe_read(VA) == 0x22222222);

  lcr4(rcr4() | CR4_PSE);
  pd[(VA >> 22) + 1] = 0x400000 | P | W | PS;     /* 4 MiB page at physical 4 MiB */
  probe_write(VA + 0x401000, 0x55555555);
  pt1[3] = 0x401000 | P | W;
  ok("4 MiB page, seen through a 4 KiB one", probe_read(VA + 0x3000) == 0x55555555);
  gprintf("paging: 4 MiB page after a write: A=%d D=%d\n", !!(pd[(VA >> 22) + 1] & A), !!(pd[(VA >> 22) + 1] & D));

  lcr0(rcr0() & ~CR0_PG);
  bool off_ok = *(volatile uint32_t *)FB == 0x22222222;
  *(volatile uint32_t *)FB = 0x44444444;
  lcr0(rcr0() | CR0_PG);
  ok("paging off, then on again", off_ok && probe_read(VA) == 0x44444444);

  pd[0xF8100000u >> 22] = 0x000000 | P | W | PS;  /* the guest maps 0xF8000000 to its own memory */
  probe("read 0xf8100000", 0xF8100000);
  pt1[4] = 0x7800000 | P | W;
  probe("read guest-physical 120 MiB", VA + 0x4000);
  gprintf("paging: still running\n");
  return 0;
}
