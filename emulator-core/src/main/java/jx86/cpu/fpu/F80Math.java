package jx86.cpu.fpu;

import java.math.BigInteger;

/**
 * Exact extended-precision arithmetic (SDM Vol. 1, chapter 4.8-4.9 and 8.5): every operation
 * computes the exact result as {@code (-1)^sign * mag * 2^e2} with a {@link BigInteger} magnitude
 * and rounds it once, under the control word's precision control (24/53/64 bits) and rounding
 * control, with the extended exponent range. Tininess is detected after rounding (as the x87 does),
 * masked underflow denormalizes, unmasked overflow/underflow to a register rebias the exponent by
 * 24576 (SDM 4.9.1.4/4.9.1.5).
 *
 * <p>The accumulated exception flags use the status-word bit positions ({@link #IE} ... {@link #PE});
 * {@link #c1} records "rounded up" for the status word's C1.
 */
public final class F80Math {
    public static final int IE = 1;
    public static final int DE = 2;
    public static final int ZE = 4;
    public static final int OE = 8;
    public static final int UE = 0x10;
    public static final int PE = 0x20;

    static final int REBIAS = 24576;

    /** The control word in force (masks bits 0-5, PC bits 8-9, RC bits 10-11). */
    public int cw = 0x037F;
    /** Exceptions raised by the operations since the last {@link #clear()}. */
    public int exc;
    /** The last rounding rounded the magnitude up. */
    public boolean c1;

    /** The last arithmetic-form conversion ({@code quietSNaN} false) met a single/double denormal. */
    boolean srcDenormal;

    public void clear() {
        srcDenormal = false;
        exc = 0;
        c1 = false;
    }

    boolean masked(int e) {
        return (cw & e) != 0;
    }

    int rc() {
        return (cw >>> 10) & 3;
    }

    /**
     * Whether a truncated magnitude rounds away from zero under the rounding control: half is the
     * first bit dropped, sticky whether any bit below it was set, odd the kept result's lowest bit.
     */
    private boolean roundsUp(boolean half, boolean sticky, boolean odd, boolean neg) {
        boolean inexact = half || sticky;
        return switch (rc()) {
            case 0 -> half && (sticky || odd);
            case 1 -> inexact && neg;
            case 2 -> inexact && !neg;
            default -> false;
        };
    }

    /** Precision control: 24, 53 or 64 significand bits (PC = 1 is reserved and acts as 64). */
    int prec() {
        int pc = (cw >>> 8) & 3;
        return pc == 0 ? 24 : pc == 2 ? 53 : 64;
    }

    /** True when an unmasked invalid, denormal or zero-divide exception leaves the destination unchanged. */
    public boolean blocked() {
        return (exc & ~cw & (IE | DE | ZE)) != 0;
    }

    // ---- exact values ----

    static BigInteger mag(Ext80 x) {
        long s = x.sig();
        BigInteger b = BigInteger.valueOf(s & Long.MAX_VALUE);
        return s < 0 ? b.setBit(63) : b;
    }

    static int e2(Ext80 x) {
        return x.effExp() - Ext80.BIAS - 63;
    }

    // ---- rounding ----

    /** Result of one rounding: the kept bits as a left-aligned 64-bit field, carry out, inexact, up. */
    private long rSig;
    private boolean rCarry;
    private boolean rInexact;
    private boolean rUp;

    private void roundBits(boolean neg, BigInteger mag, int drop, int prec) {
        int total = drop + (64 - prec);
        BigInteger q;
        boolean half = false;
        boolean sticky = false;
        if (total <= 0) {
            q = mag.shiftLeft(-total);
        } else {
            q = mag.shiftRight(total);
            half = mag.testBit(total - 1);
            int low = mag.getLowestSetBit();
            sticky = low >= 0 && low < total - 1;
        }
        boolean inexact = half || sticky;
        boolean inc = roundsUp(half, sticky, q.testBit(0), neg);
        if (inc) {
            q = q.add(BigInteger.ONE);
        }
        rCarry = false;
        if (q.bitLength() > prec) {
            q = q.shiftRight(1);
            rCarry = true;
        }
        rSig = q.longValue() << (64 - prec);
        rInexact = inexact;
        rUp = inc;
    }

