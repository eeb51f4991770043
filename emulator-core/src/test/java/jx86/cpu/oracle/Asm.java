package jx86.cpu.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A tiny IA-32 assembler for the oracle's block generator: it appends instructions to one block,
 * keeps a listing (hex bytes, mnemonic text, opcode key for coverage), encodes memory operands
 * that address the data window (emitting the MOVs that point base/index registers there), tracks
 * which arithmetic flags the SDM leaves undefined at each point, and tracks ESP statically.
 *
 * <p>Not a general assembler: only the encodings {@link BlockGenerator} needs.
 */
final class Asm {
    static final int WIN = OracleCase.WINDOW_ADDRESS;
    static final int CF = 0x001;
    static final int PF = 0x004;
    static final int AF = 0x010;
    static final int ZF = 0x040;
    static final int SF = 0x080;
    static final int DF = 0x400;
    static final int OF = 0x800;
    static final int ARITH = CF | PF | AF | ZF | SF | OF;
    /** Bytes of the window that memory operands of ordinary instructions target (across a page boundary). */
    static final int DATA_START = 0xC40;
    static final int DATA_END = 0x1400;
    static final int PAGE_BOUNDARY = 0x1000;
    /** Where the stack lives inside the window (ESP starts at {@link #STACK_START}). */
    static final int STACK_LOW = 0x1880;
    static final int STACK_START = 0x1C00;
    static final int STACK_HIGH = 0x1FF0;

