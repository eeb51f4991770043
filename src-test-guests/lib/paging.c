/* paging.c: static page directory and tables; tests edit single PTEs to build their scenarios. */
#include "guest.h"
#include "paging.h"
#include "idt.h"
#include "check.h"

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

int mem_read(uint32_t va, int ring3)
{
    access_addr = va;
    return ring3 ? user_run(access_read, 0) : catch_fault(access_read);
}

int mem_write(uint32_t va, uint32_t value, int ring3)
{
    access_addr = va;
    access_value = value;
    return ring3 ? user_run(access_write, 0) : catch_fault(access_write);
}

void check_pf(const char *name, int faulted, uint32_t error, const void *eip, uint32_t cr2)
{
    uint32_t actual_cr2 = read_cr2();
    if (!faulted) {
        check_true(name, 0, "no exception");
        return;
    }
    if (last_fault.vector == 14 && last_fault.error == error && last_fault.eip == (uint32_t)eip
            && actual_cr2 == cr2) {
        check_true(name, 1, "");
        return;
    }
    check_failures++;
    serial_puts("FAIL ");
    serial_puts(name);
    serial_puts(" vector=");
    serial_puthex(last_fault.vector);
    serial_puts(" error=");
    serial_puthex(last_fault.error);
    serial_puts("/");
    serial_puthex(error);
    serial_puts(" eip=");
    serial_puthex(last_fault.eip);
    serial_puts("/");
    serial_puthex((uint32_t)eip);
    serial_puts(" cr2=");
    serial_puthex(actual_cr2);
    serial_puts("/");
    serial_puthex(cr2);
    serial_puts(" (actual/expected)\n");
}
