/* exceptions.c: provokes each exception class and checks vector, error code and saved EIP
 * (SDM vol. 3 chapter 6: faults save the faulting instruction, traps the next one). */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"
#include "paging.h"

#define T(name) extern void name(void); extern char name##_insn[]
#define TA(name) extern void name(void); extern char name##_after[]
T(trig_de); T(trig_de_idiv); T(trig_db_hw); T(trig_ud_cr1); T(trig_np_gate); T(trig_ts); T(trig_gp_idt_limit);
TA(trig_db); TA(trig_bp); TA(trig_of); T(trig_br); T(trig_ud); T(trig_nm); T(trig_np); T(trig_ss);
T(trig_gp_beyond_gdt); T(trig_gp_null_ss); T(trig_gp_null_use); T(trig_gp_limit); T(trig_gp_readonly);
T(trig_gp_exec_only); T(trig_gp_rpl); T(trig_gp_jmp_data); T(trig_gp_jmp_null); T(trig_pf_read); T(trig_pf_write);

uint32_t pf_addr;
static volatile uint32_t db_count, db_dr6;

/* Trap-style handlers just return: the saved EIP already points past the instruction. */
static void resume(struct frame *f) { (void)f; }

static void on_debug(struct frame *f)
{
    uint32_t dr6;
    __asm__ volatile("mov %%dr6, %0" : "=r"(dr6));
    db_dr6 = dr6;
    db_count++;
    f->eflags &= ~0x100u;       /* stop single-stepping */
}

static void expect(const char *name, void (*fn)(void), uint32_t vector, uint32_t error, void *eip)
{
    if (!catch_fault(fn)) {
        check_true(name, 0, "no exception");
        return;
    }
    check_fault(name, vector, error, (uint32_t)eip);
}

/* QEMU's TCG does not check data-segment limits, null selectors or writability on memory accesses,
 * so when no exception comes this prints an info line instead of failing; the JUnit test of jx86
 * (which models the checks, like real hardware) asserts the "ok" line. */
static void expect_hw(const char *name, void (*fn)(void), uint32_t vector, uint32_t error, void *eip)
{
    if (catch_fault(fn)) {
        check_fault(name, vector, error, (uint32_t)eip);
        return;
    }
    __asm__ volatile("mov %0, %%fs" : : "r"(KDATA));
    serial_puts("info ");
    serial_puts(name);
    serial_puts("=no-exception\n");
}

