package jx86.cpu;

import static jx86.cpu.Cpu.AF;
import static jx86.cpu.Cpu.CF;
import static jx86.cpu.Cpu.DF;
import static jx86.cpu.Cpu.EAX;
import static jx86.cpu.Cpu.ESP;
import static jx86.cpu.Cpu.IF;
import static jx86.cpu.Cpu.IOPL_MASK;
import static jx86.cpu.Cpu.OF;
import static jx86.cpu.Cpu.PF;
import static jx86.cpu.Cpu.SF;
import static jx86.cpu.Cpu.ZF;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

class FlagControlTest {
    @Test
    void popf_cpl0_changesIoplAndIf() {
        CpuTestSupport t = CpuTestSupport.flat32().exec(0x68, 0x03, 0x32, 0x00, 0x00, 0x9D); // push 0x3203; popf
        assertThat(t.cpu.getEflags()).isEqualTo(0x3203);
        assertThat(t.reg(ESP)).isEqualTo(CpuTestSupport.STACK_TOP);
    }

    @Test
    void popf_cpl3_keepsIoplAndIf() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.setCpl(3);
        t.code(0x68, 0x03, 0x32, 0x00, 0x00, 0x9D);
        Exec.execute(t.cpu);
        Exec.execute(t.cpu);
        assertThat(t.cpu.getEflags()).isEqualTo(0x0003);
    }

    @Test
    void popf_cplNotAboveIopl_canChangeIf() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.setEflags(IOPL_MASK);
        t.cpu.setCpl(3);
        t.code(0x68, 0x00, 0x02, 0x00, 0x00, 0x9D);
        Exec.execute(t.cpu);
        Exec.execute(t.cpu);
        assertThat(t.cpu.getEflags()).isEqualTo(IOPL_MASK | IF | 2);
    }

    @Test
    void popf16_realMode_changesOnlyLowWord() {
        CpuTestSupport t = CpuTestSupport.real();
        t.cpu.setEflags(Cpu.AC | 2);
        t.code(0x68, 0xFF, 0xFE, 0x9D);
        Exec.execute(t.cpu);
        Exec.execute(t.cpu);
        assertThat(t.cpu.getEflags()).isEqualTo(Cpu.AC | 0x7ED7);
    }

    @Test
    void pushf_materializesLazyFlagsAndClearsRf() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, -1);
        t.cpu.setEflags(Cpu.RF | 2);
        t.exec(0x40, 0x9C); // inc eax -> 0 (ZF PF AF); pushf
        assertThat(t.read32(CpuTestSupport.STACK_TOP - 4)).isEqualTo(ZF | PF | AF | 2);
    }

    @Test
    void lahfSahf() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0x00FF).flags(CF | ZF).exec(0x9E); // sahf with AH=0
        assertThat(t.flags()).isZero();
        CpuTestSupport u = CpuTestSupport.flat32().set(EAX, 0xFF00).flags(OF).exec(0x9E, 0x9F);
        assertThat(u.flags()).isEqualTo(CF | PF | AF | ZF | SF | OF);
        assertThat(u.reg(EAX)).isEqualTo(0xD700);
    }

    @Test
    void carryAndDirectionControl() {
        CpuTestSupport t = CpuTestSupport.flat32().exec(0xF9, 0xF5, 0xF5, 0xFD); // stc; cmc; cmc; std
        assertThat(t.flags()).isEqualTo(CF);
        assertThat(t.cpu.getEflags() & DF).isEqualTo(DF);
        CpuTestSupport u = CpuTestSupport.flat32().flags(CF).exec(0xF8, 0xFC);
        assertThat(u.flags()).isZero();
        assertThat(u.cpu.getEflags() & DF).isZero();
    }

    @Test
    void cli_cplAboveIopl_isGeneralProtection() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.setCpl(3);
        assertThat(t.fault(0xFA).vector).isEqualTo(Vectors.GP);
    }

    @Test
    void sti_fromIfClear_inhibitsInterruptsForOneInstruction() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.code(0xFB, 0xFB);
        Exec.execute(t.cpu);
        assertThat(t.cpu.getEflags() & IF).isEqualTo(IF);
        assertThat(t.cpu.inhibitInterrupts).isTrue();
        t.cpu.inhibitInterrupts = false;
        Exec.execute(t.cpu);
        assertThat(t.cpu.inhibitInterrupts).isFalse();
    }

    @Test
    void pushfPopf_v86WithIoplBelow3_isGeneralProtection() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.setEflags(Cpu.VM | 2);
        t.cpu.setCpl(3);
        assertThat(t.fault(0x9C).vector).isEqualTo(Vectors.GP);
        CpuTestSupport u = CpuTestSupport.flat32();
        u.cpu.setEflags(Cpu.VM | 2);
        u.cpu.setCpl(3);
        assertThat(u.fault(0x9D).vector).isEqualTo(Vectors.GP);
    }
}
