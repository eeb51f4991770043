/* apic-timer.c: finds the MP floating pointer structure (MP spec 1.4 chapter 4: "_MP_" on a 16-byte
 * boundary in the EBDA's first KiB, the last KiB of base memory or 0xF0000-0xFFFFF) and its I/O APIC
 * entry, then enables the local APIC (SVR bit 8), checks its version register and counts periodic LVT
 * timer interrupts, each acknowledged by an EOI write (SDM vol. 3 chapter 10). */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"
#include "pic.h"

#define LAPIC_BASE 0xFEE00000u
#define LAPIC_VERSION 0x030
#define LAPIC_EOI 0x0B0
#define LAPIC_SVR 0x0F0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3E0
#define TIMER_VECTOR 0x40
#define SPURIOUS_VECTOR 0xFF
#define INTERRUPTS 5u

static volatile uint32_t timer_irqs;

static uint32_t lapic_read(uint32_t reg) { return *(volatile uint32_t *)(LAPIC_BASE + reg); }
static void lapic_write(uint32_t reg, uint32_t v) { *(volatile uint32_t *)(LAPIC_BASE + reg) = v; }

static void on_timer(struct frame *f)
{
    (void)f;
    timer_irqs++;
    lapic_write(LAPIC_EOI, 0);
}

static int checksum_ok(const uint8_t *p, uint32_t len)
{
    uint8_t sum = 0;
    for (uint32_t i = 0; i < len; i++)
        sum += p[i];
    return sum == 0;
}

static const uint8_t *scan(uint32_t start, uint32_t len)
{
    for (uint32_t a = start; a + 16 <= start + len; a += 16) {
        const uint8_t *p = (const uint8_t *)a;
        if (p[0] == '_' && p[1] == 'M' && p[2] == 'P' && p[3] == '_' && checksum_ok(p, 16 * p[8]))
            return p;
    }
    return 0;
}

static const uint8_t *find_mp(void)
{
    uint32_t ebda = (uint32_t)*(volatile uint16_t *)0x40E << 4;
    uint32_t base_kib = *(volatile uint16_t *)0x413;
    const uint8_t *p = ebda ? scan(ebda, 1024) : 0;
    if (!p)
        p = scan(base_kib * 1024 - 1024, 1024);
    if (!p)
        p = scan(0xF0000, 0x10000);
    return p;
}

static void mp_tables(void)
{
    const uint8_t *fp = find_mp();
    check_true("mp-floating-pointer-found", fp != 0, "no _MP_ structure");
    if (!fp)
        return;
    const uint8_t *ct = (const uint8_t *)*(const uint32_t *)(fp + 4);
    check_true("mp-config-table-signature", ct && ct[0] == 'P' && ct[1] == 'C' && ct[2] == 'M' && ct[3] == 'P',
               "no PCMP table");
    if (!ct)
        return;
    uint16_t len = *(const uint16_t *)(ct + 4);
    check_true("mp-config-table-checksum", checksum_ok(ct, len), "bad checksum");
    CHECK_EQ("mp-lapic-address", *(const uint32_t *)(ct + 0x24), LAPIC_BASE);
    uint16_t count = *(const uint16_t *)(ct + 0x22);
    const uint8_t *e = ct + 44;
    uint32_t ioapic = 0;
    for (uint16_t i = 0; i < count; i++) {
        if (e[0] == 2 && !ioapic)           /* I/O APIC entry: address at offset 4 */
            ioapic = *(const uint32_t *)(e + 4);
        e += e[0] == 0 ? 20 : 8;            /* processor entries are 20 bytes, the others 8 */
    }
    check_info("ioapic", ioapic);
    CHECK_EQ("mp-ioapic-address", ioapic, 0xFEC00000u);
}

int guest_main(void)
{
    guest_setup();
    pic_init();                             /* everything masked: only the LAPIC interrupts */
    mp_tables();

    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0x1B));
    CHECK_EQ("apic-base-msr-address", lo & 0xFFFFF000u, LAPIC_BASE);
    CHECK_EQ("apic-base-msr-enabled", lo & 0x800, 0x800);

    idt_set_handler(TIMER_VECTOR, on_timer);
    idt_set_handler(SPURIOUS_VECTOR, 0);
    lapic_write(LAPIC_SVR, 0x100 | SPURIOUS_VECTOR);
    uint32_t version = lapic_read(LAPIC_VERSION);
    check_info("lapic-version", version);
    CHECK_EQ("lapic-version-integrated", version & 0xF0, 0x10);
    check_true("lapic-max-lvt", ((version >> 16) & 0xFF) >= 3, "fewer than 4 LVT entries");

    lapic_write(LAPIC_TIMER_DIV, 0x3);      /* divide by 16 */
    lapic_write(LAPIC_LVT_TIMER, (1u << 17) | TIMER_VECTOR);  /* periodic */
    lapic_write(LAPIC_TIMER_INIT, 100000);
    uint32_t cur = lapic_read(LAPIC_TIMER_CUR);
    check_true("timer-current-count-in-range", cur <= 100000, "current count above initial");
    while (timer_irqs < INTERRUPTS)
        __asm__ volatile("sti; hlt; cli");
    lapic_write(LAPIC_LVT_TIMER, 0x10000);  /* masked */
    lapic_write(LAPIC_TIMER_INIT, 0);
    CHECK_EQ("timer-interrupts", timer_irqs, INTERRUPTS);
    return check_done();
}
