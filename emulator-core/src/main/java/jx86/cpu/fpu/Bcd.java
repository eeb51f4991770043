package jx86.cpu.fpu;

import java.math.BigInteger;

/** The 80-bit packed BCD format of FBLD/FBSTP: 18 digits in bytes 0-8 (low first), sign in bit 7 of byte 9. */
final class Bcd {
    /** The packed BCD indefinite stored by a masked invalid FBSTP. */
    /** The packed BCD indefinite (FBSTP of a NaN or an out-of-range value): a fresh array each time. */
    static byte[] indefinite() {
        return new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) 0xC0, (byte) 0xFF, (byte) 0xFF};
    }
    private static final BigInteger LIMIT = BigInteger.TEN.pow(18);

    private Bcd() {
    }

    /** FBLD: digits are taken as given (an invalid nibble counts with its value; the SDM leaves that undefined). */
    static Ext80 decode(byte[] b) {
        long v = 0;
        for (int i = 8; i >= 0; i--) {
            int x = b[i] & 0xFF;
            v = v * 100 + (x >>> 4) * 10 + (x & 0xF);
        }
        boolean neg = (b[9] & 0x80) != 0;
        if (v == 0) {
            return neg ? Ext80.NEG_ZERO : Ext80.POS_ZERO;
        }
        return F80Math.fromExact(neg, BigInteger.valueOf(v), 0);
    }

    /** FBSTP: rounds under RC; NaN, infinity, unsupported or |value| >= 10^18 is IE and the indefinite. */
    static byte[] encode(F80Math m, Ext80 x) {
        if (x.isUnsupported() || x.isNaN() || x.isInf()) {
            m.exc |= F80Math.IE;
            return indefinite();
        }
        BigInteger q = m.toInteger(x);
        if (q.abs().compareTo(LIMIT) >= 0) {
            m.exc |= F80Math.IE;
            return indefinite();
        }
        m.noteInteger();
        long v = q.abs().longValue();
        byte[] out = new byte[10];
        for (int i = 0; i < 9; i++) {
            int lo = (int) (v % 10);
            v /= 10;
            int hi = (int) (v % 10);
            v /= 10;
            out[i] = (byte) ((hi << 4) | lo);
        }
        out[9] = (byte) (x.negative() ? 0x80 : 0);
        return out;
    }
}
