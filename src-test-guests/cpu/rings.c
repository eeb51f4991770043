/* rings.c: privilege transitions (SDM vol. 3 5.8, 6.12): IRET to ring 3, an interrupt gate back to
 * ring 0 with the stack switch to TSS.SS0:ESP0, and the #GPs ring 3 gets for privileged operations. */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"

#define U(name) extern void name(void); extern char name##_insn[]
U(u_cli); U(u_hlt); U(u_int81); U(u_read_cr0); U(u_load_kdata);
extern void u_probe(void);
extern char u_probe_after_int[];
extern uint32_t u_cs, u_ss, u_cs_back, u_fs, u_gs;

/* Bytes the CPU and isr_common push below TSS.ESP0 for an interrupt from ring 3:
 * SS, ESP, EFLAGS, CS, EIP (20) + error/vector (8) + PUSHA (32) + 4 segment registers (16). */
#define FRAME_BELOW_ESP0 76

static struct { uint32_t cs, cpl, frame, user_ss, user_esp, eip; } sys;

static void on_syscall(struct frame *f)
{
    sys.cs = f->cs;
    sys.cpl = read_cs() & 3;
    sys.frame = (uint32_t)f;
    sys.user_ss = f->user_ss;
    sys.user_esp = f->user_esp;
    sys.eip = f->eip;
}

static void user_fault(const char *name, void (*fn)(void), int iopl, uint32_t error, void *eip)
{
    if (!user_run(fn, iopl)) {
        check_true(name, 0, "no exception");
        return;
    }
    check_fault(name, 13, error, (uint32_t)eip);
}

int guest_main(void)
{
    guest_setup();
    syscall_hook = on_syscall;
    uint32_t esp0 = (uint32_t)ring0_stack_end;

    CHECK_EQ("ring3-run-returns", user_run(u_probe, 0), 0);
    CHECK_EQ("ring3-cs", u_cs, UCODE);
    CHECK_EQ("ring3-ss", u_ss, UDATA);
    /* FS/GS still held KDATA (DPL 0) at the IRET: returning to ring 3 loads them with null. */
    CHECK_EQ("iret-nulls-dpl0-fs", u_fs, 0);
    CHECK_EQ("iret-nulls-dpl0-gs", u_gs, 0);
    CHECK_EQ("int80-handler-cpl", sys.cpl, 0);
    CHECK_EQ("int80-saved-cs", sys.cs, UCODE);
    CHECK_EQ("int80-saved-eip", sys.eip, (uint32_t)u_probe_after_int);
    CHECK_EQ("int80-stack-switch-to-esp0", sys.frame, esp0 - FRAME_BELOW_ESP0);
    CHECK_EQ("int80-saved-user-ss", sys.user_ss, UDATA);
    /* user_trampoline's CALL pushed one return address on the fresh user stack */
    CHECK_EQ("int80-saved-user-esp", sys.user_esp, (uint32_t)user_stack_end - 4);
    CHECK_EQ("iret-back-to-ring3", u_cs_back, UCODE);

    user_fault("gp-cli-iopl0", u_cli, 0, 0, u_cli_insn);
    CHECK_EQ("gp-cli-saved-cs", last_fault.cs, UCODE);
    CHECK_EQ("gp-cli-stack-switch", last_fault.frame_addr, esp0 - FRAME_BELOW_ESP0);
    CHECK_EQ("gp-cli-user-esp", last_fault.user_esp, (uint32_t)user_stack_end - 4);
    CHECK_EQ("cli-iopl3-allowed", user_run(u_cli, 3), 0);
    user_fault("gp-hlt", u_hlt, 3, 0, u_hlt_insn);      /* HLT needs CPL 0 whatever IOPL */
    user_fault("gp-int-dpl0-gate", u_int81, 0, 0x81 * 8 + 2, u_int81_insn);
    user_fault("gp-mov-from-cr0", u_read_cr0, 0, 0, u_read_cr0_insn);
    user_fault("gp-load-ds-dpl0", u_load_kdata, 0, KDATA, u_load_kdata_insn);
    CHECK_EQ("back-in-ring0", read_cs(), KCODE);

    return check_done();
}
