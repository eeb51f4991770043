package jx86.cpu;

/**
 * Field decoding of an 8-byte segment, system or gate descriptor (SDM Vol. 3A 3.4.5, 3.5, 5.8.3,
 * 6.11, 7.2.2). A descriptor travels as a {@code long} (low dword in bits 0-31, high dword in bits
 * 32-63) so that segment loads allocate nothing.
 *
 * <p>The "ar" helpers work on the access-rights word of a segment cache (bits 8..23 of the high
 * dword with the limit nibble cleared, see {@link Cpu}).
 */
public final class Descriptor {
    public static final int TSS16_AVAILABLE = 1;
    public static final int LDT = 2;
    public static final int TSS16_BUSY = 3;
    public static final int CALL_GATE16 = 4;
    public static final int TASK_GATE = 5;
    public static final int INTERRUPT_GATE16 = 6;
    public static final int TRAP_GATE16 = 7;
    public static final int TSS32_AVAILABLE = 9;
    public static final int TSS32_BUSY = 0xB;
    public static final int CALL_GATE32 = 0xC;
    public static final int INTERRUPT_GATE32 = 0xE;
    public static final int TRAP_GATE32 = 0xF;

    /** Access rights: D/B bit. */
    public static final int AR_BIG = 0x4000;
    /** Access rights: G bit. */
    public static final int AR_GRANULAR = 0x8000;
    /** Access rights: P bit. */
    public static final int AR_PRESENT = 0x80;

    private Descriptor() {
    }

    public static long of(int low, int high) {
        return (low & 0xFFFF_FFFFL) | ((long) high << 32);
    }

    public static int low(long d) {
        return (int) d;
    }

    public static int high(long d) {
        return (int) (d >>> 32);
    }

    public static int base(long d) {
        int lo = low(d);
        int hi = high(d);
        return (lo >>> 16) | ((hi & 0xFF) << 16) | (hi & 0xFF00_0000);
    }

    /** Byte-granular limit (scaled by G). */
    public static int limit(long d) {
        int raw = (low(d) & 0xFFFF) | (high(d) & 0xF_0000);
        return (high(d) & 0x80_0000) != 0 ? (raw << 12) | 0xFFF : raw;
    }

    /** Access rights word as stored in a segment cache. */
    public static int ar(long d) {
        return (high(d) >>> 8) & 0xF0FF;
    }

    public static int type(long d) {
        return (high(d) >>> 8) & 0xF;
    }

    public static boolean isSystem(long d) {
        return (high(d) & 0x1000) == 0;
    }

    public static int dpl(long d) {
        return (high(d) >>> 13) & 3;
    }

    public static boolean present(long d) {
        return (high(d) & 0x8000) != 0;
    }

    public static boolean isCode(long d) {
        return arIsCode(ar(d));
    }

    public static boolean isData(long d) {
        return arIsData(ar(d));
    }

    public static boolean conformingCode(long d) {
        return (ar(d) & 0x1C) == 0x1C;
    }

    /** Code segment that is readable, or any data segment. */
    public static boolean readable(long d) {
        return arReadable(ar(d));
    }

    public static boolean writableData(long d) {
        return arWritable(ar(d));
    }

    public static boolean big(long d) {
        return (high(d) & 0x40_0000) != 0;
    }

    // ---- gates ----

    public static int gateSelector(long d) {
        return low(d) >>> 16;
    }

    /** Gate entry offset; 16-bit gates use only the low word. */
    public static int gateOffset(long d) {
        int off = (low(d) & 0xFFFF) | (high(d) & 0xFFFF_0000);
        return gate32(d) ? off : off & 0xFFFF;
    }

    public static int gateParamCount(long d) {
        return high(d) & 0x1F;
    }

    /** 32-bit call/interrupt/trap gate (type bit 3). */
    public static boolean gate32(long d) {
        return (type(d) & 8) != 0;
    }

    // ---- access-rights words ----

    public static boolean arIsCode(int ar) {
        return (ar & 0x18) == 0x18;
    }

    public static boolean arIsData(int ar) {
        return (ar & 0x18) == 0x10;
    }

    public static boolean arReadable(int ar) {
        return arIsData(ar) || (arIsCode(ar) && (ar & 2) != 0);
    }

    public static boolean arWritable(int ar) {
        return arIsData(ar) && (ar & 2) != 0;
    }

    public static boolean arExpandDown(int ar) {
        return arIsData(ar) && (ar & 4) != 0;
    }

    public static int arDpl(int ar) {
        return (ar >>> 5) & 3;
    }
}
