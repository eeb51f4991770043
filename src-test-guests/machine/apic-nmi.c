/* apic-nmi.c: IPIs a single processor sends to itself through the local APIC's ICR (SDM vol. 3
 * 10.6.1). An NMI IPI addressed to the own APIC ID, or with the "self" shorthand, must reach the
 * processor's NMI (vector 2, taken even with IF = 0); the vector field is ignored for NMI. INIT and
 * SMI sent to all other processors, and NMI to an APIC ID nobody has, must change nothing. */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"
#include "pic.h"

#define LAPIC_BASE 0xFEE00000u
#define LAPIC_ID 0x020
#define LAPIC_SVR 0x0F0
#define LAPIC_ESR 0x280
#define LAPIC_ICR_LO 0x300
#define LAPIC_ICR_HI 0x310
#define ICR_NMI (4u << 8)
#define ICR_INIT (5u << 8)
#define ICR_SMI (2u << 8)
#define SHORTHAND_SELF (1u << 18)
#define SHORTHAND_OTHERS (3u << 18)
#define SPURIOUS_VECTOR 0xFF

static volatile uint32_t nmis;

static uint32_t lapic_read(uint32_t reg) { return *(volatile uint32_t *)(LAPIC_BASE + reg); }
static void lapic_write(uint32_t reg, uint32_t v) { *(volatile uint32_t *)(LAPIC_BASE + reg) = v; }

static void on_nmi(struct frame *f)
{
    (void)f;
    nmis++;
}

/* Sends an IPI with IF = 0 (an NMI must arrive anyway) and gives it time to arrive: an IPI is
 * delivered asynchronously (on hardware over the APIC bus, on QEMU at its next block boundary). */
static void send(uint32_t dest_id, uint32_t low)
{
    __asm__ volatile("cli");
    lapic_write(LAPIC_ICR_HI, dest_id << 24);
    lapic_write(LAPIC_ICR_LO, low);
    for (volatile int i = 0; i < 1000; i++)
        __asm__ volatile("pause");
}

int guest_main(void)
{
    guest_setup();
    pic_init();
    idt_set_handler(2, on_nmi);
    idt_set_handler(SPURIOUS_VECTOR, 0);
    lapic_write(LAPIC_SVR, 0x100 | SPURIOUS_VECTOR);
    uint32_t self = lapic_read(LAPIC_ID) >> 24;

    send(self, ICR_NMI | 0x33);
    CHECK_EQ("nmi-ipi-to-own-id", nmis, 1);
    send(0, SHORTHAND_SELF | ICR_NMI);
    CHECK_EQ("nmi-ipi-self-shorthand", nmis, 2);
    send(self + 1, ICR_NMI);
    CHECK_EQ("nmi-ipi-to-other-id-dropped", nmis, 2);
    send(0, SHORTHAND_OTHERS | ICR_NMI);
    send(0, SHORTHAND_OTHERS | ICR_INIT);
    send(0, SHORTHAND_OTHERS | ICR_SMI);
    CHECK_EQ("ipis-to-others-change-nothing", nmis, 2);
    lapic_write(LAPIC_ESR, 0);
    CHECK_EQ("no-apic-error", lapic_read(LAPIC_ESR), 0);
    return check_done();
}
