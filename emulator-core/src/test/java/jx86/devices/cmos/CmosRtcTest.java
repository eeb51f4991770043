package jx86.devices.cmos;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.bus.IoBus;
import jx86.bus.IrqLine;
import jx86.bus.IrqSink;
import jx86.clock.VirtualClock;
import org.junit.jupiter.api.Test;

class CmosRtcTest {
    private static final long HZ = 100_000_000L;
    private final VirtualClock clock = new VirtualClock();
    private final IoBus bus = new IoBus();
    private int risingEdges;
    private boolean irqLevel;
    private final IrqLine irq8 = new IrqLine(new IrqSink[] {(line, level) -> {
        irqLevel = level;
        if (level) {
            risingEdges++;
        }
    }}, new int[] {8});

    private CmosRtc rtc(long ramBytes, long start) {
        CmosRtc rtc = new CmosRtc(clock, irq8, ramBytes, start);
        rtc.attach(bus);
        return rtc;
    }

    private CmosRtc rtc() {
        return rtc(128 << 20, CmosRtc.DEFAULT_START_EPOCH);
    }

    private int read(int reg) {
        bus.out(0x70, 1, reg);
        return bus.in(0x71, 1);
    }

    private void write(int reg, int value) {
        bus.out(0x70, 1, reg);
        bus.out(0x71, 1, value);
    }

    private void runTo(long cycle) {
        clock.cycles = cycle;
        clock.runDueEvents();
    }

    @Test
    void defaultStart_reads2026_01_01MidnightInBcd() {
        rtc();
        assertThat(read(0x00)).isZero();
        assertThat(read(0x02)).isZero();
        assertThat(read(0x04)).isZero();
        assertThat(read(0x07)).isEqualTo(0x01);
        assertThat(read(0x08)).isEqualTo(0x01);
        assertThat(read(0x09)).isEqualTo(0x26);
        assertThat(read(0x32)).isEqualTo(0x20);
        assertThat(read(0x06)).isEqualTo(5); // Thursday
    }

    @Test
    void virtualTime_advancesTheClock() {
        rtc();
        runTo(3661 * HZ + HZ / 2);
        assertThat(read(0x04)).isEqualTo(0x01);
        assertThat(read(0x02)).isEqualTo(0x01);
        assertThat(read(0x00)).isEqualTo(0x01);
        runTo(86400L * 31 * HZ); // 2026-02-01
        assertThat(read(0x08)).isEqualTo(0x02);
        assertThat(read(0x07)).isEqualTo(0x01);
    }

    @Test
    void binaryMode_readsPlainNumbers() {
        rtc(128 << 20, CmosRtc.DEFAULT_START_EPOCH + 23 * 3600 + 59 * 60 + 45);
        write(0x0B, 0x06);
        assertThat(read(0x04)).isEqualTo(23);
        assertThat(read(0x02)).isEqualTo(59);
        assertThat(read(0x00)).isEqualTo(45);
        assertThat(read(0x09)).isEqualTo(26);
    }

    @Test
    void twelveHourMode_setsPmBit() {
        rtc(128 << 20, CmosRtc.DEFAULT_START_EPOCH + 13 * 3600 + 5 * 60);
        write(0x0B, 0x00);
        assertThat(read(0x04)).isEqualTo(0x81);
        write(0x0B, 0x04); // binary 12 h
        assertThat(read(0x04)).isEqualTo(0x81);
    }

    @Test
    void twelveHourMode_midnightReadsTwelveAm() {
        rtc();
        write(0x0B, 0x00);
        assertThat(read(0x04)).isEqualTo(0x12);
    }

    @Test
    void setBit_holdsTimeAndCommitsOnClear() {
        rtc();
        write(0x0B, 0x82);
        write(0x04, 0x10);
        write(0x02, 0x20);
        write(0x00, 0x30);
        write(0x07, 0x15);
        write(0x08, 0x06);
        write(0x09, 0x27);
        runTo(5 * HZ); // frozen while SET
        assertThat(read(0x00)).isEqualTo(0x30);
        write(0x0B, 0x02);
        runTo(7 * HZ);
        assertThat(read(0x00)).isEqualTo(0x32);
        assertThat(read(0x02)).isEqualTo(0x20);
        assertThat(read(0x04)).isEqualTo(0x10);
        assertThat(read(0x07)).isEqualTo(0x15);
        assertThat(read(0x08)).isEqualTo(0x06);
        assertThat(read(0x09)).isEqualTo(0x27);
        assertThat(read(0x06)).isEqualTo(3); // 2027-06-15 is a Tuesday
    }

    @Test
    void writeWithoutSet_movesClockImmediately() {
        rtc();
        write(0x02, 0x45);
        runTo(HZ);
        assertThat(read(0x02)).isEqualTo(0x45);
        assertThat(read(0x00)).isEqualTo(0x01);
    }

    @Test
    void periodicInterrupt_at1024Hz_gives1024EdgesPerSecond() {
        rtc();
        write(0x0A, 0x26);
        write(0x0B, 0x42);
        while (clock.nextEventAt <= HZ) {
            runTo(clock.nextEventAt);
            assertThat(read(0x0C) & 0xC0).isEqualTo(0xC0); // IRQF and PF; reading acknowledges
        }
        assertThat(risingEdges).isEqualTo(1024);
    }

