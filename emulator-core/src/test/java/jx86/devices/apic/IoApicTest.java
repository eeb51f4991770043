package jx86.devices.apic;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.clock.VirtualClock;
import jx86.memory.PhysicalMemory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IoApicTest {
    private static final int BASE = 0xFEC0_0000;
    private final VirtualClock clock = new VirtualClock();
    private final PhysicalMemory memory = new PhysicalMemory(2 << 20);
    private LocalApic lapic;
    private IoApic ioapic;

    @BeforeEach
    void setUp() {
        lapic = new LocalApic(clock, 0);
        lapic.attach(memory);
        ioapic = new IoApic(lapic, 1);
        ioapic.attach(memory);
        memory.write32(0xFEE0_00F0, 0x1FF); // software-enable the local APIC
    }

    private int read(int reg) {
        memory.write32(BASE, reg);
        return memory.read32(BASE + 0x10);
    }

    private void write(int reg, int value) {
        memory.write32(BASE, reg);
        memory.write32(BASE + 0x10, value);
    }

    private void route(int pin, int low, int destination) {
        write(0x11 + 2 * pin, destination << 24);
        write(0x10 + 2 * pin, low);
    }

    private void eoi() {
        memory.write32(0xFEE0_00B0, 0);
    }

    @Test
    void identificationRegisters() {
        assertThat(read(0x00)).isEqualTo(0x0100_0000);
        assertThat(read(0x01)).isEqualTo(0x0017_0011);
        assertThat(read(0x02)).isEqualTo(0x0100_0000);
        write(0x00, 0x0F00_0000);
        assertThat(read(0x00)).isEqualTo(0x0F00_0000);
        memory.write32(BASE, 0x01);
        assertThat(memory.read32(BASE)).isEqualTo(0x01);
    }

    @Test
    void redirectionEntries_resetMasked() {
        for (int pin = 0; pin < 24; pin++) {
            assertThat(read(0x10 + 2 * pin)).isEqualTo(0x0001_0000);
            assertThat(read(0x11 + 2 * pin)).isZero();
        }
        ioapic.setIrq(3, true);
        assertThat(lapic.hasPendingInterrupt()).isFalse();
    }

    @Test
    void redirectionEntry_readOnlyBitsIgnoreWrites() {
        write(0x10, 0xFFFF_FFFF);
        assertThat(read(0x10)).isEqualTo(0x0001_AFFF);
        write(0x11, 0xFFFF_FFFF);
        assertThat(read(0x11)).isEqualTo(0xFF00_0000);
    }

    @Test
    void edgePin_deliversOncePerRisingEdge() {
        route(4, 0x34, 0);
        ioapic.setIrq(4, true);
        assertThat(lapic.acknowledge()).isEqualTo(0x34);
        eoi();
        ioapic.setIrq(4, true);
        assertThat(lapic.hasPendingInterrupt()).isFalse();
        ioapic.setIrq(4, false);
        ioapic.setIrq(4, true);
        assertThat(lapic.acknowledge()).isEqualTo(0x34);
        assertThat(lapic.tmr(0x34)).isFalse();
    }

    @Test
    void edgeWhileMasked_isLost() {
        route(4, 0x10034, 0);
        ioapic.setIrq(4, true);
        route(4, 0x34, 0);
        assertThat(lapic.hasPendingInterrupt()).isFalse();
    }

    @Test
    void levelPin_setsRemoteIrrUntilEoi_andResendsWhileAsserted() {
        route(9, 0x8039, 0);
        ioapic.setIrq(9, true);
        assertThat(read(0x10 + 18) & 0x4000).isEqualTo(0x4000);
        assertThat(lapic.acknowledge()).isEqualTo(0x39);
        assertThat(lapic.tmr(0x39)).isTrue();
        eoi(); // line still high: remote IRR cleared, message sent again
        assertThat(read(0x10 + 18) & 0x4000).isEqualTo(0x4000);
        assertThat(lapic.acknowledge()).isEqualTo(0x39);
        ioapic.setIrq(9, false);
        eoi();
        assertThat(read(0x10 + 18) & 0x4000).isZero();
        assertThat(lapic.hasPendingInterrupt()).isFalse();
    }

    @Test
    void unmaskingAssertedLevelPin_delivers() {
        route(10, 0x1803A, 0);
        ioapic.setIrq(10, true);
        assertThat(lapic.hasPendingInterrupt()).isFalse();
        route(10, 0x803A, 0);
        assertThat(lapic.acknowledge()).isEqualTo(0x3A);
    }

    @Test
    void physicalDestinationMismatch_isNotDelivered() {
        route(5, 0x35, 5);
        ioapic.setIrq(5, true);
        assertThat(lapic.hasPendingInterrupt()).isFalse();
    }

    @Test
    void logicalDestination_matchesLdr() {
        memory.write32(0xFEE0_00D0, 0x0100_0000);
        route(6, 0x836, 0x01); // logical mode
        ioapic.setIrq(6, true);
        assertThat(lapic.acknowledge()).isEqualTo(0x36);
    }

    @Test
    void lowestPriorityMode_deliversToTheOnlyApic() {
        route(7, 0x137, 0);
        ioapic.setIrq(7, true);
        assertThat(lapic.acknowledge()).isEqualTo(0x37);
    }

    @Test
    void disabledLocalApic_leavesRemoteIrrClear() {
        memory.write32(0xFEE0_00F0, 0xFF);
        route(9, 0x8039, 0);
        ioapic.setIrq(9, true);
        assertThat(read(0x10 + 18) & 0x4000).isZero();
    }

    @Test
    void extIntMode_isNotDelivered() {
        route(0, 0x700, 0);
        ioapic.setIrq(0, true);
        assertThat(lapic.hasPendingInterrupt()).isFalse();
    }
}
