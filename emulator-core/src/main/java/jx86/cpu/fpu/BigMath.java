package jx86.cpu.fpu;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Decimal series for the transcendental instructions and the constants: exact conversion between
 * {@link Ext80} and {@link BigDecimal}, and ln, exp, atan, sin, cos to about 60 significant digits
 * (some 200 bits, far beyond the 64-bit significand), so each result is rounded once.
 */
final class BigMath {
    static final MathContext MC = new MathContext(60, RoundingMode.HALF_EVEN);
    /** For the argument reduction of FSIN/FCOS/FPTAN: 2^63 / (pi/2) needs 19 more digits. */
    private static final MathContext WIDE = new MathContext(130, RoundingMode.HALF_EVEN);
    static final BigDecimal TWO = BigDecimal.valueOf(2);
    static final BigDecimal LN2 = atanhInv(3, WIDE).multiply(TWO, WIDE);
    static final BigDecimal LN10 = LN2.multiply(BigDecimal.valueOf(3), WIDE).add(atanhInv(9, WIDE).multiply(TWO, WIDE), WIDE);
    static final BigDecimal PI = atanInv(5, WIDE).multiply(BigDecimal.valueOf(16), WIDE)
            .subtract(atanInv(239, WIDE).multiply(BigDecimal.valueOf(4), WIDE), WIDE);
    static final BigDecimal HALF_PI = PI.divide(TWO, WIDE);

    private BigMath() {
    }

    /** atanh(1/n) = sum 1/((2k+1) n^(2k+1)). */
    private static BigDecimal atanhInv(int n, MathContext mc) {
        return inverseSeries(n, mc, false);
    }

    /** atan(1/n) = sum (-1)^k/((2k+1) n^(2k+1)). */
    private static BigDecimal atanInv(int n, MathContext mc) {
        return inverseSeries(n, mc, true);
    }

    private static BigDecimal inverseSeries(int n, MathContext mc, boolean alternate) {
        BigDecimal nn = BigDecimal.valueOf((long) n * n);
        BigDecimal p = BigDecimal.ONE.divide(BigDecimal.valueOf(n), mc);
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(mc.getPrecision() + 5);
        for (int k = 0; p.compareTo(eps) > 0; k++) {
            BigDecimal t = p.divide(BigDecimal.valueOf(2L * k + 1), mc);
            sum = alternate && (k & 1) == 1 ? sum.subtract(t, mc) : sum.add(t, mc);
            p = p.divide(nn, mc);
        }
        return sum;
    }

    /** The exact value of a finite operand. */
    static BigDecimal exact(Ext80 x) {
        if (x.isZero()) {
            return BigDecimal.ZERO;
        }
        BigInteger mg = F80Math.mag(x);
        int e = F80Math.e2(x);
        BigDecimal d = e >= 0 ? new BigDecimal(mg.shiftLeft(e))
                : new BigDecimal(mg.multiply(BigInteger.valueOf(5).pow(-e)), -e);
        return x.negative() ? d.negate() : d;
    }

    /** Rounds an approximation (far more precise than 64 bits) to a register result; it is never taken as exact. */
    static Ext80 round(F80Math m, BigDecimal v) {
        if (v.signum() == 0) {
            return Ext80.POS_ZERO;
        }
        boolean neg = v.signum() < 0;
        v = v.abs();
        BigInteger u = v.unscaledValue();
        int s = v.scale();
        long approx = u.bitLength() - Math.round(s * 3.321928094887362);
        int k = (int) (170 - approx);
        BigInteger num = u;
        BigInteger den = BigInteger.ONE;
        if (s >= 0) {
            den = BigInteger.TEN.pow(s);
        } else {
            num = num.multiply(BigInteger.TEN.pow(-s));
        }
        if (k >= 0) {
            num = num.shiftLeft(k);
        } else {
            den = den.shiftLeft(-k);
        }
        BigInteger q = num.divide(den).shiftLeft(1).setBit(0);
        return m.roundExt(neg, q, -k - 1);
    }

    /** ln(x) for x > 0 (exact binary input): e*ln2 + 2 atanh((f-1)/(f+1)) with f in [1, 2). */
    static BigDecimal ln(Ext80 x) {
        BigInteger mg = F80Math.mag(x);
        int e = F80Math.e2(x) + mg.bitLength() - 1;
        BigDecimal f = exact(new Ext80(Ext80.BIAS, mg.shiftLeft(64 - mg.bitLength()).longValue()));
        BigDecimal z = f.subtract(BigDecimal.ONE).divide(f.add(BigDecimal.ONE), MC);
        return LN2.multiply(BigDecimal.valueOf(e), MC).add(atanh(z), MC);
    }

