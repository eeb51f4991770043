package jx86.cpu;

import static jx86.cpu.Cpu.EAX;
import static jx86.cpu.Cpu.EBP;
import static jx86.cpu.Cpu.EBX;
import static jx86.cpu.Cpu.ECX;
import static jx86.cpu.Cpu.ESP;
import static jx86.cpu.Cpu.ZF;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

class ControlTransferTest {
    private static final int TOP = CpuTestSupport.STACK_TOP;

    @Test
    void jcc_takenAndNotTaken() {
        // xor eax,eax (ZF=1); jz +5; mov eax,1; jnz +5 (not taken); mov ebx,2
        CpuTestSupport t = CpuTestSupport.flat32().exec(0x31, 0xC0, 0x74, 0x05, 0xB8, 0x01, 0, 0, 0, 0x75, 0x05,
                0xBB, 0x02, 0, 0, 0);
        assertThat(t.reg(EAX)).isZero();
        assertThat(t.reg(EBX)).isEqualTo(2);
    }

    @Test
    void jccNear_backwardBranchLoop() {
        // mov ecx,4; l: inc eax; dec ecx; jnz near l
        CpuTestSupport t = CpuTestSupport.flat32().exec(0xB9, 4, 0, 0, 0, 0x40, 0x49, 0x0F, 0x85, 0xF8, 0xFF, 0xFF, 0xFF);
        assertThat(t.reg(EAX)).isEqualTo(4);
        assertThat(t.reg(ECX)).isZero();
    }

    @Test
    void callRet_near() {
        CpuTestSupport t = CpuTestSupport.flat32().exec(0xE8, 0x06, 0, 0, 0, 0xB8, 0x01, 0, 0, 0, 0xF4,
                0xBB, 0x02, 0, 0, 0, 0xC3);
        assertThat(t.reg(EAX)).isEqualTo(1);
        assertThat(t.reg(EBX)).isEqualTo(2);
        assertThat(t.reg(ESP)).isEqualTo(TOP);
        assertThat(t.read32(TOP - 4)).isEqualTo(CpuTestSupport.CODE + 5);
    }

    @Test
    void retImm16_releasesArguments() {
        CpuTestSupport t = CpuTestSupport.flat32().exec(0x6A, 0x11, 0x6A, 0x22, 0xE8, 0x01, 0, 0, 0, 0xF4,
                0xC2, 0x08, 0x00);
        assertThat(t.reg(ESP)).isEqualTo(TOP);
        assertThat(t.cpu.eip).isEqualTo(CpuTestSupport.CODE + 10);
    }

    @Test
    void callIndirect_throughRegister() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EBX, CpuTestSupport.CODE + 3);
        t.exec(0xFF, 0xD3, 0xF4, 0xB8, 0x07, 0, 0, 0, 0xC3); // call ebx; hlt; mov eax,7; ret
        assertThat(t.reg(EAX)).isEqualTo(7);
    }

    @Test
    void loop_countsDownEcx() {
        CpuTestSupport t = CpuTestSupport.flat32().exec(0xB9, 3, 0, 0, 0, 0x40, 0xE2, 0xFD);
        assertThat(t.reg(EAX)).isEqualTo(3);
        assertThat(t.reg(ECX)).isZero();
    }

    @Test
    void loope_stopsWhenZfClear() {
        // mov ecx,5; l: inc eax; cmp eax,2; loope l
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 1)
                .exec(0xB9, 5, 0, 0, 0, 0x40, 0x83, 0xF8, 0x02, 0xE1, 0xFA);
        assertThat(t.reg(EAX)).isEqualTo(3);
        assertThat(t.reg(ECX)).isEqualTo(3);
    }

    @Test
    void jcxz_addressSizePrefixSelectsCx() {
        // ecx = 0x10000: JECXZ not taken, JCXZ (67) taken
        CpuTestSupport t = CpuTestSupport.flat32().set(ECX, 0x10000)
                .exec(0xE3, 0x01, 0x40, 0x67, 0xE3, 0x01, 0x43);
        assertThat(t.reg(EAX)).isEqualTo(1);
        assertThat(t.reg(EBX)).isZero();
    }

    @Test
    void loop16_realMode_decrementsCxOnly() {
        CpuTestSupport t = CpuTestSupport.real().set(ECX, 0x1_0002).exec(0x40, 0xE2, 0xFD);
        assertThat(t.reg(EAX)).isEqualTo(2);
        assertThat(t.reg(ECX)).isEqualTo(0x1_0000);
    }

    @Test
    void enter_levelZero() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EBP, 0x5555).exec(0xC8, 0x08, 0x00, 0x00);
        assertThat(t.reg(EBP)).isEqualTo(TOP - 4);
        assertThat(t.reg(ESP)).isEqualTo(TOP - 12);
        assertThat(t.read32(TOP - 4)).isEqualTo(0x5555);
    }

    @Test
    void enter_nestingLevel2_copiesFramePointers() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EBP, 0x8800).poke32(0x87FC, 0xAAAA);
        t.exec(0xC8, 0x04, 0x00, 0x02);
        assertThat(t.read32(TOP - 4)).isEqualTo(0x8800);
        assertThat(t.read32(TOP - 8)).isEqualTo(0xAAAA);
        assertThat(t.read32(TOP - 12)).isEqualTo(TOP - 4);
        assertThat(t.reg(EBP)).isEqualTo(TOP - 4);
        assertThat(t.reg(ESP)).isEqualTo(TOP - 16);
    }

    @Test
    void jmp_beyondCsLimit_isGeneralProtection() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.setSegmentCache(Cpu.CS, 0x08, 0, 0x1FFF, 0xC09B);
        assertThat(t.fault(0xE9, 0x00, 0x20, 0x00, 0x00).vector).isEqualTo(Vectors.GP);
    }

    @Test
    void call16_realMode_pushesWord() {
        CpuTestSupport t = CpuTestSupport.real().exec(0xE8, 0x01, 0x00, 0xF4, 0xC3);
        assertThat(t.reg(ESP) & 0xFFFF).isEqualTo(TOP);
        assertThat(t.read16(TOP - 2)).isEqualTo(CpuTestSupport.CODE + 3);
    }

    @Test
    void farJump_realMode() {
        CpuTestSupport t = CpuTestSupport.real().poke8(0x2100, 0x40).poke8(0x2101, 0xF4);
        t.exec(0xEA, 0x00, 0x01, 0x00, 0x02);
        assertThat(t.cpu.segSel[Cpu.CS]).isEqualTo(0x200);
        assertThat(t.reg(EAX)).isEqualTo(1);
        assertThat(t.cpu.eip).isEqualTo(0x102);
    }

    @Test
    void setcc_writesByte() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0xFFFF_FFFF).flags(ZF).exec(0x0F, 0x94, 0xC0, 0x0F, 0x95, 0xC4);
        assertThat(t.reg(EAX)).isEqualTo(0xFFFF_0001);
    }

    @Test
    void signedConditions() {
        // cmp eax(-1), ebx(1); setl cl; setg ch; setb dl (unsigned: 0xFFFFFFFF is not below 1)
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, -1).set(EBX, 1).set(ECX, 0xFFFF).set(Cpu.EDX, 0xFF)
                .exec(0x39, 0xD8, 0x0F, 0x9C, 0xC1, 0x0F, 0x9F, 0xC5, 0x0F, 0x92, 0xC2);
        assertThat(t.reg(ECX)).isEqualTo(0x0001);
        assertThat(t.reg(Cpu.EDX)).isZero();
    }
}
