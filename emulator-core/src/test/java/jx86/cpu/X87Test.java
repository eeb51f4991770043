package jx86.cpu;

import static jx86.cpu.Cpu.EAX;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import jx86.arch.Vectors;
import jx86.cpu.fpu.Ext80;
import org.junit.jupiter.api.Test;

/** The x87 hooked into the CPU: #NM, #MF and FERR#, environment layouts, a few computations. */
class X87Test {
    private static final int D = CpuTestSupport.DATA;

    private static int[] addr(int a) {
        return new int[] {a & 0xFF, (a >>> 8) & 0xFF, (a >>> 16) & 0xFF, a >>> 24};
    }

    private static int[] cat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int k = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, k, p.length);
            k += p.length;
        }
        return out;
    }

    @Test
    void escape_withEmOrTs_isNm_andWaitOnlyWithMpAndTs() {
        CpuTestSupport em = CpuTestSupport.flat32();
        em.cpu.cr0 |= Cpu.CR0_EM;
        assertThat(em.fault(0xD9, 0xE8).vector).isEqualTo(Vectors.NM);
        CpuTestSupport ts = CpuTestSupport.flat32();
        ts.cpu.cr0 |= Cpu.CR0_TS;
        assertThat(ts.fault(0xD9, 0xE8).vector).isEqualTo(Vectors.NM);
        CpuTestSupport mp = CpuTestSupport.flat32();
        mp.cpu.cr0 |= Cpu.CR0_TS | Cpu.CR0_MP;
        assertThat(mp.fault(0x9B).vector).isEqualTo(Vectors.NM);
        CpuTestSupport tsOnly = CpuTestSupport.flat32();
        tsOnly.cpu.cr0 |= Cpu.CR0_TS | Cpu.CR0_EM;
        tsOnly.exec(0x9B); // WAIT ignores EM and needs MP with TS
    }

    @Test
    void divideByZero_unmasked_isMfAtTheNextWaitingInstruction() {
        CpuTestSupport t = CpuTestSupport.flat32().poke16(D, 0x037B); // ZM clear
        t.cpu.cr0 |= Cpu.CR0_NE;
        // fninit; fldcw [D]; fld1; fldz; fdivp st(1), st; fnstsw ax; fld1
        int[] code = cat(new int[] {0xDB, 0xE3, 0xD9, 0x2D}, addr(D), new int[] {0xD9, 0xE8, 0xD9, 0xEE, 0xDE, 0xF9,
            0xDF, 0xE0, 0xD9, 0xE8});
        var f = t.fault(code);
        assertThat(f.vector).isEqualTo(Vectors.MF);
        assertThat(t.cpu.eip).as("the faulting FLD1").isEqualTo(CpuTestSupport.CODE + 16);
        assertThat(t.reg(EAX) & 0xFFFF).as("FNSTSW: B, ES, ZE, TOP 6 (no pop)").isEqualTo(0x8000 | 0x3000 | 0x80 | 0x04);
        assertThat(t.cpu.fpu.st(0)).as("destination unchanged").isEqualTo(Ext80.POS_ZERO);
    }

    @Test
    void divideByZero_masked_givesInfinity() {
        CpuTestSupport t = CpuTestSupport.flat32();
        // fninit; fld1; fldz; fdivp st(1), st; fstp qword [D]; fnstsw ax
        t.exec(cat(new int[] {0xDB, 0xE3, 0xD9, 0xE8, 0xD9, 0xEE, 0xDE, 0xF9, 0xDD, 0x1D}, addr(D),
                new int[] {0xDF, 0xE0}));
        assertThat(((long) t.read32(D + 4) << 32) | (t.read32(D) & 0xFFFF_FFFFL))
                .isEqualTo(Double.doubleToRawLongBits(Double.POSITIVE_INFINITY));
        assertThat(t.reg(EAX) & 0xFF).isEqualTo(0x04);
    }

    @Test
    void ne0_assertsFerr_andPortF0ClearsIt() {
        CpuTestSupport t = CpuTestSupport.flat32().poke16(D, 0x037B);
        List<Boolean> ferr = new ArrayList<>();
        t.cpu.setFerrListener(ferr::add);
        t.exec(cat(new int[] {0xDB, 0xE3, 0xD9, 0x2D}, addr(D), new int[] {0xD9, 0xE8, 0xD9, 0xEE, 0xDE, 0xF9,
            0x9B}));
        assertThat(ferr).containsExactly(true);
        t.cpu.clearFerr();
        assertThat(ferr).containsExactly(true, false);
    }

    @Test
    void arithmetic_oneThirdAsDouble_andSqrtTwo() {
        CpuTestSupport t = CpuTestSupport.flat32().poke32(D + 16, 3);
        // fninit; fld1; fidiv dword [D+16]; fstp qword [D]; fld1; fld1; faddp; fsqrt; fstp qword [D+8]
        t.exec(cat(new int[] {0xDB, 0xE3, 0xD9, 0xE8, 0xDA, 0x35}, addr(D + 16), new int[] {0xDD, 0x1D}, addr(D),
                new int[] {0xD9, 0xE8, 0xD9, 0xE8, 0xDE, 0xC1, 0xD9, 0xFA, 0xDD, 0x1D}, addr(D + 8)));
        assertThat(((long) t.read32(D + 4) << 32) | (t.read32(D) & 0xFFFF_FFFFL))
                .isEqualTo(Double.doubleToRawLongBits(1.0 / 3));
        assertThat(((long) t.read32(D + 12) << 32) | (t.read32(D + 8) & 0xFFFF_FFFFL))
                .isEqualTo(Double.doubleToRawLongBits(Math.sqrt(2)));
    }

    @Test
    void fsin_fcos_fpatan_f2xm1_fyl2x_agreeWithDoubleMath() {
        CpuTestSupport t = CpuTestSupport.flat32();
        long half = Double.doubleToRawLongBits(0.5);
        t.poke32(D, (int) half).poke32(D + 4, (int) (half >>> 32));
        // fninit; fld qword [D]; fsin; fstp qword [D+8]; fld qword [D]; fcos; fstp qword [D+16];
        // fld1; fld qword [D]; fpatan (atan(1/0.5)); fstp qword [D+24]; fld qword [D]; f2xm1; fstp [D+32];
        // fld1; fld qword [D]; fyl2x (1 * log2 0.5 = -1); fstp [D+40]
        t.exec(cat(new int[] {0xDB, 0xE3, 0xDD, 0x05}, addr(D), new int[] {0xD9, 0xFE, 0xDD, 0x1D}, addr(D + 8),
                new int[] {0xDD, 0x05}, addr(D), new int[] {0xD9, 0xFF, 0xDD, 0x1D}, addr(D + 16),
                new int[] {0xD9, 0xE8, 0xDD, 0x05}, addr(D), new int[] {0xD9, 0xF3, 0xDD, 0x1D}, addr(D + 24),
                new int[] {0xDD, 0x05}, addr(D), new int[] {0xD9, 0xF0, 0xDD, 0x1D}, addr(D + 32),
                new int[] {0xD9, 0xE8, 0xDD, 0x05}, addr(D), new int[] {0xD9, 0xF1, 0xDD, 0x1D}, addr(D + 40)));
        assertThat(dbl(t, D + 8)).isCloseTo(Math.sin(0.5), org.assertj.core.data.Offset.offset(1e-16));
        assertThat(dbl(t, D + 16)).isCloseTo(Math.cos(0.5), org.assertj.core.data.Offset.offset(1e-16));
        assertThat(dbl(t, D + 24)).isCloseTo(Math.atan2(1, 0.5), org.assertj.core.data.Offset.offset(1e-16));
        assertThat(dbl(t, D + 32)).isCloseTo(0.41421356237309504880, org.assertj.core.data.Offset.offset(1e-16));
        assertThat(dbl(t, D + 40)).isEqualTo(-0.5 * 2);
    }

    /**
     * The transcendental instructions to the last bit of the 64-bit significand (precision control
     * 64, round to nearest). Intel documents an error of at most one ulp; jx86 rounds them
     * correctly (docs/cpu.md). The expected values were computed outside jx86: with Python's
     * decimal module to 80 digits (Taylor and atanh series), rounded to 64 bits, and they are the
     * results of the host's x87 (AMD EPYC) for the same instructions.
     */
    @Test
    void transcendentals_areCorrectlyRoundedTo64Bits() {
        long half = Double.doubleToRawLongBits(0.5);
        long quarter = Double.doubleToRawLongBits(0.25);
        CpuTestSupport t = CpuTestSupport.flat32().poke32(D, (int) half).poke32(D + 4, (int) (half >>> 32))
                .poke32(D + 8, 3).poke32(D + 16, (int) quarter).poke32(D + 20, (int) (quarter >>> 32));
        int[] fldHalf = cat(new int[] {0xDD, 0x05}, addr(D));
        t.exec(cat(new int[] {0xDB, 0xE3},
                fldHalf, new int[] {0xD9, 0xFE, 0xDB, 0x3D}, addr(D + 32),                     // fsin
                fldHalf, new int[] {0xD9, 0xFF, 0xDB, 0x3D}, addr(D + 48),                     // fcos
                fldHalf, new int[] {0xD9, 0xF2, 0xDD, 0xD8, 0xDB, 0x3D}, addr(D + 64),         // fptan; fstp st(0)
                new int[] {0xD9, 0xE8}, fldHalf, new int[] {0xD9, 0xF3, 0xDB, 0x3D}, addr(D + 80),   // fpatan(1, 0.5)
                fldHalf, new int[] {0xD9, 0xF0, 0xDB, 0x3D}, addr(D + 96),                     // f2xm1
                new int[] {0xD9, 0xE8, 0xDB, 0x05}, addr(D + 8), new int[] {0xD9, 0xF1, 0xDB, 0x3D}, addr(D + 112), // fyl2x(1, 3)
                new int[] {0xD9, 0xE8, 0xDD, 0x05}, addr(D + 16), new int[] {0xD9, 0xF9, 0xDB, 0x3D}, addr(D + 128))); // fyl2xp1(1, 0.25)
        assertThat(ext80(t, D + 32)).as("sin 0.5").isEqualTo("3ffd:f57743a2582f7f44");
        assertThat(ext80(t, D + 48)).as("cos 0.5").isEqualTo("3ffe:e0a94032dbea7cee");
        assertThat(ext80(t, D + 64)).as("tan 0.5").isEqualTo("3ffe:8bda7adf9a3a5219");
        assertThat(ext80(t, D + 80)).as("atan(1 / 0.5)").isEqualTo("3fff:8db70c975df22363");
        assertThat(ext80(t, D + 96)).as("2^0.5 - 1").isEqualTo("3ffd:d413cccfe7799211");
        assertThat(ext80(t, D + 112)).as("1 * log2 3").isEqualTo("3fff:cae00d1cfdeb43d0");
        assertThat(ext80(t, D + 128)).as("1 * log2(1 + 0.25)").isEqualTo("3ffd:a4d3c25e68dc57f2");
    }

    /** The 80-bit value stored at {@code a} as "exponent word:significand" in hex. */
    private static String ext80(CpuTestSupport t, int a) {
        return String.format("%04x:%08x%08x", t.read16(a + 8), t.read32(a + 4), t.read32(a));
    }

    private static double dbl(CpuTestSupport t, int a) {
        return Double.longBitsToDouble(((long) t.read32(a + 4) << 32) | (t.read32(a) & 0xFFFF_FFFFL));
    }

    @Test
    void fnstenv16_realMode_storesLinearPointersAndOpcode() {
        CpuTestSupport t = CpuTestSupport.real();
        // fninit; fld1; fld tbyte [0x3000]; fnstenv [0x2000]  (16-bit real-mode layout, 14 bytes)
        t.exec(0xDB, 0xE3, 0xD9, 0xE8, 0xDB, 0x2E, 0x00, 0x30, 0xD9, 0x36, 0x00, 0x20);
        assertThat(t.read16(0x2000)).as("CW, exceptions masked by FSTENV").isEqualTo(0x037F);
        assertThat(t.read16(0x2002) >>> 11 & 7).as("TOP").isEqualTo(6);
        assertThat(t.read16(0x2004)).as("tag word: R7 valid (1.0), R6 zero").isEqualTo(0x1FFF);
        assertThat(t.read16(0x2006)).as("FIP low").isEqualTo(CpuTestSupport.CODE + 4);
        assertThat(t.read16(0x2008)).as("FIP[19:16] << 12 | opcode").isEqualTo(0x32E);
        assertThat(t.read16(0x200A)).as("FDP low").isEqualTo(0x3000);
    }

    @Test
    void fsaveFrstor32_roundTripTheWholeState() {
        CpuTestSupport t = CpuTestSupport.flat32().poke16(D + 200, 0x0F7F);
        // fninit; fldcw [D+200]; fldpi; fld1; fnsave [D]; fld1 (state reinitialised); frstor [D]; fnstcw [D+202]
        t.exec(cat(new int[] {0xDB, 0xE3, 0xD9, 0x2D}, addr(D + 200), new int[] {0xD9, 0xEB, 0xD9, 0xE8, 0xDD, 0x35},
                addr(D), new int[] {0xD9, 0xE8, 0xDD, 0x25}, addr(D), new int[] {0xD9, 0x3D}, addr(D + 202)));
        assertThat(t.read16(D + 202)).isEqualTo(0x0F7F);
        assertThat(t.cpu.fpu.st(0)).isEqualTo(Ext80.ONE);
        assertThat(t.cpu.fpu.st(1)).as("pi rounded toward zero").isEqualTo(new Ext80(0x4000, 0xC90F_DAA2_2168_C234L));
        assertThat(t.cpu.fpu.tagWord()).isEqualTo(0x0FFF);
        assertThat(t.read16(D + 8)).as("tag word in the image").isEqualTo(0x0FFF);
    }

    /** FNSAVE/FRSTOR with a 16-bit operand size in protected mode: the 94-byte image of SDM vol. 1 figure 8-11. */
    @Test
    void fsaveFrstor16_protectedMode_writeAndReadThe94ByteImage() {
        long two = Double.doubleToRawLongBits(2.0);
        CpuTestSupport t = CpuTestSupport.flat32().poke16(D + 200, 0x0F7F)
                .poke32(D + 304, (int) two).poke32(D + 308, (int) (two >>> 32));
        // fninit; fldcw [D+200]; fldpi; fld qword [D+304] (at CODE+10); o16 fnsave [D]; o16 frstor [D]; fnstcw [D+202]
        t.exec(cat(new int[] {0xDB, 0xE3, 0xD9, 0x2D}, addr(D + 200), new int[] {0xD9, 0xEB, 0xDD, 0x05}, addr(D + 304),
                new int[] {0x66, 0xDD, 0x35}, addr(D), new int[] {0x66, 0xDD, 0x25}, addr(D), new int[] {0xD9, 0x3D},
                addr(D + 202)));
        assertThat(t.read16(D)).as("CW").isEqualTo(0x0F7F);
        assertThat(t.read16(D + 2) >>> 11 & 7).as("SW's TOP, a word after CW").isEqualTo(6);
        assertThat(t.read16(D + 4)).as("TW").isEqualTo(0x0FFF);
        assertThat(t.read16(D + 6)).as("FIP offset (16 bits)").isEqualTo((CpuTestSupport.CODE + 10) & 0xFFFF);
        assertThat(t.read16(D + 8)).as("FCS").isEqualTo(0x08);
        assertThat(t.read16(D + 10)).as("FDP offset (16 bits)").isEqualTo((D + 304) & 0xFFFF);
        assertThat(t.read16(D + 12)).as("FDS").isEqualTo(0x10);
        assertThat(t.read32(D + 14)).as("ST(0) = 2.0 at byte 14").isZero();
        assertThat(t.read32(D + 18)).isEqualTo(0x8000_0000);
        assertThat(t.read16(D + 22)).isEqualTo(0x4000);
        assertThat(t.read32(D + 28)).as("ST(1) = pi rounded toward zero").isEqualTo(0xC90F_DAA2);
        assertThat(t.read16(D + 32)).isEqualTo(0x4000);
        assertThat(t.read16(D + 202)).as("CW after FRSTOR").isEqualTo(0x0F7F);
        assertThat(t.cpu.fpu.st(0)).isEqualTo(new Ext80(0x4000, 0x8000_0000_0000_0000L));
        assertThat(t.cpu.fpu.st(1)).isEqualTo(new Ext80(0x4000, 0xC90F_DAA2_2168_C234L));
        assertThat(t.cpu.fpu.tagWord()).isEqualTo(0x0FFF);
    }

    /** FNSTENV's 28-byte protected-mode image (SDM vol. 1 figure 8-9): pointers, selectors and opcode. */
    @Test
    void fstenv32_protectedMode_storesPointersSelectorsAndOpcode() {
        CpuTestSupport t = CpuTestSupport.flat32();
        // fninit; fld qword [D+304] (at CODE+2, opcode DD 05 -> 0x505); fnstenv [D]
        t.exec(cat(new int[] {0xDB, 0xE3, 0xDD, 0x05}, addr(D + 304), new int[] {0xD9, 0x35}, addr(D)));
        assertThat(t.read16(D)).as("CW").isEqualTo(0x037F);
        assertThat(t.read16(D + 4)).as("SW: TOP 7").isEqualTo(0x3800);
        assertThat(t.read16(D + 8)).as("TW: R7 holds +0.0 (tag 01, zero)").isEqualTo(0x7FFF);
        assertThat(t.read32(D + 12)).as("FIP").isEqualTo(CpuTestSupport.CODE + 2);
        assertThat(t.read32(D + 16) & 0x07FF_FFFF).as("opcode << 16 | FCS").isEqualTo(0x0505_0008);
        assertThat(t.read32(D + 20)).as("FDP").isEqualTo(D + 304);
        assertThat(t.read16(D + 24)).as("FDS").isEqualTo(0x10);
    }

    /** FLDENV in both sizes: the 28-byte and (with an operand-size prefix) the 14-byte image. */
    @Test
    void fldenv32And16_loadControlAndStatusWordsFromTheirLayouts() {
        CpuTestSupport t = CpuTestSupport.flat32()
                .poke16(D, 0x0E7F).poke16(D + 4, 0x6800).poke16(D + 8, 0xFFFF)                   // 32-bit image
                .poke16(D + 100, 0x0A7F).poke16(D + 102, 0x4100).poke16(D + 104, 0xFFFF);        // 16-bit image
        // fldenv [D]; fnstcw [D+200]; fnstsw [D+202]; o16 fldenv [D+100]; fnstcw [D+204]; fnstsw [D+206]
        t.exec(cat(new int[] {0xD9, 0x25}, addr(D), new int[] {0xD9, 0x3D}, addr(D + 200), new int[] {0xDD, 0x3D},
                addr(D + 202), new int[] {0x66, 0xD9, 0x25}, addr(D + 100), new int[] {0xD9, 0x3D}, addr(D + 204),
                new int[] {0xDD, 0x3D}, addr(D + 206)));
        assertThat(t.read16(D + 200)).as("CW from the 28-byte image").isEqualTo(0x0E7F);
        assertThat(t.read16(D + 202)).as("SW from the 28-byte image: C3, TOP 5").isEqualTo(0x6800);
        assertThat(t.read16(D + 204)).as("CW from the 14-byte image").isEqualTo(0x0A7F);
        assertThat(t.read16(D + 206)).as("SW from the 14-byte image: C3, C0").isEqualTo(0x4100);
    }

    @Test
    void fcomi_setsZfPfCf_andFcmovReadsThem() {
        CpuTestSupport t = CpuTestSupport.flat32();
        // fninit; fld1; fldz; fcomi st, st(1) (0 < 1: CF); fcmovb st, st(1) (ST0 = 1)
        t.exec(0xDB, 0xE3, 0xD9, 0xE8, 0xD9, 0xEE, 0xDB, 0xF1, 0xDA, 0xC1);
        assertThat(t.flags() & (Cpu.ZF | Cpu.PF | Cpu.CF)).isEqualTo(Cpu.CF);
        assertThat(t.cpu.fpu.st(0)).isEqualTo(Ext80.ONE);
    }

    @Test
    void reservedEncodings_areUd() {
        assertThat(CpuTestSupport.flat32().fault(0xD9, 0xD1).vector).isEqualTo(Vectors.UD);
        assertThat(CpuTestSupport.flat32().fault(0xDB, 0x0D, 0, 0, 2, 0).vector).as("FISTTP is SSE3").isEqualTo(Vectors.UD);
    }

    @Test
    void resetState_isCw0040_tw5555() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.reset();
        assertThat(t.cpu.fpu.controlWord()).isEqualTo(0x0040);
        assertThat(t.cpu.fpu.statusWord()).isZero();
        assertThat(t.cpu.fpu.tagWord()).isEqualTo(0x5555);
    }
}
