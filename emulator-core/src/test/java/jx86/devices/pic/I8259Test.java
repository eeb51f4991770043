package jx86.devices.pic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class I8259Test {
    private static I8259 singleChip(int base, int icw4) {
        I8259 pic = new I8259(false);
        pic.write(0, 0x13); // ICW1: edge, single, ICW4 needed
        pic.write(1, base);
        pic.write(1, icw4); // no ICW3 in single mode
        return pic;
    }

    @Test
    void singleMode_skipsIcw3() {
        I8259 pic = singleChip(0x40, 0x01);
        assertThat(pic.initializing()).isFalse();
        assertThat(pic.vectorBase()).isEqualTo(0x40);
        pic.write(1, 0x5A);
        assertThat(pic.imr()).isEqualTo(0x5A);
    }

    @Test
    void withoutIcw4_initEndsAfterIcw3() {
        I8259 pic = new I8259(true);
        pic.write(0, 0x10);
        pic.write(1, 0x08);
        pic.write(1, 0x04);
        assertThat(pic.initializing()).isFalse();
        assertThat(pic.icw3()).isEqualTo(0x04);
    }

    @Test
    void icw1_clearsMaskIsrAndEdgeRequests() {
        I8259 pic = singleChip(0x40, 0x01);
        pic.write(1, 0xFF);
        pic.setInput(3, true);
        pic.write(0, 0x13);
        assertThat(pic.imr()).isZero();
        assertThat(pic.irr()).isZero();
        // The line is still high: it needs a new rising edge after ICW1.
        pic.write(1, 0x40);
        pic.write(1, 0x01);
        assertThat(pic.pendingIrq()).isEqualTo(-1);
    }

    @Test
    void rotateOnSpecificEoi_setsLowestPriority() {
        I8259 pic = singleChip(0x40, 0x01);
        pic.setInput(5, true);
        pic.acknowledge(pic.pendingIrq());
        pic.write(0, 0xE5); // rotate on specific EOI, level 5
        assertThat(pic.isr()).isZero();
        pic.setInput(4, true);
        pic.setInput(6, true);
        assertThat(pic.pendingIrq()).isEqualTo(6);
    }

    @Test
    void ocw2_nop_changesNothing() {
        I8259 pic = singleChip(0x40, 0x01);
        pic.setInput(1, true);
        pic.acknowledge(1);
        pic.write(0, 0x40);
        assertThat(pic.isr()).isEqualTo(0x02);
    }
}
