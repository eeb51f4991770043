/* straddle.c: an access that crosses into a page it may not touch faults with CR2 = the first byte of
 * the second page, and a faulting write changes neither page (the access is checked before it is
 * performed, SDM vol. 3 4.7 / 6.5 "faults are restartable"). */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"
#include "paging.h"

#define P1 0x00800000u
#define P2 0x00801000u

int guest_main(void)
{
    guest_setup();
    paging_identity(16);
    *(volatile uint32_t *)(P2 - 4) = 0x11223344;
    *(volatile uint32_t *)P2 = 0x55667788;
    paging_enable();

    *paging_pte(P2) &= ~PTE_W;
    invlpg(P2);
    int f = mem_write(P2 - 2, 0xdeadbeef, 0);
    check_pf("pf-straddle-write-read-only", f, PF_P | PF_W, access_write_insn, P2);
    CHECK_EQ("straddle-first-page-unchanged", *(volatile uint32_t *)(P2 - 4), 0x11223344);
    CHECK_EQ("straddle-second-page-unchanged", *(volatile uint32_t *)P2, 0x55667788);

    uint32_t saved = *paging_pte(P2);
    *paging_pte(P2) = 0;
    invlpg(P2);
    f = mem_write(P2 - 1, 0xdeadbeef, 0);
    check_pf("pf-straddle-write-not-present", f, PF_W, access_write_insn, P2);
    CHECK_EQ("straddle-np-first-page-unchanged", *(volatile uint32_t *)(P2 - 4), 0x11223344);
    f = mem_read(P2 - 3, 0);
    check_pf("pf-straddle-read-not-present", f, 0, access_read_insn, P2);

    *paging_pte(P2) = saved | PTE_W;
    invlpg(P2);
    CHECK_EQ("straddle-write-ok-when-mapped", mem_write(P2 - 2, 0xdeadbeef, 0), 0);
    CHECK_EQ("straddle-low-half", *(volatile uint32_t *)(P2 - 4), 0xbeef3344);
    CHECK_EQ("straddle-high-half", *(volatile uint32_t *)P2, 0x5566dead);

    paging_disable();
    return check_done();
}
