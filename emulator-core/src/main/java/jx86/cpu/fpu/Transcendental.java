package jx86.cpu.fpu;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * D9 F0-FF: F2XM1, FYL2X, FPTAN, FPATAN, FXTRACT, FPREM1, FDECSTP, FINCSTP, FPREM, FYL2XP1, FSQRT,
 * FSINCOS, FRNDINT, FSCALE, FSIN, FCOS (SDM Vol. 2). Transcendental results are computed to about
 * 200 bits ({@link BigMath}) and rounded once, so they are correctly rounded in all but
 * astronomically rare cases (Intel documents at most one ulp of error); FSIN/FCOS/FPTAN reduce
 * their argument with an exact pi where a P6 uses a 66-bit one (docs/cpu.md).
 */
final class Transcendental {
    private static final Ext80 TWO_63 = new Ext80(Ext80.BIAS + 63, Ext80.J);

    private Transcendental() {
    }

    static void d9F0(X87 f, int modrm) {
        switch (modrm) {
            case 0xF0 -> unary(f, Transcendental::f2xm1);
            case 0xF1 -> binaryPop(f, Transcendental::fyl2x);
            case 0xF2 -> fptan(f);
            case 0xF3 -> binaryPop(f, Transcendental::fpatan);
            case 0xF4 -> fxtract(f);
            case 0xF5 -> fprem(f, true);
            case 0xF6 -> {
                f.setStatusBits(0, X87.SW_C1);
                f.incTop(-1);
            }
            default -> {
                f.setStatusBits(0, X87.SW_C1);
                f.incTop(1);
            }
        }
    }

    static void d9F8(X87 f, int modrm) {
        switch (modrm) {
            case 0xF8 -> fprem(f, false);
            case 0xF9 -> binaryPop(f, Transcendental::fyl2xp1);
            case 0xFA -> unary(f, (m, x) -> m.sqrt(x));
            case 0xFB -> fsincos(f);
            case 0xFC -> unary(f, (m, x) -> m.roundInt(x));
            case 0xFD -> fscale(f);
            case 0xFE -> trig(f, true);
            default -> trig(f, false);
        }
    }

    interface Unary {
        Ext80 apply(F80Math m, Ext80 x);
    }

    interface Binary {
        Ext80 apply(F80Math m, Ext80 st0, Ext80 st1);
    }

    private static void unary(X87 f, Unary op) {
        if (f.emptyAt(0)) {
            if (f.stackUnderflow()) {
                f.set(0, Ext80.INDEFINITE);
            }
            return;
        }
        Ext80 r = op.apply(f.math(), f.st(0));
        if (f.finishOp()) {
            f.set(0, r);
        }
    }

    /** Operations on ST(0) and ST(1) whose result replaces ST(1), then pop. */
    private static void binaryPop(X87 f, Binary op) {
        if (f.emptyAt(0) || f.emptyAt(1)) {
            if (f.stackUnderflow()) {
                f.set(1, Ext80.INDEFINITE);
                f.doPop();
            }
            return;
        }
        Ext80 r = op.apply(f.math(), f.st(0), f.st(1));
        if (f.finishOp()) {
            f.set(1, r);
            f.doPop();
        }
    }

    private static Ext80 f2xm1(F80Math m, Ext80 x) {
        Ext80 s = m.special1(x);
        if (s != null) {
            return s;
        }
        if (x.isZero()) {
            return x;
        }
        if (x.isInf()) {
            return x.negative() ? Ext80.ONE.negate() : x;
        }
        if (m.denormal(x, null)) {
            return null;
        }
        if (x.exp() >= Ext80.BIAS + 16) {
            // Far outside the documented -1..+1 (result undefined): the limits of 2^x - 1.
            return x.negative() ? m.reround(Ext80.ONE.negate()) : m.mul(Ext80.POS_INF, Ext80.ONE);
        }
        BigDecimal v = BigMath.exact(x);
        if (v.abs().compareTo(BigDecimal.ONE) == 0) {
            return m.reround(v.signum() > 0 ? Ext80.ONE : new Ext80(Ext80.BIAS - 1, Ext80.J).negate());
        }
        return BigMath.round(m, BigMath.expm1(v.multiply(BigMath.LN2, BigMath.MC)));
    }