    /** ln(1 + v) for |v| < 1, accurate for tiny v. */
    static BigDecimal ln1p(BigDecimal v) {
        BigDecimal z = v.divide(TWO.add(v), MC);
        return atanh(z);
    }

    /** 2 atanh(z) = ln((1+z)/(1-z)). */
    private static BigDecimal atanh(BigDecimal z) {
        BigDecimal z2 = z.multiply(z, MC);
        BigDecimal p = z;
        BigDecimal sum = BigDecimal.ZERO;
        for (int k = 0; k < 2000 && p.signum() != 0; k++) {
            BigDecimal t = p.divide(BigDecimal.valueOf(2L * k + 1), MC);
            sum = sum.add(t, MC);
            if (sum.signum() != 0 && t.abs().compareTo(sum.abs().movePointLeft(65)) < 0) {
                break;
            }
            p = p.multiply(z2, MC);
        }
        return sum.multiply(TWO, MC);
    }

    /** e^t - 1, accurate for tiny t (|t| <= 1). */
    static BigDecimal expm1(BigDecimal t) {
        BigDecimal term = t;
        BigDecimal sum = BigDecimal.ZERO;
        for (int k = 2; k < 500 && term.signum() != 0; k++) {
            sum = sum.add(term, MC);
            if (term.abs().compareTo(sum.abs().movePointLeft(65)) < 0) {
                break;
            }
            term = term.multiply(t, MC).divide(BigDecimal.valueOf(k), MC);
        }
        return sum;
    }

    /** atan(z) for any finite z. */
    static BigDecimal atan(BigDecimal z) {
        if (z.signum() < 0) {
            return atan(z.negate()).negate();
        }
        if (z.compareTo(BigDecimal.ONE) > 0) {
            return HALF_PI.round(MC).subtract(atan(BigDecimal.ONE.divide(z, MC)), MC);
        }
        // Two halvings: atan(z) = 2 atan(z / (1 + sqrt(1 + z^2))).
        for (int i = 0; i < 2; i++) {
            BigDecimal r = BigDecimal.ONE.add(z.multiply(z, MC), MC).sqrt(MC);
            z = z.divide(BigDecimal.ONE.add(r, MC), MC);
        }
        BigDecimal z2 = z.multiply(z, MC);
        BigDecimal p = z;
        BigDecimal sum = BigDecimal.ZERO;
        for (int k = 0; k < 2000 && p.signum() != 0; k++) {
            BigDecimal t = p.divide(BigDecimal.valueOf(2L * k + 1), MC);
            sum = (k & 1) == 0 ? sum.add(t, MC) : sum.subtract(t, MC);
            if (t.compareTo(sum.abs().movePointLeft(65)) < 0) {
                break;
            }
            p = p.multiply(z2, MC);
        }
        return sum.multiply(BigDecimal.valueOf(4), MC);
    }

    /** {sin x, cos x} with the argument reduced by a 130-digit pi/2. */
    static BigDecimal[] sinCos(BigDecimal x) {
        BigDecimal n = x.divide(HALF_PI, WIDE).setScale(0, RoundingMode.HALF_EVEN);
        BigDecimal r = x.subtract(n.multiply(HALF_PI, WIDE), WIDE).round(MC);
        BigDecimal s = taylor(r, true);
        BigDecimal c = taylor(r, false);
        int q = n.toBigInteger().and(BigInteger.valueOf(3)).intValue();
        return switch (q) {
            case 0 -> new BigDecimal[] {s, c};
            case 1 -> new BigDecimal[] {c, s.negate()};
            case 2 -> new BigDecimal[] {s.negate(), c.negate()};
            default -> new BigDecimal[] {c.negate(), s};
        };
    }

    private static BigDecimal taylor(BigDecimal r, boolean sine) {
        BigDecimal r2 = r.multiply(r, MC);
        BigDecimal term = sine ? r : BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ZERO;
        int k = sine ? 1 : 0;
        for (int i = 0; i < 500 && term.signum() != 0; i++) {
            sum = sum.add(term, MC);
            if (term.abs().compareTo(sum.abs().movePointLeft(65)) < 0) {
                break;
            }
            term = term.multiply(r2, MC).divide(BigDecimal.valueOf((long) (k + 1) * (k + 2)), MC).negate();
            k += 2;
        }
        return sum;
    }
}
