package jx86.devices.pit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import jx86.bus.IoBus;
import jx86.bus.IrqLine;
import jx86.bus.IrqSink;
import jx86.clock.VirtualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class I8254Test {
    private final VirtualClock clock = new VirtualClock();
    private final IoBus bus = new IoBus();
    private final List<Boolean> levels = new ArrayList<>();
    private int risingEdges;
    private I8254 pit;

    @BeforeEach
    void setUp() {
        IrqSink sink = (line, level) -> {
            levels.add(level);
            if (level) {
                risingEdges++;
            }
        };
        pit = new I8254(clock, new IrqLine(new IrqSink[] {sink}, new int[] {0}));
        pit.attach(bus);
    }

    /** The first cycle (100 MHz) at which {@code ticks} PIT clocks (1193182 Hz) have elapsed. */
    private static long cycleOfTick(long ticks) {
        return (ticks * 100_000_000L + 1_193_181L) / 1_193_182L;
    }

    private void runToTick(long ticks) {
        clock.cycles = cycleOfTick(ticks);
        clock.runDueEvents();
    }

    private void program(int channel, int cw, int count) {
        bus.out(0x43, 1, cw);
        bus.out(0x40 + channel, 1, count & 0xFF);
        bus.out(0x40 + channel, 1, count >>> 8);
    }

    private int latchAndRead(int channel) {
        bus.out(0x43, 1, channel << 6);
        int lo = bus.in(0x40 + channel, 1);
        int hi = bus.in(0x40 + channel, 1);
        return lo | hi << 8;
    }

    @Test
    void mode0_countsDownAndRaisesOutAtZero() {
        program(0, 0x30, 1000);
        assertThat(levels).isEmpty(); // OUT low, and the line was already low
        runToTick(300);
        assertThat(latchAndRead(0)).isEqualTo(700);
        assertThat(risingEdges).isZero();
        runToTick(999);
        assertThat(pit.output(0)).isFalse();
        runToTick(1000);
        assertThat(pit.output(0)).isTrue();
        assertThat(risingEdges).isEqualTo(1);
        runToTick(1010);
        assertThat(latchAndRead(0)).isEqualTo(0x10000 - 10); // wraps, OUT stays high
        assertThat(risingEdges).isEqualTo(1);
    }

    @Test
    void mode2_reloadsEveryPeriod() {
        program(0, 0x34, 100);
        runToTick(30);
        assertThat(latchAndRead(0)).isEqualTo(70);
        runToTick(100);
        assertThat(latchAndRead(0)).isEqualTo(100);
        runToTick(199);
        assertThat(latchAndRead(0)).isEqualTo(1);
        assertThat(pit.output(0)).isFalse(); // low for the one clock at count 1
        runToTick(250);
        assertThat(risingEdges).isEqualTo(3); // programming (low to high) + ticks 100 and 200
    }

    @Test
    void mode2_irqEdge_atExactlyEachMultipleOfTheCount() {
        program(0, 0x34, 100);
        levels.clear();
        runToTick(99);
        assertThat(levels).isEmpty();
        runToTick(100);
        assertThat(levels).containsExactly(false, true);
        runToTick(199);
        assertThat(levels).hasSize(2);
        runToTick(200);
        assertThat(levels).hasSize(4);
        // The timer is armed for the first cycle of tick 300 and no earlier.
        assertThat(clock.nextEventAt).isEqualTo(cycleOfTick(300));
    }

    @Test
    void mode3_irqLine_fallsAtHalfAndRisesAtFullPeriod() {
        program(0, 0x36, 100);
        levels.clear();
        runToTick(49);
        assertThat(levels).isEmpty();
        runToTick(50);
        assertThat(levels).containsExactly(false);
        runToTick(99);
        assertThat(levels).containsExactly(false);
        runToTick(100);
        assertThat(levels).containsExactly(false, true);
    }

    @Test
    void mode3_squareWave_countsByTwo() {
        program(0, 0x36, 100);
        runToTick(10);
        assertThat(latchAndRead(0)).isEqualTo(80);
        assertThat(pit.output(0)).isTrue();
        runToTick(49);
        assertThat(pit.output(0)).isTrue();
        runToTick(50);
        assertThat(pit.output(0)).isFalse();
        runToTick(100);
        assertThat(pit.output(0)).isTrue();
    }

    @Test
    void irq0_at11932_gives99EdgesInOneSecondAnd100InTheNext() {
        // 1193182 / 11932 = 99.998 Hz: edges at k*11932 ticks, k = 1..99 fall within the first second.
        program(0, 0x34, 11932);
        int afterProgramming = risingEdges;
        clock.cycles = 100_000_000L;
        clock.runDueEvents();
        assertThat(risingEdges - afterProgramming).isEqualTo(99);
        clock.cycles = 200_000_000L;
        clock.runDueEvents();
        // floor(2 * 1193182 / 11932) = 199
        assertThat(risingEdges - afterProgramming).isEqualTo(199);
    }

    @Test
    void irq0_mode3_at11931_gives100EdgesPerSecond_steppingEventByEvent() {
        bus.out(0x43, 1, 0x36);
        bus.out(0x40, 1, 11931 & 0xFF);
        bus.out(0x40, 1, 11931 >>> 8);
        int before = risingEdges;
        while (clock.nextEventAt <= 100_000_000L) {
            clock.cycles = clock.nextEventAt;
            clock.runDueEvents();
        }
        // floor(1193182 / 11931) = 100
        assertThat(risingEdges - before).isEqualTo(100);
    }

    @Test
    void mode4_strobesOnceAfterCountPlusOne() {
        program(0, 0x38, 10);
        assertThat(pit.output(0)).isTrue();
        levels.clear();
        runToTick(10);
        assertThat(pit.output(0)).isFalse();
        assertThat(levels).isEmpty();
        runToTick(11);
        assertThat(levels).containsExactly(false, true);
        runToTick(5000);
        assertThat(levels).containsExactly(false, true);
    }

    @Test
    void mode1_onChannel2_startsOnGateRisingEdgeFromPort61() {
        program(2, 0xB2, 50);
        runToTick(100);
        assertThat(bus.in(0x61, 1) & 0x20).isEqualTo(0x20); // OUT high until triggered
        bus.out(0x61, 1, 0x01);
        assertThat(bus.in(0x61, 1) & 0x21).isEqualTo(0x01); // OUT low while counting
        runToTick(130);
        assertThat(latchAndRead(2)).isEqualTo(20);
        runToTick(150);
        assertThat(bus.in(0x61, 1) & 0x20).isEqualTo(0x20);
    }

    @Test
    void mode0_onChannel2_gateLowSuspendsCounting() {
        bus.out(0x61, 1, 0x01);
        program(2, 0xB0, 100);
        runToTick(40);
        bus.out(0x61, 1, 0x00);
        runToTick(500);
        assertThat(latchAndRead(2)).isEqualTo(60);
        bus.out(0x61, 1, 0x01);
        runToTick(559);
        assertThat(bus.in(0x61, 1) & 0x20).isZero();
        runToTick(560);
        assertThat(bus.in(0x61, 1) & 0x20).isEqualTo(0x20);
    }

    @Test
    void mode5_onChannel2_strobesAfterTrigger() {
        program(2, 0xBA, 20);
        bus.out(0x61, 1, 0x01);
        runToTick(20);
        assertThat(pit.output(2)).isFalse();
        runToTick(21);
        assertThat(pit.output(2)).isTrue();
    }

    @Test
    void bcd_countsInDecimal() {
        bus.out(0x43, 1, 0x31);
        bus.out(0x40, 1, 0x00);
        bus.out(0x40, 1, 0x10); // 1000 decimal
        runToTick(1);
        assertThat(latchAndRead(0)).isEqualTo(0x0999);
        runToTick(995);
        assertThat(latchAndRead(0)).isEqualTo(0x0005);
    }

    @Test
    void bcd_zeroCount_means10000() {
        bus.out(0x43, 1, 0x31);
        bus.out(0x40, 1, 0x00);
        bus.out(0x40, 1, 0x00);
        runToTick(1);
        assertThat(latchAndRead(0)).isEqualTo(0x9999);
        runToTick(9999);
        assertThat(pit.output(0)).isFalse();
        runToTick(10000);
        assertThat(pit.output(0)).isTrue();
    }

    @Test
    void latch_freezesValueUntilRead() {
        program(0, 0x34, 1000);
        runToTick(100);
        bus.out(0x43, 1, 0x00);
        runToTick(400);
        int lo = bus.in(0x40, 1);
        int hi = bus.in(0x40, 1);
        assertThat(lo | hi << 8).isEqualTo(900);
        // After the latched count is consumed, reads follow the counter again.
        lo = bus.in(0x40, 1);
        hi = bus.in(0x40, 1);
        assertThat(lo | hi << 8).isEqualTo(600);
    }

    @Test
    void lsbOnlyAccess_readsAndWritesOneByte() {
        bus.out(0x43, 1, 0x10); // channel 0, LSB only, mode 0
        bus.out(0x40, 1, 0x20);
        runToTick(2);
        assertThat(bus.in(0x40, 1)).isEqualTo(0x1E);
        assertThat(bus.in(0x40, 1)).isEqualTo(0x1E);
    }

    @Test
    void msbOnlyAccess_countIsHighByteTimes256() {
        bus.out(0x43, 1, 0x20); // channel 0, MSB only, mode 0
        bus.out(0x40, 1, 0x02);
        runToTick(256);
        assertThat(bus.in(0x40, 1)).isEqualTo(0x01);
    }

    @Test
    void readBack_latchesStatusThenCount() {
        program(0, 0x34, 1000);
        runToTick(10);
        bus.out(0x43, 1, 0xC2); // count and status of counter 0
        runToTick(20);
        // OUT=1, null count=0, RW=3, mode 2, binary
        assertThat(bus.in(0x40, 1)).isEqualTo(0xB4);
        assertThat(bus.in(0x40, 1) | bus.in(0x40, 1) << 8).isEqualTo(990);
    }

    @Test
    void readBack_statusShowsNullCountBeforeCountWritten() {
        bus.out(0x43, 1, 0xB0);
        bus.out(0x43, 1, 0xE8); // status only, counter 2
        // OUT=0 (mode 0), null count=1, RW=3, mode 0
        assertThat(bus.in(0x42, 1)).isEqualTo(0x70);
    }

    @Test
    void controlPort_readsAllOnes() {
        assertThat(bus.in(0x43, 1)).isEqualTo(0xFF);
    }
}
