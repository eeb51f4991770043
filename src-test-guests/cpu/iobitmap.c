/* iobitmap.c: with CPL 3 > IOPL the TSS I/O bitmap decides each port (SDM vol. 1 19.5.2):
 * 0xE9 is allowed, 0x80 and 0xEA are not; with IOPL 3 the bitmap is not consulted. */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"

#define U(name) extern void name(void); extern char name##_insn[]
U(u_out_80); U(u_in_80); U(u_outw_e9);
extern void u_out_e9(void);

static void denied(const char *name, void (*fn)(void), void *eip)
{
    if (!user_run(fn, 0)) {
        check_true(name, 0, "no exception");
        return;
    }
    check_fault(name, 13, 0, (uint32_t)eip);
}

int guest_main(void)
{
    guest_setup();
    tss_allow_port(0xE9, 1);

    CHECK_EQ("allowed-port-e9", user_run(u_out_e9, 0), 0);
    denied("gp-out-imm-port-80", u_out_80, u_out_80_insn);
    denied("gp-in-dx-port-80", u_in_80, u_in_80_insn);
    denied("gp-outw-e9-needs-ea", u_outw_e9, u_outw_e9_insn);
    CHECK_EQ("iopl3-ignores-bitmap", user_run(u_out_80, 3), 0);
    tss_allow_port(0xEA, 1);
    CHECK_EQ("outw-e9-ea-allowed", user_run(u_outw_e9, 0), 0);

    return check_done();
}
