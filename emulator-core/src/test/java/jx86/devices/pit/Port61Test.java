package jx86.devices.pit;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.bus.IoBus;
import jx86.bus.IrqLine;
import jx86.clock.VirtualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Port61Test {
    private final VirtualClock clock = new VirtualClock();
    private final IoBus bus = new IoBus();
    private I8254 pit;

    @BeforeEach
    void setUp() {
        pit = new I8254(clock, IrqLine.unconnected());
        pit.attach(bus);
    }

    /** First 100 MHz cycle at which {@code ticks} PIT clocks have elapsed. */
    private void runToTick(long ticks) {
        clock.cycles = (ticks * 100_000_000L + 1_193_181L) / 1_193_182L;
        clock.runDueEvents();
    }

    @Test
    void refreshBit_togglesEvery18PitClocks() {
        runToTick(17);
        assertThat(bus.in(0x61, 1) & 0x10).isZero();
        runToTick(18);
        assertThat(bus.in(0x61, 1) & 0x10).isEqualTo(0x10);
        runToTick(35);
        assertThat(bus.in(0x61, 1) & 0x10).isEqualTo(0x10);
        runToTick(36);
        assertThat(bus.in(0x61, 1) & 0x10).isZero();
    }

    @Test
    void controlBits_readBackAndDriveGate2() {
        assertThat(bus.in(0x61, 1) & 0x0F).isZero();
        assertThat(pit.gate(2)).isFalse();
        bus.out(0x61, 1, 0xF3);
        assertThat(bus.in(0x61, 1) & 0x0F).isEqualTo(0x03);
        assertThat(pit.gate(2)).isTrue();
        assertThat(pit.port61().speakerEnabled()).isTrue();
        bus.out(0x61, 1, 0x00);
        assertThat(pit.gate(2)).isFalse();
    }

    @Test
    void bit5_followsCounter2Out() {
        bus.out(0x61, 1, 0x01);
        bus.out(0x43, 1, 0xB0); // counter 2, mode 0: OUT low until terminal count
        bus.out(0x42, 1, 10);
        bus.out(0x42, 1, 0);
        assertThat(bus.in(0x61, 1) & 0x20).isZero();
        runToTick(10);
        assertThat(bus.in(0x61, 1) & 0x20).isEqualTo(0x20);
    }
}
