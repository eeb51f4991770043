/* ata-pio.c: polled PIO on the primary ATA channel (0x1F0-0x1F7, control 0x3F6), master drive, LBA28
 * (ATA/ATAPI-6: IDENTIFY DEVICE 0xEC, READ SECTORS 0x20, WRITE SECTORS 0x30, FLUSH CACHE 0xE7).
 * The disk is expected to hold the pattern byte(lba, j) = j + 3 * lba for sectors 0..READ_SECTORS-1;
 * sector WRITE_LBA is overwritten with written(j) = 0xA5 ^ j ^ (j >> 8), which the JUnit test then
 * finds in the image file. */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"

#define ATA 0x1F0
#define ATA_CTRL 0x3F6
#define ST_ERR 0x01
#define ST_DRQ 0x08
#define ST_DF 0x20
#define ST_BSY 0x80
#define READ_SECTORS 8
#define WRITE_LBA 20

static uint16_t buf[READ_SECTORS * 256];

static uint8_t wait_not_busy(void)
{
    uint8_t st;
    for (uint32_t i = 0; i < 10000000; i++) {
        st = inb(ATA + 7);
        if (!(st & ST_BSY))
            return st;
    }
    return 0xFF;
}

static int wait_drq(void)
{
    uint8_t st = wait_not_busy();
    return st != 0xFF && !(st & (ST_ERR | ST_DF)) && (st & ST_DRQ);
}

static void command(uint32_t lba, uint8_t count, uint8_t cmd)
{
    wait_not_busy();
    outb(ATA + 6, (uint8_t)(0xE0 | ((lba >> 24) & 0x0F)));   /* LBA mode, master */
    outb(ATA + 2, count);
    outb(ATA + 3, (uint8_t)lba);
    outb(ATA + 4, (uint8_t)(lba >> 8));
    outb(ATA + 5, (uint8_t)(lba >> 16));
    outb(ATA + 7, cmd);
}

static void read_words(uint16_t *dst, uint32_t n)
{
    __asm__ volatile("cld; rep insw" : "+D"(dst), "+c"(n) : "d"(ATA) : "memory");
}

static void write_words(const uint16_t *src, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)        /* one OUTSW per word, like drivers that pace the device */
        outw(ATA, src[i]);
}

static uint8_t written(uint32_t j)
{
    return (uint8_t)(0xA5 ^ j ^ (j >> 8));
}

int guest_main(void)
{
    guest_setup();
    outb(ATA_CTRL, 0x02);                   /* nIEN: polled, no IRQ14 */

    command(0, 0, 0xEC);
    int ok = wait_drq();
    check_true("identify-drq", ok, "no data after IDENTIFY");
    if (ok)
        read_words(buf, 256);
    CHECK_EQ("identify-ata-device", buf[0] & 0x8000, 0);
    CHECK_EQ("identify-lba-supported", buf[49] & 0x0200, 0x0200);
    check_info_dec("lba28-sectors", buf[60] | ((uint32_t)buf[61] << 16));
    char model[41];
    for (int i = 0; i < 20; i++) {          /* the string is stored high byte first in each word */
        model[2 * i] = (char)(buf[27 + i] >> 8);
        model[2 * i + 1] = (char)buf[27 + i];
    }
    model[40] = 0;
    serial_puts("info model=");
    serial_puts(model);
    serial_puts("\n");

    command(0, READ_SECTORS, 0x20);
    int drq = 1;
    for (int s = 0; s < READ_SECTORS; s++) { /* DRQ is raised again for every sector */
        if (!wait_drq()) {
            drq = 0;
            break;
        }
        read_words(buf + s * 256, 256);
    }
    check_true("read-drq-per-sector", drq, "DRQ missing");
    uint32_t bad = 0xFFFFFFFF, hash = 2166136261u;
    const uint8_t *bytes = (const uint8_t *)buf;
    for (uint32_t i = 0; i < READ_SECTORS * 512; i++) {
        if (bytes[i] != (uint8_t)((i & 511) + 3 * (i >> 9)) && bad == 0xFFFFFFFF)
            bad = i;
        hash = (hash ^ bytes[i]) * 16777619u;
    }
    CHECK_EQ("read-pattern-first-mismatch", bad, 0xFFFFFFFF);
    check_info("read-fnv1a", hash);
    CHECK_EQ("status-after-read", inb(ATA + 7) & (ST_BSY | ST_DRQ | ST_ERR), 0);

    for (uint32_t j = 0; j < 512; j += 2)
        buf[j / 2] = (uint16_t)(written(j) | (written(j + 1) << 8));
    command(WRITE_LBA, 1, 0x30);
    check_true("write-drq", wait_drq(), "no DRQ for WRITE SECTORS");
    write_words(buf, 256);
    uint8_t st = wait_not_busy();
    CHECK_EQ("write-status", st & (ST_ERR | ST_DF | ST_DRQ), 0);
    command(0, 0, 0xE7);
    CHECK_EQ("flush-status", wait_not_busy() & (ST_ERR | ST_DF), 0);

    memset(buf, 0, 512);
    command(WRITE_LBA, 1, 0x20);
    if (wait_drq())
        read_words(buf, 256);
    bad = 0xFFFFFFFF;
    for (uint32_t j = 0; j < 512; j++)
        if (bytes[j] != written(j) && bad == 0xFFFFFFFF)
            bad = j;
    CHECK_EQ("write-readback-first-mismatch", bad, 0xFFFFFFFF);
    return check_done();
}
