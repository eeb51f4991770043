package jx86.cpu;

import static jx86.cpu.Cpu.EAX;
import static jx86.cpu.Cpu.EBX;
import static jx86.cpu.Cpu.ZF;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

class MiscTest {
    @Test
    void arpl_raisesRpl() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0x10).set(EBX, 3).exec(0x63, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(0x13);
        assertThat(t.flags() & ZF).isEqualTo(ZF);
        assertThat(CpuTestSupport.real().fault(0x63, 0xD8).vector).isEqualTo(Vectors.UD);
    }

    @Test
    void bound_outOfRange_isBoundRangeExceeded() {
        CpuTestSupport t = CpuTestSupport.flat32().poke32(0x20000, 0).poke32(0x20004, 10).set(EAX, 5);
        t.exec(0x62, 0x05, 0x00, 0x00, 0x02, 0x00);
        CpuTestSupport u = CpuTestSupport.flat32().poke32(0x20000, 0).poke32(0x20004, 10).set(EAX, 11);
        assertThat(u.fault(0x62, 0x05, 0x00, 0x00, 0x02, 0x00).vector).isEqualTo(Vectors.BR);
    }

    @Test
    void x87_withEmulationBit_isDeviceNotAvailable() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.setCr0(t.cpu.cr0 | Cpu.CR0_EM);
        assertThat(t.fault(0xDB, 0xE3).vector).isEqualTo(Vectors.NM);
    }

    @Test
    void x87_isPresent_fninitStatusAndControlWords() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0x1234FFFF).poke16(0x20000, 0x5A5A).poke16(0x20002, 0x5A5A);
        // fninit; fnstsw [0x20000]; fnstcw [0x20002]; fnstsw ax (the FPU detection sequence)
        t.exec(0xDB, 0xE3, 0xDD, 0x3D, 0x00, 0x00, 0x02, 0x00, 0xD9, 0x3D, 0x02, 0x00, 0x02, 0x00, 0xDF, 0xE0);
        assertThat(t.read16(0x20000)).isEqualTo(0);
        assertThat(t.read16(0x20002)).isEqualTo(0x037F);
        assertThat(t.reg(EAX)).isEqualTo(0x12340000);
    }

    @Test
    void hlt_atCpl3_isGeneralProtection() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.setCpl(3);
        assertThat(t.fault(0x90).vector).isEqualTo(Vectors.GP);
    }
}
