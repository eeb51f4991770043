/* paging.c: static page directory and tables; tests edit single PTEs to build their scenarios. */
#include "guest.h"
#include "paging.h"

#define TABLES 16

uint32_t page_dir[1024] __attribute__((aligned(4096)));
static uint32_t page_tables[TABLES][1024] __attribute__((aligned(4096)));

void paging_identity(uint32_t mib)
{
    uint32_t tables = (mib + 3) / 4;
    if (tables > TABLES)
        tables = TABLES;
    memset(page_dir, 0, sizeof page_dir);
    for (uint32_t t = 0; t < tables; t++) {
        for (uint32_t i = 0; i < 1024; i++) {
            uint32_t addr = (t << 22) | (i << 12);
            page_tables[t][i] = addr < (mib << 20) ? addr | PTE_P | PTE_W | PTE_U : 0;
        }
        page_dir[t] = (uint32_t)page_tables[t] | PTE_P | PTE_W | PTE_U;
    }
}

uint32_t *paging_pte(uint32_t va)
{
    return &page_tables[va >> 22][(va >> 12) & 1023];
}

void paging_enable(void)
{
    write_cr3((uint32_t)page_dir);
    write_cr0(read_cr0() | CR0_PG | CR0_WP);
}

void paging_disable(void)
{
    write_cr0(read_cr0() & ~CR0_PG);
}
