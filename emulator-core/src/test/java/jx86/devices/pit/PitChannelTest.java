package jx86.devices.pit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PitChannelTest {
    @Test
    void bcdConversions() {
        assertThat(PitChannel.fromBcd(0x1234)).isEqualTo(1234);
        assertThat(PitChannel.toBcd(9876)).isEqualTo(0x9876);
        assertThat(PitChannel.toBcd(5)).isEqualTo(0x0005);
    }

    @Test
    void mode3_oddCount_outHighForOneMoreClock() {
        PitChannel c = new PitChannel();
        c.control(0x36);
        c.writeCount(5, 0);
        c.writeCount(0, 0);
        // Count 5: high for 3 clocks, low for 2.
        assertThat(c.out(2)).isTrue();
        assertThat(c.out(3)).isFalse();
        assertThat(c.out(4)).isFalse();
        assertThat(c.out(5)).isTrue();
        assertThat(c.nextEdge(0)).isEqualTo(3);
        assertThat(c.nextEdgeKind()).isEqualTo(PitChannel.FALL);
        assertThat(c.nextEdge(3)).isEqualTo(5);
        assertThat(c.nextEdgeKind()).isEqualTo(PitChannel.RISE);
    }

    @Test
    void mode0_firstByteOfTwoStopsCounting() {
        PitChannel c = new PitChannel();
        c.control(0x30);
        c.writeCount(100, 0);
        c.writeCount(0, 0);
        c.writeCount(50, 30); // LSB of a new count: the counter holds at 70
        assertThat(c.value(60)).isEqualTo(70);
        c.writeCount(0, 60);
        assertThat(c.value(70)).isEqualTo(40);
    }

    @Test
    void controlWord_modes6And7_areAliasesOf2And3() {
        PitChannel c = new PitChannel();
        c.control(0x3C); // mode 6
        assertThat(c.mode()).isEqualTo(2);
        c.control(0x3E); // mode 7
        assertThat(c.mode()).isEqualTo(3);
    }
}
