/* tlb.c: the TLB is not coherent with the page tables (SDM vol. 3 4.10.4): a changed PTE is used only
 * after INVLPG or a CR3 load, and a CR3 load keeps global entries (CR4.PGE) until PGE is toggled.
 * Which stale translation survives is not architecturally guaranteed and QEMU's softmmu TLB differs
 * from jx86's modelled TLB, so the stale reads print "info" lines; the JUnit test asserts jx86's
 * values. Everything after an invalidation is architectural and checked here. */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"
#include "paging.h"

#define VA      0x00900000u
#define FRAME_A 0x00700000u
#define FRAME_B 0x00701000u

static uint32_t read_va(void)
{
    return *(volatile uint32_t *)VA;
}

int guest_main(void)
{
    guest_setup();
    *(volatile uint32_t *)FRAME_A = 0xAAAA;
    *(volatile uint32_t *)FRAME_B = 0xBBBB;
    paging_identity(16);
    uint32_t *pte = paging_pte(VA);
    *pte = FRAME_A | PTE_P | PTE_W;
    paging_enable();

    CHECK_EQ("read-through-a", read_va(), 0xAAAA);
    *pte = FRAME_B | PTE_P | PTE_W;                 /* no invalidation */
    check_info("stale-read", read_va());
    invlpg(VA);
    CHECK_EQ("invlpg-new-mapping", read_va(), 0xBBBB);

    *pte = FRAME_A | PTE_P | PTE_W;
    write_cr3(read_cr3());
    CHECK_EQ("cr3-reload-flushes", read_va(), 0xAAAA);

    /* Global page: a CR3 load leaves it in the TLB. */
    write_cr4(read_cr4() | CR4_PGE);
    *pte = FRAME_A | PTE_P | PTE_W | PTE_G;
    invlpg(VA);
    CHECK_EQ("global-read-a", read_va(), 0xAAAA);
    *pte = FRAME_B | PTE_P | PTE_W | PTE_G;
    write_cr3(read_cr3());
    check_info("global-after-cr3", read_va());
    write_cr4(read_cr4() & ~CR4_PGE);               /* toggling PGE flushes global entries too */
    write_cr4(read_cr4() | CR4_PGE);
    CHECK_EQ("pge-toggle-flushes-global", read_va(), 0xBBBB);
    *pte = FRAME_A | PTE_P | PTE_W | PTE_G;
    invlpg(VA);                                      /* INVLPG also drops a global entry */
    CHECK_EQ("invlpg-flushes-global", read_va(), 0xAAAA);

    /* Unmapping needs an invalidation too; afterwards the access must fault. */
    *pte = 0;
    invlpg(VA);
    int f = mem_read(VA + 8, 0);
    check_pf("pf-after-unmap-invlpg", f, 0, access_read_insn, VA + 8);

    paging_disable();
    return check_done();
}
