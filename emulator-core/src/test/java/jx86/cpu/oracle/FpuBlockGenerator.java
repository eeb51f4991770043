package jx86.cpu.oracle;

import java.util.Random;
import jx86.cpu.oracle.Asm.Bytes;

/**
 * Seeded generator of random x87 blocks for the differential oracle (docs/cpu-oracle.md, "x87"):
 * FNINIT, a control word (random precision and rounding control, now and then unmasked
 * exceptions so #MF is compared too), then 1-14 items drawn from every D8-DF group except the
 * transcendental instructions, with operands (normals, denormals, pseudo-denormals, unnormals,
 * zeros, infinities, QNaNs, SNaNs, values near the overflow and underflow thresholds, integers,
 * packed BCD) placed in the window. The block ends with FNSAVE into the window, so the whole FPU
 * state (control, status and tag words, pointers, the eight 80-bit registers) is compared as
 * window bytes, as are every value stored before.
 */
final class FpuBlockGenerator {
    /** Operand slots (16 bytes each) in the window. */
    static final int OPND = 0x200;
    /** Store destinations. */
    static final int OUT = 0x700;
    /** FNSAVE area at the end of the block: 108 bytes straddling the window's page boundary. */
    static final int SAVE = 0xFC0;
    private static final int WIN = OracleCase.WINDOW_ADDRESS;

    private final long seed;
    private Random rnd;
    private Asm a;
    private byte[] window;
    private int slot;
    private int depth;

    FpuBlockGenerator(long seed) {
        this.seed = seed;
    }

    OracleCase generate(long index) {
        rnd = new Random(seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + 87);
        int codeAddress = OracleCase.CODE_ADDRESS;
        if (rnd.nextInt(8) == 0) {
            codeAddress += 4096 - 1 - rnd.nextInt(48);
        }
        a = new Asm(rnd, codeAddress);
        int[] regs = new int[8];
        for (int r = 0; r < 8; r++) {
            regs[r] = rnd.nextInt();
        }
        regs[4] = WIN + Asm.STACK_START;
        int eflags = rnd.nextInt() & Asm.ARITH;
        window = new byte[OracleCase.WINDOW_SIZE];
        for (int i = 0; i < window.length; i++) {
            window[i] = (byte) rnd.nextInt(256);
        }
        slot = 0;
        depth = 0;
        // The contents of empty registers show in FNSAVE and FXAM: make them +0 on both sides.
        a.ins("fninit", "DB E3", 0, 0, 0, new Bytes().b(0xDB).b(0xE3));
        for (int i = 0; i < 8; i++) {
            a.ins("fldz", "D9 EE", 0, 0, 0, new Bytes().b(0xD9).b(0xEE));
        }
        a.ins("fninit", "DB E3", 0, 0, 0, new Bytes().b(0xDB).b(0xE3));
        int cw = 0x037F;
        int pc = new int[] {0, 2, 3, 3}[rnd.nextInt(4)];
        cw = (cw & ~0x0F00) | (pc << 8) | (rnd.nextInt(4) << 10);
        if (rnd.nextInt(10) == 0) {
            cw &= ~(1 << rnd.nextInt(6));
        }
        fldcw(cw);
        int items = 1 + rnd.nextInt(14);
        for (int i = 0; i < items; i++) {
            item();
        }
        mem("fnsave", "DD/6", 0xDD, 6, WIN + SAVE);
        return new OracleCase(index, codeAddress, a.code(), a.insns, regs, eflags, window, a.undef);
    }

