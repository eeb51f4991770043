/* pit-rate.c: 8254 PIT channel 0 in mode 2 at 100 Hz on IRQ0 through the 8259; counts TICKS
 * interrupts and measures how far the TSC advanced meanwhile. jx86's virtual clock runs at 100 MHz
 * (1,000,000 cycles per 10 ms tick); on QEMU the TSC follows host time, so the rate is only printed
 * ("info tsc-per-tick") and the JUnit test asserts it for jx86. */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"
#include "pic.h"

#define PIT_HZ 1193182u
#define RATE 100u
#define TICKS 10u

static volatile uint32_t ticks;

static void on_timer(struct frame *f)
{
    (void)f;
    ticks++;
    pic_eoi(0);
}

static uint16_t pit_read_counter0(void)
{
    outb(0x43, 0x00);                       /* latch channel 0 */
    uint8_t lo = inb(0x40);
    uint8_t hi = inb(0x40);
    return (uint16_t)(lo | (hi << 8));
}

static uint8_t cmos(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

int guest_main(void)
{
    guest_setup();
    pic_init();
    idt_set_handler(PIC_BASE + 0, on_timer);
    uint32_t divisor = (PIT_HZ + RATE / 2) / RATE;  /* 11932 */
    outb(0x43, 0x34);                       /* channel 0, lobyte/hibyte, mode 2, binary */
    outb(0x40, (uint8_t)divisor);
    outb(0x40, (uint8_t)(divisor >> 8));
    pic_unmask(0);

    uint16_t c1 = pit_read_counter0();
    uint16_t c2 = pit_read_counter0();
    check_true("pit-counter-in-range", c1 <= divisor && c2 <= divisor, "counter above the divisor");

    while (ticks < 1)                       /* start measuring on a tick edge */
        __asm__ volatile("sti; hlt; cli");
    uint64_t t0 = rdtsc();
    uint32_t start = ticks;
    while (ticks < start + TICKS)
        __asm__ volatile("sti; hlt; cli");
    uint64_t t1 = rdtsc();
    outb(0x21, 0xFF);                       /* quiet from here on */

    uint64_t delta = t1 - t0;
    check_true("tsc-advances", delta > 0, "TSC did not move");
    CHECK_EQ("ticks-counted", ticks - start, TICKS);
    check_info_dec("ticks", TICKS);
    check_info_dec("tsc-per-tick", (uint32_t)(delta / TICKS));

    /* RTC (MC146818): status register B and a plausible seconds value, BCD or binary. */
    uint8_t sec = cmos(0x00), regb = cmos(0x0B);
    uint32_t s = (regb & 0x04) ? sec : (uint32_t)((sec >> 4) * 10 + (sec & 0xF));
    check_true("rtc-seconds-valid", s < 60, "seconds out of range");
    check_info("rtc-status-b", regb);
    return check_done();
}