    @Test
    void periodicInterrupt_rate15_isTwoHz() {
        rtc();
        write(0x0A, 0x2F);
        write(0x0B, 0x42);
        while (clock.nextEventAt <= 10 * HZ) {
            runTo(clock.nextEventAt);
            read(0x0C);
        }
        assertThat(risingEdges).isEqualTo(20);
    }

    @Test
    void registerC_unreadKeepsIrqHighAndReadClears() {
        rtc();
        write(0x0B, 0x42);
        runTo(HZ / 100);
        assertThat(irqLevel).isTrue();
        assertThat(risingEdges).isEqualTo(1);
        assertThat(read(0x0C)).isEqualTo(0xC0);
        assertThat(irqLevel).isFalse();
        assertThat(read(0x0C)).isZero();
    }

    @Test
    void periodicFlag_reportedWithoutPie() {
        rtc();
        runTo(HZ / 100);
        assertThat(read(0x0C)).isEqualTo(0x40);
        assertThat(risingEdges).isZero();
    }

    @Test
    void updateEndedInterrupt_oncePerSecond() {
        rtc();
        write(0x0B, 0x12);
        runTo(HZ - 1);
        assertThat(risingEdges).isZero();
        runTo(HZ);
        assertThat(read(0x0C) & 0x90).isEqualTo(0x90); // PF is also set: RS is still 1024 Hz
        runTo(3 * HZ);
        assertThat(risingEdges).isEqualTo(2);
    }

    @Test
    void alarm_firesWhenSecondsMatch_withDontCareHourAndMinute() {
        rtc();
        write(0x01, 0x05);
        write(0x03, 0xFF);
        write(0x05, 0xC0);
        write(0x0B, 0x22);
        runTo(4 * HZ);
        assertThat(risingEdges).isZero();
        runTo(5 * HZ);
        assertThat(risingEdges).isEqualTo(1);
        assertThat(read(0x0C) & 0xA0).isEqualTo(0xA0);
    }

    @Test
    void updateInProgress_setOnlyInLast244Microseconds() {
        rtc();
        runTo(HZ / 2);
        assertThat(read(0x0A)).isEqualTo(0x26);
        runTo(HZ - 24_400 + 1);
        assertThat(read(0x0A)).isEqualTo(0xA6);
    }

    @Test
    void registerD_reportsValidRam() {
        rtc();
        assertThat(read(0x0D)).isEqualTo(0x80);
    }

    @Test
    void memorySizes_for128MiB() {
        rtc();
        assertThat(read(0x15) | read(0x16) << 8).isEqualTo(640);
        assertThat(read(0x17) | read(0x18) << 8).isEqualTo(0xFFFF);
        assertThat(read(0x30) | read(0x31) << 8).isEqualTo(0xFFFF);
        assertThat(read(0x34) | read(0x35) << 8).isEqualTo(112 * 16);
    }

    @Test
    void memorySizes_for3GiB_countThe64KiBBlocksAbove16MiBWithoutOverflow() {
        rtc(3L << 30, 0);
        assertThat(read(0x17) | read(0x18) << 8).isEqualTo(0xFFFF);
        assertThat(read(0x30) | read(0x31) << 8).isEqualTo(0xFFFF);
        assertThat(read(0x34) | read(0x35) << 8).isEqualTo((3072 - 16) * 16);   // 0xBF00
    }

    @Test
    void memorySizes_for32MiB() {
        rtc(32 << 20, 0);
        assertThat(read(0x17) | read(0x18) << 8).isEqualTo(31 * 1024);
        assertThat(read(0x34) | read(0x35) << 8).isEqualTo(256);
    }

    @Test
    void checksum_coversBytes0x10To0x2D() {
        CmosRtc rtc = rtc(32 << 20, 0);
        assertThat(checksum()).isEqualTo(read(0x2E) << 8 | read(0x2F));
        rtc.setNvram(0x10, 0x40);
        assertThat(checksum()).isEqualTo(read(0x2E) << 8 | read(0x2F));
        // 0x10 = 0x40, 0x14 = 0x02, 0x15/0x16 = 0x80/0x02, 0x17/0x18 = 0x00/0x7C (0x30-0x35 are outside)
        assertThat(checksum()).isEqualTo(0x40 + 0x02 + 0x80 + 0x02 + 0x00 + 0x7C);
    }

    private int checksum() {
        int sum = 0;
        for (int i = 0x10; i <= 0x2D; i++) {
            sum += read(i);
        }
        return sum;
    }

    @Test
    void nvram_generalPurposeBytesAreStorage() {
        rtc();
        write(0x40, 0x5A);
        assertThat(read(0x40)).isEqualTo(0x5A);
    }

    @Test
    void indexPort_bit7_masksNmi() {
        CmosRtc rtc = rtc();
        bus.out(0x70, 1, 0x8F);
        assertThat(rtc.nmiMasked()).isTrue();
        bus.out(0x70, 1, 0x0F);
        assertThat(rtc.nmiMasked()).isFalse();
    }

    @Test
    void daysFromCivil_knownDates() {
        assertThat(CmosRtc.daysFromCivil(1970, 1, 1)).isZero();
        assertThat(CmosRtc.daysFromCivil(2026, 1, 1)).isEqualTo(20454);
        assertThat(CmosRtc.daysFromCivil(2000, 3, 1)).isEqualTo(11017);
    }
}
