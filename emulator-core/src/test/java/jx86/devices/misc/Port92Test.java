package jx86.devices.misc;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.bus.IoBus;
import jx86.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;

class Port92Test {
    private final IoBus bus = new IoBus();
    private final PhysicalMemory memory = new PhysicalMemory(2 << 20);
    private int resets;

    private Port92 port() {
        Port92 p = new Port92(A20Gate.of(memory), () -> resets++);
        p.attach(bus);
        return p;
    }

    @Test
    void bit1_controlsA20AndReadsBack() {
        port();
        bus.out(0x92, 1, 0x00);
        assertThat(memory.a20Enabled()).isFalse();
        assertThat(bus.in(0x92, 1) & 0x02).isZero();
        bus.out(0x92, 1, 0x02);
        assertThat(memory.a20Enabled()).isTrue();
        assertThat(bus.in(0x92, 1) & 0x02).isEqualTo(0x02);
    }

    @Test
    void bit1_reflectsA20ChangedElsewhere() {
        port();
        memory.setA20(false);
        assertThat(bus.in(0x92, 1) & 0x02).isZero();
    }

    @Test
    void bit0_risingEdgeRequestsReset() {
        port();
        bus.out(0x92, 1, 0x03);
        assertThat(resets).isEqualTo(1);
        bus.out(0x92, 1, 0x03);
        assertThat(resets).isEqualTo(1);
        bus.out(0x92, 1, 0x02);
        bus.out(0x92, 1, 0x03);
        assertThat(resets).isEqualTo(2);
        assertThat(bus.in(0x92, 1) & 0x01).isEqualTo(1);
    }
}