    /** A hand-written block: prologue, {@code code}, FNSAVE; {@code data} at the operand slots. */
    static OracleCase probe(byte[] code, byte[] data) {
        FpuBlockGenerator g = new FpuBlockGenerator(0);
        g.rnd = new Random(1);
        g.a = new Asm(g.rnd, OracleCase.CODE_ADDRESS);
        g.window = new byte[OracleCase.WINDOW_SIZE];
        System.arraycopy(data, 0, g.window, OPND, data.length);
        g.a.ins("fninit", "DB E3", 0, 0, 0, new Bytes().b(0xDB).b(0xE3));
        g.a.ins("probe", "probe", 0, 0, 0, new Bytes().all(code));
        g.mem("fnsave", "DD/6", 0xDD, 6, WIN + SAVE);
        int[] regs = new int[8];
        regs[4] = WIN + Asm.STACK_START;
        return new OracleCase(0, OracleCase.CODE_ADDRESS, g.a.code(), g.a.insns, regs, 0, g.window, g.a.undef);
    }

    // ---- operands in the window ----

    private int nextSlot() {
        int off = OPND + 16 * slot;
        slot = (slot + 1) % 64;
        return off;
    }

    private int put(long lo, int hi16) {
        int off = nextSlot();
        for (int i = 0; i < 8; i++) {
            window[off + i] = (byte) (lo >>> (8 * i));
        }
        window[off + 8] = (byte) hi16;
        window[off + 9] = (byte) (hi16 >>> 8);
        return WIN + off;
    }

    private int outSlot() {
        return WIN + OUT + 16 * rnd.nextInt(32);
    }

    private long randomSig() {
        long s = rnd.nextLong();
        switch (rnd.nextInt(4)) {
            case 0 -> s &= -1L << (40 + rnd.nextInt(24)); // few significant bits: exact results
            case 1 -> s |= (1L << rnd.nextInt(40)) - 1; // runs of ones: rounding carries
            default -> {
            }
        }
        return s;
    }

    /** A random 80-bit pattern from every class. */
    private long[] ext() {
        int sign = rnd.nextBoolean() ? 0x8000 : 0;
        long sig = randomSig();
        int k = rnd.nextInt(100);
        int exp;
        if (k < 55) {
            exp = 0x3FFF + rnd.nextInt(130) - 65;
            sig |= 1L << 63;
        } else if (k < 62) {
            exp = 1 + rnd.nextInt(0x7FFE);
            sig |= 1L << 63;
        } else if (k < 67) {
            exp = 1 + rnd.nextInt(70);
            sig |= 1L << 63;
        } else if (k < 72) {
            exp = 0x7FFE - rnd.nextInt(70);
            sig |= 1L << 63;
        } else if (k < 77) {
            exp = 0;
            sig = sig >>> (1 + rnd.nextInt(63));
        } else if (k < 79) {
            exp = 0;
            sig |= 1L << 63; // pseudo-denormal
        } else if (k < 84) {
            exp = 0;
            sig = 0;
        } else if (k < 87) {
            exp = 0x7FFF;
            sig = 1L << 63;
        } else if (k < 91) {
            exp = 0x7FFF;
            sig = (sig | (3L << 62));
        } else if (k < 94) {
            exp = 0x7FFF;
            sig = ((sig & ~(3L << 62)) | (1L << 63) | 1);
        } else if (k < 97) {
            exp = 0x3FFF + rnd.nextInt(64);
            sig = (long) (rnd.nextInt(2000) - 1000) << 50 | (1L << 63); // small integers and halves
        } else {
            exp = 1 + rnd.nextInt(0x7FFF);
            sig &= Long.MAX_VALUE; // unnormal, pseudo-infinity, pseudo-NaN
        }
        return new long[] {sig, sign | exp};
    }

    private long binary(int expBits, int fracBits) {
        int emax = (1 << expBits) - 1;
        int bias = emax >> 1;
        long frac = rnd.nextLong() & ((1L << fracBits) - 1);
        if (rnd.nextInt(3) == 0) {
            frac &= -1L << rnd.nextInt(fracBits);
        }
        long sign = rnd.nextBoolean() ? 1L << (expBits + fracBits) : 0;
        int k = rnd.nextInt(100);
        long exp;
        if (k < 65) {
            exp = bias + rnd.nextInt(80) - 40;
        } else if (k < 73) {
            exp = 1 + rnd.nextInt(emax - 1);
        } else if (k < 80) {
            exp = 0;
        } else if (k < 85) {
            exp = 0;
            frac = 0;
        } else if (k < 89) {
            exp = emax;
            frac = 0;
        } else if (k < 95) {
            exp = emax;
            frac |= 1;
        } else {
            exp = bias + rnd.nextInt(30);
            frac &= -1L << (fracBits - 10);
        }
        return sign | (exp << fracBits) | frac;
    }

