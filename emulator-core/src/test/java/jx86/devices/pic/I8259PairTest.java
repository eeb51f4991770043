package jx86.devices.pic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import jx86.bus.IoBus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class I8259PairTest {
    private final IoBus bus = new IoBus();
    private final List<Boolean> intr = new ArrayList<>();
    private I8259Pair pic;

    @BeforeEach
    void setUp() {
        pic = new I8259Pair(intr::add);
        pic.attach(bus);
    }

    /** The PC BIOS sequence: master at 0x08, slave at 0x70, 8086 mode, cascade on IR2. */
    private void initPc(int masterBase, int slaveBase, int icw4) {
        bus.out(0x20, 1, 0x11);
        bus.out(0x21, 1, masterBase);
        bus.out(0x21, 1, 0x04);
        bus.out(0x21, 1, icw4);
        bus.out(0xA0, 1, 0x11);
        bus.out(0xA1, 1, slaveBase);
        bus.out(0xA1, 1, 0x02);
        bus.out(0xA1, 1, icw4);
        bus.out(0x21, 1, 0x00);
        bus.out(0xA1, 1, 0x00);
    }

    private void eoiMaster() {
        bus.out(0x20, 1, 0x20);
    }

    private void eoiSlave() {
        bus.out(0xA0, 1, 0x20);
    }

    private int readIsr(int port) {
        bus.out(port, 1, 0x0B);
        return bus.in(port, 1);
    }

    private int readIrr(int port) {
        bus.out(port, 1, 0x0A);
        return bus.in(port, 1);
    }

    @Test
    void initSequence_setsVectorBaseAndClearsMask() {
        bus.out(0x21, 1, 0xFF);
        initPc(0x20, 0x28, 0x01);
        assertThat(bus.in(0x21, 1)).isEqualTo(0x00);
        pic.setIrq(0, true);
        assertThat(pic.output()).isTrue();
        assertThat(pic.acknowledge()).isEqualTo(0x20);
        assertThat(readIsr(0x20)).isEqualTo(0x01);
    }

    @Test
    void icw2_lowThreeBitsIgnored() {
        initPc(0x0F, 0x70, 0x01);
        pic.setIrq(1, true);
        assertThat(pic.acknowledge()).isEqualTo(0x09);
    }

    @Test
    void rising_edge_raisesIntrOnce() {
        initPc(0x08, 0x70, 0x01);
        pic.setIrq(3, true);
        assertThat(intr).containsExactly(true);
        pic.setIrq(3, false);
        assertThat(pic.output()).isTrue(); // latched in IRR
        assertThat(pic.acknowledge()).isEqualTo(0x0B);
        assertThat(intr).containsExactly(true, false);
    }

    @Test
    void lowerNumber_hasHigherPriority() {
        initPc(0x08, 0x70, 0x01);
        pic.setIrq(4, true);
        pic.setIrq(1, true);
        assertThat(pic.acknowledge()).isEqualTo(0x09);
        // IRQ4 is blocked while IRQ1 is in service.
        assertThat(pic.output()).isFalse();
        eoiMaster();
        assertThat(pic.output()).isTrue();
        assertThat(pic.acknowledge()).isEqualTo(0x0C);
    }

    @Test
    void higherPriority_nestsOverInService() {
        initPc(0x08, 0x70, 0x01);
        pic.setIrq(5, true);
        assertThat(pic.acknowledge()).isEqualTo(0x0D);
        pic.setIrq(3, true);
        assertThat(pic.output()).isTrue();
        assertThat(pic.acknowledge()).isEqualTo(0x0B);
        assertThat(readIsr(0x20)).isEqualTo(0x28);
        eoiMaster(); // non-specific: clears the highest in-service level, IRQ3
        assertThat(readIsr(0x20)).isEqualTo(0x20);
    }

    @Test
    void specificEoi_clearsNamedLevel() {
        initPc(0x08, 0x70, 0x01);
        pic.setIrq(5, true);
        pic.acknowledge();
        pic.setIrq(3, true);
        pic.acknowledge();
        bus.out(0x20, 1, 0x65); // specific EOI level 5
        assertThat(readIsr(0x20)).isEqualTo(0x08);
    }

    @Test
    void mask_blocksRequestButKeepsIrr() {
        initPc(0x08, 0x70, 0x01);
        bus.out(0x21, 1, 0x10);
        pic.setIrq(4, true);
        assertThat(pic.output()).isFalse();
        assertThat(readIrr(0x20)).isEqualTo(0x10);
        bus.out(0x21, 1, 0x00);
        assertThat(pic.output()).isTrue();
        assertThat(intr).containsExactly(true);
    }

    @Test
    void slaveRequest_cascadesThroughIr2() {
        initPc(0x08, 0x70, 0x01);
        pic.setIrq(12, true);
        assertThat(readIrr(0xA0)).isEqualTo(0x10);
        assertThat(readIrr(0x20)).isEqualTo(0x04);
        assertThat(pic.acknowledge()).isEqualTo(0x74);
        assertThat(readIsr(0x20)).isEqualTo(0x04);
        assertThat(readIsr(0xA0)).isEqualTo(0x10);
        eoiSlave();
        eoiMaster();
        assertThat(readIsr(0x20)).isZero();
        assertThat(readIsr(0xA0)).isZero();
    }

    @Test
    void slaveMasked_atMasterIr2_blocksAllSlaveIrqs() {
        initPc(0x08, 0x70, 0x01);
        bus.out(0x21, 1, 0x04);
        pic.setIrq(8, true);
        assertThat(pic.output()).isFalse();
    }

    @Test
    void slaveIrq_blockedWhileMasterIr2InService_unlessSpecialFullyNested() {
        initPc(0x08, 0x70, 0x01);
        pic.setIrq(12, true);
        assertThat(pic.acknowledge()).isEqualTo(0x74);
        pic.setIrq(8, true);
        assertThat(pic.output()).isFalse(); // master's ISR2 blocks IR2

        I8259Pair sfnm = new I8259Pair(l -> { });
        IoBus bus2 = new IoBus();
        sfnm.attach(bus2);
        int[][] seq = {{0x20, 0x11}, {0x21, 0x08}, {0x21, 0x04}, {0x21, 0x11}, {0xA0, 0x11}, {0xA1, 0x70},
            {0xA1, 0x02}, {0xA1, 0x01}};
        for (int[] w : seq) {
            bus2.out(w[0], 1, w[1]);
        }
        sfnm.setIrq(12, true);
        assertThat(sfnm.acknowledge()).isEqualTo(0x74);
        sfnm.setIrq(8, true);
        assertThat(sfnm.output()).isTrue();
        assertThat(sfnm.acknowledge()).isEqualTo(0x70);
    }

    @Test
    void edgeMode_lineHeldHigh_doesNotRetrigger() {
        initPc(0x08, 0x70, 0x01);
        pic.setIrq(6, true);
        pic.acknowledge();
        eoiMaster();
        assertThat(pic.output()).isFalse();
        pic.setIrq(6, false);
        pic.setIrq(6, true);
        assertThat(pic.output()).isTrue();
    }

    @Test
    void levelMode_viaElcr_requestFollowsLine() {
        initPc(0x08, 0x70, 0x01);
        bus.out(0x4D1, 1, 0xFF);
        assertThat(bus.in(0x4D1, 1)).isEqualTo(0xDE); // IRQ8 and IRQ13 are always edge
        pic.setIrq(11, true);
        assertThat(pic.acknowledge()).isEqualTo(0x73);
        eoiSlave();
        eoiMaster();
        // Still asserted: requested again without a new edge.
        assertThat(pic.output()).isTrue();
        pic.setIrq(11, false);
        assertThat(pic.output()).isFalse();
        assertThat(readIrr(0xA0)).isZero();
    }

    @Test
    void masterElcr_irq0To2_cannotBeLevel() {
        bus.out(0x4D0, 1, 0xFF);
        assertThat(bus.in(0x4D0, 1)).isEqualTo(0xF8);
    }

    @Test
    void levelMode_viaLtim_droppedLineWithdrawsRequest() {
        bus.out(0x20, 1, 0x19); // ICW1 with LTIM
        bus.out(0x21, 1, 0x08);
        bus.out(0x21, 1, 0x04);
        bus.out(0x21, 1, 0x01);
        pic.setIrq(5, true);
        assertThat(pic.output()).isTrue();
        pic.setIrq(5, false);
        assertThat(pic.output()).isFalse();
    }

    @Test
    void autoEoi_leavesIsrClear() {
        initPc(0x08, 0x70, 0x03);
        pic.setIrq(0, true);
        assertThat(pic.acknowledge()).isEqualTo(0x08);
        assertThat(readIsr(0x20)).isZero();
        pic.setIrq(7, true);
        assertThat(pic.output()).isTrue();
    }

    @Test
    void rotateOnNonSpecificEoi_makesServicedLevelLowest() {
        initPc(0x08, 0x70, 0x01);
        pic.setIrq(3, true);
        pic.acknowledge();
        bus.out(0x20, 1, 0xA0); // rotate on non-specific EOI: IRQ3 becomes lowest, IRQ4 highest
        pic.setIrq(1, true);
        pic.setIrq(5, true);
        assertThat(pic.acknowledge()).isEqualTo(0x0D); // 5 beats 1 now
    }

    @Test
    void setPriority_makesGivenLevelLowest() {
        initPc(0x08, 0x70, 0x01);
        bus.out(0x20, 1, 0xC0 | 6); // IRQ6 lowest, IRQ7 highest
        pic.setIrq(0, true);
        pic.setIrq(7, true);
        pic.setIrq(6, true);
        assertThat(pic.acknowledge()).isEqualTo(0x0F);
        eoiMaster();
        assertThat(pic.acknowledge()).isEqualTo(0x08);
        eoiMaster();
        assertThat(pic.acknowledge()).isEqualTo(0x0E);
    }

    @Test
    void rotateInAutoEoi_rotatesOnAcknowledge() {
        initPc(0x08, 0x70, 0x03);
        bus.out(0x20, 1, 0x80); // rotate in AEOI mode (set)
        pic.setIrq(1, true);
        assertThat(pic.acknowledge()).isEqualTo(0x09);
        pic.setIrq(0, true);
        pic.setIrq(3, true);
        assertThat(pic.acknowledge()).isEqualTo(0x0B); // IRQ1 lowest now: order 2,3,...,7,0,1
    }

    @Test
    void acknowledgeWithoutRequest_givesSpuriousIrq7AndLeavesIsr() {
        initPc(0x08, 0x70, 0x01);
        pic.setIrq(4, true);
        bus.out(0x21, 1, 0x10); // masked between INTR and INTA
        assertThat(pic.acknowledge()).isEqualTo(0x0F);
        assertThat(readIsr(0x20)).isZero();
    }

    @Test
    void slaveRequestMaskedBeforeInta_givesMasterSpuriousIrq7() {
        initPc(0x08, 0x70, 0x01);
        pic.setIrq(11, true);
        assertThat(pic.output()).isTrue();
        bus.out(0xA1, 1, 0x08); // masked in the slave between INTR and INTA
        assertThat(pic.acknowledge()).isEqualTo(0x0F);
        assertThat(readIsr(0x20)).isZero();
        assertThat(readIsr(0xA0)).isZero();
    }

    @Test
    void pollMode_readReturnsLevelAndAcknowledges() {
        initPc(0x08, 0x70, 0x01);
        pic.setIrq(5, true);
        bus.out(0x20, 1, 0x0C);
        assertThat(bus.in(0x20, 1)).isEqualTo(0x85);
        assertThat(readIsr(0x20)).isEqualTo(0x20);
        bus.out(0x20, 1, 0x0C);
        assertThat(bus.in(0x20, 1)).isZero();
    }

    @Test
    void specialMaskMode_letsLowerPriorityThroughMaskedInService() {
        initPc(0x08, 0x70, 0x01);
        pic.setIrq(3, true);
        assertThat(pic.acknowledge()).isEqualTo(0x0B);
        pic.setIrq(5, true);
        assertThat(pic.output()).isFalse();
        bus.out(0x21, 1, 0x08); // mask IRQ3
        bus.out(0x20, 1, 0x68); // OCW3: set special mask mode
        assertThat(pic.output()).isTrue();
        assertThat(pic.acknowledge()).isEqualTo(0x0D);
    }

    @Test
    void imrRead_returnsMask() {
        initPc(0x08, 0x70, 0x01);
        bus.out(0xA1, 1, 0xA5);
        assertThat(bus.in(0xA1, 1)).isEqualTo(0xA5);
    }
}
