package jx86.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualClockTest {
    @Test
    void timers_fireInDeadlineOrderThenCreationOrder() {
        VirtualClock clock = new VirtualClock();
        List<String> fired = new ArrayList<>();
        VirtualClock.Timer a = clock.newTimer("a", () -> fired.add("a"));
        VirtualClock.Timer b = clock.newTimer("b", () -> fired.add("b"));
        VirtualClock.Timer c = clock.newTimer("c", () -> fired.add("c"));
        c.setDeadline(100);
        b.setDeadline(50);
        a.setDeadline(100);
        clock.cycles = 99;
        clock.runDueEvents();
        assertThat(fired).containsExactly("b");
        clock.cycles = 100;
        clock.runDueEvents();
        assertThat(fired).containsExactly("b", "a", "c");
        assertThat(clock.nextEventAt).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void periodicTimer_rearmedFromItsCallback_firesOncePerPeriod() {
        VirtualClock clock = new VirtualClock();
        int[] count = {0};
        VirtualClock.Timer[] t = new VirtualClock.Timer[1];
        t[0] = clock.newTimer("tick", () -> {
            count[0]++;
            t[0].setDeadline(t[0].deadline() + 1000);
        });
        t[0].setDeadline(1000);
        clock.cycles = 10_500;
        clock.runDueEvents();
        assertThat(count[0]).isEqualTo(10);
        assertThat(clock.nextEventAt).isEqualTo(11_000);
    }

    @Test
    void skipToNextEvent_jumpsForwardOnlyWhenATimerIsArmed() {
        VirtualClock clock = new VirtualClock();
        assertThat(clock.skipToNextEvent()).isFalse();
        clock.newTimer("x", () -> { }).setDeadline(5000);
        assertThat(clock.skipToNextEvent()).isTrue();
        assertThat(clock.cycles).isEqualTo(5000);
    }

    @Test
    void deviceTickConversion_roundTripsThePitFrequency() {
        VirtualClock clock = new VirtualClock();
        long pitHz = 1_193_182;
        assertThat(clock.toDeviceTicks(100_000_000L, pitHz)).isEqualTo(pitHz);
        assertThat(clock.fromDeviceTicks(pitHz, pitHz)).isEqualTo(100_000_000L);
        clock.cycles = 150_000_000L;
        assertThat(clock.nanos()).isEqualTo(1_500_000_000L);
    }
}
