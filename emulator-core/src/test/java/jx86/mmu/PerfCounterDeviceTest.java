package jx86.mmu;

import static jx86.mmu.PageTables.P;
import static jx86.mmu.PageTables.RW;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.bus.IoBus;
import jx86.clock.VirtualClock;
import jx86.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;

class PerfCounterDeviceTest {
    private final PhysicalMemory mem = PageTables.newMemory();
    private final PageTables pt = new PageTables(mem);
    private final VirtualClock clock = new VirtualClock();
    private final Mmu mmu = new Mmu(mem, clock);
    private long instructions;
    private final PerfCounterDevice dev = new PerfCounterDevice(mmu, clock, () -> instructions);
    private final IoBus bus = new IoBus();

    PerfCounterDeviceTest() {
        dev.register(bus);
    }

    private long read(int index) {
        bus.out(0x5A0, 4, index);
        return (bus.in(0x5A4, 4) & 0xFFFF_FFFFL) | ((long) bus.in(0x5A8, 4) << 32);
    }

    private void command(int cmd) {
        bus.out(0x5AC, 4, cmd);
    }

    @Test
    void ports_areClaimedAndIdReadable() {
        assertThat(bus.ownerName(0x5A0)).isEqualTo("perf-counters");
        assertThat(bus.ownerName(0x5AF)).isEqualTo("perf-counters");
        assertThat(bus.ownerName(0x5B0)).isEqualTo("unclaimed");
        assertThat(bus.in(0x5AC, 4)).isEqualTo(0x4350_584A);
        assertThat(bus.in(0x5AC, 1)).isEqualTo('J');
        assertThat(bus.in(0x5AD, 1)).isEqualTo('X');
    }

    @Test
    void snapshot_latchesCyclesInstructionsAndTlbCounters() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW);
        mmu.setCr3(PageTables.DIR);
        mmu.setCr0(0x8000_0001);
        mmu.read32(0x0800_0000);
        mmu.read32(0x0800_0000);
        mmu.setCpl(3);
        clock.cycles = 0x1_2345_6789L;
        instructions = 42;
        command(1);
        clock.cycles = 5; // later changes do not show until the next snapshot
        assertThat(read(0x00)).isEqualTo(0x1_2345_6789L);
        assertThat(read(0x01)).isEqualTo(42);
        assertThat(read(0x20)).as("D-TLB hits, supervisor").isEqualTo(1);
        assertThat(read(0x22)).as("D-TLB misses, supervisor").isEqualTo(1);
        assertThat(read(0x24)).as("D-TLB walks, supervisor").isEqualTo(1);
        assertThat(read(0x21)).as("D-TLB hits, user").isZero();
        assertThat(read(0x12)).as("I-TLB misses").isZero();
        assertThat(read(0x7F)).as("unknown index").isZero();
        assertThat(bus.in(0x5A0, 4)).isEqualTo(0x7F);
    }

    @Test
    void reset_restartsGuestViewFromZeroWithoutTouchingJavaCounters() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW);
        mmu.setCr3(PageTables.DIR);
        mmu.setCr0(0x8000_0001);
        mmu.read32(0x0800_0000);
        clock.cycles = 1000;
        instructions = 10;
        command(3); // reset + snapshot
        assertThat(read(0x22)).isZero();
        assertThat(read(0x00)).isZero();
        mmu.setCr3(PageTables.DIR); // one CR3 flush, 500 cycles
        mmu.read32(0x0800_0000); // miss again
        instructions = 13;
        command(1);
        assertThat(read(0x22)).isEqualTo(1);
        assertThat(read(0x2C)).as("D-TLB CR3 flushes").isEqualTo(1);
        assertThat(read(0x1C)).as("I-TLB CR3 flushes").isEqualTo(1);
        assertThat(read(0x01)).isEqualTo(3);
        assertThat(read(0x00)).isEqualTo(500 + 2 * 25);
        assertThat(mmu.dtlb().total(TlbEvent.MISSES)).isEqualTo(2);
    }

    @Test
    void byteLanes_readTheSelectedHalfInPieces() {
        clock.cycles = 0xAABB_CCDD_1122_3344L;
        command(1);
        bus.out(0x5A0, 1, 0);
        assertThat(bus.in(0x5A4, 1)).isEqualTo(0x44);
        assertThat(bus.in(0x5A6, 2)).isEqualTo(0x1122);
        assertThat(bus.in(0x5AB, 1)).isEqualTo(0xAA);
    }
}
