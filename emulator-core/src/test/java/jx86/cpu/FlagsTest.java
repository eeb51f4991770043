package jx86.cpu;

import static jx86.cpu.Cpu.CF;
import static jx86.cpu.Cpu.OF;
import static jx86.cpu.Cpu.PF;
import static jx86.cpu.Cpu.SF;
import static jx86.cpu.Cpu.ZF;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FlagsTest {
    private static boolean[] conds(int status) {
        CpuTestSupport t = CpuTestSupport.flat32().flags(status);
        boolean[] r = new boolean[16];
        for (int cc = 0; cc < 16; cc++) {
            r[cc] = Flags.cond(t.cpu, cc);
        }
        return r;
    }

    @Test
    void cond_signWithoutOverflow_isLess() {
        boolean[] c = conds(SF);
        assertThat(c[0xC]).isTrue();
        assertThat(c[0xD]).isFalse();
        assertThat(c[0xE]).isTrue();
        assertThat(c[0xF]).isFalse();
        assertThat(c[0x8]).isTrue();
        assertThat(c[0x9]).isFalse();
    }

    @Test
    void cond_signAndOverflow_isGreaterOrEqual() {
        boolean[] c = conds(SF | OF);
        assertThat(c[0xC]).isFalse();
        assertThat(c[0xD]).isTrue();
        assertThat(c[0xF]).isTrue();
        assertThat(c[0x0]).isTrue();
        assertThat(c[0x1]).isFalse();
    }

    @Test
    void cond_zero_isEqualAndBelowOrEqual() {
        boolean[] c = conds(ZF);
        assertThat(c[0x4]).isTrue();
        assertThat(c[0x5]).isFalse();
        assertThat(c[0x6]).isTrue();
        assertThat(c[0x7]).isFalse();
        assertThat(c[0xE]).isTrue();
    }

    @Test
    void cond_carryAndParity() {
        boolean[] c = conds(CF | PF);
        assertThat(c[0x2]).isTrue();
        assertThat(c[0x3]).isFalse();
        assertThat(c[0x6]).isTrue();
        assertThat(c[0xA]).isTrue();
        assertThat(c[0xB]).isFalse();
    }

    @Test
    void lazySub_conditionsMatchUnsignedAndSignedCompare() {
        CpuTestSupport t = CpuTestSupport.flat32();
        Alu.arith(t.cpu, Alu.CMP, 4, 0x8000_0000, 1); // -2^31 vs 1: signed less, unsigned above
        assertThat(Flags.cond(t.cpu, 0xC)).isTrue();
        assertThat(Flags.cond(t.cpu, 0x7)).isTrue();
        assertThat(Flags.cond(t.cpu, 0x2)).isFalse();
        assertThat(Flags.cond(t.cpu, 0x0)).isTrue();
    }

    /**
     * Every condition code after a CMP and after an AND (Flags.cond's condSub and condLogic, which
     * test only the flags a condition reads) agrees with the condition worked out from the EFLAGS
     * bits, for operands at the carry, sign and overflow edges of each operand size.
     */
    @Test
    void everyCondition_afterCmpAndAnd_matchesTheEflagsBits() {
        int[] values = {0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1234_5678};
        CpuTestSupport t = CpuTestSupport.flat32();
        for (int op : new int[] {Alu.CMP, Alu.AND}) {
            for (int size : new int[] {1, 2, 4}) {
                for (int a : values) {
                    for (int b : values) {
                        Alu.arith(t.cpu, op, size, a, b);
                        boolean[] lazy = new boolean[16]; // before getEflags, which settles the flags
                        for (int cc = 0; cc < 16; cc++) {
                            lazy[cc] = Flags.cond(t.cpu, cc);
                        }
                        int f = t.cpu.getEflags();
                        boolean of = (f & 0x800) != 0;
                        boolean cf = (f & 1) != 0;
                        boolean zf = (f & 0x40) != 0;
                        boolean sf = (f & 0x80) != 0;
                        boolean[] holds = {of, cf, zf, cf || zf, sf, (f & 4) != 0, sf != of, zf || sf != of};
                        for (int cc = 0; cc < 16; cc++) {
                            assertThat(lazy[cc]).as("op %d, size %d, %x, %x, cc %x", op, size, a, b, cc)
                                    .isEqualTo(holds[cc >> 1] != ((cc & 1) != 0));
                        }
                    }
                }
            }
        }
    }

    @Test
    void parity_countsLowByteOnly() {
        assertThat(Flags.parity(0x0300)).isTrue();
        assertThat(Flags.parity(0x01)).isFalse();
        assertThat(Flags.parity(0xFF)).isTrue();
    }
}
