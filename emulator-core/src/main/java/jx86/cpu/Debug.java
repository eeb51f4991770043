package jx86.cpu;

/**
 * Debug breakpoints (SDM Vol. 3A, 17.2-17.3): DR0-DR3 with DR7 enables. Instruction breakpoints
 * (R/W = 00) are faults checked before an instruction runs (suppressed by EFLAGS.RF); data
 * breakpoints (R/W = 01 write, 11 read/write, LEN 1/2/4/8 bytes, address aligned down to LEN) are
 * traps reported after the instruction that touched the data. Hits set DR6.B0-B3.
 *
 * <p>Not modelled: I/O breakpoints (R/W = 10, CPUID reports DE = 0), the exact/GE bits, and data
 * breakpoints on the implicit supervisor accesses (descriptor tables, TSS).
 */
final class Debug {
    private Debug() {
    }

    private static boolean enabled(int dr7, int i) {
        return ((dr7 >>> (2 * i)) & 3) != 0;
    }

    private static int rw(int dr7, int i) {
        return (dr7 >>> (16 + 4 * i)) & 3;
    }

    private static int len(int dr7, int i) {
        switch ((dr7 >>> (18 + 4 * i)) & 3) {
            case 0:
                return 1;
            case 1:
                return 2;
            case 2:
                return 8;
            default:
                return 4;
        }
    }

    /** DR6.Bn bits of the instruction breakpoints matching linear address {@code la}. */
    static int instructionHits(Cpu c, int la) {
        int dr7 = c.dr[7];
        int hits = 0;
        for (int i = 0; i < 4; i++) {
            if (enabled(dr7, i) && rw(dr7, i) == 0 && c.dr[i] == la) {
                hits |= 1 << i;
            }
        }
        return hits;
    }

    /** Records data breakpoint hits for an access of {@code size} bytes at {@code la}. */
    static void data(Cpu c, int la, int size, boolean write) {
        int dr7 = c.dr[7];
        for (int i = 0; i < 4; i++) {
            int kind = rw(dr7, i);
            if (!enabled(dr7, i) || kind == 0 || kind == 2 || (kind == 1 && !write)) {
                continue;
            }
            int n = len(dr7, i);
            long start = c.dr[i] & ~(n - 1) & 0xFFFF_FFFFL;
            long a = la & 0xFFFF_FFFFL;
            if (a < start + n && start < a + size) {
                c.dataBreakHits |= 1 << i;
            }
        }
    }
}
