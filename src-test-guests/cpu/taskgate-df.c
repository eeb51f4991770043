/* taskgate-df.c: a double fault delivered through a task gate onto its own TSS and stack
 * (SDM vol. 3 6.15 interrupt 8, 7.3 task switching). The #DF is made deterministic by a #NP whose
 * own IDT gate is not present: the second #NP, a contributory fault during delivery of the first,
 * becomes #DF. The handler task checks the state the switch saved in the old TSS and exits. */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"

#define DF_TSS_SEL 0x30

extern void trig_df(void), df_entry(void);
extern char trig_df_insn[];
extern uint32_t df_error, df_esp;

static struct tss df_tss __attribute__((aligned(128)));
static uint8_t df_stack[4096] __attribute__((aligned(16)));

static uint32_t descriptor_type(int index)
{
    return (uint32_t)(gdt[index] >> 40) & 0xF;
}

void df_main(void)
{
    uint16_t tr;
    __asm__ volatile("str %0" : "=r"(tr));
    CHECK_EQ("df-error-code", df_error, 0);
    CHECK_EQ("df-own-stack", df_esp, (uint32_t)(df_stack + sizeof df_stack));
    CHECK_EQ("df-task-register", tr, DF_TSS_SEL);
    CHECK_EQ("df-back-link", df_tss.prev, TSS_SEL);
    CHECK_EQ("df-eflags-nt", read_eflags() & 0x4000, 0x4000);
    CHECK_EQ("df-cr0-ts", read_cr0() & 0x8, 0x8);
    CHECK_EQ("df-new-tss-busy", descriptor_type(6), 0xB);
    CHECK_EQ("df-old-tss-still-busy", descriptor_type(5), 0xB);
    /* The outgoing task's state, saved at the faulting instruction. */
    CHECK_EQ("df-saved-eip", tss0.eip, (uint32_t)trig_df_insn);
    CHECK_EQ("df-saved-eax", tss0.eax, 0x38);
    CHECK_EQ("df-saved-cs", tss0.cs, KCODE);
    CHECK_EQ("df-saved-ds", tss0.ds, KDATA);
    check_info("saved-esp", tss0.esp);
    /* arithmetic flags masked: after some instructions they are undefined and may differ between
     * emulators, and QemuComparisonTest compares this output byte for byte */
    check_info("saved-eflags-system", tss0.eflags & ~0x8D5u);
    guest_exit(check_done());
}

int guest_main(void)
{
    guest_setup();
    memset(&df_tss, 0, sizeof df_tss);
    df_tss.eip = (uint32_t)df_entry;
    df_tss.esp = (uint32_t)(df_stack + sizeof df_stack);
    df_tss.cs = KCODE;
    df_tss.ss = df_tss.ds = df_tss.es = df_tss.fs = df_tss.gs = KDATA;
    df_tss.eflags = 0x2;
    df_tss.cr3 = read_cr3();
    df_tss.iomap_base = 104;       /* beyond the limit: no bitmap */
    gdt_set(6, (uint32_t)&df_tss, 103, ACC_TSS, 0);
    gdt_set(7, 0, 0xFFFFF, ACC_DATA0 & 0x7F, FLAGS_4K32);      /* not present */
    idt_set_gate(8, DF_TSS_SEL, 0, 0x5, 0, 1);                 /* task gate */
    idt_set_gate(11, KCODE, isr_stubs[11], 0xE, 0, 0);         /* #NP gate not present */

    trig_df();
    check_true("df-taken", 0, "returned from the trigger");
    return check_done();
}
