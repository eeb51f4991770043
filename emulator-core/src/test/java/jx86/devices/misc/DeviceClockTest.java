package jx86.devices.misc;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.clock.VirtualClock;
import org.junit.jupiter.api.Test;

class DeviceClockTest {
    private final VirtualClock clock = new VirtualClock(100_000_000L);
    private final DeviceClock pit = new DeviceClock(clock, 1_193_182L);

    @Test
    void ticksAt_isFloorOfCyclesTimesRatio() {
        // 84 cycles * 1193182 / 1e8 = 1.0027 -> 1 tick; 83 cycles = 0.9903 -> 0
        assertThat(pit.ticksAt(83)).isZero();
        assertThat(pit.ticksAt(84)).isEqualTo(1);
        assertThat(pit.ticksAt(100_000_000L)).isEqualTo(1_193_182L);
    }

    @Test
    void cycleOfTick_isFirstCycleReachingTheTick() {
        assertThat(pit.cycleOfTick(1)).isEqualTo(84);
        assertThat(pit.cycleOfTick(1_193_182L)).isEqualTo(100_000_000L);
    }

    @Test
    void conversions_stayExactAfterDaysOfVirtualTime() {
        long tick = 1_193_182L * 86_400L * 30 + 12_345;
        long cycle = pit.cycleOfTick(tick);
        assertThat(pit.ticksAt(cycle)).isEqualTo(tick);
        assertThat(pit.ticksAt(cycle - 1)).isEqualTo(tick - 1);
    }
}
