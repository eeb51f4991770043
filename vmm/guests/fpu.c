/* fpu.c: a guest kernel that keeps state in the x87 FPU for a long time, to show that each VM has
 * an FPU of its own. It reads one byte from its console (VM 0 and VM 1 are given different ones)
 * and derives from it a rounding mode, a counter start and a register stack depth, then:
 *  1. counts in the FPU for many time slices (busy, so the other VM runs in between) and checks
 *     that the count, the control word and the stack depth are its own;
 *  2. leaves an unmasked divide-by-zero pending for as long, then expects #MF at its FWAIT (the
 *     other VM, computing meanwhile, must see none);
 *  3. sets CR0.TS, CR0.EM and CR0.MP + TS and expects #NM where the CPU raises it, then CLTS.
 * One line per check: "fpu: <byte>: ok ..." or "fpu: <byte>: FAIL ...". The C code is built with
 * -mno-80387, so the FPU is used through inline assembly. */
#include "guest.h"
#include "libkern/uart16550.h"

extern volatile uint32_t probe_recover;
static char me;
static int failures;

#define CR0_MP 0x02
#define CR0_EM 0x04
#define CR0_TS 0x08
#define CR0_NE 0x20

static void check(bool ok, const char *what, uint32_t got) {
  gprintf("fpu: %c: %s %s (%x)\n", me, ok ? "ok" : "FAIL", what, got);
  failures += !ok;
}

/* About ROUNDS * 2 million instructions: more than the 20 ms slices of both VMs together. */
#define ROUNDS 24
static void spin(void) {
  for (volatile uint32_t i = 0; i < 400000; i++)
    ;
}

static uint16_t fstcw(void) { uint16_t cw; __asm__ volatile("fnstcw %0" : "=m"(cw)); return cw; }
static uint16_t fstsw(void) { uint16_t sw; __asm__ volatile("fnstsw %0" : "=m"(sw)); return sw; }

/* Runs insn (an FPU instruction, text) with a fault probe: the vector it raised, or -1. */
#define PROBE(insn) ({                                                              \
    last_vector = -1;                                                               \
    __asm__ volatile("movl $1f, probe_recover\n\t" insn "\n1:\n\tmovl $0, probe_recover" \
                     : : : "memory");                                               \
    last_vector; })

int gmain(uint32_t magic, uint32_t mbi) {
  (void)magic;
  (void)mbi;
  gstart();
  gprintf("fpu: ready\n");                      /* (a byte sent before the UART set-up may be lost) */
  while (!(inb(0x3FD) & 1))
    ;
  me = inb(0x3F8);
  /* interrupts on (every line masked): in the VM the hypervisor's tick then ends the slice */
  __asm__ volatile("sti");
  lcr0((rcr0() | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS));

  /* 1. count: start = byte * 1000, rounding down for an even byte and up for an odd one, and
   * (byte & 3) + 1 values on the register stack */
  uint16_t cw = 0x037F | ((me & 1) ? 0x0800 : 0x0400);
  int32_t start = me * 1000, one = 1, depth = (me & 3) + 1, result = 0, half = 0;
  __asm__ volatile("fninit\n\tfldcw %0" : : "m"(cw));
  for (int i = 1; i < depth; i++)
    __asm__ volatile("fldz");
  __asm__ volatile("fildl %0" : : "m"(start));
  for (int r = 0; r < ROUNDS; r++) {
    __asm__ volatile("fiaddl %0" : : "m"(one));
    spin();
  }
  uint16_t top = (fstsw() >> 11) & 7;
  __asm__ volatile("fistpl %0" : "=m"(result));
  check(result == start + ROUNDS, "count in st(0) kept", result);
  check(fstcw() == cw, "control word kept", fstcw());
  check(top == 8 - depth, "register stack depth kept", top);
  /* the rounding mode in force: 7 / 2 = 3.5 rounds down to 3 or up to 4 */
  int32_t seven = 7, two = 2;
  __asm__ volatile("fildl %1\n\tfidivl %2\n\tfistpl %0" : "=m"(half) : "m"(seven), "m"(two));
  check(half == ((me & 1) ? 4 : 3), "rounding mode of my control word", half);

  /* 2. a pending unmasked exception stays mine across the other VM's slices */
  uint16_t zm = 0x037B;                          /* ZM clear */
  static const uint64_t zero = 0;                /* 0.0 as a double */
  __asm__ volatile("fninit\n\tfldcw %0\n\tfld1\n\tfdivl %1" : : "m"(zm), "m"(zero));
  for (int r = 0; r < ROUNDS; r++)
    spin();
  check((fstsw() & 0x84) == 0x84, "zero divide pending (ES, ZE)", fstsw());
  int v = PROBE("fwait");
  check(v == 16, "#MF at my FWAIT", v);
  __asm__ volatile("fnclex\n\tfninit");
  check((fstsw() & 0x80) == 0, "no exception after FNCLEX", fstsw());

  /* 3. CR0.TS, EM and MP as this kernel set them */
  lcr0(rcr0() | CR0_TS);
  v = PROBE("fld1");
  check(v == 7, "CR0.TS: fld1 raises #NM", v);
  v = PROBE("fwait");
  check(v == 7, "CR0.MP+TS: fwait raises #NM", v);
  lcr0(rcr0() & ~CR0_MP);
  v = PROBE("fwait");
  check(v == -1, "CR0.TS without MP: fwait runs", v);
  __asm__ volatile("clts");
  v = PROBE("fld1\n\tfstp %%st(0)");
  check(v == -1, "CLTS: fld1 runs", v);
  lcr0(rcr0() | CR0_EM);
  v = PROBE("fld1");
  check(v == 7, "CR0.EM: fld1 raises #NM", v);
  lcr0((rcr0() | CR0_MP) & ~CR0_EM);
  v = PROBE("fld1\n\tfstp %%st(0)");
  check(v == -1, "EM clear: fld1 runs", v);

  gprintf("fpu: %c: %s\n", me, failures ? "FAILED" : "all passed");
  return failures;
}