    /** FYL2X: ST(1) * log2(ST(0)). */
    private static Ext80 fyl2x(F80Math m, Ext80 x, Ext80 y) {
        Ext80 s = m.special2(x, y);
        if (s != null) {
            return s;
        }
        if (x.negative() && !x.isZero()) {
            return m.invalid();
        }
        if (x.isZero()) {
            if (y.isZero()) {
                return m.invalid();
            }
            if (!y.isInf()) {
                if (m.denormal(y, null)) {
                    return null;
                }
                m.exc |= F80Math.ZE;
            }
            return y.negative() ? Ext80.POS_INF : Ext80.NEG_INF;
        }
        if (x.isInf()) {
            if (y.isZero()) {
                return m.invalid();
            }
            return y.negative() ? Ext80.NEG_INF : Ext80.POS_INF;
        }
        if (m.denormal(x, y)) {
            return null;
        }
        int c = m.compare(x, Ext80.ONE, false);
        if (y.isInf()) {
            if (c == 0) {
                return m.invalid();
            }
            return (c < 0) != y.negative() ? Ext80.NEG_INF : Ext80.POS_INF;
        }
        if (c == 0 || y.isZero()) {
            boolean neg = y.negative() != (c < 0);
            return neg ? Ext80.NEG_ZERO : Ext80.POS_ZERO;
        }
        BigInteger mg = F80Math.mag(x);
        if (mg.bitCount() == 1) {
            // A power of two: log2 is the exact integer k and the product rounds once.
            int k = F80Math.e2(x) + mg.bitLength() - 1;
            return m.mul(y, F80Math.fromLong(k));
        }
        BigDecimal l = BigMath.ln(x).divide(BigMath.LN2, BigMath.MC);
        return BigMath.round(m, l.multiply(BigMath.exact(y), BigMath.MC));
    }

    /** FYL2XP1: ST(1) * log2(ST(0) + 1). */
    private static Ext80 fyl2xp1(F80Math m, Ext80 x, Ext80 y) {
        Ext80 s = m.special2(x, y);
        if (s != null) {
            return s;
        }
        if (x.isZero()) {
            if (y.isInf()) {
                return m.invalid();
            }
            if (m.denormal(y, null)) {
                return null;
            }
            boolean neg = x.negative() != y.negative();
            return neg ? Ext80.NEG_ZERO : Ext80.POS_ZERO;
        }
        if (x.isInf()) {
            if (x.negative() || y.isZero()) {
                return m.invalid();
            }
            return y.negative() ? Ext80.NEG_INF : Ext80.POS_INF;
        }
        if (m.denormal(x, y)) {
            return null;
        }
        BigDecimal v = BigMath.exact(x);
        if (v.compareTo(BigDecimal.ONE.negate()) <= 0) {
            return m.invalid();
        }
        if (y.isInf()) {
            return (x.negative() != y.negative()) ? Ext80.NEG_INF : Ext80.POS_INF;
        }
        if (y.isZero()) {
            return (x.negative() != y.negative()) ? Ext80.NEG_ZERO : Ext80.POS_ZERO;
        }
        BigDecimal l = BigMath.ln1p(v).divide(BigMath.LN2, BigMath.MC);
        return BigMath.round(m, l.multiply(BigMath.exact(y), BigMath.MC));
    }

    /** FPATAN: atan2(ST(1), ST(0)). */
    private static Ext80 fpatan(F80Math m, Ext80 x, Ext80 y) {
        Ext80 s = m.special2(y, x);
        if (s != null) {
            return s;
        }
        if (m.denormal(x, y)) {
            return null;
        }
        boolean yn = y.negative();
        BigDecimal pi = BigMath.PI;
        BigDecimal angle;
        if (y.isZero() || x.isInf() && !y.isInf()) {
            if (!x.negative()) {
                return yn ? Ext80.NEG_ZERO : Ext80.POS_ZERO;
            }
            angle = pi;
        } else if (y.isInf()) {
            if (x.isInf()) {
                angle = pi.multiply(BigDecimal.valueOf(x.negative() ? 3 : 1)).divide(BigDecimal.valueOf(4), BigMath.MC);
            } else {
                angle = BigMath.HALF_PI;
            }
        } else if (x.isZero()) {
            angle = BigMath.HALF_PI;
        } else {
            BigDecimal q = BigMath.exact(y).abs().divide(BigMath.exact(x).abs(), BigMath.MC);
            angle = BigMath.atan(q);
            if (x.negative()) {
                angle = pi.subtract(angle, BigMath.MC);
            }
        }
        return BigMath.round(m, yn ? angle.negate() : angle);
    }

    private static boolean outOfRange(X87 f, Ext80 x) {
        if (x.isFiniteNonZero() && f.math().compare(x.withSign(false), TWO_63, false) >= 0) {
            f.setStatusBits(X87.SW_C2, 0);
            return true;
        }
        return false;
    }

