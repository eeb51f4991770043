/* pf-cr2.c: #PF error code (P, W/R, U/S bits) and CR2 for reads and writes from ring 0 and ring 3
 * against not-present, read-only and supervisor pages (SDM vol. 3 4.6 access rights, 4.7 #PF). */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"
#include "paging.h"

#define NOT_PRESENT 0x800000u
#define USER_RO     0x801000u
#define SUPER_RW    0x802000u
#define SUPER_RO    0x803000u
#define PDE_SUPER   0x00C00000u   /* 12..16 MiB: directory entry without U */
#define NO_PDE      0x40000000u   /* directory entry not present */

int guest_main(void)
{
    guest_setup();
    paging_identity(16);
    *paging_pte(NOT_PRESENT) = 0;
    *paging_pte(USER_RO) &= ~PTE_W;
    *paging_pte(SUPER_RW) &= ~PTE_U;
    *paging_pte(SUPER_RO) &= ~(PTE_U | PTE_W);
    page_dir[PDE_SUPER >> 22] &= ~PTE_U;
    paging_enable();

    int f;
    f = mem_read(NOT_PRESENT + 4, 0);
    check_pf("pf-r0-read-not-present", f, 0, access_read_insn, NOT_PRESENT + 4);
    f = mem_write(NOT_PRESENT + 8, 1, 0);
    check_pf("pf-r0-write-not-present", f, PF_W, access_write_insn, NOT_PRESENT + 8);
    f = mem_write(SUPER_RO + 0xc, 1, 0);
    check_pf("pf-r0-write-read-only-wp1", f, PF_P | PF_W, access_write_insn, SUPER_RO + 0xc);
    f = mem_read(NO_PDE + 0x123, 0);
    check_pf("pf-r0-read-pde-not-present", f, 0, access_read_insn, NO_PDE + 0x123);
    access_addr = NOT_PRESENT;
    f = catch_fault(access_exec);
    check_pf("pf-r0-fetch-not-present", f, 0, (void *)NOT_PRESENT, NOT_PRESENT);

    CHECK_EQ("r0-write-super-rw", mem_write(SUPER_RW, 0x11223344, 0), 0);
    write_cr0(read_cr0() & ~CR0_WP);
    CHECK_EQ("r0-write-read-only-wp0-allowed", mem_write(SUPER_RO, 0x55667788, 0), 0);
    CHECK_EQ("r0-write-read-only-wp0-value", *(volatile uint32_t *)SUPER_RO, 0x55667788);
    write_cr0(read_cr0() | CR0_WP);

    f = mem_read(NOT_PRESENT + 0x10, 1);
    check_pf("pf-r3-read-not-present", f, PF_U, access_read_insn, NOT_PRESENT + 0x10);
    f = mem_write(NOT_PRESENT + 0x14, 1, 1);
    check_pf("pf-r3-write-not-present", f, PF_U | PF_W, access_write_insn, NOT_PRESENT + 0x14);
    f = mem_read(SUPER_RW + 0x18, 1);
    check_pf("pf-r3-read-supervisor", f, PF_U | PF_P, access_read_insn, SUPER_RW + 0x18);
    f = mem_write(SUPER_RW + 0x1c, 1, 1);
    check_pf("pf-r3-write-supervisor", f, PF_U | PF_W | PF_P, access_write_insn, SUPER_RW + 0x1c);
    f = mem_write(USER_RO + 0x20, 1, 1);
    check_pf("pf-r3-write-user-read-only", f, PF_U | PF_W | PF_P, access_write_insn, USER_RO + 0x20);
    CHECK_EQ("r3-read-user-read-only", mem_read(USER_RO + 0x20, 1), 0);
    /* U/S is the AND of directory and table entry: the PTEs here have U=1, the PDE has not. */
    f = mem_read(PDE_SUPER + 0x24, 1);
    check_pf("pf-r3-read-pde-supervisor", f, PF_U | PF_P, access_read_insn, PDE_SUPER + 0x24);
    CHECK_EQ("r0-read-pde-supervisor", mem_read(PDE_SUPER + 0x24, 0), 0);

    paging_disable();
    return check_done();
}
