package jx86.memory;

/**
 * Tells a decoded-instruction cache when guest stores, DMA or the loader hit RAM that holds
 * decoded code (SDM Vol. 3A 8.1.3: a write to an instruction must be seen by its next fetch).
 *
 * <p>Per 4 KiB RAM page: a mask of the 64-byte lines that hold decoded instructions and a
 * generation number. A write that touches a marked line bumps the page's generation and clears
 * its mask: every block decoded from that page is stale from then on (the cache compares the
 * generation it recorded with {@link #generations()} before it runs a block). A store to an
 * unmarked page costs one array load; a store to data that merely shares a page with code (not a
 * line) costs the mask test and changes nothing.
 */
public final class CodeWriteTracker {
    private final long[] lines;
    private final int[] generation;
    private Listener listener = page -> { };

    /** Receives the physical page number of a page whose decoded code a write made stale. */
    @FunctionalInterface
    public interface Listener {
        void codePageWritten(int physicalPage);
    }

    /** @param ramPages number of 4 KiB RAM pages (physical addresses 0 .. ramPages * 4 KiB - 1) */
    CodeWriteTracker(int ramPages) {
        lines = new long[ramPages];
        generation = new int[ramPages];
    }

    public void setListener(Listener listener) {
        this.listener = listener;
    }

    /** Marks every line of a RAM page as holding code. */
    public void markCodePage(int physicalPage) {
        lines[physicalPage] = -1L;
    }

    /** Marks the lines of RAM page {@code physicalPage} set in {@code lineMask} (bit k: bytes 64k..64k+63). */
    public void markCodeLines(int physicalPage, long lineMask) {
        lines[physicalPage] |= lineMask;
    }

    public boolean isCodePage(int physicalPage) {
        return lines[physicalPage] != 0;
    }

    /**
     * The generation of every RAM page, indexed by physical page number: an entry changes exactly
     * when a write hits a marked line of that page. Read-only for callers.
     */
    public int[] generations() {
        return generation;
    }

    /** The lines that bytes {@code offset .. offset + length - 1} of one page touch (none for length 0). */
    public static long lineMask(int offset, int length) {
        if (length <= 0) {
            return 0;
        }
        int first = (offset & 0xFFF) >>> 6;
        int last = Math.min(0xFFF, (offset & 0xFFF) + length - 1) >>> 6;
        // bits first..last; for last = 63 the shift wraps to 0 and the subtraction still gives them
        return (2L << last) - (1L << first);
    }

    /** A write of {@code length} bytes at RAM address {@code pa}, all within one page. */
    void noteWrite(int pa, int length) {
        int page = pa >>> 12;
        long marked = lines[page];
        if (marked != 0) {
            written(page, marked, pa, length);
        }
    }

    private void written(int page, long marked, int pa, int length) {
        if ((marked & lineMask(pa, length)) == 0) {
            return; // data next to code
        }
        lines[page] = 0;
        generation[page]++;
        listener.codePageWritten(page);
    }
}