    private static void trig(X87 f, boolean sine) {
        if (f.emptyAt(0)) {
            if (f.stackUnderflow()) {
                f.set(0, Ext80.INDEFINITE);
            }
            return;
        }
        F80Math m = f.math();
        Ext80 x = f.st(0);
        if (outOfRange(f, x)) {
            return;
        }
        f.setStatusBits(0, X87.SW_C2);
        Ext80 r = m.special1(x);
        if (r == null) {
            if (x.isInf()) {
                r = m.invalid();
            } else if (x.isZero()) {
                r = sine ? x : Ext80.ONE;
            } else if (!m.denormal(x, null)) {
                BigDecimal[] sc = BigMath.sinCos(BigMath.exact(x));
                r = BigMath.round(m, sine ? sc[0] : sc[1]);
            }
        }
        if (f.finishOp()) {
            f.set(0, r);
        }
    }

    private static void fsincos(X87 f) {
        twoResults(f, true);
    }

    private static void fptan(X87 f) {
        twoResults(f, false);
    }

    /**
     * The stack checks of an instruction that replaces ST(0) and pushes a second result (FPTAN,
     * FSINCOS, FXTRACT): an empty ST(0) is underflow, a full ST(7) overflow; with the exception
     * masked both results are the real indefinite. False when the instruction stops there.
     */
    private static boolean canReplaceAndPush(X87 f) {
        boolean masked;
        if (f.emptyAt(0)) {
            masked = f.stackUnderflow();
        } else if (!f.emptyAt(7)) {
            masked = f.stackOverflow();
        } else {
            return true;
        }
        if (masked) {
            f.set(0, Ext80.INDEFINITE);
            f.doPush(Ext80.INDEFINITE);
        }
        return false;
    }

    /** FSINCOS (ST(0) = cos, ST(1) = sin) and FPTAN (ST(0) = 1.0, ST(1) = tan). */
    private static void twoResults(X87 f, boolean sincos) {
        if (!canReplaceAndPush(f)) {
            return;
        }
        F80Math m = f.math();
        Ext80 x = f.st(0);
        if (outOfRange(f, x)) {
            return;
        }
        f.setStatusBits(0, X87.SW_C2);
        Ext80 a = m.special1(x);
        Ext80 b = a;
        if (a == null) {
            if (x.isInf()) {
                a = m.invalid();
                b = a;
            } else if (x.isZero()) {
                a = x;
                b = Ext80.ONE;
            } else if (!m.denormal(x, null)) {
                BigDecimal[] sc = BigMath.sinCos(BigMath.exact(x));
                if (sincos) {
                    a = BigMath.round(m, sc[0]);
                    boolean up = m.c1;
                    b = BigMath.round(m, sc[1]);
                    m.c1 |= up;
                } else {
                    a = BigMath.round(m, sc[0].divide(sc[1], BigMath.MC));
                    b = Ext80.ONE;
                }
            }
        } else if (!sincos) {
            b = Ext80.ONE;
        }
        if (f.finishOp()) {
            f.set(0, a);
            f.doPush(b);
        }
    }

    private static void fxtract(X87 f) {
        if (!canReplaceAndPush(f)) {
            return;
        }
        F80Math m = f.math();
        Ext80 x = f.st(0);
        Ext80 exp;
        Ext80 sig;
        Ext80 s = m.special1(x);
        if (s != null) {
            exp = s;
            sig = s;
        } else if (x.isZero()) {
            m.exc |= F80Math.ZE;
            exp = Ext80.NEG_INF;
            sig = x;
        } else if (x.isInf()) {
            exp = Ext80.POS_INF;
            sig = x;
        } else if (m.denormal(x, null)) {
            exp = null;
            sig = null;
        } else {
            BigInteger mg = F80Math.mag(x);
            int n = mg.bitLength();
            exp = F80Math.fromLong(F80Math.e2(x) + n - 1);
            sig = new Ext80((x.negative() ? 0x8000 : 0) | Ext80.BIAS, mg.shiftLeft(64 - n).longValue());
        }
        if (f.finishOp()) {
            f.set(0, exp);
            f.doPush(sig);
        }
    }

    private static void fscale(X87 f) {
        if (f.emptyAt(0) || f.emptyAt(1)) {
            if (f.stackUnderflow()) {
                f.set(0, Ext80.INDEFINITE);
            }
            return;
        }
        F80Math m = f.math();
        Ext80 x = f.st(0);
        Ext80 n = f.st(1);
        Ext80 r = m.special2(x, n);
        if (r == null) {
            if (n.isInf()) {
                if (x.isZero() && !n.negative() || x.isInf() && n.negative()) {
                    r = m.invalid();
                } else if (x.isZero() || x.isInf()) {
                    r = x;
                } else if (!m.denormal(x, null)) {
                    r = n.negative() ? (x.negative() ? Ext80.NEG_ZERO : Ext80.POS_ZERO)
                            : (x.negative() ? Ext80.NEG_INF : Ext80.POS_INF);
                }
            } else if (m.denormal(x, n)) {
                r = null;
            } else if (x.isZero() || x.isInf()) {
                r = x;
            } else {
                long k = truncate(n);
                // Not subject to precision control (the host x87 agrees).
                r = m.roundExt64(x.negative(), F80Math.mag(x), (int) (F80Math.e2(x) + k));
            }
        }
        if (f.finishOp()) {
            f.set(0, r);
        }
    }

