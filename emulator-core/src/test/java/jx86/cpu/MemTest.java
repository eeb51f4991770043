package jx86.cpu;

import static jx86.cpu.Cpu.EAX;
import static jx86.cpu.Cpu.EBP;
import static jx86.cpu.Cpu.EBX;
import static jx86.cpu.Cpu.EDI;
import static jx86.cpu.Cpu.ESI;
import static jx86.cpu.Cpu.ESP;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

class MemTest {
    @Test
    void real_bxSiDisp8() {
        CpuTestSupport t = CpuTestSupport.real().poke16(0x124, 0xBEEF).set(EBX, 0x100).set(ESI, 0x20);
        t.exec(0x8B, 0x40, 0x04);
        assertThat(t.reg(EAX)).isEqualTo(0xBEEF);
    }

    @Test
    void real_bpBased_defaultsToSs() {
        CpuTestSupport t = CpuTestSupport.real().poke16(0x1012, 0x1234).poke16(0x12, 0x9999).set(EBP, 0x10);
        t.cpu.setSegmentCache(Cpu.SS, 0x100, 0x1000, 0xFFFF, 0x93);
        t.exec(0x8B, 0x46, 0x02);
        assertThat(t.reg(EAX)).isEqualTo(0x1234);
    }

    @Test
    void real_bpBased_withDsOverride() {
        CpuTestSupport t = CpuTestSupport.real().poke16(0x1012, 0x1234).poke16(0x12, 0x9999).set(EBP, 0x10)
                .set(EDI, 2);
        t.cpu.setSegmentCache(Cpu.SS, 0x100, 0x1000, 0xFFFF, 0x93);
        t.exec(0x3E, 0x8B, 0x03); // mov ax, ds:[bp+di]
        assertThat(t.reg(EAX)).isEqualTo(0x9999);
    }

    @Test
    void real_direct16() {
        CpuTestSupport t = CpuTestSupport.real().poke16(0x1234, 0x4321).exec(0x8B, 0x06, 0x34, 0x12);
        assertThat(t.reg(EAX)).isEqualTo(0x4321);
    }

    @Test
    void real_offsetWrapsAt64k() {
        CpuTestSupport t = CpuTestSupport.real().poke16(0x1, 0x7777).set(EBX, 0xFFFF).set(ESI, 2).exec(0x8B, 0x00);
        assertThat(t.reg(EAX)).isEqualTo(0x7777);
    }

    @Test
    void real_addressSizePrefix_uses32BitRegisters() {
        CpuTestSupport t = CpuTestSupport.real().poke16(0x500, 0x5151).set(EBX, 0x500).exec(0x67, 0x8B, 0x03);
        assertThat(t.reg(EAX)).isEqualTo(0x5151);
    }

    @Test
    void real_operandSizePrefix_loads32Bits() {
        CpuTestSupport t = CpuTestSupport.real().poke32(0x600, 0x1234_5678).exec(0x66, 0xA1, 0x00, 0x06);
        assertThat(t.reg(EAX)).isEqualTo(0x1234_5678);
    }

    @Test
    void real_wordAtOffsetFFFF_isGeneralProtection() {
        CpuFault f = CpuTestSupport.real().fault(0x8B, 0x06, 0xFF, 0xFF);
        assertThat(f.vector).isEqualTo(Vectors.GP);
    }

    @Test
    void flat_espBase_usesSs() {
        CpuTestSupport t = CpuTestSupport.flat32().poke32(0x10000 + 0x104, 0xAAAA).set(ESP, 0x100);
        t.cpu.setSegmentCache(Cpu.SS, 0x18, 0x10000, 0xFFFF_FFFF, 0xC093);
        t.cpu.regs[ESP] = 0x100;
        t.exec(0x8B, 0x44, 0x24, 0x04);
        assertThat(t.reg(EAX)).isEqualTo(0xAAAA);
    }

    @Test
    void flat_ebpBase_usesSs() {
        CpuTestSupport t = CpuTestSupport.flat32().poke32(0x10000 + 0x200, 0xBBBB).set(EBP, 0x200);
        t.cpu.setSegmentCache(Cpu.SS, 0x18, 0x10000, 0xFFFF_FFFF, 0xC093);
        t.exec(0x8B, 0x45, 0x00);
        assertThat(t.reg(EAX)).isEqualTo(0xBBBB);
    }

