package jx86.mmu;

/**
 * Size and associativity of one TLB: a set-associative array for 4 KiB pages and a separate one
 * for 4 MiB pages (as on the P6 family, which keeps large-page translations apart).
 *
 * <p>Set counts must be powers of two (the set index is the low bits of the page number) and the
 * two arrays together hold at most {@link #MAX_ENTRIES} entries (the fast path stores the entry's
 * slot number in 8 bits).
 */
public record TlbGeometry(int entries4k, int ways4k, int entries4m, int ways4m) {
    public static final int MAX_ENTRIES = 256;

    /** P6 family instruction TLB: 32 entries 4-way for 4 KiB pages, 2 entries fully associative for 4 MiB. */
    public static final TlbGeometry P6_ITLB = new TlbGeometry(32, 4, 2, 2);
    /** P6 family data TLB: 64 entries 4-way for 4 KiB pages, 8 entries 4-way for 4 MiB. */
    public static final TlbGeometry P6_DTLB = new TlbGeometry(64, 4, 8, 4);

    public TlbGeometry {
        check(entries4k, ways4k, "4 KiB");
        check(entries4m, ways4m, "4 MiB");
        if (entries4k + entries4m > MAX_ENTRIES) {
            throw new IllegalArgumentException("a TLB holds at most " + MAX_ENTRIES + " entries");
        }
    }

    private static void check(int entries, int ways, String what) {
        if (entries <= 0 || ways <= 0 || entries % ways != 0 || Integer.bitCount(entries / ways) != 1) {
            throw new IllegalArgumentException(what + " TLB: entries must be a positive multiple of ways"
                    + " giving a power-of-two number of sets (" + entries + "/" + ways + ")");
        }
    }

    public int sets4k() {
        return entries4k / ways4k;
    }

    public int sets4m() {
        return entries4m / ways4m;
    }
}
