package jx86.cpu.fpu;

import java.math.BigDecimal;

/**
 * FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2 (SDM Vol. 2, FLD1/FLDL2T/...): the constants are rounded
 * under the rounding control (not precision control) and raise no exception.
 */
final class Constants {
    private static final java.util.List<Ext80> TABLE = table();

    /** [constant][rounding control] flattened: index constant * 4 + rc. */
    private static java.util.List<Ext80> table() {
        Ext80[] t = new Ext80[5 * 4];
        BigDecimal[] v = {
            BigMath.LN10.divide(BigMath.LN2, BigMath.MC), // log2(10)
            java.math.BigDecimal.ONE.divide(BigMath.LN2, BigMath.MC), // log2(e)
            BigMath.PI,
            BigMath.LN2.divide(BigMath.LN10, BigMath.MC), // log10(2)
            BigMath.LN2,
        };
        for (int i = 0; i < 5; i++) {
            for (int rc = 0; rc < 4; rc++) {
                F80Math m = new F80Math();
                m.cw = 0x037F | (rc << 10);
                t[i * 4 + rc] = BigMath.round(m, v[i]);
            }
        }
        return java.util.List.of(t);
    }

    private Constants() {
    }

    /** The constant of D9 E9..ED under rounding control {@code rc}. */
    static Ext80 get(int modrm, int rc) {
        return TABLE.get((modrm - 0xE9) * 4 + rc);
    }
}
