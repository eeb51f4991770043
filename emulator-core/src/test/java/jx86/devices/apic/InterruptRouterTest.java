package jx86.devices.apic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import jx86.bus.IoBus;
import jx86.bus.IrqLine;
import jx86.bus.IrqSink;
import jx86.devices.pit.I8254;
import jx86.memory.PhysicalMemory;
import jx86.clock.VirtualClock;
import jx86.devices.pic.I8259Pair;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InterruptRouterTest {
    private final VirtualClock clock = new VirtualClock();
    private final IoBus bus = new IoBus();
    private final List<Boolean> intr = new ArrayList<>();
    private LocalApic lapic;
    private InterruptRouter router;
    private I8259Pair pic;

    @BeforeEach
    void setUp() {
        lapic = new LocalApic(clock, 0);
        router = new InterruptRouter(lapic, intr::add);
        pic = new I8259Pair(router::picOutputChanged);
        router.connectPic(pic);
        router.attach(bus);
        pic.attach(bus);
        int[][] init = {{0x20, 0x11}, {0x21, 0x08}, {0x21, 0x04}, {0x21, 0x01}, {0xA0, 0x11}, {0xA1, 0x70},
            {0xA1, 0x02}, {0xA1, 0x01}, {0x21, 0x00}, {0xA1, 0x00}};
        for (int[] w : init) {
            bus.out(w[0], 1, w[1]);
        }
    }

    private void apicMode() {
        bus.out(0x22, 1, 0x70);
        bus.out(0x23, 1, 0x01);
    }

    @Test
    void defaultPath_picDrivesIntrAndAnswersInta() {
        pic.setIrq(0, true);
        assertThat(intr).containsExactly(true);
        assertThat(router.acknowledge()).isEqualTo(0x08);
        assertThat(intr).containsExactly(true, false);
    }

    @Test
    void picMode_enabledLapicDoesNotBlockPic() {
        lapic.writeRegister(0xF0, 0x1FF);
        pic.setIrq(1, true);
        assertThat(router.intr()).isTrue();
        assertThat(router.acknowledge()).isEqualTo(0x09);
    }

    @Test
    void imcr_readsBack() {
        assertThat(router.imcrApicMode()).isFalse();
        apicMode();
        bus.out(0x22, 1, 0x70);
        assertThat(bus.in(0x23, 1)).isEqualTo(1);
        assertThat(router.imcrApicMode()).isTrue();
    }

    @Test
    void apicMode_disabledLapic_picStillReachesCpu() {
        apicMode();
        pic.setIrq(3, true);
        assertThat(router.intr()).isTrue();
        assertThat(router.acknowledge()).isEqualTo(0x0B);
    }

    @Test
    void apicMode_enabledLapicWithLint0Masked_blocksPic_untilVirtualWire() {
        apicMode();
        lapic.writeRegister(0xF0, 0x1FF);
        pic.setIrq(3, true);
        assertThat(router.intr()).isFalse();
        lapic.writeRegister(0x350, 0x700); // LINT0: ExtINT, unmasked
        assertThat(router.intr()).isTrue();
        assertThat(router.acknowledge()).isEqualTo(0x0B);
    }

    @Test
    void lapicVector_winsOverPic() {
        lapic.writeRegister(0xF0, 0x1FF);
        pic.setIrq(4, true);
        lapic.acceptInterrupt(0x41, false);
        assertThat(router.acknowledge()).isEqualTo(0x41);
        assertThat(router.intr()).isTrue(); // the 8259 is still waiting
        assertThat(router.acknowledge()).isEqualTo(0x0C);
        assertThat(router.intr()).isFalse();
    }

    @Test
    void lapicTimer_raisesIntrThroughRouter() {
        lapic.writeRegister(0xF0, 0x1FF);
        lapic.writeRegister(0x3E0, 0xB);
        lapic.writeRegister(0x320, 0x50);
        lapic.writeRegister(0x380, 100);
        clock.cycles = 100;
        clock.runDueEvents();
        assertThat(router.intr()).isTrue();
        assertThat(router.acknowledge()).isEqualTo(0x50);
        assertThat(router.intr()).isFalse();
    }

    @Test
    void nothingPending_enabledLapicAnswersSpurious_otherwisePicIrq7() {
        assertThat(router.acknowledge()).isEqualTo(0x0F);
        lapic.writeRegister(0xF0, 0x1EF);
        assertThat(router.acknowledge()).isEqualTo(0xEF);
    }

    @Test
    void withoutLapic_routerPassesThePicThrough() {
        List<Boolean> pins = new ArrayList<>();
        InterruptRouter plain = new InterruptRouter(null, pins::add);
        I8259Pair p = new I8259Pair(plain::picOutputChanged);
        plain.connectPic(p);
        IoBus b = new IoBus();
        p.attach(b);
        b.out(0x20, 1, 0x13); // single 8259, ICW4 needed
        b.out(0x21, 1, 0x20);
        b.out(0x21, 1, 0x01);
        p.setIrq(5, true);
        assertThat(pins).containsExactly(true);
        assertThat(plain.acknowledge()).isEqualTo(0x25);
    }

    @Test
    void pcWiring_pitIrq0_reachesCpuThroughPicThenThroughIoApicPin2() {
        PhysicalMemory memory = new PhysicalMemory(2 << 20);
        lapic.attach(memory);
        IoApic ioapic = new IoApic(lapic, 1);
        ioapic.attach(memory);
        IrqLine irq0 = new IrqLine(new IrqSink[] {pic, ioapic}, new int[] {0, 2});
        I8254 pit = new I8254(clock, irq0);
        pit.attach(bus);
        bus.out(0x43, 1, 0x34);
        bus.out(0x40, 1, 100);
        bus.out(0x40, 1, 0);
        assertThat(router.acknowledge()).isEqualTo(0x08); // the low-to-high edge of programming
        bus.out(0x20, 1, 0x20);
        clock.cycles = 100L * 100_000_000L / 1_193_182L + 1; // just past PIT tick 100
        clock.runDueEvents();
        assertThat(router.intr()).isTrue();
        assertThat(router.acknowledge()).isEqualTo(0x08);
        bus.out(0x20, 1, 0x20);

        // Symmetric I/O: mask the 8259, route pin 2 to vector 0x30, APIC mode through the IMCR.
        bus.out(0x21, 1, 0xFF);
        apicMode();
        memory.write32(0xFEE0_00F0, 0x1FF);
        memory.write32(0xFEC0_0000, 0x14);
        memory.write32(0xFEC0_0010, 0x30);
        clock.cycles = 200L * 100_000_000L / 1_193_182L + 1;
        clock.runDueEvents();
        assertThat(router.intr()).isTrue();
        assertThat(router.acknowledge()).isEqualTo(0x30);
        memory.write32(0xFEE0_00B0, 0);
        assertThat(router.intr()).isFalse();
    }
}