int guest_main(void)
{
    guest_setup();
    gdt_set(6, 0, 0xFFFFF, ACC_DATA0 & 0x7F, FLAGS_4K32);      /* P=0 */
    gdt_set(7, 0, 0xFFF, ACC_DATA0, FLAGS_BYTE32);
    gdt_set(8, 0, 0xFFFFF, 0x90, FLAGS_4K32);                  /* data, read-only */
    gdt_set(9, 0, 0xFFFFF, 0x98, FLAGS_4K32);                  /* code, execute-only */

    gdt_set(10, 0x7000, 0x20, ACC_TSS, 0);                     /* TSS too small for a 32-bit TSS */
    idt_set_gate(0x82, KCODE, isr_stubs[0x82], 0xE, 0, 0);

    expect("de-divide-by-zero", trig_de, 0, NO_ERR, trig_de_insn);
    expect("de-idiv-overflow", trig_de_idiv, 0, NO_ERR, trig_de_idiv_insn);

    /* Instruction breakpoint: DR0 = address, DR7.L0 = 1, R/W0 = LEN0 = 0; a fault before execution. */
    __asm__ volatile("mov %0, %%dr6" : : "r"(0u));
    __asm__ volatile("mov %0, %%dr0" : : "r"(trig_db_hw_insn));
    __asm__ volatile("mov %0, %%dr7" : : "r"(0x1u));
    expect("db-instruction-breakpoint", trig_db_hw, 1, NO_ERR, trig_db_hw_insn);
    __asm__ volatile("mov %0, %%dr7" : : "r"(0u));
    uint32_t dr6;
    __asm__ volatile("mov %%dr6, %0" : "=r"(dr6));
    CHECK_EQ("db-breakpoint-dr6-b0", dr6 & 0xF, 0x1);

    __asm__ volatile("mov %0, %%dr6" : : "r"(0u));
    idt_set_handler(1, on_debug);
    fault_reset();
    trig_db();
    check_fault("db-single-step", 1, NO_ERR, (uint32_t)trig_db_after);
    CHECK_EQ("db-single-step-count", db_count, 1);
    CHECK_EQ("db-dr6-bs", db_dr6 & 0x4000, 0x4000);

    idt_set_handler(3, resume);
    fault_reset();
    trig_bp();
    check_fault("bp-int3", 3, NO_ERR, (uint32_t)trig_bp_after);

    idt_set_handler(4, resume);
    fault_reset();
    trig_of();
    check_fault("of-into", 4, NO_ERR, (uint32_t)trig_of_after);

    expect("br-bound", trig_br, 5, NO_ERR, trig_br_insn);
    expect("ud-ud2", trig_ud, 6, NO_ERR, trig_ud_insn);
    expect("ud-mov-cr1", trig_ud_cr1, 6, NO_ERR, trig_ud_cr1_insn);

    write_cr0(read_cr0() | 0x8);                                /* CR0.TS */
    expect("nm-fpu-with-ts", trig_nm, 7, NO_ERR, trig_nm_insn);
    __asm__ volatile("clts");

    expect("np-load-ds", trig_np, 11, 0x30, trig_np_insn);
    expect("np-int-gate-not-present", trig_np_gate, 11, 0x82 * 8 + 2, trig_np_gate_insn);
    expect("ts-jmp-tss-limit-too-small", trig_ts, 10, 0x50, trig_ts_insn);
    idt_load(0x80);
    expect("gp-int-beyond-idt-limit", trig_gp_idt_limit, 13, 0x90 * 8 + 2, trig_gp_idt_limit_insn);
    idt_load(256);
    expect("ss-load-not-present", trig_ss, 12, 0x30, trig_ss_insn);
    expect("gp-beyond-gdt-limit", trig_gp_beyond_gdt, 13, 0x80, trig_gp_beyond_gdt_insn);
    expect("gp-null-ss", trig_gp_null_ss, 13, 0, trig_gp_null_ss_insn);
    expect_hw("gp-null-segment-use", trig_gp_null_use, 13, 0, trig_gp_null_use_insn);
    expect_hw("gp-segment-limit", trig_gp_limit, 13, 0, trig_gp_limit_insn);
    expect_hw("gp-write-read-only-segment", trig_gp_readonly, 13, 0, trig_gp_readonly_insn);
    expect("gp-execute-only-as-data", trig_gp_exec_only, 13, 0x48, trig_gp_exec_only_insn);
    expect("gp-rpl-above-dpl", trig_gp_rpl, 13, 0x10, trig_gp_rpl_insn);
    expect("gp-jmp-to-data-segment", trig_gp_jmp_data, 13, 0x10, trig_gp_jmp_data_insn);
    expect("gp-jmp-null-selector", trig_gp_jmp_null, 13, 0, trig_gp_jmp_null_insn);

    /* #PF: identity map 16 MiB, then remove one page and write-protect another. */
    paging_identity(16);
    *paging_pte(0x800000) = 0;
    *paging_pte(0x801000) &= ~PTE_W;
    paging_enable();
    pf_addr = 0x800010;
    expect("pf-read-not-present", trig_pf_read, 14, 0, trig_pf_read_insn);
    CHECK_EQ("pf-read-not-present-cr2", read_cr2(), 0x800010);
    pf_addr = 0x801ff8;
    expect("pf-write-read-only", trig_pf_write, 14, PF_P | PF_W, trig_pf_write_insn);
    CHECK_EQ("pf-write-read-only-cr2", read_cr2(), 0x801ff8);
    paging_disable();

    return check_done();
}
