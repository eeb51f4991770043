package jx86.cpu.fpu;

/**
 * One 80-bit double extended-precision value (SDM Vol. 1, 4.2.2 and 8.2.2): {@code se} holds the
 * sign (bit 15) and the biased exponent (bits 0-14), {@code sig} the 64-bit significand with the
 * explicit integer bit J at bit 63.
 */
public record Ext80(int se, long sig) {
    public static final int BIAS = 16383;
    public static final long J = 0x8000_0000_0000_0000L;
    public static final long QUIET = 0x4000_0000_0000_0000L;

    public static final Ext80 POS_ZERO = new Ext80(0, 0);
    public static final Ext80 NEG_ZERO = new Ext80(0x8000, 0);
    public static final Ext80 ONE = new Ext80(BIAS, J);
    public static final Ext80 POS_INF = new Ext80(0x7FFF, J);
    public static final Ext80 NEG_INF = new Ext80(0xFFFF, J);
    /** The real indefinite: the default QNaN of masked invalid operations. */
    public static final Ext80 INDEFINITE = new Ext80(0xFFFF, 0xC000_0000_0000_0000L);

    public Ext80 {
        se &= 0xFFFF;
    }

    public boolean negative() {
        return (se & 0x8000) != 0;
    }

    public int exp() {
        return se & 0x7FFF;
    }

    public Ext80 withSign(boolean neg) {
        return new Ext80(neg ? se | 0x8000 : se & 0x7FFF, sig);
    }

    public Ext80 negate() {
        return new Ext80(se ^ 0x8000, sig);
    }

    public boolean isZero() {
        return exp() == 0 && sig == 0;
    }

    /** Denormal (J = 0) or pseudo-denormal (J = 1) with exponent 0, not zero. */
    public boolean isDenormal() {
        return exp() == 0 && sig != 0;
    }

    public boolean isPseudoDenormal() {
        return exp() == 0 && sig < 0;
    }

    /** Unnormals, pseudo-NaNs and pseudo-infinities: a nonzero exponent with J = 0 (invalid operands on a 387 and later). */
    public boolean isUnsupported() {
        return exp() != 0 && sig >= 0;
    }

    public boolean isInf() {
        return exp() == 0x7FFF && sig == J;
    }

    public boolean isNaN() {
        return exp() == 0x7FFF && sig < 0 && (sig << 1) != 0;
    }

    public boolean isSNaN() {
        return isNaN() && (sig & QUIET) == 0;
    }

    public boolean isQNaN() {
        return isNaN() && (sig & QUIET) != 0;
    }

    /** Finite, supported, nonzero: normals, denormals and pseudo-denormals. */
    public boolean isFiniteNonZero() {
        return !isUnsupported() && exp() != 0x7FFF && sig != 0;
    }

    public Ext80 quiet() {
        return new Ext80(se, sig | QUIET);
    }

    /** The tag of a non-empty register (SDM Vol. 1, 8.1.7): 0 valid, 1 zero, 2 special. */
    public int tag() {
        if (isZero()) {
            return 1;
        }
        if (exp() == 0 || exp() == 0x7FFF || sig >= 0) {
            return 2;
        }
        return 0;
    }

    /** The exponent the value is scaled by: exponent 0 counts as 1 (denormals). */
    int effExp() {
        return Math.max(exp(), 1);
    }

    @Override
    public String toString() {
        return String.format("%04X:%016X", se, sig);
    }
}