    /**
     * Rounds {@code (-1)^neg * mag * 2^e2} (mag > 0) to a format with {@code prec} significand bits,
     * exponent bias {@code bias} and all-ones exponent {@code emax}. Returns the biased exponent in
     * {@code se} (with the sign in bit 15 for the extended format, bit 15 too for the others) and
     * the left-aligned significand, or null when an unmasked overflow/underflow leaves a memory
     * destination unchanged.
     */
    Ext80 round(boolean neg, BigInteger mag, int e2, int prec, int bias, int emax, boolean regDest) {
        int n = mag.bitLength();
        int e = e2 + n - 1 + bias;
        roundBits(neg, mag, n - 64, prec);
        int eu = e + (rCarry ? 1 : 0);
        int sign = neg ? 0x8000 : 0;
        if (eu >= emax) {
            exc |= OE;
            // Unmasked: rebias; a result still out of range gets the masked response (host x87).
            if (!masked(OE) && (!regDest || eu - REBIAS < emax)) {
                if (!regDest) {
                    return null;
                }
                note();
                return new Ext80(sign | (eu - REBIAS), rSig);
            }
            exc |= PE;
            int r = rc();
            // (An unmasked overflow whose rebiased result is still too large gives infinity too.)
            boolean toInf = r == 0 || (r == 1 && neg) || (r == 2 && !neg) || !masked(OE);
            c1 = toInf;
            if (toInf) {
                return new Ext80(sign | emax, Ext80.J);
            }
            return new Ext80(sign | (emax - 1), -1L << (64 - prec));
        }
        if (e >= 1) {
            note();
            return new Ext80(sign | eu, rSig);
        }
        boolean tiny = eu < 1;
        if (!masked(UE) && regDest && tiny && eu + REBIAS < 1) {
            // Unmasked, and still too small after rebiasing: a signed zero whatever the rounding
            // mode (host x87).
            exc |= UE | PE;
            c1 = false;
            return new Ext80(sign, 0);
        }
        if (!masked(UE) && (!regDest || !tiny || eu + REBIAS >= 1)) {
            if (!tiny) {
                note();
                return new Ext80(sign | eu, rSig);
            }
            exc |= UE;
            if (!regDest) {
                return null;
            }
            note();
            return new Ext80(sign | ((eu + REBIAS) & 0x7FFF), rSig);
        }
        roundBits(neg, mag, n - 64 + (1 - e), prec);
        if ((rInexact || !masked(UE)) && tiny) {
            exc |= UE;
        }
        note();
        return new Ext80(sign | (rSig < 0 ? 1 : 0), rSig);
    }

    private void note() {
        if (rInexact) {
            exc |= PE;
        }
        c1 = rUp;
    }

    /** Rounds an exact value to the extended format under PC and RC, for a register destination. */
    Ext80 roundExt(boolean neg, BigInteger mag, int e2) {
        if (mag.signum() == 0) {
            return neg ? Ext80.NEG_ZERO : Ext80.POS_ZERO;
        }
        return round(neg, mag, e2, prec(), Ext80.BIAS, 0x7FFF, true);
    }

    /** Rounds to full 64-bit precision whatever PC says (loads, FSCALE's exact cases, constants). */
    Ext80 roundExt64(boolean neg, BigInteger mag, int e2) {
        if (mag.signum() == 0) {
            return neg ? Ext80.NEG_ZERO : Ext80.POS_ZERO;
        }
        return round(neg, mag, e2, 64, Ext80.BIAS, 0x7FFF, true);
    }

    /** Exactly the value x, re-encoded from the exact form (normalizes denormal operands when the exponent allows). */
    Ext80 reround(Ext80 x) {
        return roundExt(x.negative(), mag(x), e2(x));
    }

    // ---- operand screening ----

    /** Invalid operand formats and NaNs of a one-operand operation; null when x is an ordinary operand. */
    Ext80 special1(Ext80 x) {
        if (x.isUnsupported()) {
            exc |= IE;
            return Ext80.INDEFINITE;
        }
        if (x.isNaN()) {
            if (x.isSNaN()) {
                exc |= IE;
            }
            return x.quiet();
        }
        return null;
    }

    /** NaN propagation of the x87 (SDM Vol. 1, Table 4-7); null when neither operand is a NaN or unsupported. */
    Ext80 special2(Ext80 a, Ext80 b) {
        if (a.isUnsupported() || b.isUnsupported()) {
            exc |= IE;
            return Ext80.INDEFINITE;
        }
        boolean na = a.isNaN();
        boolean nb = b.isNaN();
        if (!na && !nb) {
            return null;
        }
        if (a.isSNaN() || b.isSNaN()) {
            exc |= IE;
        }
        if (na && nb) {
            if (a.isQNaN() != b.isQNaN()) {
                return a.isQNaN() ? a : b; // an SNaN and a QNaN: the QNaN
            }
            long ma = a.sig() & Long.MAX_VALUE & ~Ext80.QUIET;
            long mb = b.sig() & Long.MAX_VALUE & ~Ext80.QUIET;
            if (ma != mb) {
                return (ma > mb ? a : b).quiet();
            }
            return (a.se() <= b.se() ? a : b).quiet();
        }
        return (na ? a : b).quiet();
    }

