package jx86.kernel.monolithic;

/**
 * A host-side re-implementation of the checksum user/kbench.c prints when run as init with
 * {@code kbench=N} rounds, written from the C source and the POSIX meaning of each call: getpid is
 * 1 for init, a pipe returns what was written, fresh brk pages read as zero, a child's writes to
 * copy-on-write pages leave the parent's copy alone, wait statuses are the exit code shifted left
 * by 8. It is the independent oracle for the checksum; nothing here runs jx86.
 */
final class KbenchModel {
    private static final int PAGE = 4096;
    private static final int COW_PAGES = 64;

    private int sum = 0x811c9dc5;

    private KbenchModel() {
    }

    /** The value of "kbench checksum=0x%08x" after {@code rounds} rounds of every phase. */
    static int checksum(int rounds) {
        KbenchModel m = new KbenchModel();
        for (int r = 0; r < rounds; r++) {
            m.round();
        }
        return m.sum;
    }

    /** kbench.c's mix(): FNV-1a over the value's four bytes, low byte first. */
    private void mix(int v) {
        for (int i = 0; i < 4; i++) {
            sum ^= (v >>> (8 * i)) & 0xff;
            sum *= 16777619;
        }
    }

    private static int waitStatus(int exitCode) {
        return (exitCode & 0xff) << 8;
    }

    private void round() {
        mix(20000);                                    // getpid: 20,000 x pid 1
        for (int i = 0; i < 5000; i++) {               // pipe: byte i & 31 of the 32 written
            mix((i * 7 + (i & 31)) & 0xff);
        }
        int v = 1;                                     // ping-pong: the child answers v * 3 + 1
        for (int i = 0; i < 2000; i++) {
            v = v * 3 + 1;
        }
        mix(v);
        mix(waitStatus(0));                            // the child saw all 2,000 words
        int t = 0;                                     // brk: zero, then (i + j) read back
        for (int i = 0; i < 100; i++) {
            for (int j = 0; j < 16; j++) {
                t += (i + j) & 0xff;
            }
        }
        mix(t);
        int[] heap = new int[COW_PAGES * PAGE / 4];    // copy-on-write
        for (int i = 0; i < heap.length; i++) {
            heap[i] = i * (int) 2654435761L;
        }
        for (int k = 0; k < 50; k++) {
            int c = 0;
            for (int j = 0; j < COW_PAGES; j++) {
                c = c * 31 + (heap[j * (PAGE / 4) + k] + j);   // the child's copy; the parent's stays
            }
            mix(c);
            mix(waitStatus(0));
        }
        t = 0;
        for (int i = 0; i < heap.length; i += 97) {
            t += heap[i];
        }
        mix(t);
        t = 0;                                         // fork + exit(i & 0x7f) + waitpid
        for (int i = 0; i < 200; i++) {
            t = t * 33 + (i & 0x7f);
        }
        mix(t);
    }
}