    @Test
    void flat_scaledIndexWithoutBase() {
        CpuTestSupport t = CpuTestSupport.flat32().poke32(0x20010, 0xCCCC).set(EAX, 8);
        t.exec(0x8B, 0x04, 0x45, 0x00, 0x00, 0x02, 0x00);
        assertThat(t.reg(EAX)).isEqualTo(0xCCCC);
    }

    @Test
    void flat_addressSizePrefix_uses16BitForms() {
        CpuTestSupport t = CpuTestSupport.flat32().poke32(0x0300, 0xDDDD).set(EBX, 0xFFFF_0300).exec(0x67, 0x8B, 0x07);
        assertThat(t.reg(EAX)).isEqualTo(0xDDDD);
    }

    @Test
    void flat_fsOverride() {
        CpuTestSupport t = CpuTestSupport.flat32().poke32(0x40008, 0xEEEE).set(EBX, 8);
        t.cpu.setSegmentCache(Cpu.FS, 0x20, 0x40000, 0xFFFF, 0xC093);
        t.exec(0x64, 0x8B, 0x03);
        assertThat(t.reg(EAX)).isEqualTo(0xEEEE);
    }

    @Test
    void pm_beyondDataLimit_isGeneralProtection() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.setSegmentCache(Cpu.DS, 0x10, 0, 0xFFF, 0xC093);
        CpuFault f = t.fault(0x8B, 0x05, 0xFE, 0x0F, 0x00, 0x00);
        assertThat(f.vector).isEqualTo(Vectors.GP);
        assertThat(f.errorCode).isZero();
    }

    @Test
    void pm_beyondStackLimit_isStackFault() {
        CpuTestSupport t = CpuTestSupport.flat32().set(ESP, 0x1000);
        t.cpu.setSegmentCache(Cpu.SS, 0x10, 0, 0xFFF, 0xC093);
        CpuFault f = t.fault(0x8B, 0x04, 0x24);
        assertThat(f.vector).isEqualTo(Vectors.SS);
        assertThat(f.errorCode).isZero();
    }

    @Test
    void pm_expandDown_validAboveLimitOnly() {
        CpuTestSupport t = CpuTestSupport.flat32().poke32(0x2000, 0x1357);
        t.cpu.setSegmentCache(Cpu.DS, 0x10, 0, 0xFFF, 0xC097);
        t.exec(0x8B, 0x05, 0x00, 0x20, 0x00, 0x00);
        assertThat(t.reg(EAX)).isEqualTo(0x1357);
        CpuTestSupport u = CpuTestSupport.flat32();
        u.cpu.setSegmentCache(Cpu.DS, 0x10, 0, 0xFFF, 0xC097);
        assertThat(u.fault(0x8B, 0x05, 0xFF, 0x0F, 0x00, 0x00).vector).isEqualTo(Vectors.GP);
    }

    @Test
    void pm_writeToReadOnlyData_isGeneralProtection() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 5);
        t.cpu.setSegmentCache(Cpu.DS, 0x10, 0, 0xFFFF_FFFF, 0xC091);
        CpuFault f = t.fault(0x89, 0x05, 0x00, 0x00, 0x02, 0x00);
        assertThat(f.vector).isEqualTo(Vectors.GP);
        assertThat(t.read32(0x20000)).isZero();
    }

    @Test
    void pm_writeThroughCsOverride_isGeneralProtection() {
        CpuFault f = CpuTestSupport.flat32().fault(0x2E, 0x89, 0x05, 0x00, 0x00, 0x02, 0x00);
        assertThat(f.vector).isEqualTo(Vectors.GP);
    }

    @Test
    void pm_nullSegment_isGeneralProtection() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.setSegmentCache(Cpu.ES, 0, 0, 0, 0);
        assertThat(t.fault(0x26, 0x8B, 0x03).vector).isEqualTo(Vectors.GP);
    }

    @Test
    void pm_readRmwFault_leavesFlagsAndMemory() {
        CpuTestSupport t = CpuTestSupport.flat32().flags(Cpu.CF);
        t.cpu.setSegmentCache(Cpu.DS, 0x10, 0, 0xFFFF_FFFF, 0xC091);
        CpuFault f = t.fault(0x01, 0x05, 0x00, 0x00, 0x02, 0x00); // add [0x20000], eax
        assertThat(f.vector).isEqualTo(Vectors.GP);
        assertThat(t.flags()).isEqualTo(Cpu.CF);
    }
    // ---- push and pop (Mem.push/pop decide the stack size once: round 5 of docs/performance.md) ----

    @Test
    void pm_sixteenBitStack_pushAndPopWrapSpAndKeepTheHighHalfOfEsp() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0xCAFE_BABE).set(ESP, 0x1234_0002);
        t.cpu.setSegmentCache(Cpu.SS, 0x10, 0x10000, 0xFFFF, 0x93); // B = 0: SP addresses the stack
        t.exec(0x66, 0x50,  // push ax: SP 2 -> 0, the word at SS:0
                0x50,       // push eax: SP 0 -> 0xFFFC (wraps; without the wrap it would fault)
                0x5B,       // pop ebx: from SS:0xFFFC, SP -> 0 (wraps)
                0x66, 0x59); // pop cx: from SS:0, SP -> 2
        assertThat(t.read16(0x10000)).isEqualTo(0xBABE);
        assertThat(t.read32(0x1FFFC)).isEqualTo(0xCAFE_BABE);
        assertThat(t.reg(EBX)).isEqualTo(0xCAFE_BABE);
        assertThat(t.reg(Cpu.ECX) & 0xFFFF).isEqualTo(0xBABE);
        assertThat(t.reg(ESP)).isEqualTo(0x1234_0002);
    }

    @Test
    void pm_sixteenBitStack_pushKeepsTheHighHalfOfEsp() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0x1357_9BDF).set(ESP, 0x1234_0000);
        t.cpu.setSegmentCache(Cpu.SS, 0x10, 0x10000, 0xFFFF, 0x93);
        t.exec(0x50);
        assertThat(t.reg(ESP)).isEqualTo(0x1234_FFFC);
        assertThat(t.read32(0x1FFFC)).isEqualTo(0x1357_9BDF);
    }

    @Test
    void pm_thirtyTwoBitStack_pushAndPopUseAllOfEsp() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0x0BAD_F00D).set(ESP, 0x0002_0000);
        t.exec(0x50);
        assertThat(t.reg(ESP)).isEqualTo(0x0001_FFFC);           // no 16-bit wrap
        assertThat(t.read32(0x1FFFC)).isEqualTo(0x0BAD_F00D);
        CpuTestSupport u = CpuTestSupport.flat32().poke32(0x1FFFC, 0x0BAD_F00D).set(ESP, 0x0001_FFFC);
        u.exec(0x5A);                                              // pop edx
        assertThat(u.reg(Cpu.EDX)).isEqualTo(0x0BAD_F00D);
        assertThat(u.reg(ESP)).isEqualTo(0x0002_0000);
    }

    @Test
    void pm_pushPastTheStackLimit_isStackFaultAndChangesNothing() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0x1111_2222).set(ESP, 0x3002);
        t.cpu.setSegmentCache(Cpu.SS, 0x10, 0, 0x2FFF, 0xC093);   // 32-bit stack, limit 0x2FFF
        CpuFault f = t.fault(0x50);                                // 0x2FFE..0x3001: the last 2 bytes are outside
        assertThat(f.vector).isEqualTo(Vectors.SS);
        assertThat(t.reg(ESP)).isEqualTo(0x3002);
        assertThat(t.read32(0x2FFC)).isZero();
        assertThat(t.read32(0x3000)).isZero();
        CpuTestSupport u = CpuTestSupport.flat32().set(ESP, 0x3000);
        u.cpu.setSegmentCache(Cpu.SS, 0x10, 0, 0x2FFF, 0xC093);
        CpuFault g = u.fault(0x5B);                                // pop ebx at 0x3000: outside
        assertThat(g.vector).isEqualTo(Vectors.SS);
        assertThat(u.reg(ESP)).isEqualTo(0x3000);
    }
}
