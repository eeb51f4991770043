package jx86.cpu;

import static jx86.cpu.SystemTestSupport.assertFault;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

class StackAccessTest {
    private final SystemTestSupport t = new SystemTestSupport();

    @Test
    void expandUp_lastByteMustBeWithinLimit() {
        assertThat(StackAccess.fits(0xFFF, 0x93, 0xFFC, 4)).isTrue();
        assertThat(StackAccess.fits(0xFFF, 0x93, 0xFFD, 4)).isFalse();
    }

    @Test
    void expandDown_validOffsetsAreAboveLimitUpToTheBBitBound() {
        assertThat(StackAccess.fits(0xFFF, 0x97, 0x1000, 4)).isTrue();
        assertThat(StackAccess.fits(0xFFF, 0x97, 0xFFF, 4)).isFalse();
        assertThat(StackAccess.fits(0xFFF, 0x97, 0xFFFC, 4)).isTrue();
        assertThat(StackAccess.fits(0xFFF, 0x97, 0xFFFD, 4)).as("16-bit upper bound").isFalse();
        assertThat(StackAccess.fits(0xFFF, 0x4097, 0xFFFD, 4)).as("B=1 upper bound is 4 GiB").isTrue();
    }

    @Test
    void sixteenBitStack_adjustsOnlySp() {
        assertThat(StackAccess.adjust(0x93, 0x1234_0002, -6)).isEqualTo(0x1234_FFFC);
        assertThat(StackAccess.adjust(0x4093, 0x1234_0002, -6)).isEqualTo(0x1233_FFFC);
    }

    @Test
    void realModeInterruptWithSpNearZero_wrapsLikePushes() {
        t.mem.write16(0x21 * 4, 0x0100);
        t.mem.write16(0x21 * 4 + 2, 0x2000);
        t.cpu.setSegmentCache(Cpu.SS, 0x1000, 0x10000, 0xFFFF, 0x93);
        t.cpu.regs[Cpu.ESP] = 2;
        t.cpu.eip = 0x55;
        t.cpu.setEflags(0x202);
        Interrupts.deliver(t.cpu, 0x21, Interrupts.SOFTWARE, -1);
        assertThat(t.cpu.regs[Cpu.ESP]).isEqualTo(0xFFFC);
        assertThat(t.mem.read16(0x10000)).as("FLAGS at SS:0").isEqualTo(0x202);
        assertThat(t.mem.read16(0x1FFFE)).as("CS at SS:FFFE").isEqualTo(0xF000);
        assertThat(t.mem.read16(0x1FFFC)).as("IP at SS:FFFC").isEqualTo(0x55);
    }

    @Test
    void realModeStackBelowSmallLimit_isSs0() {
        t.cpu.setSegmentCache(Cpu.SS, 0, 0, 0x0FFF, 0x93);
        t.cpu.regs[Cpu.ESP] = 0x2000;
        assertFault(() -> Interrupts.deliver(t.cpu, 0x21, Interrupts.SOFTWARE, -1), Vectors.SS, 0);
    }
}
