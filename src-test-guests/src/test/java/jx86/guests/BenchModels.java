package jx86.guests;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Host-side re-implementations of the benchmark guests' arithmetic (bench/cpu-bound.c and
 * bench/mem-walk.c), written from the C sources: the independent oracle for the checksums the
 * guests print with a given iteration count. Nothing here runs jx86. Guest words are 32-bit
 * unsigned: Java ints with the unsigned operations where C's result differs from the signed one.
 */
final class BenchModels {
    private static final int FNV_BASIS = 0x811c9dc5;
    private static final int FNV_PRIME = 16777619;

    private BenchModels() {
    }

    private static int mix(int h, int v) {
        return (h ^ v) * FNV_PRIME;
    }

    /** bench/cpu-bound.c with {@code iters=n}. */
    static int cpuBound(int iterations) {
        return new CpuBound().run(iterations);
    }

    /** bench/mem-walk.c with {@code iters=n}: the working set starts zeroed; only touched words are kept. */
    static int memWalk(int iterations) {
        Map<Integer, Integer> ws = new HashMap<>();
        int x = 0x2545F491;
        int h = FNV_BASIS;
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < (1 << 20); i++) {
                x ^= x << 13;
                x ^= x >>> 17;
                x ^= x << 5;
                int idx = x & ((64 << 20 >> 2) - 1);
                int v = ws.getOrDefault(idx, 0);
                ws.put(idx, v + i);
                h = (h ^ v) * FNV_PRIME;
            }
        }
        return h;
    }

    /** The state cpu-bound.c keeps between phases and iterations. */
    private static final class CpuBound {
        private static final int BIG_WORDS = 4 << 20 >> 2;
        private static final int STR_LEN = 0x10000;
        /** STR_A (0x900000) up to the end of STR_B (0x920000 + STR_LEN), one byte array. */
        private static final int STR_B = 0x20000;
        private static final int SORT_N = 16384;

        private int rng = 0x12345678;
        private final int[] big = new int[BIG_WORDS];
        private final byte[] str = new byte[STR_B + STR_LEN];
        private final int[] crcTable = new int[256];

        int run(int iterations) {
            int sum = FNV_BASIS;
            for (int it = 0; it < iterations; it++) {
                sum = mix(sum, alu(800000));
                sum = mix(sum, calls(700000));
                sum = mix(sum, memory(6));
                sum = mix(sum, strings(200));
                sum = mix(sum, crc(24));
                sum = mix(sum, sort());
            }
            return sum;
        }

        private int xorshift() {
            rng ^= rng << 13;
            rng ^= rng >>> 17;
            rng ^= rng << 5;
            return rng;
        }

        private int alu(int rounds) {
            int acc = 1;
            int q = 0;
            for (int i = 0; i < rounds; i++) {
                int x = xorshift();
                acc += x * (int) 2654435761L;
                acc = Integer.rotateLeft(acc, 7);
                if ((x & 1) != 0) {
                    acc ^= x >>> 3;
                } else {
                    acc -= Integer.divideUnsigned(x, (i & 255) + 1);
                }
                long product = Integer.toUnsignedLong(x) * Integer.toUnsignedLong(acc);
                q += (int) Long.remainderUnsigned(product >>> 32, 1000003);
            }
            return acc ^ q;
        }

        private static int fib(int n) {
            return n < 2 ? n : fib(n - 1) + fib(n - 2);
        }

        private static int calls(int rounds) {
            int h = fib(22);
            for (int i = 0; i < rounds; i++) {
                switch (Integer.remainderUnsigned(i, 3)) {
                    case 0 -> h = h + i;
                    case 1 -> h = h ^ (i << 1);
                    default -> h = h - i * 3;
                }
            }
            return h;
        }

        private int memory(int passes) {
            for (int i = 0; i < BIG_WORDS; i++) {
                big[i] = i * 0x9E3779B9;
            }
            int h = 0;
            for (int p = 0; p < passes; p++) {
                int stride = 1021 + p * 2;
                int idx = p;
                for (int i = 0; i < BIG_WORDS / 4; i++) {
                    idx = (idx + stride) & (BIG_WORDS - 1);
                    big[idx] += h;
                    h = mix(h, big[idx]);
                }
            }
            return h;
        }

        private int word(int offset) {
            return (str[offset] & 0xff) | (str[offset + 1] & 0xff) << 8 | (str[offset + 2] & 0xff) << 16
                    | (str[offset + 3] & 0xff) << 24;
        }

        private int strings(int rounds) {
            int h = 0;
            Arrays.fill(str, (byte) 0);
            for (int r = 0; r < rounds; r++) {
                int pattern = xorshift();
                for (int i = 0; i < STR_LEN; i++) {
                    str[i] = (byte) (pattern >>> (8 * (i & 3)));
                }
                str[r & 0xFFFF] ^= (byte) r;
                int s = r & 7;
                int d = STR_B + ((r >> 3) & 7);
                System.arraycopy(str, s, str, d, STR_LEN - 8);   // REP MOVSB; the ranges do not overlap
                h = mix(h, word(STR_B + 4 * (r & 0x3FF)));
                h = mix(h, str[STR_B + ((r * 7919) & 0xFFF7)] & 0xff);
            }
            return h;
        }

        private int crc(int rounds) {
            for (int i = 0; i < 256; i++) {
                int c = i;
                for (int k = 0; k < 8; k++) {
                    c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
                }
                crcTable[i] = c;
            }
            int crc = 0xFFFFFFFF;
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < STR_LEN; i++) {
                    crc = crcTable[(crc ^ str[STR_B + i]) & 0xFF] ^ (crc >>> 8);
                }
            }
            return ~crc;
        }

        /** The heap sort's result is the values in unsigned ascending order, whatever the algorithm. */
        private int sort() {
            long[] a = new long[SORT_N];
            for (int i = 0; i < SORT_N; i++) {
                a[i] = Integer.toUnsignedLong(xorshift());
            }
            Arrays.sort(a);
            int h = 0;
            for (long v : a) {
                h = mix(h, (int) v);
            }
            return h;
        }
    }
}