    /** Raises DE for denormal operands; true when DE is unmasked and the operation must stop. */
    boolean denormal(Ext80 a, Ext80 b) {
        if (a.isDenormal() || (b != null && b.isDenormal())) {
            exc |= DE;
            return !masked(DE);
        }
        return false;
    }

    Ext80 invalid() {
        exc |= IE;
        return Ext80.INDEFINITE;
    }

    // ---- the basic operations ----

    public Ext80 add(Ext80 a, Ext80 b, boolean subtract) {
        Ext80 s = special2(a, b);
        if (s != null) {
            return s;
        }
        if (subtract) {
            b = b.negate();
        }
        // A denormal operand raises DE even beside an infinity (host x87).
        if (denormal(a, b)) {
            return null;
        }
        if (a.isInf() || b.isInf()) {
            if (a.isInf() && b.isInf() && a.negative() != b.negative()) {
                return invalid();
            }
            return a.isInf() ? a : b;
        }
        if (a.isZero() && b.isZero()) {
            if (a.negative() == b.negative()) {
                return a;
            }
            return rc() == 1 ? Ext80.NEG_ZERO : Ext80.POS_ZERO;
        }
        if (a.isZero()) {
            return reround(b);
        }
        if (b.isZero()) {
            return reround(a);
        }
        BigInteger ma = mag(a);
        BigInteger mb = mag(b);
        int ea = e2(a);
        int eb = e2(b);
        // A far smaller operand only acts as a sticky bit below every rounding position.
        if (ea - eb > 160) {
            mb = BigInteger.ONE;
            eb = ea - 160;
        } else if (eb - ea > 160) {
            ma = BigInteger.ONE;
            ea = eb - 160;
        }
        int m = Math.min(ea, eb);
        BigInteger va = ma.shiftLeft(ea - m);
        BigInteger vb = mb.shiftLeft(eb - m);
        if (a.negative()) {
            va = va.negate();
        }
        if (b.negative()) {
            vb = vb.negate();
        }
        BigInteger sum = va.add(vb);
        if (sum.signum() == 0) {
            return rc() == 1 ? Ext80.NEG_ZERO : Ext80.POS_ZERO;
        }
        return roundExt(sum.signum() < 0, sum.abs(), m);
    }

    public Ext80 mul(Ext80 a, Ext80 b) {
        Ext80 s = special2(a, b);
        if (s != null) {
            return s;
        }
        boolean neg = a.negative() != b.negative();
        if (a.isInf() || b.isInf()) {
            if (a.isZero() || b.isZero()) {
                return invalid();
            }
            if (denormal(a, b)) { // DE even beside an infinity (host x87)
                return null;
            }
            return neg ? Ext80.NEG_INF : Ext80.POS_INF;
        }
        if (denormal(a, b)) {
            return null;
        }
        if (a.isZero() || b.isZero()) {
            return neg ? Ext80.NEG_ZERO : Ext80.POS_ZERO;
        }
        return roundExt(neg, mag(a).multiply(mag(b)), e2(a) + e2(b));
    }

    public Ext80 div(Ext80 a, Ext80 b) {
        Ext80 s = special2(a, b);
        if (s != null) {
            return s;
        }
        boolean neg = a.negative() != b.negative();
        if (a.isInf()) {
            if (b.isInf()) {
                return invalid();
            }
            if (denormal(b, null)) {
                return null;
            }
            return neg ? Ext80.NEG_INF : Ext80.POS_INF;
        }
        if (b.isInf()) {
            if (denormal(a, null)) {
                return null;
            }
            return neg ? Ext80.NEG_ZERO : Ext80.POS_ZERO;
        }
        if (b.isZero()) {
            if (a.isZero()) {
                return invalid();
            }
            exc |= ZE; // a denormal dividend raises no DE here (host x87)
            return neg ? Ext80.NEG_INF : Ext80.POS_INF;
        }
        if (denormal(a, b)) {
            return null;
        }
        if (a.isZero()) {
            return neg ? Ext80.NEG_ZERO : Ext80.POS_ZERO;
        }
        BigInteger[] qr = mag(a).shiftLeft(140).divideAndRemainder(mag(b));
        BigInteger q = qr[0].shiftLeft(1);
        if (qr[1].signum() != 0) {
            q = q.setBit(0);
        }
        return roundExt(neg, q, e2(a) - e2(b) - 141);
    }

