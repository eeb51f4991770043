/* fpu.c: each VM's x87 FPU. The guests run on the one real FPU, so its registers, control and
 * status words (a pending unmasked exception included) must change hands at the world switch,
 * as a kernel's do at a process switch: the outgoing VM's state is saved with FNSAVE into its
 * per-VM window and the incoming VM's loaded with FRSTOR from its window -- eagerly, at every
 * switch (two instructions; lazy switching through CR0.TS would need the hypervisor to own TS,
 * which the guests use themselves). The image lives in the window, so a snapshot takes it along.
 *
 * The FPU bits of CR0 -- MP, EM, TS, NE -- are the guest's: the real CR0 carries the running
 * guest's values, so its FPU instructions raise #NM (TS, EM; WAIT with MP and TS) and its x87
 * errors arrive as #MF (NE) where its own CPU would raise them, and are reflected to it like any
 * exception. The hypervisor itself never executes an FPU instruction except here, with TS and
 * EM cleared first. */
#include "vmm.h"
#include "libkern/string.h"

#define CR0_MP 0x00000002
#define CR0_EM 0x00000004
#define CR0_NE 0x00000020
#define CR0_FPU (CR0_MP | CR0_EM | CR0_TS | CR0_NE)
#define FPU_IMAGE 108                 /* FNSAVE's 32-bit protected-mode image */

static uint8_t fpu_image[FPU_IMAGE] PERVM __attribute__((aligned(16)));
static uint32_t real_bits;            /* the real CR0's FPU bits (the CPU's, not per VM) */

static inline uint32_t rcr0(void) { uint32_t v; __asm__ volatile("movl %%cr0, %0" : "=r"(v)); return v; }
static inline void lcr0(uint32_t v) { __asm__ volatile("movl %0, %%cr0" : : "r"(v) : "memory"); }

static void set_real_bits(uint32_t bits) {
  if (bits != real_bits) {
    lcr0((rcr0() & ~CR0_FPU) | bits);
    real_bits = bits;
  }
}

/* The hypervisor's boot: what the real CR0 holds. */
void fpu_boot(void) {
  real_bits = rcr0() & CR0_FPU;
}

/* A VM that (re)starts: its FPU is what FNINIT leaves (control word 037F, empty tags). Built in
 * memory: the live FPU may belong to the running VM. */
void fpu_vm_init(void) {
  memset(fpu_image, 0, sizeof fpu_image);
  fpu_image[0] = 0x7F;                /* control word */
  fpu_image[1] = 0x03;
  fpu_image[8] = 0xFF;                /* tag word: all empty */
  fpu_image[9] = 0xFF;
}

/* The running VM's image into the live FPU (its first entry, a restart, a restored snapshot). */
void fpu_load(void) {
  set_real_bits(real_bits & ~(CR0_TS | CR0_EM));
  __asm__ volatile("fninit\n\tfrstor %0" : : "m"(*(const uint8_t (*)[FPU_IMAGE])fpu_image));
  fpu_sync();
}

/* The live FPU into the running VM's window, the FPU unchanged (a snapshot of the running VM). */
void fpu_flush(void) {
  set_real_bits(real_bits & ~(CR0_TS | CR0_EM));
  __asm__ volatile("fnsave %0\n\tfrstor %0" : "+m"(*(uint8_t (*)[FPU_IMAGE])fpu_image));
  fpu_sync();
}

/* At the end of an exit: the real CR0's FPU bits are the running guest's (it may have changed
 * them with MOV to CR0, LMSW or CLTS, in protected or in real mode). */
void fpu_sync(void) {
  set_real_bits(vcpu.cr0 & CR0_FPU);
}

/* The world switch, on the outgoing VM's thread (its window mapped): its FPU out, the incoming
 * VM's in, and the incoming guest's CR0 bits. FNSAVE leaves the FPU initialised, so FRSTOR
 * finds no pending exception; one in the loaded image surfaces at that VM's next waiting FPU
 * instruction, as it would have without the switch. */
void fpu_switch(int next) {
  set_real_bits(real_bits & ~(CR0_TS | CR0_EM));
  __asm__ volatile("fnsave %0" : "=m"(*(uint8_t (*)[FPU_IMAGE])fpu_image));
  __asm__ volatile("frstor %0" : : "m"(*(const uint8_t (*)[FPU_IMAGE])WINVA(next, fpu_image)));
  set_real_bits(((const struct vcpu *)WINVA(next, &vcpu))->cr0 & CR0_FPU);
}
