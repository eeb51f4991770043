package jx86.cpu.fpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The software extended-precision core: known bit patterns, and random operands checked against
 * exact BigDecimal arithmetic with a test-side criterion (the result's distance to the exact value
 * versus its neighbours' distance), independent of the core's own rounding code.
 */
class F80MathTest {
    private static F80Math math(int cw) {
        F80Math m = new F80Math();
        m.cw = cw;
        return m;
    }

    private static Ext80 x(int se, long sig) {
        return new Ext80(se, sig);
    }

    @Test
    void oneThird_roundsToNearestAndSetsPeAndC1() {
        F80Math m = math(0x037F);
        Ext80 r = m.div(Ext80.ONE, F80Math.fromLong(3));
        assertThat(r).isEqualTo(x(0x3FFD, 0xAAAA_AAAA_AAAA_AAABL));
        assertThat(m.exc).isEqualTo(F80Math.PE);
        assertThat(m.c1).isTrue();
    }

    @Test
    void oneThird_underPrecisionControl24And53() {
        assertThat(math(0x007F).div(Ext80.ONE, F80Math.fromLong(3))).isEqualTo(x(0x3FFD, 0xAAAA_AB00_0000_0000L));
        assertThat(math(0x027F).div(Ext80.ONE, F80Math.fromLong(3))).isEqualTo(x(0x3FFD, 0xAAAA_AAAA_AAAA_A800L));
        // round toward zero keeps the truncated significand
        assertThat(math(0x0F7F).div(Ext80.ONE, F80Math.fromLong(3))).isEqualTo(x(0x3FFD, 0xAAAA_AAAA_AAAA_AAAAL));
    }

    @Test
    void invalidOperations_giveTheRealIndefinite() {
        F80Math m = math(0x037F);
        assertThat(m.add(Ext80.POS_INF, Ext80.NEG_INF, false)).isEqualTo(Ext80.INDEFINITE);
        assertThat(m.mul(Ext80.POS_ZERO, Ext80.POS_INF)).isEqualTo(Ext80.INDEFINITE);
        assertThat(m.div(Ext80.POS_ZERO, Ext80.NEG_ZERO)).isEqualTo(Ext80.INDEFINITE);
        assertThat(m.sqrt(F80Math.fromLong(-4))).isEqualTo(Ext80.INDEFINITE);
        assertThat(Ext80.INDEFINITE.toString()).isEqualTo("FFFF:C000000000000000");
        assertThat(m.exc).isEqualTo(F80Math.IE);
    }

    @Test
    void divideByZero_isSignedInfinityWithZe() {
        F80Math m = math(0x037F);
        assertThat(m.div(F80Math.fromLong(-2), Ext80.POS_ZERO)).isEqualTo(Ext80.NEG_INF);
        assertThat(m.exc).isEqualTo(F80Math.ZE);
    }

    @Test
    void unsupportedFormats_areInvalidOperands() {
        F80Math m = math(0x037F);
        Ext80 unnormal = x(0x3FFF, 0x4000_0000_0000_0000L);
        Ext80 pseudoInf = x(0x7FFF, 0);
        Ext80 pseudoNaN = x(0x7FFF, 0x4000_0000_0000_0001L);
        for (Ext80 u : new Ext80[] {unnormal, pseudoInf, pseudoNaN}) {
            assertThat(u.isUnsupported()).isTrue();
            assertThat(m.add(u, Ext80.ONE, false)).isEqualTo(Ext80.INDEFINITE);
        }
        assertThat(m.exc).isEqualTo(F80Math.IE);
    }

    @Test
    void nanPropagation_snanAndQnanGiveTheQnan_twoNansTheLargerSignificand() {
        F80Math m = math(0x037F);
        Ext80 snan = x(0x7FFF, 0x8FFF_0000_0000_0000L);
        Ext80 qnan = x(0x7FFF, 0xC000_0000_0000_0001L);
        assertThat(m.add(snan, qnan, false)).isEqualTo(qnan);
        assertThat(m.exc).isEqualTo(F80Math.IE);
        Ext80 big = x(0xFFFF, 0xE000_0000_0000_0000L);
        assertThat(m.mul(qnan, big)).isEqualTo(big);
        assertThat(m.mul(snan, Ext80.ONE)).isEqualTo(x(0x7FFF, 0xCFFF_0000_0000_0000L));
    }

    @Test
    void pseudoDenormal_isADenormalOperandWithExponentOne() {
        F80Math m = math(0x037F);
        Ext80 pd = x(0x0000, 0x8000_0000_0000_0000L); // = 2^-16382
        assertThat(pd.isPseudoDenormal()).isTrue();
        Ext80 r = m.add(pd, Ext80.POS_ZERO, false);
        assertThat(r).isEqualTo(x(0x0001, 0x8000_0000_0000_0000L));
        assertThat(m.exc).isEqualTo(F80Math.DE);
    }

    @Test
    void maskedUnderflow_denormalizesAndFlagsUeOnlyWhenInexact() {
        F80Math m = math(0x037F);
        Ext80 tiny = x(0x0001, 0x8000_0000_0000_0000L); // smallest normal
        Ext80 half = x(0x3FFE, 0x8000_0000_0000_0000L);
        assertThat(m.mul(tiny, half)).isEqualTo(x(0x0000, 0x4000_0000_0000_0000L));
        assertThat(m.exc).isZero(); // exact: no UE, no PE
        m.clear();
        Ext80 third = m.div(Ext80.ONE, F80Math.fromLong(3));
        m.clear();
        Ext80 r = m.mul(tiny, third);
        assertThat(r.exp()).isZero();
        assertThat(m.exc).isEqualTo(F80Math.UE | F80Math.PE);
    }

    @Test
    void overflow_masked_givesInfinityOrLargestFiniteByRoundingMode() {
        Ext80 big = x(0x7FFE, 0xFFFF_FFFF_FFFF_FFFFL);
        F80Math rn = math(0x037F);
        assertThat(rn.add(big, big, false)).isEqualTo(Ext80.POS_INF);
        assertThat(rn.exc).isEqualTo(F80Math.OE | F80Math.PE);
        F80Math rz = math(0x0F7F);
        assertThat(rz.add(big, big, false)).isEqualTo(big);
        F80Math rz24 = math(0x0C7F);
        assertThat(rz24.add(big, big, false)).isEqualTo(x(0x7FFE, 0xFFFF_FF00_0000_0000L));
    }

    @Test
    void overflow_unmasked_toARegisterRebiasesBy24576() {
        F80Math m = math(0x0377); // OM clear
        Ext80 big = x(0x7FFE, 0x8000_0000_0000_0000L);
        Ext80 r = m.add(big, big, false);
        assertThat(r).isEqualTo(x(0x7FFF - 24576, 0x8000_0000_0000_0000L));
        assertThat(m.exc & F80Math.OE).isNotZero();
    }

    @Test
    void conversions_singleAndDouble() {
        F80Math m = math(0x037F);
        Ext80 pi = Constants.get(0xEB, 0);
        assertThat(pi).isEqualTo(x(0x4000, 0xC90F_DAA2_2168_C235L));
        assertThat(Constants.get(0xEB, 1)).isEqualTo(x(0x4000, 0xC90F_DAA2_2168_C234L));
        assertThat(m.toBinary(pi, 11, 52)).isEqualTo(Double.doubleToRawLongBits(Math.PI));
        assertThat(m.toBinary(pi, 8, 23)).isEqualTo(Float.floatToRawIntBits((float) Math.PI) & 0xFFFF_FFFFL);
        assertThat(m.fromBinary(Double.doubleToRawLongBits(0.1), 11, 52)).isEqualTo(x(0x3FFB, 0xCCCC_CCCC_CCCC_D000L));
        // the smallest double denormal, loaded exactly (DE), and stored back exactly
        F80Math d = math(0x037F);
        Ext80 min = d.fromBinary(1, 11, 52);
        assertThat(min).isEqualTo(x(0x3BCD, 0x8000_0000_0000_0000L));
        assertThat(d.exc).isEqualTo(F80Math.DE);
        assertThat(d.toBinary(min, 11, 52)).isEqualTo(1L);
    }

    @Test
    void integers_roundByRcAndOverflowToTheIndefinite() {
        F80Math m = math(0x037F);
        Ext80 twoAndHalf = x(0x4000, 0xA000_0000_0000_0000L);
        assertThat(m.toInt(twoAndHalf, 32)).isEqualTo(2); // ties to even
        assertThat(math(0x0B7F).toInt(twoAndHalf, 32)).isEqualTo(3); // up
        assertThat(math(0x077F).toInt(twoAndHalf.negate(), 32)).isEqualTo(-3); // down
        F80Math o = math(0x037F);
        assertThat(o.toInt(F80Math.fromLong(40000), 16)).as("the 16-bit integer indefinite").isEqualTo(0x8000L);
        assertThat(o.exc).isEqualTo(F80Math.IE);
        assertThat(math(0x037F).toInt(F80Math.fromLong(Long.MIN_VALUE), 64)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void bcd_roundTrip() {
        byte[] bcd = {(byte) 0x89, 0x67, 0x45, 0x23, 0x01, (byte) 0x99, 0, 0, 0, (byte) 0x80};
        Ext80 v = Bcd.decode(bcd);
        assertThat(v).isEqualTo(F80Math.fromLong(-990123456789L));
        assertThat(Bcd.encode(math(0x037F), v)).containsExactly(bcd);
        F80Math m = math(0x037F);
        assertThat(Bcd.encode(m, F80Math.fromLong(1_000_000_000_000_000_000L))).containsExactly(0, 0, 0, 0, 0, 0, 0, (byte) 0xC0, (byte) 0xFF, (byte) 0xFF);
        assertThat(m.exc).isEqualTo(F80Math.IE);
    }

    // ---- random operands against exact BigDecimal arithmetic ----

    private static BigDecimal exact(Ext80 v) {
        return BigMath.exact(v);
    }

    /** One unit in the last place of a normal result at 64-bit precision: 2^(exp - 16383 - 63). */
    private static BigDecimal ulp(Ext80 r) {
        return BigMath.exact(new Ext80(r.exp(), 1L));
    }

    private Ext80 random(Random rnd) {
        int exp = 0x3FFF + rnd.nextInt(200) - 100;
        long sig = rnd.nextLong() | Long.MIN_VALUE;
        if (rnd.nextBoolean()) {
            sig &= -1L << rnd.nextInt(60);
        }
        return new Ext80((rnd.nextBoolean() ? 0x8000 : 0) | exp, sig);
    }

    @Test
    void randomArithmetic_isCorrectlyRoundedToNearest() {
        Random rnd = new Random(87);
        MathContext wide = new MathContext(200);
        for (int i = 0; i < 3000; i++) {
            Ext80 a = random(rnd);
            Ext80 b = random(rnd);
            int op = i % 4;
            F80Math m = math(0x037F);
            Ext80 r = switch (op) {
                case 0 -> m.add(a, b, false);
                case 1 -> m.add(a, b, true);
                case 2 -> m.mul(a, b);
                default -> m.div(a, b);
            };
            BigDecimal e = switch (op) {
                case 0 -> exact(a).add(exact(b));
                case 1 -> exact(a).subtract(exact(b));
                case 2 -> exact(a).multiply(exact(b));
                default -> exact(a).divide(exact(b), wide);
            };
            if (r.isZero()) {
                assertThat(e.signum()).as("%s %d %s", a, op, b).isZero();
                continue;
            }
            BigDecimal err = e.subtract(exact(r)).abs();
            BigDecimal halfUlp = ulp(r).divide(BigDecimal.valueOf(2));
            assertThat(err).as("op %d of %s and %s gave %s", op, a, b, r).isLessThanOrEqualTo(halfUlp);
            assertThat(r.negative()).isEqualTo(e.signum() < 0);
            assertThat((m.exc & F80Math.PE) != 0).isEqualTo(err.signum() != 0);
        }
    }

    @Test
    void randomSqrt_isCorrectlyRounded() {
        Random rnd = new Random(88);
        for (int i = 0; i < 1000; i++) {
            Ext80 a = random(rnd).withSign(false);
            F80Math m = math(0x037F);
            Ext80 r = m.sqrt(a);
            BigDecimal half = ulp(r).divide(BigDecimal.valueOf(2));
            BigDecimal lo = exact(r).subtract(half);
            BigDecimal hi = exact(r).add(half);
            assertThat(lo.multiply(lo)).as("sqrt %s = %s", a, r).isLessThanOrEqualTo(exact(a));
            assertThat(hi.multiply(hi)).as("sqrt %s = %s", a, r).isGreaterThanOrEqualTo(exact(a));
        }
    }

    @Test
    void randomArithmetic_roundTowardZeroNeverIncreasesMagnitude() {
        Random rnd = new Random(89);
        for (int i = 0; i < 1000; i++) {
            Ext80 a = random(rnd);
            Ext80 b = random(rnd);
            F80Math m = math(0x0F7F);
            Ext80 r = m.mul(a, b);
            BigDecimal e = exact(a).multiply(exact(b)).abs();
            assertThat(exact(r).abs()).isLessThanOrEqualTo(e);
            assertThat(exact(r).abs().add(ulp(r))).isGreaterThan(e);
        }
    }
}