    static final String[] R32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    static final String[] R16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    static final String[] R8 = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};

    final Random rnd;
    private final byte[] buf = new byte[OracleCase.MAX_CODE];
    private int pos;
    final List<OracleCase.Insn> insns = new ArrayList<>();
    /** Arithmetic flags whose value is architecturally undefined at the current point. */
    int undef;
    /** ESP - WIN at the current point of straight-line execution. */
    int espOff = STACK_START;

    /** Linear address the block will be placed at (for stores into its own code). */
    final int codeAddress;

    Asm(Random rnd, int codeAddress) {
        this.rnd = rnd;
        this.codeAddress = codeAddress;
    }

    int pos() {
        return pos;
    }

    byte[] code() {
        return java.util.Arrays.copyOf(buf, pos);
    }

    boolean hasRoom(int bytes) {
        return pos + bytes < buf.length - 64;
    }

    static String reg(int size, int r) {
        return size == 8 ? R8[r] : size == 16 ? R16[r] : R32[r];
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** An int shown as its 32-bit two's complement pattern (never sign-extended). */
    static String hex(int v) {
        return "0x" + Integer.toHexString(v);
    }

    // ---- emission ----

    /**
     * Appends one instruction. If it reads a flag that is currently undefined, a CMP that defines
     * every arithmetic flag is emitted first, so undefined flags never reach a register or memory.
     */
    void ins(String text, String key, int reads, int defines, int undefines, Bytes b) {
        if ((reads & undef) != 0) {
            defineFlags();
        }
        int start = pos;
        for (int i = 0; i < b.len; i++) {
            buf[pos++] = b.data[i];
        }
        insns.add(new OracleCase.Insn(start, b.len, text, key, undef));
        undef = (undef & ~defines) | undefines;
    }

    void defineFlags() {
        int r = rnd.nextInt(8);
        int imm = rnd.nextInt(256) - 128;
        int u = undef;
        undef = 0;
        ins("cmp " + R32[r] + ", " + imm, "83/7", 0, ARITH, 0, new Bytes().b(0x83).b(0xF8 | r).b(imm));
        undef = u & ~ARITH;
    }

    /** MOV r32, imm32 used to set up an operand (also covers B8+r). */
    void movImm(int r, int value) {
        ins("mov " + R32[r] + ", " + hex(value & 0xFFFFFFFFL), "B8+r", 0, 0, 0,
                new Bytes().b(0xB8 + r).d(value));
    }

    /** Overwrites byte {@code at} of the code (for forward jump displacements). */
    void patch8(int at, int value) {
        buf[at] = (byte) value;
    }

    void patch32(int at, int value) {
        for (int i = 0; i < 4; i++) {
            buf[at + i] = (byte) (value >>> (8 * i));
        }
    }

    // ---- memory operands ----

    /** An encoded ModRM/SIB/displacement tail plus its text. */
    record Mem(byte[] tail, String text) {
    }

    /** A random data-area target for an access of {@code size} bytes. */
    int dataTarget(int size) {
        if (size > 1 && rnd.nextInt(8) == 0) {
            return PAGE_BOUNDARY - 1 - rnd.nextInt(size - 1); // straddles the page boundary
        }
        return DATA_START + rnd.nextInt(DATA_END - DATA_START - size);
    }

    /**
     * Encodes a memory operand with ModRM.reg = {@code regField} addressing WIN+target. Registers
     * used as base or index are loaded by MOVs emitted now; registers in {@code avoid} (bit mask)
     * are never chosen. May instead address the stack area through ESP when {@code espOk}.
     */
    Mem mem(int regField, int target, int size, int avoid, boolean espOk) {
        avoid |= 1 << 4;
        int form = rnd.nextInt(10);
        if (form == 0) {
            return new Mem(new Bytes().b(regField << 3 | 5).d(WIN + target).bytes(),
                    "[" + hex(WIN + target) + "]");
        }
        if (form <= 4) {
            int base = pickReg(avoid | (1 << 4));
            int mod = rnd.nextInt(3);
            if (mod == 0 && base == 5) {
                mod = 1;
            }
            int disp = mod == 0 ? 0 : mod == 1 ? rnd.nextInt(256) - 128 : rnd.nextInt();
            movImm(base, WIN + target - disp);
            Bytes b = new Bytes().b(mod << 6 | regField << 3 | base);
            dispBytes(b, mod, disp);
            return new Mem(b.bytes(), "[" + R32[base] + dispText(mod, disp) + "]");
        }
        return sib(regField, target, size, avoid, espOk);
    }

    private Mem sib(int regField, int target, int size, int avoid, boolean espOk) {
        int mod = rnd.nextInt(3);
        int scale = rnd.nextInt(4);
        boolean espBase = espOk && rnd.nextInt(3) == 0;
        int base = espBase ? 4 : pickReg(avoid);
        boolean noBase = !espBase && mod == 0 && rnd.nextInt(3) == 0;
        if (noBase) {
            base = 5;
        } else if (mod == 0 && base == 5) {
            mod = 1;
        }
        boolean hasIndex = rnd.nextInt(4) != 0;
        int index = hasIndex ? pickReg(avoid | (noBase || espBase ? 0 : 1 << base)) : 4;
        if (espBase) {
            // ESP is fixed: address the stack area around it instead of the data area.
            int lo = Math.max(0, espOff - 0x80);
            int hi = Math.min(OracleCase.WINDOW_SIZE - size, espOff + 0x80);
            target = lo + rnd.nextInt(hi - lo);
            if (hasIndex) {
                scale = 0;
            } else if (mod == 0) {
                mod = 2;
            }
        }
        int disp;
        if (mod == 0) {
            disp = 0;
        } else if (mod == 1) {
            disp = rnd.nextInt(256) - 128;
        } else {
            disp = rnd.nextInt();
        }
        if (noBase) {
            disp = rnd.nextInt();
        }
        long want = (WIN + target) & 0xFFFFFFFFL;
        if (espBase) {
            int espValue = WIN + espOff;
            if (hasIndex) {
                movImm(index, (int) (want - espValue - disp));
            } else {
                disp = (int) (want - espValue);
                mod = disp == (byte) disp ? 1 : 2;
            }
        } else if (noBase) {
            if (hasIndex) {
                int iv = rnd.nextInt(64) - 32;
                movImm(index, iv);
                disp = (int) (want - ((long) iv << scale));
            } else {
                disp = (int) want;
            }
        } else {
            int iv = hasIndex ? (rnd.nextBoolean() ? rnd.nextInt(64) - 32 : rnd.nextInt()) : 0;
            if (hasIndex) {
                movImm(index, iv);
            }
            movImm(base, (int) (want - disp - ((long) iv << scale)));
        }
        Bytes b = new Bytes().b(mod << 6 | regField << 3 | 4).b(scale << 6 | index << 3 | base);
        if (noBase) {
            b.d(disp);
        } else {
            dispBytes(b, mod, disp);
        }
        StringBuilder t = new StringBuilder("[");
        if (!noBase) {
            t.append(R32[base]);
        }
        if (hasIndex) {
            t.append(noBase ? "" : "+").append(R32[index]).append('*').append(1 << scale);
        }
        if (noBase) {
            t.append("+").append(hex(disp & 0xFFFFFFFFL));
        } else {
            t.append(dispText(mod, disp));
        }
        return new Mem(b.bytes(), t.append(']').toString());
    }

    private static void dispBytes(Bytes b, int mod, int disp) {
        if (mod == 1) {
            b.b(disp);
        } else if (mod == 2) {
            b.d(disp);
        }
    }

    private static String dispText(int mod, int disp) {
        if (mod == 0) {
            return "";
        }
        if (mod == 1) {
            return (disp < 0 ? "-" : "+") + hex(Math.abs(disp));
        }
        return "+" + hex(disp & 0xFFFFFFFFL);
    }

    /** A random register not in {@code avoid}. */
    int pickReg(int avoid) {
        for (;;) {
            int r = rnd.nextInt(8);
            if ((avoid & (1 << r)) == 0) {
                return r;
            }
        }
    }

    /** A growable little-endian byte sequence for one instruction. */
    static final class Bytes {
        byte[] data = new byte[16];
        int len;

        Bytes b(int v) {
            if (len == data.length) {
                data = java.util.Arrays.copyOf(data, len * 2);
            }
            data[len++] = (byte) v;
            return this;
        }

        Bytes w(int v) {
            return b(v).b(v >>> 8);
        }

        Bytes d(int v) {
            return b(v).b(v >>> 8).b(v >>> 16).b(v >>> 24);
        }

        Bytes imm(int size, int v) {
            return size == 8 ? b(v) : size == 16 ? w(v) : d(v);
        }

        Bytes all(byte[] more) {
            for (byte x : more) {
                b(x);
            }
            return this;
        }

        byte[] bytes() {
            return java.util.Arrays.copyOf(data, len);
        }
    }
}