    public Ext80 sqrt(Ext80 x) {
        Ext80 s = special1(x);
        if (s != null) {
            return s;
        }
        if (x.isZero()) {
            return x;
        }
        if (x.negative()) {
            return invalid();
        }
        if (x.isInf()) {
            return x;
        }
        if (denormal(x, null)) {
            return null;
        }
        int e = e2(x);
        int t = 160 + ((e & 1) != 0 ? 1 : 0);
        BigInteger m = mag(x).shiftLeft(t);
        BigInteger[] rr = m.sqrtAndRemainder();
        BigInteger r = rr[0].shiftLeft(1);
        if (rr[1].signum() != 0) {
            r = r.setBit(0);
        }
        return roundExt(false, r, (e - t) / 2 - 1);
    }

    /**
     * Compares two operands: -1 (a < b), 0, 1, or 2 for unordered. Sets IE for unsupported operands,
     * SNaNs, and (when {@code signalQNaN}) QNaNs; DE for denormals.
     */
    public int compare(Ext80 a, Ext80 b, boolean signalQNaN) {
        if (a.isUnsupported() || b.isUnsupported()) {
            exc |= IE;
            return 2;
        }
        if (a.isNaN() || b.isNaN()) {
            if (signalQNaN || a.isSNaN() || b.isSNaN()) {
                exc |= IE;
            }
            return 2;
        }
        // A denormal operand raises DE, but the comparison is still made: with DE unmasked the
        // condition codes are set all the same (host x87); the caller does not pop then.
        denormal(a, b);
        if (a.isZero() && b.isZero()) {
            return 0;
        }
        int sa = sgn(a);
        int sb = sgn(b);
        if (sa != sb) {
            return sa < sb ? -1 : 1;
        }
        if (a.isInf() || b.isInf()) {
            if (a.isInf() && b.isInf()) {
                return 0;
            }
            int r = a.isInf() ? 1 : -1;
            return sa < 0 ? -r : r;
        }
        int ea = e2(a);
        int eb = e2(b);
        int m = Math.min(ea, eb);
        int c = mag(a).shiftLeft(ea - m).compareTo(mag(b).shiftLeft(eb - m));
        return sa < 0 ? -c : c;
    }

    private static int sgn(Ext80 x) {
        return x.isZero() ? 0 : x.negative() ? -1 : 1;
    }

    // ---- integers ----

    /**
     * Rounds a finite supported value to an integer under RC: returns the signed integer, and sets
     * {@link #c1}/PE through the usual rounding bookkeeping (PE is raised by the caller's choice).
     */
    BigInteger toInteger(Ext80 x) {
        rInexact = false;
        rUp = false;
        if (x.isZero()) {
            return BigInteger.ZERO;
        }
        BigInteger m = mag(x);
        int e = e2(x);
        boolean neg = x.negative();
        BigInteger q;
        rInexact = false;
        rUp = false;
        if (e >= 0) {
            q = m.shiftLeft(e);
        } else {
            int drop = -e;
            q = m.shiftRight(drop);
            boolean half = m.testBit(drop - 1);
            int low = m.getLowestSetBit();
            boolean sticky = low < drop - 1;
            boolean inexact = half || sticky;
            boolean inc = roundsUp(half, sticky, q.testBit(0), neg);
            if (inc) {
                q = q.add(BigInteger.ONE);
            }
            rInexact = inexact;
            rUp = inc;
        }
        return neg ? q.negate() : q;
    }

    /** Records PE and C1 of the last {@link #toInteger}. */
    void noteInteger() {
        if (rInexact) {
            exc |= PE;
        }
        c1 = rUp;
    }

    /** FIST/FISTP: the integer of {@code bits} width, or the integer indefinite with IE. */
    public long toInt(Ext80 x, int bits) {
        long indefinite = 1L << (bits - 1);
        if (x.isUnsupported() || x.isNaN() || x.isInf()) {
            exc |= IE;
            return indefinite;
        }
        // FIST raises no denormal exception (SDM FIST: #IA, #IS, #P only).
        BigInteger q = toInteger(x);
        if (q.bitLength() > bits - 1) {
            exc |= IE;
            return indefinite;
        }
        if (rInexact) {
            exc |= PE;
        }
        c1 = rUp;
        return q.longValue();
    }

