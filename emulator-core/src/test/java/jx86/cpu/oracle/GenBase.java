package jx86.cpu.oracle;

import static jx86.cpu.oracle.Asm.AF;
import static jx86.cpu.oracle.Asm.ARITH;
import static jx86.cpu.oracle.Asm.CF;
import static jx86.cpu.oracle.Asm.OF;
import static jx86.cpu.oracle.Asm.PF;
import static jx86.cpu.oracle.Asm.SF;
import static jx86.cpu.oracle.Asm.ZF;

import java.util.Random;
import jx86.cpu.oracle.Asm.Bytes;

/**
 * State and helpers shared by the oracle's block generator and its item families: the random
 * source and the {@link Asm} of the block being generated (both set by {@link BlockGenerator} for
 * every block), edge-biased values, operand encodings and prefixes.
 */
abstract class GenBase {
    static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
    static final String[] SHIFT = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"};
    static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge",
        "le", "g"};
    static final int[] CC_READS = {OF, OF, CF, CF, ZF, ZF, CF | ZF, CF | ZF, SF, SF, PF, PF, SF | OF, SF | OF,
        ZF | SF | OF, ZF | SF | OF};
    static final int LOGIC_DEFS = CF | OF | SF | ZF | PF;

    Random rnd;
    Asm a;

    // ---- random values ----

    int size() {
        int k = rnd.nextInt(10);
        return k < 3 ? 8 : k < 5 ? 16 : 32;
    }

    /** A value of {@code size} bits, biased toward edge cases. */
    int value(int size) {
        int v;
        switch (rnd.nextInt(12)) {
            case 0 -> v = 0;
            case 1 -> v = 1;
            case 2 -> v = -1;
            case 3 -> v = 1 << (size - 1);
            case 4 -> v = (1 << (size - 1)) - 1;
            case 5 -> v = rnd.nextInt(16);
            case 6 -> v = -rnd.nextInt(16);
            case 7 -> v = 0x0F0F0F0F ^ rnd.nextInt(256);
            default -> v = rnd.nextInt();
        }
        return size == 8 ? v & 0xFF : size == 16 ? v & 0xFFFF : v;
    }

    static Bytes op(int size) {
        Bytes b = new Bytes();
        if (size == 16) {
            b.b(0x66);
        }
        return b;
    }

    static String sz(int size) {
        return size == 8 ? "byte" : size == 16 ? "word" : "dword";
    }

    static String key(String k, int size) {
        return k + "." + size;
    }

    /** Register ModRM/text for r/m operands, or a memory operand in the data window. */
    record Rm(byte[] tail, String text, boolean mem, int reg) {
    }

    Rm rm(int size, int regField, boolean write, int avoid, boolean memory) {
        if (memory) {
            Asm.Mem m = a.mem(regField, a.dataTarget(size / 8), size / 8, avoid, true);
            return new Rm(m.tail(), sz(size) + " " + m.text(), true, -1);
        }
        int r = write && size != 8 ? a.pickReg(1 << 4) : rnd.nextInt(8);
        return new Rm(new byte[] {(byte) (0xC0 | regField << 3 | r)}, Asm.reg(size, r), false, r);
    }

    Rm rm(int size, int regField, boolean write) {
        return rm(size, regField, write, 0, rnd.nextInt(100) < 40);
    }

    /** A register for ModRM.reg that may be written (never ESP/SP for 16/32-bit). */
    int dstReg(int size) {
        return size == 8 ? rnd.nextInt(8) : a.pickReg(1 << 4);
    }

    void segPrefix(Bytes b, Rm r) {
        if (r.mem() && rnd.nextInt(8) == 0) {
            b.b(new int[] {0x26, 0x36, 0x3E}[rnd.nextInt(3)]);
        }
    }

    /** Operand-size, occasional LOCK (memory destinations only) and segment prefixes. */
    Bytes prefixes(int size, Rm r, boolean lockable) {
        Bytes b = new Bytes();
        if (lockable && r.mem() && rnd.nextInt(6) == 0) {
            b.b(0xF0);
        }
        if (r.mem() && rnd.nextInt(16) == 0) {
            // several segment overrides: the last one counts (a CS before it must not make a store fault)
            for (int i = rnd.nextInt(3); i >= 0; i--) {
                b.b(new int[] {0x26, 0x2E, 0x36, 0x3E}[rnd.nextInt(4)]);
            }
            b.b(new int[] {0x26, 0x36, 0x3E}[rnd.nextInt(3)]);
        } else {
            segPrefix(b, r);
        }
        if (size == 16) {
            b.b(0x66);
            if (rnd.nextInt(16) == 0) {
                b.b(0x66); // a repeated operand-size prefix is still 16-bit
            }
        }
        return b;
    }

    static String hex2(int opcode) {
        return String.format("%02X", opcode);
    }

    int pick(int[] options) {
        return options[rnd.nextInt(options.length)];
    }

    static long signExtend(long v, int size) {
        return (v << (64 - size)) >> (64 - size);
    }

    int shiftCount(int size) {
        int[] edge = {0, 1, 2, size - 1, size, size + 1, 9, 17, 31, 32, 33, 63, 255};
        return rnd.nextInt(3) == 0 ? rnd.nextInt(256) : edge[rnd.nextInt(edge.length)];
    }

    /** A simple register-to-register ALU instruction that never writes ESP or the registers in {@code keep}. */
    void registerOnly(int keep) {
        int o = rnd.nextInt(8);
        int dst = a.pickReg(keep | 1 << 4);
        int src = rnd.nextInt(8);
        int reads = (o == 2 || o == 3) ? CF : 0;
        boolean logic = o == 1 || o == 4 || o == 6;
        a.ins(ALU[o] + " " + Asm.R32[dst] + ", " + Asm.R32[src], key(hex2(o * 8 + 1), 32), reads,
                logic ? LOGIC_DEFS : ARITH, logic ? AF : 0, new Bytes().b(o * 8 + 1).b(0xC0 | src << 3 | dst));
    }
}
