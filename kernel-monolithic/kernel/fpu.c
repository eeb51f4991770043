/* fpu.c: each process's x87 state, switched eagerly: sched() saves the running process's FPU with
 * FNSAVE as it gives up the CPU, and the scheduler loads the next one's with FRSTOR before it
 * switches to it. Two instructions per switch keep it simple; lazy switching (CR0.TS and #NM)
 * would skip them for processes that never touch the FPU, at the price of a trap and an "owner"
 * to track. The kernel itself never uses the FPU (it is built with -mno-80387).
 * An unmasked x87 exception reaches the kernel as #MF (CR0.NE = 1) at the process's next waiting
 * FPU instruction; trap.c turns it into SIGFPE. */
#include "defs.h"
#include "proc.h"

#define CR0_MP 0x00000002   /* WAIT obeys TS */
#define CR0_EM 0x00000004   /* no FPU: escape opcodes raise #NM */
#define CR0_TS 0x00000008   /* task switched: escape opcodes raise #NM */
#define CR0_NE 0x00000020   /* x87 errors as #MF, not FERR#/IRQ 13 */

/* Boot: the FPU present and reporting errors natively. */
void fpuinit(void) {
  uint32_t cr0 = (rcr0() | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS);
  __asm__ volatile("movl %0, %%cr0" : : "r"(cr0));
  __asm__ volatile("fninit");
}

/* A new process starts with what FNINIT gives, as a 108-byte FNSAVE image: control word 0x037F
 * (everything masked, 64-bit precision, round to nearest), status 0, all registers empty. */
void fpu_initstate(struct proc *p) {
  memset(p->fpu, 0, sizeof(p->fpu));
  p->fpu[0] = 0x7F;
  p->fpu[1] = 0x03;
  p->fpu[8] = 0xFF;
  p->fpu[9] = 0xFF;
}

/* FNSAVE also reinitialises the FPU. */
void fpu_save(struct proc *p) {
  __asm__ volatile("fnsave %0" : "=m"(p->fpu));
}

/* FRSTOR waits for pending errors: FNCLEX first, so that a pending exception in the live state can
 * never become a #MF in the kernel, whatever left it there: firmware, or a hypervisor that shares
 * one FPU between VMs without switching it (jx86's vmm switches it at every world switch since
 * core/fpu.c; the FNCLEX stays as a cheap guard against any other owner). */
void fpu_restore(struct proc *p) {
  __asm__ volatile("fnclex\n\tfrstor %0" : : "m"(p->fpu));
}

/* fork: the child inherits the parent's live FPU state (saved, then put back for the parent). */
void fpu_fork(struct proc *child) {
  fpu_save(child);
  fpu_restore(child);
}

/* execve: the new program starts with a freshly initialised FPU. */
void fpu_exec(void) {
  __asm__ volatile("fninit");
}

/* #MF: clear the exception flags so that a SIGFPE handler (or the kernel's own FNSAVE/FRSTOR
 * later) does not fault again; Linux instead hands the state to the handler in the signal frame. */
void fpu_clear_exceptions(void) {
  __asm__ volatile("fnclex");
}
