package jx86.cpu;

import static jx86.cpu.Cpu.AF;
import static jx86.cpu.Cpu.CF;
import static jx86.cpu.Cpu.EAX;
import static jx86.cpu.Cpu.EBX;
import static jx86.cpu.Cpu.EDX;
import static jx86.cpu.Cpu.OF;
import static jx86.cpu.Cpu.PF;
import static jx86.cpu.Cpu.SF;
import static jx86.cpu.Cpu.ZF;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

class AluTest {
    private static CpuTestSupport run(int eax, int ebx, int flagsIn, int... code) {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.set(EAX, eax).set(EBX, ebx).flags(flagsIn);
        return t.exec(code);
    }

    @Test
    void add_signedOverflowIntoSignBit_setsOfSfAfPf() {
        CpuTestSupport t = run(0x7FFF_FFFF, 1, 0, 0x01, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(0x8000_0000);
        assertThat(t.flags()).isEqualTo(OF | SF | AF | PF);
    }

    @Test
    void add_carryOutOfBit31_setsCfZf() {
        CpuTestSupport t = run(-1, 1, 0, 0x01, 0xD8);
        assertThat(t.reg(EAX)).isZero();
        assertThat(t.flags()).isEqualTo(CF | ZF | AF | PF);
    }

    @Test
    void add8_carryOutOfBit7_keepsUpperBitsOfEax() {
        CpuTestSupport t = run(0x1234_5680, 0x80, 0, 0x00, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(0x1234_5600);
        assertThat(t.flags()).isEqualTo(CF | OF | ZF | PF);
    }

    @Test
    void add16_carryOutOfBit15() {
        CpuTestSupport t = run(0xABCD_FFFF, 1, 0, 0x66, 0x01, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(0xABCD_0000);
        assertThat(t.flags()).isEqualTo(CF | ZF | AF | PF);
    }

    @Test
    void adc_withCarryIn_wrapsToZero() {
        CpuTestSupport t = run(-1, 0, CF, 0x11, 0xD8);
        assertThat(t.reg(EAX)).isZero();
        assertThat(t.flags()).isEqualTo(CF | ZF | AF | PF);
    }

    @Test
    void adc_carryInCausesSignedOverflow() {
        CpuTestSupport t = run(0x7FFF_FFFF, 0, CF, 0x11, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(0x8000_0000);
        assertThat(t.flags()).isEqualTo(OF | SF | AF | PF);
    }

    @Test
    void sub_zeroMinusOne_borrows() {
        CpuTestSupport t = run(0, 1, 0, 0x29, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(-1);
        assertThat(t.flags()).isEqualTo(CF | SF | AF | PF);
    }

    @Test
    void sub_minIntMinusOne_overflows() {
        CpuTestSupport t = run(0x8000_0000, 1, 0, 0x29, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(0x7FFF_FFFF);
        assertThat(t.flags()).isEqualTo(OF | AF | PF);
    }

    @Test
    void sbb_withBorrowIn() {
        CpuTestSupport t = run(5, 5, CF, 0x19, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(-1);
        assertThat(t.flags()).isEqualTo(CF | SF | AF | PF);
    }

    @Test
    void sbb_equalOperandsWithBorrowIn_minusOne8bit() {
        CpuTestSupport t = run(0x80, 0x7F, CF, 0x18, 0xD8);
        assertThat(t.reg(EAX) & 0xFF).isEqualTo(0);
        assertThat(t.flags()).isEqualTo(OF | ZF | AF | PF);
    }

    @Test
    void cmp_equal_setsZfAndKeepsOperand() {
        CpuTestSupport t = run(0x1234, 0x1234, CF | SF, 0x39, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(0x1234);
        assertThat(t.flags()).isEqualTo(ZF | PF);
    }

    @Test
    void inc_preservesCarry_andOverflowsAtMaxInt() {
        CpuTestSupport t = run(0x7FFF_FFFF, 0, CF, 0x40);
        assertThat(t.reg(EAX)).isEqualTo(0x8000_0000);
        assertThat(t.flags()).isEqualTo(CF | OF | SF | AF | PF);
    }

    @Test
    void dec_zero_preservesClearCarry() {
        CpuTestSupport t = run(0, 0, 0, 0x48);
        assertThat(t.reg(EAX)).isEqualTo(-1);
        assertThat(t.flags()).isEqualTo(SF | AF | PF);
    }

    @Test
    void inc8_memory_wrapsToZero() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.poke8(0x20000, 0xFF).exec(0xFE, 0x05, 0x00, 0x00, 0x02, 0x00); // inc byte [0x20000]
        assertThat(t.read8(0x20000)).isZero();
        assertThat(t.flags()).isEqualTo(ZF | AF | PF);
    }

    @Test
    void neg_zero_clearsCarry() {
        CpuTestSupport t = run(0, 0, CF, 0xF7, 0xD8);
        assertThat(t.reg(EAX)).isZero();
        assertThat(t.flags()).isEqualTo(ZF | PF);
    }

    @Test
    void neg_minInt_overflows() {
        CpuTestSupport t = run(0x8000_0000, 0, 0, 0xF7, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(0x8000_0000);
        assertThat(t.flags()).isEqualTo(CF | OF | SF | PF);
    }

    @Test
    void neg_one_setsCarryAndAuxCarry() {
        CpuTestSupport t = run(1, 0, 0, 0xF7, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(-1);
        assertThat(t.flags()).isEqualTo(CF | SF | AF | PF);
    }

    @Test
    void and_clearsCarryAndOverflow() {
        CpuTestSupport t = run(0xF0F0, 0x0FF0, CF | OF, 0x21, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(0x00F0);
        assertThat(t.flags()).isEqualTo(PF);
    }

    @Test
    void xor_self_isZero() {
        CpuTestSupport t = run(0x1234_5678, 0, CF | SF | OF, 0x31, 0xC0);
        assertThat(t.reg(EAX)).isZero();
        assertThat(t.flags()).isEqualTo(ZF | PF);
    }

    @Test
    void or_negative_setsSign_oddParity() {
        CpuTestSupport t = run(0x8000_0000, 1, 0, 0x09, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(0x8000_0001);
        assertThat(t.flags()).isEqualTo(SF);
    }

    @Test
    void not_changesNoFlags() {
        CpuTestSupport t = run(0x0F0F_0F0F, 0, CF | ZF, 0xF7, 0xD0);
        assertThat(t.reg(EAX)).isEqualTo(0xF0F0_F0F0);
        assertThat(t.flags()).isEqualTo(CF | ZF);
    }

    @Test
    void test_imm_setsFlagsWithoutWriting() {
        CpuTestSupport t = run(0x80, 0, CF, 0xA8, 0x80); // test al, 0x80
        assertThat(t.reg(EAX)).isEqualTo(0x80);
        assertThat(t.flags()).isEqualTo(SF);
    }

    @Test
    void group1_83_signExtendsImmediate() {
        CpuTestSupport t = run(5, 0, 0, 0x83, 0xC0, 0xFF); // add eax, -1
        assertThat(t.reg(EAX)).isEqualTo(4);
        assertThat(t.flags()).isEqualTo(CF | AF);
    }

    @Test
    void mul32_highHalfNonZero_setsCfOf() {
        CpuTestSupport t = run(0x8000_0000, 2, 0, 0xF7, 0xE3);
        assertThat(t.reg(EAX)).isZero();
        assertThat(t.reg(EDX)).isEqualTo(1);
        assertThat(t.flags() & (CF | OF)).isEqualTo(CF | OF);
    }

    @Test
    void mul8_writesAx() {
        CpuTestSupport t = run(0xFFFF_FF10, 0x10, CF | OF, 0xF6, 0xE3);
        assertThat(t.reg(EAX)).isEqualTo(0xFFFF_0100);
        assertThat(t.flags() & (CF | OF)).isEqualTo(CF | OF);
    }

    @Test
    void imul32_oneOperand_minusOneSquared() {
        CpuTestSupport t = run(-1, -1, CF | OF, 0xF7, 0xEB);
        assertThat(t.reg(EAX)).isEqualTo(1);
        assertThat(t.reg(EDX)).isZero();
        assertThat(t.flags() & (CF | OF)).isZero();
    }

    @Test
    void imul_threeOperand_overflow() {
        CpuTestSupport t = run(0, 0x8000_0000, 0, 0x6B, 0xC3, 0xFF); // imul eax, ebx, -1
        assertThat(t.reg(EAX)).isEqualTo(0x8000_0000);
        assertThat(t.flags() & (CF | OF)).isEqualTo(CF | OF);
    }

    @Test
    void imul16_twoOperand_truncates() {
        CpuTestSupport t = run(0x5555_0100, 0x100, 0, 0x66, 0x0F, 0xAF, 0xC3); // imul ax, bx
        assertThat(t.reg(EAX)).isEqualTo(0x5555_0000);
        assertThat(t.flags() & (CF | OF)).isEqualTo(CF | OF);
    }

    @Test
    void div32_quotientAndRemainder() {
        CpuTestSupport t = run(100, 7, 0, 0x31, 0xD2, 0xF7, 0xF3); // xor edx,edx; div ebx
        assertThat(t.reg(EAX)).isEqualTo(14);
        assertThat(t.reg(EDX)).isEqualTo(2);
    }

    @Test
    void idiv32_truncatesTowardZero() {
        CpuTestSupport t = run(-7, 2, 0, 0x99, 0xF7, 0xFB); // cdq; idiv ebx
        assertThat(t.reg(EAX)).isEqualTo(-3);
        assertThat(t.reg(EDX)).isEqualTo(-1);
    }

    @Test
    void div8_quotientInAlRemainderInAh() {
        CpuTestSupport t = run(0x0101, 2, 0, 0xF6, 0xF3);
        assertThat(t.reg(EAX) & 0xFFFF).isEqualTo(0x0180);
    }

    @Test
    void div_byZero_isDivideError() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 1).set(EBX, 0);
        assertThat(t.fault(0xF7, 0xF3).vector).isEqualTo(Vectors.DE);
        assertThat(t.reg(EAX)).isEqualTo(1);
    }

    @Test
    void div_quotientTooLarge_isDivideError() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0).set(EDX, 1).set(EBX, 1);
        assertThat(t.fault(0xF7, 0xF3).vector).isEqualTo(Vectors.DE);
    }

    @Test
    void div8_quotientTooLarge_isDivideError() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0x200).set(EBX, 2);
        assertThat(t.fault(0xF6, 0xF3).vector).isEqualTo(Vectors.DE);
    }

    @Test
    void idiv_minIntByMinusOne_isDivideError() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0x8000_0000).set(EDX, -1).set(EBX, -1);
        assertThat(t.fault(0xF7, 0xFB).vector).isEqualTo(Vectors.DE);
    }

    @Test
    void idiv16_negativeQuotientLimit() {
        // DX:AX = -32768*2 = 0xFFFF0000, / 2 = -32768 fits
        CpuTestSupport t = run(0x0000_0000, 2, 0, 0x66, 0xBA, 0xFF, 0xFF, 0x66, 0xF7, 0xFB);
        assertThat(t.reg(EAX) & 0xFFFF).isEqualTo(0x8000);
        assertThat(t.reg(EDX) & 0xFFFF).isZero();
    }
}
