/* rtc.c: the MC146818 real-time clock in the CMOS (ports 0x70/0x71): the wall-clock time at boot. */
#include "defs.h"
#include "x86.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71

static uint32_t boottime;    /* seconds since 1970-01-01 UTC */

static uint8_t cmos(uint8_t reg) {
  outb(CMOS_INDEX, reg);
  return inb(CMOS_DATA);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint32_t days(uint32_t y, uint32_t m, uint32_t d) {
  static const uint16_t before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  uint32_t leaps = (y - 1969) / 4 - (y - 1901) / 100 + (y - 1601) / 400;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return (y - 1970) * 365 + leaps + before[m - 1] + (leap && m > 2) + d - 1;
}

void rtcinit(void) {
  for (int i = 0; i < 100000 && (cmos(0x0A) & 0x80); i++)
    ;                        /* an update is in progress: wait for it to finish */
  uint8_t sec = cmos(0x00), min = cmos(0x02), hour = cmos(0x04);
  uint8_t day = cmos(0x07), mon = cmos(0x08), year = cmos(0x09), b = cmos(0x0B);
  if (!(b & 0x04)) {         /* BCD */
#define BIN(x) (((x) & 0x0F) + ((x) >> 4) * 10)
    sec = BIN(sec), min = BIN(min), hour = BIN(hour & 0x7F) | (hour & 0x80);
    day = BIN(day), mon = BIN(mon), year = BIN(year);
  }
  if (!(b & 0x02))           /* 12-hour mode: bit 7 = PM, 12 means 0 */
    hour = (hour & 0x7F) % 12 + ((hour & 0x80) ? 12 : 0);
  if (mon < 1 || mon > 12 || day < 1 || day > 31)
    return;                  /* no RTC (or garbage): stay at 1970 */
  boottime = days(2000 + year, mon, day) * 86400 + hour * 3600 + min * 60 + sec;
}

uint32_t boot_time(void) {
  return boottime;
}
