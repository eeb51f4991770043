/* callgate.c: a call gate from ring 3 to ring 0 copying 2 parameters, and RETF back (SDM vol. 3 5.8.5). */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"

extern void u_callgate(void), u_callgate_dpl0(void), gate_target(void);
extern char u_callgate_ret[], u_callgate_dpl0_insn[];
extern uint32_t u_esp_before, u_esp_after, u_cs_after, g_esp, g_cs, g_ret_eip, g_ret_cs;
extern uint32_t g_param_low, g_param_high, g_user_esp, g_user_ss;

int guest_main(void)
{
    guest_setup();
    gdt_set_gate(6, KCODE, (uint32_t)gate_target, 0xC, 3, 1, 2);
    gdt_set_gate(7, KCODE, (uint32_t)gate_target, 0xC, 0, 1, 2);
    uint32_t esp0 = (uint32_t)ring0_stack_end;

    CHECK_EQ("callgate-run-returns", user_run(u_callgate, 0), 0);
    CHECK_EQ("callgate-target-cs", g_cs, KCODE);
    /* SS, ESP, 2 parameters, CS, EIP = 24 bytes below TSS.ESP0 */
    CHECK_EQ("callgate-stack-switch", g_esp, esp0 - 24);
    CHECK_EQ("callgate-return-eip", g_ret_eip, (uint32_t)u_callgate_ret);
    CHECK_EQ("callgate-return-cs", g_ret_cs, UCODE);
    CHECK_EQ("callgate-param-last-pushed", g_param_low, 0x2222);
    CHECK_EQ("callgate-param-first-pushed", g_param_high, 0x1111);
    CHECK_EQ("callgate-saved-user-esp", g_user_esp, u_esp_before - 8);
    CHECK_EQ("callgate-saved-user-ss", g_user_ss, UDATA);
    CHECK_EQ("retf-back-to-ring3", u_cs_after, UCODE);
    CHECK_EQ("retf-imm-pops-user-params", u_esp_after, u_esp_before);

    if (!user_run(u_callgate_dpl0, 0))
        check_true("gp-callgate-dpl0", 0, "no exception");
    else
        check_fault("gp-callgate-dpl0", 13, 0x38, (uint32_t)u_callgate_dpl0_insn);

    return check_done();
}
