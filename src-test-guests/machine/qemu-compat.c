/* qemu-compat.c: what operating systems written for QEMU rely on (issue #22).
 *  - fw_cfg at 0x510/0x511: signature, CPU count, RAM size, command line, etc/e820 in the directory;
 *  - an interrupt-driven console on COM2 with MCR.OUT2 clear, set up as xv6 does it (the stale-input
 *    RBR read included) while a line was typed ahead: every byte arrives through IRQ3;
 *  - keys typed at the 8042 reach the IRQ1 handler as scan code set 1.
 * The Java test feeds COM2 and the keyboard and asserts each line. */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"
#include "pic.h"

#define COM2 0x2F8
#define FW_CFG_SEL 0x510
#define FW_CFG_DATA 0x511

static void fw_select(uint16_t key) { outw(FW_CFG_SEL, key); }

static uint32_t fw_read_le(int n)
{
    uint32_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint32_t)inb(FW_CFG_DATA) << (8 * i);
    return v;
}

static uint32_t fw_read_be32(void)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 8 | inb(FW_CFG_DATA);
    return v;
}

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static void fw_cfg_checks(void)
{
    char sig[5] = {0};
    fw_select(0x00);
    for (int i = 0; i < 4; i++)
        sig[i] = (char)inb(FW_CFG_DATA);
    check_true("fwcfg-signature", streq(sig, "QEMU"), sig);
    fw_select(0x05);
    CHECK_EQ("fwcfg-cpus", fw_read_le(2), 1);
    fw_select(0x03);
    uint32_t lo = fw_read_le(4), hi = fw_read_le(4);
    CHECK_EQ("fwcfg-ram-low", lo, 64u << 20);
    CHECK_EQ("fwcfg-ram-high", hi, 0);
    fw_select(0x14);
    uint32_t len = fw_read_le(4);
    char line[64] = {0};
    fw_select(0x15);
    for (uint32_t i = 0; i < len && i < sizeof line - 1; i++)
        line[i] = (char)inb(FW_CFG_DATA);
    check_true("fwcfg-cmdline", streq(line, "fw=cfg quiet"), line);
    /* the file directory: find etc/e820, read its first entry (base, length, type) */
    fw_select(0x19);
    uint32_t count = fw_read_be32();
    uint32_t size = 0, key = 0;
    for (uint32_t f = 0; f < count; f++) {
        uint32_t fsize = fw_read_be32();
        uint32_t fkey = fw_read_be32() >> 16;
        char name[56];
        for (int i = 0; i < 56; i++)
            name[i] = (char)inb(FW_CFG_DATA);
        if (streq(name, "etc/e820")) {
            size = fsize;
            key = fkey;
        }
    }
    check_true("fwcfg-e820-listed", key != 0 && size % 20 == 0 && size > 0, "no etc/e820");
    fw_select((uint16_t)key);
    uint32_t base = fw_read_le(4), base_hi = fw_read_le(4), length = fw_read_le(4);
    fw_read_le(4);
    uint32_t type = fw_read_le(4);
    CHECK_EQ("fwcfg-e820-first-base", base | base_hi, 0);
    check_true("fwcfg-e820-first-ram", type == 1 && length >= 0x9F000, "not conventional RAM");
}

static volatile char com_line[16];
static volatile int com_len, com_done;
static volatile uint32_t com_irqs;

static void on_com2(struct frame *f)
{
    (void)f;
    com_irqs++;
    while (inb(COM2 + 5) & 0x01) {
        char c = (char)inb(COM2);
        if (c == '\n')
            com_done = 1;
        else if (com_len < 15)
            com_line[com_len++] = c;
    }
    pic_eoi(3);
}

/* xv6's uartinit, on COM2: OUT2 stays clear; then LSR, IIR and RBR are read to drop stale input. */
static void xv6_uart_init(void)
{
    outb(COM2 + 2, 0);
    outb(COM2 + 3, 0x80);
    outb(COM2 + 0, 12);
    outb(COM2 + 1, 0);
    outb(COM2 + 3, 0x03);
    outb(COM2 + 4, 0);
    outb(COM2 + 1, 0x01);
    (void)inb(COM2 + 5);
    (void)inb(COM2 + 2);
    (void)inb(COM2 + 0);
}

static const char keymap[] = "\0\0331234567890-=\b\tqwertyuiop[]\n\0asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ";
static volatile char kbd_line[16];
static volatile int kbd_len, kbd_done, kbd_shift;

static void on_kbd(struct frame *f)
{
    (void)f;
    uint8_t sc = inb(0x60);
    if (sc == 0x2A || sc == 0xAA) {
        kbd_shift = sc == 0x2A;
    } else if (!(sc & 0x80) && sc < sizeof keymap - 1) {
        char c = keymap[sc];
        if (c == '\n')
            kbd_done = 1;
        else if (c && kbd_len < 15)
            kbd_line[kbd_len++] = (kbd_shift && c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
    }
    pic_eoi(1);
}

static void kbc_wait_input(void) { while (inb(0x64) & 0x02) {} }

/* Controller self test, first thing (keys typed ahead come 10 ms after power-on on jx86). */
static uint8_t kbc_self_test(void)
{
    while (inb(0x64) & 0x01)
        (void)inb(0x60);
    kbc_wait_input();
    outb(0x64, 0xAA);
    while (!(inb(0x64) & 0x01)) {}
    return inb(0x60);
}

static void kbd_checks(void)
{
    idt_set_handler(PIC_BASE + 1, on_kbd);
    pic_unmask(1);
    while (!kbd_done)
        __asm__ volatile("sti; hlt; cli");
    kbd_line[kbd_len] = 0;
    check_true("kbd-line", streq((const char *)kbd_line, "Hi jx86"), (const char *)kbd_line);
}

int guest_main(void)
{
    uint8_t self_test = kbc_self_test();
    guest_setup();
    pic_init();
    CHECK_EQ("kbc-self-test", self_test, 0x55);
    fw_cfg_checks();
    idt_set_handler(PIC_BASE + 3, on_com2);
    xv6_uart_init();
    pic_unmask(3);
    while (!com_done)
        __asm__ volatile("sti; hlt; cli");
    com_line[com_len] = 0;
    check_true("com2-out2-clear-line", streq((const char *)com_line, "ls"), (const char *)com_line);
    check_true("com2-irqs", com_irqs >= 1, "no interrupt");
    kbd_checks();
    return check_done();
}