    private long integer(int bits) {
        long v = switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextInt(200) - 100;
            case 1 -> 1L << (bits - 1);
            default -> rnd.nextLong();
        };
        return bits == 64 ? v : (v << (64 - bits)) >> (64 - bits);
    }

    private int bcdOperand() {
        long lo = 0;
        int hi = 0;
        for (int i = 0; i < 9; i++) {
            int d = rnd.nextInt(10) | rnd.nextInt(10) << 4;
            if (rnd.nextInt(40) == 0) {
                d = 0;
            }
            if (i < 8) {
                lo |= (long) d << (8 * i);
            } else {
                hi = d;
            }
        }
        hi |= rnd.nextBoolean() ? 0x8000 : 0;
        return put(lo, hi);
    }

    // ---- emission ----

    private void mem(String text, String key, int op, int reg, int addr) {
        a.ins(text + " [" + Asm.hex(addr) + "]", key, 0, 0, 0,
                new Bytes().b(op).b((reg << 3) | 5).d(addr));
    }

    private void regForm(String text, String key, int op, int modrm) {
        a.ins(text, key, 0, 0, 0, new Bytes().b(op).b(modrm));
    }

    private void fldcw(int cw) {
        int addr = put(cw & 0xFFFF, 0);
        mem("fldcw", "D9/5", 0xD9, 5, addr);
    }

    private void load() {
        int k = rnd.nextInt(100);
        if (depth >= 8 && rnd.nextInt(10) != 0) {
            store();
            return;
        }
        depth++;
        if (k < 30) {
            long[] v = ext();
            mem("fld tbyte", "DB/5", 0xDB, 5, put(v[0], (int) v[1]));
        } else if (k < 45) {
            mem("fld qword", "DD/0", 0xDD, 0, put(binary(11, 52), 0));
        } else if (k < 58) {
            mem("fld dword", "D9/0", 0xD9, 0, put(binary(8, 23), 0));
        } else if (k < 64) {
            mem("fild word", "DF/0", 0xDF, 0, put(integer(16), 0));
        } else if (k < 70) {
            mem("fild dword", "DB/0", 0xDB, 0, put(integer(32), 0));
        } else if (k < 76) {
            mem("fild qword", "DF/5", 0xDF, 5, put(integer(64), 0));
        } else if (k < 80) {
            mem("fbld", "DF/4", 0xDF, 4, bcdOperand());
        } else if (k < 90) {
            int m = 0xE8 + rnd.nextInt(7);
            regForm("fld const " + Integer.toHexString(m), "D9 " + Integer.toHexString(m).toUpperCase(), 0xD9, m);
        } else {
            int i = rnd.nextInt(8);
            regForm("fld st(" + i + ")", "D9 C0+i", 0xD9, 0xC0 + i);
        }
    }

    private void ensure(int n) {
        while (depth < n && rnd.nextInt(12) != 0) {
            load();
        }
    }

    private static final String[] ARITH = {"fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr"};

    private void arithMem() {
        ensure(1);
        int reg = rnd.nextInt(8);
        int k = rnd.nextInt(4);
        int op = new int[] {0xD8, 0xDC, 0xDA, 0xDE}[k];
        int addr = switch (k) {
            case 0 -> put(binary(8, 23), 0);
            case 1 -> put(binary(11, 52), 0);
            case 2 -> put(integer(32), 0);
            default -> put(integer(16), 0);
        };
        String size = new String[] {"dword", "qword", "int32", "int16"}[k];
        mem(ARITH[reg] + " " + size, String.format("%02X/%d", op, reg), op, reg, addr);
        if (reg == 3) {
            depth--;
        }
    }

    private void arithReg() {
        ensure(2);
        int reg = rnd.nextInt(8);
        int i = rnd.nextInt(8);
        int k = rnd.nextInt(3);
        int op = new int[] {0xD8, 0xDC, 0xDE}[k];
        if (op == 0xDE && reg == 3) {
            regForm("fcompp", "DE D9", 0xDE, 0xD9);
            depth -= 2;
            return;
        }
        regForm(ARITH[reg] + (k == 2 ? "p" : "") + (k == 0 ? " st, st(" + i + ")" : " st(" + i + "), st"),
                String.format("%02X/%d r", op, reg), op, 0xC0 | (reg << 3) | i);
        if (k == 2 || reg == 3) {
            depth--;
        }
    }

    private void unary() {
        ensure(1);
        int[] ops = {0xE0, 0xE1, 0xFA, 0xFC, 0xE4, 0xE5, 0xFA, 0xFC};
        String[] names = {"fchs", "fabs", "fsqrt", "frndint", "ftst", "fxam", "fsqrt", "frndint"};
        int k = rnd.nextInt(ops.length);
        regForm(names[k], "D9 " + Integer.toHexString(ops[k]).toUpperCase(), 0xD9, ops[k]);
    }

    private void store() {
        ensure(1);
        int k = rnd.nextInt(13);
        int addr = outSlot();
        switch (k) {
            case 0, 1 -> mem(k == 0 ? "fst dword" : "fstp dword", "D9/" + (2 + k), 0xD9, 2 + k, addr);
            case 2, 3 -> mem(k == 2 ? "fst qword" : "fstp qword", "DD/" + k, 0xDD, k, addr);
            case 4 -> mem("fstp tbyte", "DB/7", 0xDB, 7, addr);
            case 5, 6 -> mem(k == 5 ? "fist dword" : "fistp dword", "DB/" + (k - 3), 0xDB, k - 3, addr);
            case 7, 8 -> mem(k == 7 ? "fist word" : "fistp word", "DF/" + (k - 5), 0xDF, k - 5, addr);
            case 9 -> mem("fistp qword", "DF/7", 0xDF, 7, addr);
            case 10 -> mem("fbstp", "DF/6", 0xDF, 6, addr);
            default -> {
                int i = rnd.nextInt(8);
                boolean pop = k == 12;
                regForm((pop ? "fstp st(" : "fst st(") + i + ")", pop ? "DD/3 r" : "DD/2 r", 0xDD,
                        (pop ? 0xD8 : 0xD0) + i);
            }
        }
        if (k == 1 || k == 3 || k == 4 || k == 6 || k == 8 || k == 9 || k == 10 || k == 12) {
            depth--;
        }
    }

    private void stack() {
        int i = rnd.nextInt(8);
        switch (rnd.nextInt(6)) {
            case 0, 1 -> regForm("fxch st(" + i + ")", "D9 C8+i", 0xD9, 0xC8 + i);
            case 2 -> regForm("ffree st(" + i + ")", "DD C0+i", 0xDD, 0xC0 + i);
            case 3 -> regForm("fincstp", "D9 F7", 0xD9, 0xF7);
            case 4 -> regForm("fdecstp", "D9 F6", 0xD9, 0xF6);
            default -> regForm("fnop", "D9 D0", 0xD9, 0xD0);
        }
    }

    private void compare() {
        ensure(2);
        int i = rnd.nextInt(8);
        switch (rnd.nextInt(9)) {
            case 0 -> regForm("fcom st(" + i + ")", "D8/2 r", 0xD8, 0xD0 + i);
            case 1 -> {
                regForm("fcomp st(" + i + ")", "D8/3 r", 0xD8, 0xD8 + i);
                depth--;
            }
            case 2 -> regForm("fucom st(" + i + ")", "DD/4 r", 0xDD, 0xE0 + i);
            case 3 -> {
                regForm("fucomp st(" + i + ")", "DD/5 r", 0xDD, 0xE8 + i);
                depth--;
            }
            case 4 -> {
                regForm("fucompp", "DA E9", 0xDA, 0xE9);
                depth -= 2;
            }
            case 5 -> a.ins("fcomi st, st(" + i + ")", "DB/6 r", 0, Asm.ARITH, 0,
                    new Bytes().b(0xDB).b(0xF0 + i));
            case 6 -> a.ins("fucomi st, st(" + i + ")", "DB/5 r", 0, Asm.ARITH, 0,
                    new Bytes().b(0xDB).b(0xE8 + i));
            case 7 -> {
                a.ins("fcomip st, st(" + i + ")", "DF/6 r", 0, Asm.ARITH, 0, new Bytes().b(0xDF).b(0xF0 + i));
                depth--;
            }
            default -> {
                a.ins("fucomip st, st(" + i + ")", "DF/5 r", 0, Asm.ARITH, 0, new Bytes().b(0xDF).b(0xE8 + i));
                depth--;
            }
        }
    }

    private void statusAndMoves() {
        int i = rnd.nextInt(8);
        switch (rnd.nextInt(5)) {
            case 0, 1 -> {
                int op = rnd.nextBoolean() ? 0xDA : 0xDB;
                int reg = rnd.nextInt(4);
                String[] cc = op == 0xDA ? new String[] {"b", "e", "be", "u"} : new String[] {"nb", "ne", "nbe", "nu"};
                a.ins("fcmov" + cc[reg] + " st, st(" + i + ")", String.format("%02X/%d r", op, reg),
                        Asm.CF | Asm.ZF | Asm.PF, 0, 0, new Bytes().b(op).b(0xC0 | reg << 3 | i));
            }
            case 2 -> regForm("fnstsw ax", "DF E0", 0xDF, 0xE0);
            case 3 -> mem("fnstsw", "DD/7", 0xDD, 7, outSlot());
            default -> mem("fnstcw", "D9/7", 0xD9, 7, outSlot());
        }
    }

    private void scaleRem() {
        ensure(2);
        int[] ops = {0xFD, 0xF4, 0xF8, 0xF5};
        String[] names = {"fscale", "fxtract", "fprem", "fprem1"};
        int k = rnd.nextInt(4);
        regForm(names[k], "D9 " + Integer.toHexString(ops[k]).toUpperCase(), 0xD9, ops[k]);
        if (k == 1) {
            depth++;
        }
    }

    private void control() {
        switch (rnd.nextInt(5)) {
            case 0 -> {
                int cw = 0x037F | (new int[] {0, 2, 3}[rnd.nextInt(3)] << 8) | (rnd.nextInt(4) << 10);
                fldcw(cw);
            }
            case 1 -> regForm("fnclex", "DB E2", 0xDB, 0xE2);
            case 2 -> {
                int addr = WIN + OUT + 0x200;
                mem("fnstenv", "D9/6", 0xD9, 6, addr);
                mem("fldenv", "D9/4", 0xD9, 4, addr);
            }
            case 3 -> {
                int addr = WIN + OUT + 0x280;
                mem("fnsave", "DD/6", 0xDD, 6, addr);
                mem("frstor", "DD/4", 0xDD, 4, addr);
            }
            default -> {
                int addr = WIN + OUT + 0x200;
                mem("fnstenv", "D9/6", 0xD9, 6, addr);
            }
        }
    }

    private void item() {
        int k = rnd.nextInt(100);
        if (k < 22) {
            load();
        } else if (k < 34) {
            arithMem();
        } else if (k < 50) {
            arithReg();
        } else if (k < 58) {
            unary();
        } else if (k < 70) {
            store();
        } else if (k < 76) {
            stack();
        } else if (k < 84) {
            compare();
        } else if (k < 90) {
            statusAndMoves();
        } else if (k < 96) {
            scaleRem();
        } else {
            control();
        }
        depth = Math.max(0, Math.min(8, depth));
    }
}
