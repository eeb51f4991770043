package jx86.cpu;

import static jx86.cpu.Cpu.AF;
import static jx86.cpu.Cpu.CF;
import static jx86.cpu.Cpu.EAX;
import static jx86.cpu.Cpu.PF;
import static jx86.cpu.Cpu.SF;
import static jx86.cpu.Cpu.ZF;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

class DecimalArithTest {
    /** OF is undefined after DAA/DAS. */
    private static final int DAA_DEFINED = CF | PF | AF | ZF | SF;

    private static CpuTestSupport run(int eax, int flagsIn, int... code) {
        return CpuTestSupport.flat32().set(EAX, eax).flags(flagsIn).exec(code);
    }

    @Test
    void daa_lowNibbleAdjust() {
        CpuTestSupport t = run(0x0F, 0, 0x27);
        assertThat(t.reg(EAX)).isEqualTo(0x15);
        assertThat(t.flags() & DAA_DEFINED).isEqualTo(AF);
    }

    @Test
    void daa_bothNibblesAdjust_carriesOut() {
        CpuTestSupport t = run(0x9A, 0, 0x27);
        assertThat(t.reg(EAX)).isZero();
        assertThat(t.flags() & DAA_DEFINED).isEqualTo(CF | AF | ZF | PF);
    }

    @Test
    void daa_carryIn_addsSixty() {
        CpuTestSupport t = run(0x00, CF, 0x27);
        assertThat(t.reg(EAX)).isEqualTo(0x60);
        assertThat(t.flags() & DAA_DEFINED).isEqualTo(CF | PF);
    }

    @Test
    void das_auxBorrow() {
        CpuTestSupport t = run(0x0F, AF, 0x2F);
        assertThat(t.reg(EAX)).isEqualTo(0x09);
        assertThat(t.flags() & DAA_DEFINED).isEqualTo(AF | PF);
    }

    @Test
    void das_borrowIn_wrapsTo99() {
        CpuTestSupport t = run(0xFF, CF | AF, 0x2F);
        assertThat(t.reg(EAX)).isEqualTo(0x99);
        assertThat(t.flags() & DAA_DEFINED).isEqualTo(CF | AF | SF | PF);
    }

    @Test
    void aaa_adjustCarriesIntoAh() {
        CpuTestSupport t = run(0x000B, 0, 0x37);
        assertThat(t.reg(EAX)).isEqualTo(0x0101);
        assertThat(t.flags() & (AF | CF)).isEqualTo(AF | CF);
    }

    @Test
    void aaa_noAdjust_clearsCfAf_masksHighNibble() {
        CpuTestSupport t = run(0x0135, CF, 0x37);
        assertThat(t.reg(EAX)).isEqualTo(0x0105);
        assertThat(t.flags() & (AF | CF)).isZero();
    }

    @Test
    void aas_withAuxCarry_borrowsFromAh() {
        CpuTestSupport t = run(0x0208, AF, 0x3F);
        assertThat(t.reg(EAX)).isEqualTo(0x0102);
        assertThat(t.flags() & (AF | CF)).isEqualTo(AF | CF);
    }

    @Test
    void aam_splitsDecimalDigits() {
        CpuTestSupport t = run(0x4F, 0, 0xD4, 0x0A);
        assertThat(t.reg(EAX)).isEqualTo(0x0709);
        assertThat(t.flags() & (ZF | SF | PF)).isEqualTo(PF);
    }

    @Test
    void aam_zeroBase_isDivideError() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0x12);
        assertThat(t.fault(0xD4, 0x00).vector).isEqualTo(Vectors.DE);
        assertThat(t.reg(EAX)).isEqualTo(0x12);
    }

    @Test
    void aad_combinesDigits() {
        CpuTestSupport t = run(0x0709, 0, 0xD5, 0x0A);
        assertThat(t.reg(EAX)).isEqualTo(0x4F);
        assertThat(t.flags() & (ZF | SF | PF)).isZero();
    }

    @Test
    void aad_base16() {
        CpuTestSupport t = run(0x0203, 0, 0xD5, 0x10);
        assertThat(t.reg(EAX)).isEqualTo(0x23);
    }
}
