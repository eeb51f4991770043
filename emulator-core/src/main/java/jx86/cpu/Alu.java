package jx86.cpu;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;

/**
 * Binary arithmetic and logical instructions (SDM Vol. 1, 7.3.2 and 7.3.3): ADD, ADC, SUB, SBB,
 * CMP, INC, DEC, NEG, AND, OR, XOR, NOT, TEST, MUL, IMUL, DIV, IDIV.
 *
 * <p>Undefined flags: after logical instructions AF = 0; after MUL/IMUL SF, ZF, PF follow the low
 * half of the result and AF = 0; DIV/IDIV leave all flags unchanged.
 */
final class Alu {
    static final int ADD = 0;
    static final int OR = 1;
    static final int ADC = 2;
    static final int SBB = 3;
    static final int AND = 4;
    static final int SUB = 5;
    static final int XOR = 6;
    static final int CMP = 7;

    private Alu() {
    }

    /** The ALU operation {@code op} (ModR/M reg encoding of group 1) on zero-extended operands. */
    static int arith(Cpu c, int op, int size, int a, int b) {
        int mask = Flags.mask(size);
        int r;
        switch (op) {
            case ADD:
                return add(c, size, a, b);
            case OR:
                return or(c, size, a, b);
            case ADC:
                r = (a + b + (Flags.cf(c) ? 1 : 0)) & mask;
                Flags.set(c, Flags.ADD, size, a, b, r);
                return r;
            case SBB:
                r = (a - b - (Flags.cf(c) ? 1 : 0)) & mask;
                Flags.set(c, Flags.SUB, size, a, b, r);
                return r;
            case AND:
                return and(c, size, a, b);
            case XOR:
                return xor(c, size, a, b);
            default: // SUB, CMP
                return sub(c, size, a, b);
        }
    }

    // The single ALU operations: arith and the decode cache's 32-bit register forms (DecodeCache.runBlock,
    // where they inline with size 4) share them.

    static int add(Cpu c, int size, int a, int b) {
        int r = (a + b) & Flags.mask(size);
        Flags.set(c, Flags.ADD, size, a, b, r);
        return r;
    }

    /** SUB and CMP. */
    static int sub(Cpu c, int size, int a, int b) {
        int r = (a - b) & Flags.mask(size);
        Flags.set(c, Flags.SUB, size, a, b, r);
        return r;
    }

    static int and(Cpu c, int size, int a, int b) {
        int r = a & b;
        Flags.set(c, Flags.LOGIC, size, a, b, r);
        return r;
    }

    static int or(Cpu c, int size, int a, int b) {
        int r = a | b;
        Flags.set(c, Flags.LOGIC, size, a, b, r);
        return r;
    }

    static int xor(Cpu c, int size, int a, int b) {
        int r = a ^ b;
        Flags.set(c, Flags.LOGIC, size, a, b, r);
        return r;
    }

    /** The flags of TEST: AND without a result. */
    static void testValue(Cpu c, int size, int a, int b) {
        logicFlags(c, size, a & b);
    }

    static void logicFlags(Cpu c, int size, int r) {
        Flags.set(c, Flags.LOGIC, size, 0, 0, r & Flags.mask(size));
    }

    static int inc(Cpu c, int size, int v) {
        boolean cf = Flags.cf(c);
        int r = (v + 1) & Flags.mask(size);
        Flags.set(c, Flags.INC, size, v, 1, r);
        c.lfCf = cf;
        return r;
    }

    static int dec(Cpu c, int size, int v) {
        boolean cf = Flags.cf(c);
        int r = (v - 1) & Flags.mask(size);
        Flags.set(c, Flags.DEC, size, v, 1, r);
        c.lfCf = cf;
        return r;
    }

    /** INC/DEC r/m (ModR/M decoded; reg 0 = INC, 1 = DEC). */
    static void incDecRm(Cpu c, int size) {
        int v = Mem.readRmW(c, size);
        Mem.writeRmW(c, size, c.reg == 0 ? inc(c, size, v) : dec(c, size, v));
    }

