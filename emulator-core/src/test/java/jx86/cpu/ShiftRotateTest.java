package jx86.cpu;

import static jx86.cpu.Cpu.AF;
import static jx86.cpu.Cpu.CF;
import static jx86.cpu.Cpu.EAX;
import static jx86.cpu.Cpu.EBX;
import static jx86.cpu.Cpu.ECX;
import static jx86.cpu.Cpu.OF;
import static jx86.cpu.Cpu.PF;
import static jx86.cpu.Cpu.SF;
import static jx86.cpu.Cpu.ZF;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShiftRotateTest {
    /** AF is undefined after shifts and not compared. */
    private static final int DEFINED = CpuTestSupport.STATUS & ~AF;

    private static CpuTestSupport run(int eax, int ecx, int flagsIn, int... code) {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.set(EAX, eax).set(ECX, ecx).set(EBX, 0x9ABC_DEF0).flags(flagsIn);
        return t.exec(code);
    }

    @Test
    void shl1_msbOut_setsCfAndOf() {
        CpuTestSupport t = run(0x8000_0000, 0, 0, 0xD1, 0xE0);
        assertThat(t.reg(EAX)).isZero();
        assertThat(t.flags() & DEFINED).isEqualTo(CF | OF | ZF | PF);
    }

    @Test
    void shl1_intoSignBit_setsOfNotCf() {
        CpuTestSupport t = run(0x4000_0000, 0, CF, 0xD1, 0xE0);
        assertThat(t.reg(EAX)).isEqualTo(0x8000_0000);
        assertThat(t.flags() & DEFINED).isEqualTo(OF | SF | PF);
    }

    @Test
    void shl_countZero_changesNoFlags() {
        CpuTestSupport t = run(1, 0, CF | ZF | AF, 0xD3, 0xE0);
        assertThat(t.reg(EAX)).isEqualTo(1);
        assertThat(t.flags()).isEqualTo(CF | ZF | AF);
    }

    @Test
    void shl_count32_isMaskedToZero() {
        CpuTestSupport t = run(1, 32, OF, 0xD3, 0xE0);
        assertThat(t.reg(EAX)).isEqualTo(1);
        assertThat(t.flags()).isEqualTo(OF);
    }

    @Test
    void shl_count31() {
        CpuTestSupport t = run(3, 31, 0, 0xD3, 0xE0);
        assertThat(t.reg(EAX)).isEqualTo(0x8000_0000);
        assertThat(t.flags() & (CF | ZF | SF | PF)).isEqualTo(CF | SF | PF);
    }

    @Test
    void shl8_countEqualsWidth_lastBitOutIsBit0() {
        CpuTestSupport t = run(0x1234_5601, 8, 0, 0xD2, 0xE0);
        assertThat(t.reg(EAX)).isEqualTo(0x1234_5600);
        assertThat(t.flags() & (CF | ZF | SF | PF)).isEqualTo(CF | ZF | PF);
    }

    @Test
    void shr1_ofIsOriginalMsb() {
        CpuTestSupport t = run(0x8000_0001, 0, 0, 0xD1, 0xE8);
        assertThat(t.reg(EAX)).isEqualTo(0x4000_0000);
        assertThat(t.flags() & DEFINED).isEqualTo(CF | OF | PF);
    }

    @Test
    void shr16_imm() {
        CpuTestSupport t = run(0xFFFF_8001, 0, 0, 0x66, 0xC1, 0xE8, 0x0F); // shr ax, 15
        assertThat(t.reg(EAX)).isEqualTo(0xFFFF_0001);
        assertThat(t.flags() & (CF | ZF | SF | PF)).isZero();
    }

    @Test
    void sar31_replicatesSign() {
        CpuTestSupport t = run(0x8000_0000, 31, 0, 0xD3, 0xF8);
        assertThat(t.reg(EAX)).isEqualTo(-1);
        assertThat(t.flags() & (CF | ZF | SF | PF)).isEqualTo(SF | PF);
    }

    @Test
    void sar8_by1_clearsOf() {
        CpuTestSupport t = run(0x81, 0, OF, 0xD0, 0xF8);
        assertThat(t.reg(EAX)).isEqualTo(0xC0);
        assertThat(t.flags() & DEFINED).isEqualTo(CF | SF | PF);
    }

    @Test
    void rol1_changesOnlyCfOf() {
        CpuTestSupport t = run(0x8000_0000, 0, ZF, 0xD1, 0xC0);
        assertThat(t.reg(EAX)).isEqualTo(1);
        assertThat(t.flags()).isEqualTo(CF | OF | ZF);
    }

    @Test
    void ror1_ofIsXorOfTopTwoBits() {
        CpuTestSupport t = run(1, 0, 0, 0xD1, 0xC8);
        assertThat(t.reg(EAX)).isEqualTo(0x8000_0000);
        assertThat(t.flags()).isEqualTo(CF | OF);
    }

    @Test
    void rol8_countEqualsWidth_setsCfFromBit0() {
        CpuTestSupport t = run(0x01, 8, 0, 0xD2, 0xC0);
        assertThat(t.reg(EAX)).isEqualTo(0x01);
        assertThat(t.flags() & CF).isEqualTo(CF);
    }

    @Test
    void rcl8_throughCarry() {
        CpuTestSupport t = run(0x80, 0, CF, 0xD0, 0xD0);
        assertThat(t.reg(EAX)).isEqualTo(0x01);
        assertThat(t.flags()).isEqualTo(CF | OF);
    }

    @Test
    void rcl8_count2() {
        CpuTestSupport t = run(0xC0, 2, 0, 0xD2, 0xD0);
        assertThat(t.reg(EAX)).isEqualTo(0x01);
        assertThat(t.flags() & CF).isEqualTo(CF);
    }

    @Test
    void rcl8_count9_isIdentity() {
        CpuTestSupport t = run(0x5A, 9, CF, 0xD2, 0xD0);
        assertThat(t.reg(EAX)).isEqualTo(0x5A);
        assertThat(t.flags() & CF).isEqualTo(CF);
    }

    @Test
    void rcr32_carryIntoMsb() {
        CpuTestSupport t = run(0, 0, CF, 0xD1, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(0x8000_0000);
        assertThat(t.flags()).isEqualTo(OF);
    }

    @Test
    void rcr16_count17_isIdentity() {
        CpuTestSupport t = run(0x1234, 17, 0, 0x66, 0xD3, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(0x1234);
        assertThat(t.flags() & CF).isZero();
    }

    @Test
    void shld32_by4() {
        CpuTestSupport t = run(0x1234_5678, 4, 0, 0x0F, 0xA5, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(0x2345_6789);
        assertThat(t.flags() & (CF | ZF | SF | PF)).isEqualTo(CF);
    }

    @Test
    void shrd32_imm4() {
        CpuTestSupport t = run(0x1234_5678, 0, 0, 0x0F, 0xAC, 0xD8, 0x04);
        assertThat(t.reg(EAX)).isEqualTo(0x0123_4567);
        assertThat(t.flags() & (CF | ZF | SF | PF)).isEqualTo(CF);
    }

    @Test
    void shrd16_imm8() {
        CpuTestSupport t = run(0x1234, 0, 0, 0x66, 0xBB, 0xCD, 0xAB, 0x66, 0x0F, 0xAC, 0xD8, 0x08);
        assertThat(t.reg(EAX) & 0xFFFF).isEqualTo(0xCD12);
        assertThat(t.flags() & (CF | ZF | SF | PF)).isEqualTo(SF | PF);
    }

    @Test
    void shld_count1_ofIsSignChange() {
        CpuTestSupport t = run(0x4000_0000, 1, 0, 0x0F, 0xA5, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(0x8000_0001);
        assertThat(t.flags() & (CF | OF | SF)).isEqualTo(OF | SF);
    }

    @Test
    void shld_countZero_changesNothing() {
        CpuTestSupport t = run(0x1234_5678, 0, ZF, 0x0F, 0xA5, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(0x1234_5678);
        assertThat(t.flags()).isEqualTo(ZF);
    }

    @Test
    void shift32_matchesTheGeneralShiftForEveryOperationAndCount() {
        Cpu a = CpuTestSupport.flat32().cpu;
        Cpu b = CpuTestSupport.flat32().cpu;
        int[] values = {0, 1, 0x8000_0000, 0x7FFF_FFFF, -1, 0x1234_5678, 0xCAFE_BABE, 0x0000_FF00};
        for (int op = 0; op < 8; op++) {
            for (int v : values) {
                for (int n = 1; n < 32; n++) {
                    a.setEflags(2 | CF);
                    b.setEflags(2 | CF);
                    int fast = ShiftRotate.shift32(a, op, v, n);
                    int general = ShiftRotate.shift(b, op, 4, v, n);
                    assertThat(fast).as("op %d v %08x n %d", op, v, n).isEqualTo(general);
                    assertThat(a.getEflags()).as("flags op %d v %08x n %d", op, v, n).isEqualTo(b.getEflags());
                }
            }
        }
    }
}