    /** FRNDINT. */
    public Ext80 roundInt(Ext80 x) {
        Ext80 s = special1(x);
        if (s != null) {
            return s;
        }
        if (x.isInf() || x.isZero()) {
            return x;
        }
        if (denormal(x, null)) {
            return null;
        }
        BigInteger q = toInteger(x);
        if (rInexact) {
            exc |= PE;
        }
        c1 = rUp;
        if (q.signum() == 0) {
            return x.negative() ? Ext80.NEG_ZERO : Ext80.POS_ZERO;
        }
        return fromExact(q.signum() < 0, q.abs(), 0);
    }

    /** An exactly representable value (at most 64 significant bits, in range) as an Ext80. */
    static Ext80 fromExact(boolean neg, BigInteger mag, int e2) {
        int sign = neg ? 0x8000 : 0;
        if (mag.signum() == 0) {
            return new Ext80(sign, 0);
        }
        int n = mag.bitLength();
        long sig = (n <= 64 ? mag.shiftLeft(64 - n) : mag.shiftRight(n - 64)).longValue();
        return new Ext80(sign | (e2 + n - 1 + Ext80.BIAS), sig);
    }

    public static Ext80 fromLong(long v) {
        if (v == 0) {
            return Ext80.POS_ZERO;
        }
        boolean neg = v < 0;
        BigInteger m = BigInteger.valueOf(v).abs();
        return fromExact(neg, m, 0);
    }

    // ---- single and double formats ----

    /** FLD m32/m64 (exact): SNaN raises IE and is quieted, denormals raise DE. */
    public Ext80 fromBinary(long bits, int expBits, int fracBits) {
        return fromBinary(bits, expBits, fracBits, true);
    }

    /**
     * Converts a single or double; with {@code quietSNaN} false an SNaN stays signalling (for the
     * arithmetic forms, whose NaN rules then see it as an SNaN operand) and raises nothing here.
     */
    public Ext80 fromBinary(long bits, int expBits, int fracBits, boolean quietSNaN) {
        int total = 1 + expBits + fracBits;
        boolean neg = ((bits >>> (total - 1)) & 1) != 0;
        int emax = (1 << expBits) - 1;
        int e = (int) ((bits >>> fracBits) & emax);
        long frac = bits & ((1L << fracBits) - 1);
        int sign = neg ? 0x8000 : 0;
        if (e == emax) {
            if (frac == 0) {
                return new Ext80(sign | 0x7FFF, Ext80.J);
            }
            long sig = Ext80.J | (frac << (63 - fracBits));
            if ((sig & Ext80.QUIET) == 0 && quietSNaN) {
                exc |= IE;
                sig |= Ext80.QUIET;
            }
            return new Ext80(sign | 0x7FFF, sig);
        }
        int bias = emax >> 1;
        if (e == 0) {
            if (frac == 0) {
                return new Ext80(sign, 0);
            }
            if (quietSNaN) {
                exc |= DE;
            } else {
                srcDenormal = true;
            }
            return fromExact(neg, BigInteger.valueOf(frac), 1 - bias - fracBits);
        }
        return new Ext80(sign | (e - bias + Ext80.BIAS), Ext80.J | (frac << (63 - fracBits)));
    }

    /**
     * FST m32/m64: rounds to the memory format; returns the bit pattern, or -1 with {@link #stored}
     * false when an unmasked exception leaves memory unchanged.
     */
    public long toBinary(Ext80 x, int expBits, int fracBits) {
        stored = true;
        int total = 1 + expBits + fracBits;
        long sign = x.negative() ? 1L << (total - 1) : 0;
        int emax = (1 << expBits) - 1;
        long fracMask = (1L << fracBits) - 1;
        if (x.isUnsupported()) {
            exc |= IE;
            stored = masked(IE);
            return (1L << (total - 1)) | ((long) emax << fracBits) | (1L << (fracBits - 1));
        }
        if (x.isNaN()) {
            if (x.isSNaN()) {
                exc |= IE;
                if (!masked(IE)) {
                    stored = false;
                    return -1;
                }
            }
            long frac = ((x.sig() | Ext80.QUIET) >>> (63 - fracBits)) & fracMask;
            return sign | ((long) emax << fracBits) | frac;
        }
        if (x.isInf()) {
            return sign | ((long) emax << fracBits);
        }
        if (x.isZero()) {
            return sign;
        }
        Ext80 r = round(x.negative(), mag(x), e2(x), fracBits + 1, emax >> 1, emax, false);
        if (r == null) {
            stored = false;
            return -1;
        }
        long e = r.exp();
        long frac = (r.sig() >>> (63 - fracBits)) & fracMask;
        return sign | (e << fracBits) | frac;
    }

    /** Whether the last {@link #toBinary} stores its result. */
    public boolean stored;
}