    /** Truncating signed multiply for the 2- and 3-operand IMUL forms; CF = OF = result overflowed. */
    static int imul(Cpu c, int size, int a, int b) {
        long full;
        int r;
        boolean overflow;
        if (size == 4) {
            full = (long) a * (long) b;
            r = (int) full;
            overflow = full != r;
        } else {
            full = (long) (short) a * (long) (short) b;
            r = (int) full & 0xFFFF;
            overflow = full != (short) full;
        }
        Flags.setStatus(c, Flags.szp(r, size) | (overflow ? Cpu.CF | Cpu.OF : 0));
        return r;
    }

    /** Group 3 (F6/F7) /2-/7: NOT, NEG, MUL, IMUL, DIV, IDIV on r/m (ModR/M decoded; /0-/1 are {@link #testEI}). */
    static void group3(Cpu c, int size) {
        int op = c.reg;
        if (op < 4) {
            Mem.writeRmW(c, size, notNeg(c, op, size, Mem.readRmW(c, size)));
        } else {
            mulDiv(c, op, size, Mem.readRm(c, size));
        }
    }

    /** NOT (op 2) or NEG (op 3) of {@code v}. */
    static int notNeg(Cpu c, int op, int size, int v) {
        return op == 2 ? ~v & Flags.mask(size) : arith(c, SUB, size, 0, v);
    }

    /** MUL (op 4), IMUL (5), DIV (6), IDIV (7) of the accumulator by {@code src}. */
    static void mulDiv(Cpu c, int op, int size, int src) {
        if (op < 6) {
            mul(c, size, src, op == 5);
        } else {
            div(c, size, src, op == 7);
        }
    }

    // ---- the handlers of the ALU rows (ModR/M decoded by the decoder or set by the decode cache) ----

    /** op Eb,Gb / Ev,Gv (00, 01, 08, ... 39): read-modify-write of r/m; CMP only reads. */
    static void aluEG(Cpu c, int op, int size) {
        aluRm(c, op, size, Mem.getReg(c, size, c.reg));
    }

    /** op Gb,Eb / Gv,Ev (02, 03, ... 3B). */
    static void aluGE(Cpu c, int op, int size) {
        int src = Mem.readRm(c, size);
        int r = arith(c, op, size, Mem.getReg(c, size, c.reg), src);
        if (op != CMP) {
            Mem.setReg(c, size, c.reg, r);
        }
    }

    /** op AL,Ib / eAX,Iv (04, 05, ... 3D). */
    static void aluAI(Cpu c, int op, int size, int imm) {
        int r = arith(c, op, size, Mem.getReg(c, size, Cpu.EAX), imm);
        if (op != CMP) {
            Mem.setReg(c, size, Cpu.EAX, r);
        }
    }

    /** Group 1 (80-83): op r/m, imm with the operation in the ModR/M reg field. */
    static void group1(Cpu c, int size, int imm) {
        aluRm(c, c.reg, size, imm);
    }

    /** op r/m, src: the destination is read (and written unless CMP) through the r/m operand. */
    private static void aluRm(Cpu c, int op, int size, int src) {
        int a = op == CMP ? Mem.readRm(c, size) : Mem.readRmW(c, size);
        int r = arith(c, op, size, a, src);
        if (op != CMP) {
            Mem.writeRmW(c, size, r);
        }
    }

    /** TEST Eb,Gb / Ev,Gv (84, 85). */
    static void testEG(Cpu c, int size) {
        testValue(c, size, Mem.readRm(c, size), Mem.getReg(c, size, c.reg));
    }

    /** TEST AL,Ib / eAX,Iv (A8, A9). */
    static void testAI(Cpu c, int size, int imm) {
        testValue(c, size, Mem.getReg(c, size, Cpu.EAX), imm);
    }

    /** TEST r/m, imm (F6/F7 /0, /1). */
    static void testEI(Cpu c, int size, int imm) {
        testValue(c, size, Mem.readRm(c, size), imm);
    }

    /** INC r16/r32 (40+r). */
    static void incReg(Cpu c, int r) {
        Mem.setReg(c, c.osz, r, inc(c, c.osz, Mem.getReg(c, c.osz, r)));
    }

    /** DEC r16/r32 (48+r). */
    static void decReg(Cpu c, int r) {
        Mem.setReg(c, c.osz, r, dec(c, c.osz, Mem.getReg(c, c.osz, r)));
    }

