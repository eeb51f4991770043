/* fpu-ferr.c: how an unmasked x87 error reaches the program (SDM vol. 1 8.7, vol. 3 9.2.1).
 * With CR0.NE = 0 (the PC/AT way) the next waiting x87 instruction asserts FERR#, which the PC
 * wires to IRQ 13 of the slave 8259; the handler writes port F0h to deassert FERR# and clears the
 * exception with FNCLEX. Only after that write can a second error raise IRQ 13 again (the line is
 * edge triggered). With CR0.NE = 1 the same error is #MF (vector 16) at the waiting instruction,
 * and IRQ 13 stays quiet. */
#include "guest.h"
#include "check.h"
#include "idt.h"
#include "pic.h"

#define CR0_MP (1u << 1)
#define CR0_EM (1u << 2)
#define CR0_TS (1u << 3)
#define CR0_NE (1u << 5)
#define FPU_IRQ 13

static volatile uint32_t irq13s, mfs;
static uint16_t zero_unmasked = 0x037B;   /* the default control word with ZM clear */

static void on_irq13(struct frame *f)
{
    (void)f;
    irq13s++;
    outb(0xF0, 0);                        /* deassert FERR# (and IGNNE#) */
    __asm__ volatile("fnclex");
    pic_eoi(FPU_IRQ);
}

static void on_mf(struct frame *f)
{
    (void)f;
    mfs++;
    __asm__ volatile("fnclex");           /* the FWAIT that raised #MF then runs again, quietly */
}

/* 1 / 0 with the zero-divide exception unmasked: ES and ZE are set, nothing is raised yet. */
static void divide_by_zero(void)
{
    __asm__ volatile("fninit; fldcw %0; fld1; fldz; .byte 0xDE, 0xF9" : : "m"(zero_unmasked));   /* fdivp st(1), st: 1 / 0 */
}

static void fwait(void) { __asm__ volatile("fwait" ::: "memory"); }

static uint16_t status_word(void)
{
    uint16_t sw;
    __asm__ volatile("fnstsw %0" : "=m"(sw));
    return sw;
}

int guest_main(void)
{
    guest_setup();
    pic_init();
    idt_set_handler(PIC_BASE + FPU_IRQ, on_irq13);
    idt_set_handler(16, on_mf);
    pic_unmask(2);
    pic_unmask(FPU_IRQ);
    write_cr0((read_cr0() & ~(CR0_EM | CR0_TS | CR0_NE)) | CR0_MP);

    cli();
    divide_by_zero();
    CHECK_EQ("error-pending-es-set", status_word() & 0x80, 0x80);
    fwait();                              /* asserts FERR#: IRQ 13 waits for IF = 1 */
    CHECK_EQ("ne0-fwait-completes-without-mf", mfs, 0);
    CHECK_EQ("ne0-irq13-held-while-if-clear", irq13s, 0);
    sti();
    __asm__ volatile("nop");
    CHECK_EQ("ne0-ferr-raises-irq13", irq13s, 1);
    CHECK_EQ("handler-cleared-es", status_word() & 0x80, 0);
    fwait();
    CHECK_EQ("no-second-irq-without-a-new-error", irq13s, 1);

    divide_by_zero();                     /* FERR# was deasserted through port F0h: a new edge */
    fwait();
    __asm__ volatile("nop");
    CHECK_EQ("ne0-second-error-raises-irq13-again", irq13s, 2);

    write_cr0(read_cr0() | CR0_NE);
    divide_by_zero();
    fwait();
    CHECK_EQ("ne1-error-is-mf-at-fwait", mfs, 1);
    CHECK_EQ("ne1-no-irq13", irq13s, 2);
    return check_done();
}
