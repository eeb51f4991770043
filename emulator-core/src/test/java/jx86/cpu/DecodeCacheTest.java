package jx86.cpu;

import static jx86.cpu.Cpu.EAX;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

class DecodeCacheTest {
    /** Runs again from the start of the test program (the cache keeps what the first run decoded). */
    private static void rerun(CpuTestSupport t) {
        t.cpu.eip = CpuTestSupport.CODE;
        t.cpu.setHalted(false);
        StopReason r = t.cpu.run(1000);
        assertThat(r).isIn(StopReason.HALTED_FOREVER, StopReason.HALTED);
    }

    @Test
    void patchedImmediate_afterFirstRun_isExecuted() {
        CpuTestSupport t = CpuTestSupport.flat32().exec(0xB8, 0x01, 0x00, 0x00, 0x00); // MOV EAX,1
        assertThat(t.reg(EAX)).isEqualTo(1);
        t.poke8(CpuTestSupport.CODE + 1, 0x02);
        rerun(t);
        assertThat(t.reg(EAX)).isEqualTo(2);
    }

    @Test
    void patchedOpcode_afterFirstRun_isExecuted() {
        // ADD EAX,EBX (01 D8), patched to SUB EAX,EBX (29 D8)
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 10).set(Cpu.EBX, 3).exec(0x01, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(13);
        t.poke8(CpuTestSupport.CODE, 0x29);
        rerun(t);
        assertThat(t.reg(EAX)).isEqualTo(10);
    }

    @Test
    void sameBytes_in16BitCodeSegment_decodeWithWordOperands() {
        // B8 78 56 34 12: MOV EAX,0x12345678 with CS.D = 1; MOV AX,0x5678 then XOR AL,0x12 with CS.D = 0
        CpuTestSupport t = CpuTestSupport.flat32().exec(0xB8, 0x78, 0x56, 0x34, 0x12);
        assertThat(t.reg(EAX)).isEqualTo(0x1234_5678);
        t.set(EAX, 0);
        t.cpu.setSegmentCache(Cpu.CS, 0x08, 0, 0xFFFF_FFFF, 0x809B);
        rerun(t);
        assertThat(t.reg(EAX)).isEqualTo(0x566A);
    }

    @Test
    void cachedInstruction_runningPastLoweredCsLimit_isGeneralProtection() {
        CpuTestSupport t = CpuTestSupport.flat32().exec(0xB8, 0x01, 0x00, 0x00, 0x00);
        t.cpu.setSegmentCache(Cpu.CS, 0x08, 0, CpuTestSupport.CODE + 3, 0x409B);
        t.cpu.eip = CpuTestSupport.CODE;
        t.set(EAX, 7);
        CpuFault f = null;
        try {
            Exec.execute(t.cpu);
        } catch (CpuFault e) {
            f = e;
        }
        assertThat(f).isNotNull();
        assertThat(f.vector).isEqualTo(Vectors.GP);
        assertThat(t.reg(EAX)).isEqualTo(7);
    }

    @Test
    void memoryOperand_effectiveAddressUsesRegistersAtExecution() {
        // MOV [EBX+ESI*4+8],EAX (89 44 B3 08) run twice with different EBX
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0x11).set(Cpu.EBX, 0x20000).set(Cpu.ESI, 1)
                .exec(0x89, 0x44, 0xB3, 0x08);
        assertThat(t.read32(0x2000C)).isEqualTo(0x11);
        t.set(Cpu.EBX, 0x20100).set(EAX, 0x22);
        rerun(t);
        assertThat(t.read32(0x2010C)).isEqualTo(0x22);
        assertThat(t.read32(0x2000C)).isEqualTo(0x11);
    }

    @Test
    void cachedLoad_afterDataSegmentLimitLowered_takesGeneralProtection() {
        // MOV EAX,[0x2000] (8B 05 00 20 00 00): cached by the first run through a flat DS
        CpuTestSupport t = CpuTestSupport.flat32().handler(Vectors.GP, 0x7000).poke32(0x2000, 0x55)
                .exec(0x8B, 0x05, 0x00, 0x20, 0x00, 0x00);
        assertThat(t.reg(EAX)).isEqualTo(0x55);
        assertThat(t.cpu.flatSegs & (1 << Cpu.DS)).isNotZero();
        t.cpu.setSegmentCache(Cpu.DS, 0x10, 0, 0xFFF, 0xC093);
        assertThat(t.cpu.flatSegs & (1 << Cpu.DS)).isZero();
        t.set(EAX, 7);
        rerun(t);
        assertThat(t.cpu.eip).as("in the #GP handler").isEqualTo(0x7001);
        assertThat(t.reg(EAX)).isEqualTo(7);
    }

    @Test
    void flatSegments_onlyBaseZeroFullLimitWritableExpandUpData() {
        Cpu c = CpuTestSupport.flat32().cpu;
        assertThat(c.flatSegs).isEqualTo(0b11_1101); // every data segment, not CS
        c.setSegmentCache(Cpu.ES, 0x10, 0x1000, 0xFFFF_FFFF, 0xC093);
        c.setSegmentCache(Cpu.FS, 0x10, 0, 0xFFFF_FFFF, 0xC091); // read-only
        c.setSegmentCache(Cpu.GS, 0x10, 0, 0xFFFF_FFFF, 0xC097); // expand-down
        c.setSegmentCache(Cpu.SS, 0x10, 0, 0xFFFF_FFFF, 0x4093); // byte-granular 4 GiB: still flat
        assertThat(c.flatSegs).isEqualTo((1 << Cpu.DS) | (1 << Cpu.SS));
    }
}
