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

    /**
     * UD1 (0F B9 /r), added as one table row: it raises #UD at its own address, but only after its
     * ModR/M, SIB and displacement are fetched, so a fetch fault there comes first (SDM Vol. 3A
     * 6.9: code faults of the next instruction before its decode faults); LOCK does not change it.
     */
    @Test
    void ud1_isInvalidOpcode_afterItsWholeEncodingIsFetched() {
        CpuTestSupport t = CpuTestSupport.flat32();
        assertThat(t.fault(0x0F, 0xB9, 0xC0).vector).isEqualTo(Vectors.UD);
        assertThat(t.cpu.eip).isEqualTo(CpuTestSupport.CODE);
        assertThat(CpuTestSupport.flat32().fault(0xF0, 0x0F, 0xB9, 0x00).vector).isEqualTo(Vectors.UD);
        assertThat(CpuTestSupport.real().fault(0x0F, 0xB9, 0x44, 0x24, 0x08).vector).isEqualTo(Vectors.UD);
        // ud1 0x1000,%eax with the CS limit ending inside the disp32: the fetch's #GP(0) wins.
        CpuTestSupport u = CpuTestSupport.flat32();
        u.cpu.segLimit[Cpu.CS] = CpuTestSupport.CODE + 4;
        jx86.arch.CpuFault f = u.fault(0x0F, 0xB9, 0x05, 0x00, 0x10, 0x00, 0x00);
        assertThat(f.vector).isEqualTo(Vectors.GP);
        // UD2 has no ModR/M: the same limit gives #UD.
        CpuTestSupport w = CpuTestSupport.flat32();
        w.cpu.segLimit[Cpu.CS] = CpuTestSupport.CODE + 2;
        assertThat(w.fault(0x0F, 0x0B).vector).isEqualTo(Vectors.UD);
    }
}
