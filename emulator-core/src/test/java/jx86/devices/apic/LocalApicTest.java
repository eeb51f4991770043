package jx86.devices.apic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import jx86.clock.VirtualClock;
import jx86.memory.PhysicalMemory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalApicTest {
    private static final int BASE = 0xFEE0_0000;
    private final VirtualClock clock = new VirtualClock();
    private final PhysicalMemory memory = new PhysicalMemory(2 << 20);
    private final List<Integer> eois = new ArrayList<>();
    private LocalApic apic;

    @BeforeEach
    void setUp() {
        apic = new LocalApic(clock, 0);
        apic.attach(memory);
        apic.setEoiListener(eois::add);
    }

    private int read(int reg) {
        return memory.read32(BASE + reg);
    }

    private void write(int reg, int value) {
        memory.write32(BASE + reg, value);
    }

    private void enable() {
        write(0xF0, 0x1FF);
    }

    private void runTo(long cycle) {
        clock.cycles = cycle;
        clock.runDueEvents();
    }

    private void eoi() {
        write(0xB0, 0);
    }

    @Test
    void resetState_matchesSdm() {
        assertThat(read(0x30)).isEqualTo(0x0005_0014);
        assertThat(read(0x20)).isZero();
        assertThat(read(0xF0)).isEqualTo(0xFF);
        assertThat(read(0xE0)).isEqualTo(0xFFFF_FFFF);
        for (int reg = 0x320; reg <= 0x370; reg += 0x10) {
            assertThat(read(reg)).isEqualTo(0x10000);
        }
        assertThat(apic.enabled()).isFalse();
    }

    @Test
    void apicId_inBits24To31() {
        LocalApic other = new LocalApic(clock, 3);
        assertThat(other.readRegister(0x20)).isEqualTo(0x0300_0000);
    }

    @Test
    void softwareDisabled_dropsInterrupts() {
        assertThat(apic.acceptInterrupt(0x40, false)).isFalse();
        assertThat(apic.hasPendingInterrupt()).isFalse();
    }

    @Test
    void acceptAcknowledgeEoi_movesThroughIrrAndIsr() {
        enable();
        apic.acceptInterrupt(0x40, false);
        assertThat(read(0x200 + 0x20)).isEqualTo(1); // IRR bits 64-95: vector 0x40 is bit 0
        assertThat(apic.hasPendingInterrupt()).isTrue();
        assertThat(apic.acknowledge()).isEqualTo(0x40);
        assertThat(read(0x200 + 0x20)).isZero();
        assertThat(read(0x100 + 0x20)).isEqualTo(1);
        eoi();
        assertThat(read(0x100 + 0x20)).isZero();
        assertThat(eois).isEmpty(); // edge-triggered: no EOI broadcast
    }

    @Test
    void higherClass_nestsAndLowerWaitsForEoi() {
        enable();
        apic.acceptInterrupt(0x50, false);
        apic.acceptInterrupt(0x61, false);
        assertThat(apic.acknowledge()).isEqualTo(0x61);
        assertThat(apic.hasPendingInterrupt()).isFalse(); // 0x50's class 5 <= PPR class 6
        assertThat(read(0xA0)).isEqualTo(0x60);
        eoi();
        assertThat(apic.acknowledge()).isEqualTo(0x50);
    }

    @Test
    void sameClass_doesNotNest() {
        enable();
        apic.acceptInterrupt(0x52, false);
        assertThat(apic.acknowledge()).isEqualTo(0x52);
        apic.acceptInterrupt(0x58, false);
        assertThat(apic.hasPendingInterrupt()).isFalse();
    }

    @Test
    void tpr_masksClassesAtOrBelow() {
        enable();
        write(0x80, 0x50);
        apic.acceptInterrupt(0x55, false);
        assertThat(apic.hasPendingInterrupt()).isFalse();
        assertThat(read(0xA0)).isEqualTo(0x50);
        apic.acceptInterrupt(0x65, false);
        assertThat(apic.acknowledge()).isEqualTo(0x65);
        eoi();
        write(0x80, 0x00);
        assertThat(apic.acknowledge()).isEqualTo(0x55);
    }

    @Test
    void ppr_isIsrClassWhenAboveTpr() {
        enable();
        write(0x80, 0x23);
        apic.acceptInterrupt(0x71, false);
        apic.acknowledge();
        assertThat(read(0xA0)).isEqualTo(0x70);
        eoi();
        assertThat(read(0xA0)).isEqualTo(0x23);
    }

    @Test
    void ppr_isTprWhenTprClassEqualsIsrClass() {
        enable();
        write(0x80, 0x25);
        apic.acceptInterrupt(0x31, false);
        apic.acknowledge();
        write(0x80, 0x3A);
        assertThat(read(0xA0)).isEqualTo(0x3A);
    }

    @Test
    void acknowledgeWithNothingPending_returnsSpuriousVector() {
        write(0xF0, 0x1EF);
        assertThat(apic.acknowledge()).isEqualTo(0xEF);
        assertThat(read(0x100 + 0x70)).isZero(); // ISR untouched
    }

    @Test
    void illegalVector_setsEsrAfterWrite() {
        enable();
        assertThat(apic.acceptInterrupt(0x05, false)).isFalse();
        assertThat(read(0x280)).isZero();
        write(0x280, 0);
        assertThat(read(0x280)).isEqualTo(0x40);
        write(0x280, 0);
        assertThat(read(0x280)).isZero();
    }

    @Test
    void selfIpi_fixed_isDelivered() {
        enable();
        write(0x300, 0x0004_0044); // shorthand self, fixed, vector 0x44
        assertThat(apic.acknowledge()).isEqualTo(0x44);
        assertThat(read(0x300) & 0x1000).isZero();
    }

    @Test
    void fixedIpi_toOwnPhysicalId_isDelivered_toOtherId_isDropped() {
        enable();
        write(0x310, 0x0500_0000);
        write(0x300, 0x0000_0045);
        assertThat(apic.hasPendingInterrupt()).isFalse();
        write(0x310, 0x0000_0000);
        write(0x300, 0x0000_0046);
        assertThat(apic.acknowledge()).isEqualTo(0x46);
    }

    @Test
    void initAndStartupIpis_areHarmless() {
        enable();
        write(0x300, 0x000C_4500); // INIT to all excluding self
        write(0x300, 0x000C_4608); // STARTUP vector 0x08
        assertThat(apic.hasPendingInterrupt()).isFalse();
        assertThat(read(0x300)).isEqualTo(0x000C_4608);
        assertThat(read(0x280)).isZero();
    }

    @Test
    void sendIllegalVector_setsSendError() {
        enable();
        write(0x300, 0x0004_0003);
        write(0x280, 0);
        assertThat(read(0x280)).isEqualTo(0x20);
    }

    @Test
    void softwareDisable_masksLvtsAndKeepsThemMasked() {
        enable();
        write(0x350, 0x700);
        assertThat(read(0x350)).isEqualTo(0x700);
        assertThat(apic.lint0ExtInt()).isTrue();
        write(0xF0, 0xFF);
        assertThat(read(0x350)).isEqualTo(0x10700);
        write(0x350, 0x700);
        assertThat(read(0x350)).isEqualTo(0x10700);
        assertThat(apic.lint0ExtInt()).isFalse();
    }

    @Test
    void timerOneShot_divideBy16() {
        enable();
        write(0x3E0, 0x3);
        write(0x320, 0x30);
        write(0x380, 1000);
        runTo(1600);
        assertThat(read(0x390)).isEqualTo(900);
        runTo(15_999);
        assertThat(apic.hasPendingInterrupt()).isFalse();
        runTo(16_000);
        assertThat(read(0x390)).isZero();
        assertThat(apic.acknowledge()).isEqualTo(0x30);
        eoi();
        runTo(100_000);
        assertThat(apic.hasPendingInterrupt()).isFalse();
    }

    @Test
    void timerPeriodic_divideBy1_firesEveryPeriod() {
        enable();
        write(0x3E0, 0xB);
        write(0x320, 0x20031);
        write(0x380, 500);
        int interrupts = 0;
        while (clock.nextEventAt <= 10_000) {
            runTo(clock.nextEventAt);
            if (apic.hasPendingInterrupt()) {
                assertThat(apic.acknowledge()).isEqualTo(0x31);
                eoi();
                interrupts++;
            }
        }
        assertThat(interrupts).isEqualTo(20);
        runTo(10_250);
        assertThat(read(0x390)).isEqualTo(250);
    }

    @Test
    void timerDivideConfig_encodings() {
        enable();
        int[][] cases = {{0x0, 2}, {0x1, 4}, {0x2, 8}, {0x8, 32}, {0x9, 64}, {0xA, 128}, {0xB, 1}};
        for (int[] c : cases) {
            write(0x3E0, c[0]);
            write(0x380, 1000);
            runTo(clock.cycles + 10L * c[1]);
            assertThat(read(0x390)).as("divide config %x", c[0]).isEqualTo(990);
        }
    }

    @Test
    void timerMasked_countsWithoutInterrupt() {
        enable();
        write(0x3E0, 0xB);
        write(0x320, 0x10040);
        write(0x380, 100);
        runTo(50);
        assertThat(read(0x390)).isEqualTo(50);
        runTo(200);
        assertThat(apic.hasPendingInterrupt()).isFalse();
    }

    @Test
    void timerInitialCountZero_stopsTimer() {
        enable();
        write(0x3E0, 0xB);
        write(0x320, 0x40);
        write(0x380, 100);
        write(0x380, 0);
        runTo(1000);
        assertThat(apic.hasPendingInterrupt()).isFalse();
        assertThat(read(0x390)).isZero();
    }

    @Test
    void levelTriggeredEoi_isBroadcast() {
        enable();
        apic.acceptInterrupt(0x39, true);
        assertThat(read(0x180 + 0x10)).isEqualTo(1 << 25); // TMR bit 0x39 = word 1, bit 25
        apic.acknowledge();
        eoi();
        assertThat(eois).containsExactly(0x39);
    }

    @Test
    void logicalDestination_flatAndCluster() {
        write(0xD0, 0x0100_0000);
        assertThat(apic.matchesDestination(0x01, true)).isTrue();
        assertThat(apic.matchesDestination(0x03, true)).isTrue();
        assertThat(apic.matchesDestination(0x02, true)).isFalse();
        write(0xE0, 0x0FFF_FFFF);
        write(0xD0, 0x2100_0000);
        assertThat(read(0xE0)).isEqualTo(0x0FFF_FFFF);
        assertThat(apic.matchesDestination(0x21, true)).isTrue();
        assertThat(apic.matchesDestination(0x11, true)).isFalse();
        assertThat(apic.matchesDestination(0x22, true)).isFalse();
    }

    @Test
    void hardwareDisable_stopsDelivery() {
        enable();
        apic.setHardwareEnabled(false);
        assertThat(apic.acceptInterrupt(0x40, false)).isFalse();
    }

    @Test
    void nmiIpi_toSelf_raisesTheProcessorsNmi_andIgnoresTheVector() {
        int[] nmis = new int[1];
        apic.setNmiListener(() -> nmis[0]++);
        enable();
        write(0x310, 0); // destination: APIC ID 0 (this one)
        write(0x300, 0x0000_0400); // physical, NMI, vector 0 (ignored for NMI)
        assertThat(nmis[0]).isEqualTo(1);
        write(0x300, 0x0004_0400); // shorthand self, NMI
        assertThat(nmis[0]).isEqualTo(2);
        write(0x280, 0); // latch the ESR
        assertThat(read(0x280)).as("no send-illegal-vector error").isZero();
        assertThat(apic.hasPendingInterrupt()).as("nothing in IRR").isFalse();
    }

    @Test
    void nmiIpi_toAnotherProcessor_isDropped() {
        int[] nmis = new int[1];
        apic.setNmiListener(() -> nmis[0]++);
        enable();
        write(0x310, 0x0100_0000); // APIC ID 1: no such processor
        write(0x300, 0x0000_0400);
        write(0x300, 0x000C_0400); // all excluding self
        assertThat(nmis[0]).isZero();
    }

    @Test
    void initSmiAndStartupIpis_toSelf_raiseNothing() {
        int[] nmis = new int[1];
        apic.setNmiListener(() -> nmis[0]++);
        enable();
        write(0x300, 0x0008_0500); // INIT, all including self
        write(0x300, 0x0008_0200); // SMI, all including self
        write(0x300, 0x0008_0608); // STARTUP, all including self
        assertThat(nmis[0]).isZero();
        assertThat(apic.hasPendingInterrupt()).isFalse();
    }
}
