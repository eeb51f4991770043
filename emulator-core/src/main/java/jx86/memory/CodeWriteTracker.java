package jx86.memory;

/**
 * Tells a decoded-instruction cache when guest stores (or DMA) hit a physical page that holds
 * decoded code. One bit per 4 KiB page; a store to an unmarked page costs one array load.
 */
public final class CodeWriteTracker {
    private final long[] codePages = new long[(1 << 20) / 64];
    private Listener listener = page -> { };

    /** Receives the physical page number of a written code page. */
    @FunctionalInterface
    public interface Listener {
        void codePageWritten(int physicalPage);
    }

    public void setListener(Listener listener) {
        this.listener = listener;
    }

    public void markCodePage(int physicalPage) {
        codePages[physicalPage >>> 6] |= 1L << physicalPage;
    }

    public void unmarkCodePage(int physicalPage) {
        codePages[physicalPage >>> 6] &= ~(1L << physicalPage);
    }

    public boolean isCodePage(int physicalPage) {
        return (codePages[physicalPage >>> 6] & (1L << physicalPage)) != 0;
    }

    void noteWrite(int pa) {
        int page = pa >>> 12;
        if ((codePages[page >>> 6] & (1L << page)) != 0) {
            listener.codePageWritten(page);
        }
    }
}
