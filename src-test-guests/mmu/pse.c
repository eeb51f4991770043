/* pse.c: 4 MiB pages (CR4.PSE, PDE.PS; SDM vol. 3 4.3): translation, CR2 and error code of a fault
 * inside one, and A/D kept in the directory entry. */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"
#include "paging.h"

#define VA_BIG  0x40000000u   /* directory entry 256 -> physical 4..8 MiB */
#define VA_RO   0x40400000u   /* directory entry 257 -> same frame, read-only */
#define PHYS    0x00400000u

int guest_main(void)
{
    guest_setup();
    paging_identity(16);
    page_dir[VA_BIG >> 22] = PHYS | PDE_PS | PTE_P | PTE_W;
    page_dir[VA_RO >> 22] = PHYS | PDE_PS | PTE_P;
    write_cr4(read_cr4() | CR4_PSE);
    paging_enable();

    *(volatile uint32_t *)(PHYS + 0x3ff000) = 0x4d4d4d4d;
    CHECK_EQ("pse-read-end-of-page", *(volatile uint32_t *)(VA_BIG + 0x3ff000), 0x4d4d4d4d);
    *(volatile uint32_t *)(VA_BIG + 0x123450) = 0x600df00d;
    CHECK_EQ("pse-write-lands-in-frame", *(volatile uint32_t *)(PHYS + 0x123450), 0x600df00d);
    CHECK_EQ("pse-pde-accessed-dirty", page_dir[VA_BIG >> 22] & (PTE_A | PTE_D), PTE_A | PTE_D);
    CHECK_EQ("pse-read-only-alias", *(volatile uint32_t *)(VA_RO + 0x123450), 0x600df00d);
    CHECK_EQ("pse-read-leaves-d", page_dir[VA_RO >> 22] & PTE_D, 0);
    int f = mem_write(VA_RO + 0x2345, 1, 0);
    check_pf("pf-pse-write-read-only", f, PF_P | PF_W, access_write_insn, VA_RO + 0x2345);
    f = mem_read(VA_BIG + 0x10, 1);
    check_pf("pf-pse-r3-supervisor", f, PF_P | PF_U, access_read_insn, VA_BIG + 0x10);

    /* With PSE off the PS bit is ignored and the entry points at a page table (at 4 MiB):
     * its first "PTE" is whatever is stored at PHYS; make it map VA_BIG to frame 0x7000. */
    *(volatile uint32_t *)PHYS = 0x7000 | PTE_P | PTE_W;
    *(volatile uint32_t *)0x7000 = 0x7e57;
    write_cr4(read_cr4() & ~CR4_PSE);
    write_cr3(read_cr3());
    CHECK_EQ("pse-off-ps-ignored", *(volatile uint32_t *)VA_BIG, 0x7e57);

    paging_disable();
    return check_done();
}
