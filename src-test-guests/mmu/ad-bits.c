/* ad-bits.c: the processor sets Accessed on the directory and table entries of every translation it
 * uses and Dirty on the PTE of a page it writes (SDM vol. 3 4.8), also when the TLB already holds a
 * read translation of the page. */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"
#include "paging.h"

#define VA 0x00A00000u   /* directory entry 2 */

int guest_main(void)
{
    guest_setup();
    paging_identity(16);
    paging_enable();
    uint32_t *pte = paging_pte(VA);
    uint32_t *pde = &page_dir[VA >> 22];

    *pte &= ~(PTE_A | PTE_D);
    *pde &= ~PTE_A;
    invlpg(VA);
    CHECK_EQ("untouched-pte-a-d-clear", *pte & (PTE_A | PTE_D), 0);
    (void)*(volatile uint32_t *)VA;
    CHECK_EQ("read-sets-pte-a", *pte & PTE_A, PTE_A);
    CHECK_EQ("read-leaves-pte-d", *pte & PTE_D, 0);
    CHECK_EQ("read-sets-pde-a", *pde & PTE_A, PTE_A);
    CHECK_EQ("pde-never-dirty", *pde & PTE_D, 0);
    *(volatile uint32_t *)(VA + 4) = 1;             /* TLB holds a clean entry: the CPU must walk again */
    CHECK_EQ("write-sets-pte-d", *pte & PTE_D, PTE_D);

    *pte &= ~(PTE_A | PTE_D);
    invlpg(VA + 0x1000);                             /* a different page: VA's entry may stay cached */
    invlpg(VA);
    *(volatile uint32_t *)(VA + 8) = 2;
    CHECK_EQ("write-sets-a-and-d", *pte & (PTE_A | PTE_D), PTE_A | PTE_D);

    /* A faulting access sets nothing. */
    uint32_t *ro = paging_pte(VA + 0x2000);
    *ro = (*ro & ~(PTE_A | PTE_D | PTE_W));
    invlpg(VA + 0x2000);
    int f = mem_write(VA + 0x2000, 3, 1);
    check_pf("pf-r3-write-read-only", f, PF_P | PF_W | PF_U, access_write_insn, VA + 0x2000);
    CHECK_EQ("faulting-write-leaves-d", *ro & PTE_D, 0);

    paging_disable();
    return check_done();
}