    /** IMUL Gv,Ev (0F AF). */
    static void imulGE(Cpu c) {
        int src = Mem.readRm(c, c.osz);
        Mem.setReg(c, c.osz, c.reg, imul(c, c.osz, Mem.getReg(c, c.osz, c.reg), src));
    }

    /** IMUL Gv,Ev,imm (69, 6B). */
    static void imulGEI(Cpu c, int imm) {
        int src = Mem.readRm(c, c.osz);
        Mem.setReg(c, c.osz, c.reg, imul(c, c.osz, src, imm));
    }

    static void mul(Cpu c, int size, int src, boolean signed) {
        int[] r = c.regs;
        boolean high;
        int low;
        if (size == 1) {
            int al = r[Cpu.EAX] & 0xFF;
            int p = signed ? (byte) al * (byte) src : al * src;
            Mem.setReg(c, 2, Cpu.EAX, p);
            low = p & 0xFF;
            high = signed ? p != (byte) p : (p & 0xFF00) != 0;
        } else if (size == 2) {
            int ax = r[Cpu.EAX] & 0xFFFF;
            int p = signed ? (short) ax * (short) src : ax * src;
            Mem.setReg(c, 2, Cpu.EAX, p);
            Mem.setReg(c, 2, Cpu.EDX, p >>> 16);
            low = p & 0xFFFF;
            high = signed ? p != (short) p : (p >>> 16) != 0;
        } else {
            long p = signed ? (long) r[Cpu.EAX] * (long) src
                    : (r[Cpu.EAX] & 0xFFFF_FFFFL) * (src & 0xFFFF_FFFFL);
            r[Cpu.EAX] = (int) p;
            r[Cpu.EDX] = (int) (p >>> 32);
            low = (int) p;
            high = signed ? p != (int) p : (p >>> 32) != 0;
        }
        Flags.setStatus(c, Flags.szp(low, size) | (high ? Cpu.CF | Cpu.OF : 0));
    }

    static void div(Cpu c, int size, int src, boolean signed) {
        if (src == 0) {
            throw CpuFault.of(Vectors.DE);
        }
        int[] r = c.regs;
        if (size == 1) {
            int ax = r[Cpu.EAX] & 0xFFFF;
            int q;
            int rem;
            if (signed) {
                q = (short) ax / (byte) src;
                rem = (short) ax % (byte) src;
                if (q != (byte) q) {
                    throw CpuFault.of(Vectors.DE);
                }
            } else {
                q = ax / src;
                rem = ax % src;
                if (q > 0xFF) {
                    throw CpuFault.of(Vectors.DE);
                }
            }
            Mem.setReg(c, 2, Cpu.EAX, (q & 0xFF) | ((rem & 0xFF) << 8));
        } else if (size == 2) {
            int n = (r[Cpu.EDX] << 16) | (r[Cpu.EAX] & 0xFFFF);
            long q;
            long rem;
            if (signed) {
                q = (long) n / (short) src;
                rem = (long) n % (short) src;
                if (q != (short) q) {
                    throw CpuFault.of(Vectors.DE);
                }
            } else {
                long un = n & 0xFFFF_FFFFL;
                q = un / src;
                rem = un % src;
                if (q > 0xFFFF) {
                    throw CpuFault.of(Vectors.DE);
                }
            }
            Mem.setReg(c, 2, Cpu.EAX, (int) q);
            Mem.setReg(c, 2, Cpu.EDX, (int) rem);
        } else {
            long n = ((long) r[Cpu.EDX] << 32) | (r[Cpu.EAX] & 0xFFFF_FFFFL);
            long q;
            long rem;
            if (signed) {
                if (n == Long.MIN_VALUE && src == -1) {
                    throw CpuFault.of(Vectors.DE);
                }
                q = n / src;
                rem = n % src;
                if (q != (int) q) {
                    throw CpuFault.of(Vectors.DE);
                }
            } else {
                long d = src & 0xFFFF_FFFFL;
                q = Long.divideUnsigned(n, d);
                rem = Long.remainderUnsigned(n, d);
                if ((q >>> 32) != 0) {
                    throw CpuFault.of(Vectors.DE);
                }
            }
            r[Cpu.EAX] = (int) q;
            r[Cpu.EDX] = (int) rem;
        }
    }
}