    /** ST(1) truncated toward zero, clamped far outside the exponent range. */
    private static long truncate(Ext80 n) {
        if (n.isZero()) {
            return 0;
        }
        int e = F80Math.e2(n);
        BigInteger mg = F80Math.mag(n);
        long v;
        if (e + mg.bitLength() > 20) {
            v = 1L << 20; // far beyond any exponent: the result overflows or underflows all the same
        } else {
            v = e >= 0 ? mg.shiftLeft(e).longValue() : mg.shiftRight(-e).longValue();
        }
        return n.negative() ? -v : v;
    }

    /**
     * FPREM (quotient truncated) and FPREM1 (rounded to nearest): exact partial remainder. When the
     * exponents differ by 64 or more, ST(0) is reduced by 32 + (D mod 32) bits (as AMD documents)
     * and C2 = 1.
     */
    private static void fprem(X87 f, boolean ieee) {
        if (f.emptyAt(0) || f.emptyAt(1)) {
            if (f.stackUnderflow()) {
                f.set(0, Ext80.INDEFINITE);
                f.setStatusBits(0, X87.SW_C2); // C0 and C3 keep their values (host x87)
            }
            return;
        }
        F80Math m = f.math();
        Ext80 a = f.st(0);
        Ext80 b = f.st(1);
        Ext80 r = m.special2(a, b);
        int cc = 0;
        if (r == null) {
            if (a.isInf() || b.isZero()) {
                r = m.invalid();
            } else if (m.denormal(a, b)) {
                r = null;
            } else if (b.isInf() || a.isZero()) {
                // Unchanged, not even rounded to the precision control; a pseudo-denormal comes out with exponent 1.
                r = a.isPseudoDenormal() ? new Ext80(a.se() | 1, a.sig()) : a;
                if (r.isDenormal() && (m.cw & F80Math.UE) == 0) {
                    m.exc |= F80Math.UE; // a tiny result with underflow unmasked (host x87)
                }
            } else {
                BigInteger ma = F80Math.mag(a);
                BigInteger mb = F80Math.mag(b);
                int ea = F80Math.e2(a);
                int eb = F80Math.e2(b);
                int d = (ea + ma.bitLength()) - (eb + mb.bitLength());
                int lo = Math.min(ea, eb);
                BigInteger va = ma.shiftLeft(ea - lo);
                BigInteger vb = mb.shiftLeft(eb - lo);
                if (d < 64) {
                    BigInteger[] qr = va.divideAndRemainder(vb);
                    BigInteger q = qr[0];
                    BigInteger rem = qr[1];
                    if (ieee) {
                        int c = rem.shiftLeft(1).compareTo(vb);
                        if (c > 0 || c == 0 && q.testBit(0)) {
                            q = q.add(BigInteger.ONE);
                            rem = rem.subtract(vb);
                        }
                    }
                    long ql = q.longValue();
                    cc = ((ql & 4) != 0 ? X87.SW_C0 : 0) | ((ql & 2) != 0 ? X87.SW_C3 : 0) | ((ql & 1) != 0 ? X87.SW_C1 : 0);
                    boolean neg = a.negative() != (rem.signum() < 0);
                    r = rem.signum() == 0 ? (a.negative() ? Ext80.NEG_ZERO : Ext80.POS_ZERO)
                            : m.roundExt64(neg, rem.abs(), lo);
                } else {
                    int n = 32 + (d % 32);
                    int shift = d - n;
                    BigInteger scaled = vb.shiftLeft(shift);
                    BigInteger qq = va.divide(scaled);
                    BigInteger rem = va.subtract(qq.multiply(scaled));
                    cc = X87.SW_C2;
                    r = rem.signum() == 0 ? (a.negative() ? Ext80.NEG_ZERO : Ext80.POS_ZERO)
                            : m.roundExt64(a.negative(), rem, lo);
                }
            }
        }
        if (!f.finishOp()) {
            f.setStatusBits(0, X87.SW_C2); // an unmasked exception: C2 cleared too (host x87)
        } else {
            f.set(0, r);
            if (r.isNaN()) {
                // NaN operands or invalid: only C2 is cleared; C0 and C3 keep their values (host x87).
                f.setStatusBits(0, X87.SW_C2);
            } else {
                f.setStatusBits(cc, X87.SW_C0 | X87.SW_C1 | X87.SW_C2 | X87.SW_C3);
            }
        }
    }
}
