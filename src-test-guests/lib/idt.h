/* idt.h: IDT gates, one assembly stub per vector, and a way to provoke a fault and inspect it.
 *
 * Every vector enters isr_common (isr.S), which saves the registers as a struct frame and calls
 * isr_dispatch. The dispatcher records the exception in last_fault, then
 *  - calls the C handler installed for the vector, if any, and resumes with IRET (trap-style tests), or
 *  - if a fault_try() is armed, abandons the faulting context and makes fault_try() return 1
 *    (like longjmp; the faulting instruction is never restarted, so faults cannot loop), or
 *  - prints "FAIL unexpected-exception ..." and exits with 1.
 */
#ifndef IDT_H
#define IDT_H

#include <stdint.h>

/* Layout pushed by the CPU, the stub and isr_common; user_esp/user_ss exist only from ring 3. */
struct frame {
    uint32_t gs, fs, es, ds;
    uint32_t edi, esi, ebp, esp_pusha, ebx, edx, ecx, eax;
    uint32_t vector, error;
    uint32_t eip, cs, eflags;
    uint32_t user_esp, user_ss;
};

struct fault_record {
    uint32_t vector, error, eip, cs, eflags;
    uint32_t frame_addr;          /* where the frame lies: shows which stack the CPU used */
    uint32_t user_esp, user_ss;   /* only valid when (cs & 3) != 0 */
    uint32_t count;               /* exceptions and interrupts seen so far */
};

typedef void (*isr_handler)(struct frame *f);

extern volatile struct fault_record last_fault;
extern uint32_t isr_stubs[256];

/* Installs interrupt gates (DPL 0, KCODE) for all 256 vectors and loads the IDTR. */
void idt_init(void);
/* Reloads the IDTR with a limit covering only the first `vectors` gates. */
void idt_load(int vectors);
/* Raw gate: type 0xE interrupt, 0xF trap, 0x5 task (then selector is a TSS and offset unused). */
void idt_set_gate(int vec, uint16_t selector, uint32_t offset, uint8_t type, int dpl, int present);
/* Gate for `vec` pointing at its stub again, with the given type and DPL. */
void idt_set_stub(int vec, uint8_t type, int dpl);
void idt_set_handler(int vec, isr_handler h);

/* setjmp-like: returns 0 when called; returns 1 again when a later unhandled exception is caught. */
int fault_try(void) __attribute__((returns_twice));
void fault_cancel(void);
/* Marks last_fault as "nothing seen" so a missing exception cannot pass as an old one. */
void fault_reset(void);
void fault_longjmp(void) __attribute__((noreturn));
/* Runs fn; returns 1 if it raised an exception (see last_fault), 0 if it returned normally. */
int catch_fault(void (*fn)(void));

/* Runs fn in ring 3 (CS=UCODE, SS=DS=ES=UDATA) on a user stack with the given IOPL. fn returns through
 * `int $0x80` (DPL 3 gate, eax=0). Returns 0 when fn finished, 1 if it faulted (see last_fault).
 * Other eax values reach syscall_hook, which may return to ring 3. */
int user_run(void (*fn)(void), int iopl);
extern isr_handler syscall_hook;
extern uint8_t *const user_stack_end;

/* One check line covering vector, error code (NO_ERR: none expected) and saved EIP of last_fault. */
void check_fault(const char *name, uint32_t vector, uint32_t error, uint32_t eip);

/* Common start of every multiboot test guest: serial, GDT/TSS, IDT. */
void guest_setup(void);

#endif
