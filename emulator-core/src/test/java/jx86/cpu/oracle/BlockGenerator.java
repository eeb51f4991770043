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
 * Seeded generator of random user-mode instruction blocks for the differential oracle.
 *
 * <p>A block is 1-8 "items"; an item is one instruction under test plus the MOVs that point its
 * memory operands into the data window or give it safe operands (divisors, string counts, stack
 * frames). Only flat 32-bit user-mode code that stays inside the block and the window is made:
 * no privileged instructions, system calls, segment loads or far transfers. Flags that the SDM
 * calls undefined are tracked by {@link Asm} and masked by the comparison; an instruction that
 * would read one gets a defining CMP first. Case {@code n} of seed {@code s} is always the same.
 */
final class BlockGenerator {
    private static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
    private static final String[] SHIFT = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"};
    private static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge",
        "le", "g"};
    private static final int[] CC_READS = {OF, OF, CF, CF, ZF, ZF, CF | ZF, CF | ZF, SF, SF, PF, PF, SF | OF, SF | OF,
        ZF | SF | OF, ZF | SF | OF};
    private static final int LOGIC_DEFS = CF | OF | SF | ZF | PF;

    private final long seed;
    /** Also generate accesses just outside the mapped window (#PF); needs paging in jx86's MMU. */
    private final boolean pageFaults;
    private Random rnd;
    private Asm a;

    BlockGenerator(long seed) {
        this(seed, false);
    }

    BlockGenerator(long seed, boolean pageFaults) {
        this.seed = seed;
        this.pageFaults = pageFaults;
    }

    OracleCase generate(long index) {
        rnd = new Random(seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + 1);
        int codeAddress = OracleCase.CODE_ADDRESS;
        if (rnd.nextInt(4) == 0) {
            // start the block just below a page boundary so it straddles it (instruction fetch across pages)
            codeAddress += 4096 - 1 - rnd.nextInt(48);
        }
        a = new Asm(rnd, codeAddress);
        int[] regs = new int[8];
        for (int r = 0; r < 8; r++) {
            regs[r] = value(32);
        }
        regs[4] = OracleCase.WINDOW_ADDRESS + Asm.STACK_START;
        int eflags = rnd.nextInt() & ARITH;
        if (rnd.nextInt(4) == 0) {
            eflags |= Asm.DF;
        }
        byte[] window = new byte[OracleCase.WINDOW_SIZE];
        int fill = rnd.nextInt(8);
        for (int i = 0; i < window.length; i++) {
            window[i] = (byte) (fill == 0 ? 0 : fill == 1 ? 0xFF : rnd.nextInt(256));
        }
        int items = 1 + rnd.nextInt(8);
        for (int i = 0; i < items && a.hasRoom(64); i++) {
            item();
        }
        byte[] code = a.code();
        return new OracleCase(index, codeAddress, code, a.insns, regs, eflags, window, a.undef);
    }

    // ---- random values ----

    private int size() {
        int k = rnd.nextInt(10);
        return k < 3 ? 8 : k < 5 ? 16 : 32;
    }

    /** A value of {@code size} bits, biased toward edge cases. */
    private int value(int size) {
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

    private static Bytes op(int size) {
        Bytes b = new Bytes();
        if (size == 16) {
            b.b(0x66);
        }
        return b;
    }

    private static String sz(int size) {
        return size == 8 ? "byte" : size == 16 ? "word" : "dword";
    }

    private static String key(String k, int size) {
        return k + "." + size;
    }

    /** Register ModRM/text for r/m operands, or a memory operand in the data window. */
    private record Rm(byte[] tail, String text, boolean mem, int reg) {
    }

    private Rm rm(int size, int regField, boolean write, int avoid, boolean memory) {
        if (memory) {
            Asm.Mem m = a.mem(regField, a.dataTarget(size / 8), size / 8, avoid, true);
            return new Rm(m.tail(), sz(size) + " " + m.text(), true, -1);
        }
        int r = write && size != 8 ? a.pickReg(1 << 4) : rnd.nextInt(8);
        return new Rm(new byte[] {(byte) (0xC0 | regField << 3 | r)}, Asm.reg(size, r), false, r);
    }

    private Rm rm(int size, int regField, boolean write) {
        return rm(size, regField, write, 0, rnd.nextInt(100) < 40);
    }

    /** A register for ModRM.reg that may be written (never ESP/SP for 16/32-bit). */
    private int dstReg(int size) {
        return size == 8 ? rnd.nextInt(8) : a.pickReg(1 << 4);
    }

    private void segPrefix(Bytes b, Rm r) {
        if (r.mem && rnd.nextInt(8) == 0) {
            b.b(new int[] {0x26, 0x36, 0x3E}[rnd.nextInt(3)]);
        }
    }

    // ---- items ----

    private void item() {
        for (;;) {
            int k = rnd.nextInt(100);
            boolean done;
            if (k < 16) {
                done = alu();
            } else if (k < 20) {
                done = test();
            } else if (k < 24) {
                done = incDec();
            } else if (k < 27) {
                done = notNeg();
            } else if (k < 32) {
                done = mul();
            } else if (k < 36) {
                done = div();
            } else if (k < 44) {
                done = shift();
            } else if (k < 47) {
                done = shld();
            } else if (k < 50) {
                done = bitOps();
            } else if (k < 53) {
                done = setCmov();
            } else if (k < 57) {
                done = jumps();
            } else if (k < 61) {
                done = mov();
            } else if (k < 63) {
                done = lea();
            } else if (k < 66) {
                done = exchange();
            } else if (k < 68) {
                done = misc();
            } else if (k < 73) {
                done = string();
            } else if (k < 80) {
                done = stack();
            } else if (k < 84) {
                done = bcd();
            } else if (k < 87) {
                done = frames();
            } else if (k < 89) {
                done = bound();
            } else if (k < 92) {
                done = loops();
            } else if (k < 95) {
                done = callRet();
            } else if (k < 97) {
                done = flagsOps();
            } else if (k < 98) {
                done = hints();
            } else if (k < 99) {
                int which = rnd.nextInt(3);
                done = which == 0 ? segments() : which == 1 ? espArithmetic() : selfModify();
            } else if (pageFaults && rnd.nextInt(3) != 0) {
                done = pageFault();
            } else {
                done = invalid();
            }
            if (done) {
                return;
            }
        }
    }

    private boolean alu() {
        int o = rnd.nextInt(8);
        int size = size();
        int reads = (o == 2 || o == 3) ? CF : 0;
        int defs = (o == 1 || o == 4 || o == 6) ? LOGIC_DEFS : ARITH;
        int undefs = (o == 1 || o == 4 || o == 6) ? AF : 0;
        boolean write = o != 7;
        int w = size == 8 ? 0 : 1;
        int form = rnd.nextInt(6);
        Bytes b;
        String text;
        String k;
        if (form <= 1) {
            // op r/m, reg (form 0) or op reg, r/m (form 1)
            int reg = form == 1 && write ? dstReg(size) : rnd.nextInt(8);
            Rm r = rm(size, reg, write && form == 0);
            b = prefixes(size, r, write && form == 0);
            b.b(o * 8 + w + form * 2).all(r.tail);
            text = form == 0 ? r.text + ", " + Asm.reg(size, reg) : Asm.reg(size, reg) + ", " + r.text;
            k = hex2(o * 8 + w + form * 2);
        } else if (form == 2) {
            int imm = value(size);
            b = op(size).b(o * 8 + 4 + w).imm(size, imm);
            text = Asm.reg(size, 0) + ", " + Asm.hex(imm);
            k = hex2(o * 8 + 4 + w);
        } else {
            Rm r = rm(size, o, write);
            int opc = size == 8 ? (rnd.nextInt(8) == 0 ? 0x82 : 0x80) : (rnd.nextBoolean() ? 0x83 : 0x81);
            int imm = opc == 0x81 ? value(size) : value(8);
            b = prefixes(size, r, write);
            b.b(opc).all(r.tail).imm(opc == 0x81 ? size : 8, imm);
            text = r.text + ", " + Asm.hex(opc == 0x83 ? (byte) imm : imm);
            k = hex2(opc) + "/" + o;
        }
        a.ins(ALU[o] + " " + text, key(k, size), reads, defs, undefs, b);
        return true;
    }

    /** Operand-size, occasional LOCK (memory destinations only) and segment prefixes. */
    private Bytes prefixes(int size, Rm r, boolean lockable) {
        Bytes b = new Bytes();
        if (lockable && r.mem && rnd.nextInt(6) == 0) {
            b.b(0xF0);
        }
        if (r.mem && rnd.nextInt(16) == 0) {
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

    private static String hex2(int opcode) {
        return String.format("%02X", opcode);
    }

    private boolean test() {
        int size = size();
        int w = size == 8 ? 0 : 1;
        int form = rnd.nextInt(3);
        Bytes b;
        String text;
        String k;
        if (form == 0) {
            int reg = rnd.nextInt(8);
            Rm r = rm(size, reg, false);
            b = prefixes(size, r, false).b(0x84 + w).all(r.tail);
            text = r.text + ", " + Asm.reg(size, reg);
            k = hex2(0x84 + w);
        } else if (form == 1) {
            int imm = value(size);
            b = op(size).b(0xA8 + w).imm(size, imm);
            text = Asm.reg(size, 0) + ", " + Asm.hex(imm);
            k = hex2(0xA8 + w);
        } else {
            Rm r = rm(size, 0, false);
            int imm = value(size);
            b = prefixes(size, r, false).b(0xF6 + w).all(r.tail).imm(size, imm);
            text = r.text + ", " + Asm.hex(imm);
            k = hex2(0xF6 + w) + "/0";
        }
        a.ins("test " + text, key(k, size), 0, LOGIC_DEFS, AF, b);
        return true;
    }

    private boolean incDec() {
        int size = size();
        boolean dec = rnd.nextBoolean();
        int defs = ARITH & ~CF;
        if (size != 8 && rnd.nextBoolean()) {
            int r = dstReg(size);
            a.ins((dec ? "dec " : "inc ") + Asm.reg(size, r), key(dec ? "48+r" : "40+r", size), 0, defs, 0,
                    op(size).b((dec ? 0x48 : 0x40) + r));
            return true;
        }
        Rm r = rm(size, dec ? 1 : 0, true);
        int opc = size == 8 ? 0xFE : 0xFF;
        a.ins((dec ? "dec " : "inc ") + r.text, key(hex2(opc) + (dec ? "/1" : "/0"), size), 0, defs, 0,
                prefixes(size, r, true).b(opc).all(r.tail));
        return true;
    }

    private boolean notNeg() {
        int size = size();
        boolean neg = rnd.nextBoolean();
        Rm r = rm(size, neg ? 3 : 2, true);
        int opc = size == 8 ? 0xF6 : 0xF7;
        a.ins((neg ? "neg " : "not ") + r.text, key(hex2(opc) + (neg ? "/3" : "/2"), size), 0, neg ? ARITH : 0, 0,
                prefixes(size, r, true).b(opc).all(r.tail));
        return true;
    }

    private boolean mul() {
        int size = size();
        int defs = CF | OF;
        int undefs = SF | ZF | AF | PF;
        int form = size == 8 ? 0 : rnd.nextInt(4);
        if (form == 0) {
            boolean signed = rnd.nextBoolean();
            Rm r = rm(size, signed ? 5 : 4, false);
            int opc = size == 8 ? 0xF6 : 0xF7;
            a.ins((signed ? "imul " : "mul ") + r.text, key(hex2(opc) + (signed ? "/5" : "/4"), size), 0, defs,
                    undefs, prefixes(size, r, false).b(opc).all(r.tail));
            return true;
        }
        int dst = dstReg(size);
        Rm r = rm(size, dst, false);
        Bytes b = prefixes(size, r, false);
        if (form == 1) {
            a.ins("imul " + Asm.reg(size, dst) + ", " + r.text, key("0F AF", size), 0, defs, undefs,
                    b.b(0x0F).b(0xAF).all(r.tail));
        } else if (form == 2) {
            int imm = value(size);
            a.ins("imul " + Asm.reg(size, dst) + ", " + r.text + ", " + Asm.hex(imm), key("69", size), 0, defs,
                    undefs, b.b(0x69).all(r.tail).imm(size, imm));
        } else {
            int imm = value(8);
            a.ins("imul " + Asm.reg(size, dst) + ", " + r.text + ", " + (byte) imm, key("6B", size), 0, defs,
                    undefs, b.b(0x6B).all(r.tail).b(imm));
        }
        return true;
    }

    /** DIV/IDIV with operands that do not overflow, except a deliberate #DE now and then. */
    private boolean div() {
        int size = size();
        boolean signed = rnd.nextBoolean();
        boolean fault = rnd.nextInt(40) == 0;
        long mask = size == 32 ? 0xFFFFFFFFL : (1L << size) - 1;
        long divisor = 0;
        long hi = 0;
        long lo = 0;
        for (int tries = 0; tries < 20; tries++) {
            divisor = fault && rnd.nextBoolean() ? 0 : value(size) & mask;
            lo = value(size) & mask;
            if (signed) {
                long sd = signExtend(divisor, size);
                long slo = signExtend(lo, size);
                hi = rnd.nextInt(3) == 0 ? value(size) & mask : (slo < 0 ? mask : 0);
                long dividend = (signExtend(hi, size) << size) | lo;
                if (sd != 0) {
                    long q = dividend / sd;
                    long min = -(1L << (size - 1));
                    long max = (1L << (size - 1)) - 1;
                    boolean ok = q >= min && q <= max;
                    if (ok != fault) {
                        break;
                    }
                } else if (fault) {
                    break;
                }
            } else {
                hi = divisor == 0 ? value(size) & mask : (rnd.nextLong() & Long.MAX_VALUE) % divisor;
                if (fault && divisor != 0) {
                    hi = divisor + (hi % Math.max(1, mask - divisor + 1));
                    if (hi > mask) {
                        continue;
                    }
                }
                if ((divisor != 0 && hi < divisor) != fault) {
                    break;
                }
            }
        }
        // dividend: AX (8-bit), DX:AX, EDX:EAX
        if (size == 8) {
            a.movImm(0, (int) (hi << 8 | lo) | (rnd.nextInt() & 0xFFFF0000));
        } else {
            a.movImm(0, (int) lo | (size == 16 ? rnd.nextInt() & 0xFFFF0000 : 0));
            a.movImm(2, (int) hi | (size == 16 ? rnd.nextInt() & 0xFFFF0000 : 0));
        }
        int opc = size == 8 ? 0xF6 : 0xF7;
        int ext = signed ? 7 : 6;
        Rm r;
        if (rnd.nextBoolean()) {
            // divisor in memory: store it with MOV r/m, imm first
            int target = a.dataTarget(size / 8);
            Asm.Mem st = a.mem(0, target, size / 8, 0x5, false);
            a.ins("mov " + sz(size) + " " + st.text() + ", " + Asm.hex(divisor), key(size == 8 ? "C6/0" : "C7/0", size),
                    0, 0, 0, op(size).b(size == 8 ? 0xC6 : 0xC7).all(st.tail()).imm(size, (int) divisor));
            Asm.Mem m = a.mem(ext, target, size / 8, 0x5, false);
            r = new Rm(m.tail(), sz(size) + " " + m.text(), true, -1);
        } else {
            int reg = size == 8 ? pick(new int[] {1, 2, 3, 5, 6, 7}) : pick(new int[] {1, 3, 5, 6, 7});
            if (size == 8) {
                int full = reg < 4 ? reg : reg - 4;
                int shift = reg < 4 ? 0 : 8;
                a.movImm(full, (int) (divisor << shift) | (rnd.nextInt() & ~(0xFF << shift)));
            } else {
                a.movImm(reg, (int) divisor | (size == 16 ? rnd.nextInt() & 0xFFFF0000 : 0));
            }
            r = new Rm(new byte[] {(byte) (0xC0 | ext << 3 | reg)}, Asm.reg(size, reg), false, reg);
        }
        a.ins((signed ? "idiv " : "div ") + r.text, key(hex2(opc) + "/" + ext, size), 0, 0, ARITH,
                prefixes(size, r, false).b(opc).all(r.tail));
        return true;
    }

    private int pick(int[] options) {
        return options[rnd.nextInt(options.length)];
    }

    private static long signExtend(long v, int size) {
        return (v << (64 - size)) >> (64 - size);
    }

    private int shiftCount(int size) {
        int[] edge = {0, 1, 2, size - 1, size, size + 1, 9, 17, 31, 32, 33, 63, 255};
        return rnd.nextInt(3) == 0 ? rnd.nextInt(256) : edge[rnd.nextInt(edge.length)];
    }

    private boolean shift() {
        int size = size();
        int o = rnd.nextInt(8);
        if (o == 6) {
            o = 4; // /6 is an undocumented alias; generate SHL instead
        }
        int form = rnd.nextInt(3);
        int count = form == 0 ? 1 : shiftCount(size);
        Rm r;
        Bytes b;
        int w = size == 8 ? 0 : 1;
        String k;
        String ct;
        if (form == 2) {
            a.movImm(1, count | (rnd.nextInt() & ~0xFF));
            r = rm(size, o, true, 0x2, rnd.nextInt(100) < 40);
            b = prefixes(size, r, false).b(0xD2 + w).all(r.tail);
            k = hex2(0xD2 + w) + "/" + o;
            ct = "cl";
        } else if (form == 0) {
            r = rm(size, o, true);
            b = prefixes(size, r, false).b(0xD0 + w).all(r.tail);
            k = hex2(0xD0 + w) + "/" + o;
            ct = "1";
        } else {
            r = rm(size, o, true);
            b = prefixes(size, r, false).b(0xC0 + w).all(r.tail).b(count);
            k = hex2(0xC0 + w) + "/" + o;
            ct = Integer.toString(count);
        }
        int masked = count & 31;
        int reads = (o == 2 || o == 3) ? CF : 0;
        int defs = 0;
        int undefs = 0;
        if (masked != 0) {
            if (o <= 3) {
                defs = CF | (masked == 1 ? OF : 0);
                undefs = masked == 1 ? 0 : OF;
            } else {
                defs = SF | ZF | PF | CF | (masked == 1 ? OF : 0);
                undefs = AF | (masked == 1 ? 0 : OF);
                if (o != 7 && masked >= size) {
                    defs &= ~CF;
                    undefs |= CF;
                }
            }
        }
        a.ins(SHIFT[o] + " " + r.text + ", " + ct, key(k, size), reads, defs, undefs, b);
        return true;
    }

    private boolean shld() {
        int size = rnd.nextBoolean() ? 16 : 32;
        boolean right = rnd.nextBoolean();
        boolean cl = rnd.nextBoolean();
        int count = shiftCount(size);
        if (size == 16 && (count & 31) > 16) {
            count = count & 15; // the result is undefined for counts above the operand size
        }
        int src = rnd.nextInt(8);
        if (cl) {
            a.movImm(1, count | (rnd.nextInt() & ~0xFF));
        }
        Rm r = rm(size, src, true, cl ? 0x2 : 0, rnd.nextInt(100) < 40);
        int opc = (right ? 0xAC : 0xA4) + (cl ? 1 : 0);
        Bytes b = prefixes(size, r, false).b(0x0F).b(opc).all(r.tail);
        if (!cl) {
            b.b(count);
        }
        int masked = count & 31;
        int defs = masked == 0 ? 0 : CF | SF | ZF | PF | (masked == 1 ? OF : 0);
        int undefs = masked == 0 ? 0 : AF | (masked == 1 ? 0 : OF);
        a.ins((right ? "shrd " : "shld ") + r.text + ", " + Asm.reg(size, src) + ", " + (cl ? "cl" : count),
                key("0F " + hex2(opc), size), 0, defs, undefs, b);
        return true;
    }

    private boolean bitOps() {
        int size = rnd.nextBoolean() ? 16 : 32;
        int form = rnd.nextInt(3);
        int defs = CF;
        int undefs = OF | SF | AF | PF;
        if (form == 2) {
            // BSF / BSR (never with an F3 prefix: that would be TZCNT/LZCNT on this host)
            boolean rev = rnd.nextBoolean();
            int dst = dstReg(size);
            Rm r;
            if (rnd.nextInt(4) == 0) {
                // a zero (or single-bit) source: the destination is then left unchanged by the host
                int src = a.pickReg(1 << dst | 1 << 4);
                a.movImm(src, rnd.nextBoolean() ? 0 : 1 << rnd.nextInt(size));
                r = new Rm(new byte[] {(byte) (0xC0 | dst << 3 | src)}, Asm.reg(size, src), false, src);
            } else {
                r = rm(size, dst, false);
            }
            a.ins((rev ? "bsr " : "bsf ") + Asm.reg(size, dst) + ", " + r.text, key(rev ? "0F BD" : "0F BC", size), 0,
                    ZF, CF | OF | SF | AF | PF, prefixes(size, r, false).b(0x0F).b(rev ? 0xBD : 0xBC).all(r.tail));
            return true;
        }
        int o = rnd.nextInt(4); // bt bts btr btc
        String[] names = {"bt", "bts", "btr", "btc"};
        if (form == 0) {
            int imm = rnd.nextInt(256);
            Rm r = rm(size, 4 + o, o != 0);
            a.ins(names[o] + " " + r.text + ", " + imm, key("0F BA/" + (4 + o), size), 0, defs, undefs,
                    prefixes(size, r, o != 0).b(0x0F).b(0xBA).all(r.tail).b(imm));
            return true;
        }
        int src = rnd.nextInt(8);
        boolean memory = rnd.nextInt(100) < 40;
        if (memory) {
            // the bit offset reaches outside the operand: keep it small so it stays in the window
            if (src == 4) {
                src = 0;
            }
            int off = rnd.nextInt(1024) - 256;
            a.movImm(src, size == 16 ? (off & 0xFFFF) | (rnd.nextInt() & 0xFFFF0000) : off);
            int target = Asm.DATA_START + 0x40 + rnd.nextInt(Asm.DATA_END - Asm.DATA_START - 0xC0);
            Asm.Mem m = a.mem(src, target, size / 8, 1 << src, false);
            Rm r = new Rm(m.tail(), sz(size) + " " + m.text(), true, -1);
            int opc = 0xA3 + 8 * o;
            a.ins(names[o] + " " + r.text + ", " + Asm.reg(size, src), key("0F " + hex2(opc), size), 0, defs, undefs,
                    prefixes(size, r, o != 0).b(0x0F).b(opc).all(r.tail));
            return true;
        }
        Rm r = rm(size, src, o != 0, 0, false);
        int opc = 0xA3 + 8 * o;
        a.ins(names[o] + " " + r.text + ", " + Asm.reg(size, src), key("0F " + hex2(opc), size), 0, defs, undefs,
                op(size).b(0x0F).b(opc).all(r.tail));
        return true;
    }

    private boolean setCmov() {
        int cc = rnd.nextInt(16);
        if (rnd.nextBoolean()) {
            Rm r = rm(8, 0, true);
            a.ins("set" + CC[cc] + " " + r.text, key("0F 90+cc", 8), CC_READS[cc], 0, 0,
                    prefixes(8, r, false).b(0x0F).b(0x90 + cc).all(r.tail));
        } else {
            int size = rnd.nextBoolean() ? 16 : 32;
            int dst = dstReg(size);
            Rm r = rm(size, dst, false);
            a.ins("cmov" + CC[cc] + " " + Asm.reg(size, dst) + ", " + r.text, key("0F 40+cc", size), CC_READS[cc], 0, 0,
                    prefixes(size, r, false).b(0x0F).b(0x40 + cc).all(r.tail));
        }
        return true;
    }

    /** Forward jumps over a few register-only instructions (so ESP is the same on both paths). */
    private boolean jumps() {
        int kind = rnd.nextInt(6);
        int cc = rnd.nextInt(16);
        int at;
        boolean near = kind == 1 || kind == 3;
        if (kind <= 1) {
            Bytes b = near ? new Bytes().b(0x0F).b(0x80 + cc).d(0) : new Bytes().b(0x70 + cc).b(0);
            a.ins("j" + CC[cc] + (near ? " near" : " short") + " +n", near ? "0F 80+cc" : "70+cc", CC_READS[cc], 0, 0, b);
        } else if (kind <= 3) {
            Bytes b = near ? new Bytes().b(0xE9).d(0) : new Bytes().b(0xEB).b(0);
            a.ins("jmp" + (near ? " near" : " short") + " +n", near ? "E9" : "EB", 0, 0, 0, b);
        } else {
            if (rnd.nextBoolean()) {
                a.movImm(1, rnd.nextInt(3) == 0 ? 0 : value(32));
            }
            boolean cx = rnd.nextInt(3) == 0;
            Bytes b = new Bytes();
            if (cx) {
                b.b(0x67);
            }
            a.ins(cx ? "jcxz +n" : "jecxz +n", cx ? "67 E3" : "E3", 0, 0, 0, b.b(0xE3).b(0));
        }
        at = a.pos();
        int undefBefore = a.undef;
        int n = 1 + rnd.nextInt(2);
        for (int i = 0; i < n; i++) {
            registerOnly(0);
        }
        int len = a.pos() - at;
        if (near) {
            a.patch32(at - 4, len);
        } else {
            a.patch8(at - 1, len);
        }
        a.undef |= undefBefore;
        return true;
    }

    /** A simple register-to-register ALU instruction that never writes ESP or the registers in {@code keep}. */
    private void registerOnly(int keep) {
        int o = rnd.nextInt(8);
        int dst = a.pickReg(keep | 1 << 4);
        int src = rnd.nextInt(8);
        int reads = (o == 2 || o == 3) ? CF : 0;
        boolean logic = o == 1 || o == 4 || o == 6;
        a.ins(ALU[o] + " " + Asm.R32[dst] + ", " + Asm.R32[src], key(hex2(o * 8 + 1), 32), reads,
                logic ? LOGIC_DEFS : ARITH, logic ? AF : 0, new Bytes().b(o * 8 + 1).b(0xC0 | src << 3 | dst));
    }

    private boolean mov() {
        int size = size();
        int w = size == 8 ? 0 : 1;
        int form = rnd.nextInt(6);
        if (form == 0) {
            int reg = rnd.nextInt(8);
            Rm r = rm(size, reg, true);
            a.ins("mov " + r.text + ", " + Asm.reg(size, reg), key(hex2(0x88 + w), size), 0, 0, 0,
                    prefixes(size, r, false).b(0x88 + w).all(r.tail));
        } else if (form == 1) {
            int reg = dstReg(size);
            Rm r = rm(size, reg, false);
            a.ins("mov " + Asm.reg(size, reg) + ", " + r.text, key(hex2(0x8A + w), size), 0, 0, 0,
                    prefixes(size, r, false).b(0x8A + w).all(r.tail));
        } else if (form == 2) {
            int reg = dstReg(size);
            int imm = value(size);
            a.ins("mov " + Asm.reg(size, reg) + ", " + Asm.hex(imm), key(size == 8 ? "B0+r" : "B8+r", size), 0, 0, 0,
                    op(size).b((size == 8 ? 0xB0 : 0xB8) + reg).imm(size, imm));
        } else if (form == 3) {
            Rm r = rm(size, 0, true);
            int imm = value(size);
            a.ins("mov " + r.text + ", " + Asm.hex(imm), key(hex2(0xC6 + w) + "/0", size), 0, 0, 0,
                    prefixes(size, r, false).b(0xC6 + w).all(r.tail).imm(size, imm));
        } else if (form == 4) {
            boolean store = rnd.nextBoolean();
            int target = a.dataTarget(4);
            int opc = (store ? 0xA2 : 0xA0) + w;
            String m = sz(size) + " [" + Asm.hex(OracleCase.WINDOW_ADDRESS + target) + "]";
            a.ins("mov " + (store ? m + ", " + Asm.reg(size, 0) : Asm.reg(size, 0) + ", " + m), key(hex2(opc), size), 0,
                    0, 0, op(size).b(opc).d(OracleCase.WINDOW_ADDRESS + target));
        } else {
            // MOVZX / MOVSX
            int dsize = rnd.nextBoolean() ? 16 : 32;
            int ssize = dsize == 16 ? 8 : (rnd.nextBoolean() ? 8 : 16);
            boolean sx = rnd.nextBoolean();
            int opc = (sx ? 0xBE : 0xB6) + (ssize == 16 ? 1 : 0);
            int dst = dstReg(dsize);
            Rm r = rm(ssize, dst, false);
            a.ins((sx ? "movsx " : "movzx ") + Asm.reg(dsize, dst) + ", " + r.text, key("0F " + hex2(opc), dsize), 0, 0,
                    0, prefixes(dsize, r, false).b(0x0F).b(opc).all(r.tail));
        }
        return true;
    }

    /** LEA with arbitrary register values: it computes an address but never touches memory. */
    private boolean lea() {
        int size = rnd.nextInt(4) == 0 ? 16 : 32;
        int dst = dstReg(size);
        boolean addr16 = rnd.nextInt(5) == 0;
        Bytes b = op(size);
        if (addr16) {
            b.b(0x67);
        }
        int mod = rnd.nextInt(3);
        int rm = rnd.nextInt(8);
        b.b(0x8D).b(mod << 6 | dst << 3 | rm);
        String form;
        if (addr16) {
            if (mod == 0 && rm == 6) {
                b.w(rnd.nextInt());
            } else if (mod == 1) {
                b.b(rnd.nextInt());
            } else if (mod == 2) {
                b.w(rnd.nextInt());
            }
            form = "a16";
        } else {
            if (rm == 4) {
                int sib = rnd.nextInt(256);
                b.b(sib);
                if (mod == 0 && (sib & 7) == 5) {
                    b.d(rnd.nextInt());
                }
            }
            if (mod == 0 && rm == 5) {
                b.d(rnd.nextInt());
            } else if (mod == 1) {
                b.b(rnd.nextInt());
            } else if (mod == 2) {
                b.d(rnd.nextInt());
            }
            form = "a32";
        }
        a.ins("lea " + Asm.reg(size, dst) + ", [" + form + " mod=" + mod + " rm=" + rm + "]", key("8D " + form, size), 0,
                0, 0, b);
        return true;
    }

    private boolean exchange() {
        int size = size();
        int w = size == 8 ? 0 : 1;
        int kind = rnd.nextInt(5);
        if (kind == 0) {
            int reg = dstReg(size);
            Rm r = rm(size, reg, true);
            a.ins("xchg " + r.text + ", " + Asm.reg(size, reg), key(hex2(0x86 + w), size), 0, 0, 0,
                    prefixes(size, r, true).b(0x86 + w).all(r.tail));
        } else if (kind == 1) {
            if (size == 8) {
                size = 32;
            }
            int reg = dstReg(size);
            a.ins("xchg " + Asm.reg(size, 0) + ", " + Asm.reg(size, reg), key("90+r", size), 0, 0, 0,
                    op(size).b(0x90 + reg));
        } else if (kind == 2) {
            int reg = dstReg(size);
            Rm r = rm(size, reg, true);
            a.ins("xadd " + r.text + ", " + Asm.reg(size, reg), key("0F " + hex2(0xC0 + w), size), 0, ARITH, 0,
                    prefixes(size, r, true).b(0x0F).b(0xC0 + w).all(r.tail));
        } else if (kind == 3) {
            int reg = rnd.nextInt(8);
            Rm r = rm(size, reg, true);
            if (rnd.nextBoolean() && r.mem) {
                // make the compare succeed sometimes: load the accumulator from the same bytes
                return cmpxchgEqual(size);
            }
            a.ins("cmpxchg " + r.text + ", " + Asm.reg(size, reg), key("0F " + hex2(0xB0 + w), size), 0, ARITH, 0,
                    prefixes(size, r, true).b(0x0F).b(0xB0 + w).all(r.tail));
        } else {
            int target = a.dataTarget(8);
            boolean equal = rnd.nextBoolean();
            if (equal) {
                int addr = OracleCase.WINDOW_ADDRESS + target;
                a.ins("mov eax, [" + Asm.hex(addr) + "]", key("A1", 32), 0, 0, 0, new Bytes().b(0xA1).d(addr));
                a.ins("mov edx, [" + Asm.hex(addr + 4) + "]", key("8B", 32), 0, 0, 0,
                        new Bytes().b(0x8B).b(0x15).d(addr + 4));
            }
            Asm.Mem m = a.mem(1, target, 8, equal ? 0x5 : 0, false);
            Bytes b = new Bytes();
            if (rnd.nextInt(4) == 0) {
                b.b(0xF0);
            }
            a.ins("cmpxchg8b qword " + m.text(), "0F C7/1", 0, ZF, 0, b.b(0x0F).b(0xC7).all(m.tail()));
        }
        return true;
    }

    private boolean cmpxchgEqual(int size) {
        int target = a.dataTarget(4);
        int addr = OracleCase.WINDOW_ADDRESS + target;
        int w = size == 8 ? 0 : 1;
        a.ins("mov " + Asm.reg(size, 0) + ", [" + Asm.hex(addr) + "]", key(hex2(0xA0 + w), size), 0, 0, 0,
                op(size).b(0xA0 + w).d(addr));
        int reg = rnd.nextInt(8);
        Asm.Mem m = a.mem(reg, target, size / 8, 1, false);
        a.ins("cmpxchg " + sz(size) + " " + m.text() + ", " + Asm.reg(size, reg), key("0F " + hex2(0xB0 + w), size), 0,
                ARITH, 0, op(size).b(0x0F).b(0xB0 + w).all(m.tail()));
        return true;
    }

    private boolean misc() {
        switch (rnd.nextInt(6)) {
            case 0 -> {
                int r = a.pickReg(1 << 4);
                a.ins("bswap " + Asm.R32[r], "0F C8+r", 0, 0, 0, new Bytes().b(0x0F).b(0xC8 + r));
            }
            case 1 -> {
                boolean w16 = rnd.nextBoolean();
                a.ins(w16 ? "cbw" : "cwde", w16 ? "98.16" : "98.32", 0, 0, 0, op(w16 ? 16 : 32).b(0x98));
            }
            case 2 -> {
                boolean w16 = rnd.nextBoolean();
                a.ins(w16 ? "cwd" : "cdq", w16 ? "99.16" : "99.32", 0, 0, 0, op(w16 ? 16 : 32).b(0x99));
            }
            case 3 -> {
                a.movImm(3, OracleCase.WINDOW_ADDRESS + rnd.nextInt(OracleCase.WINDOW_SIZE - 0x100));
                Bytes b = new Bytes();
                if (rnd.nextInt(4) == 0) {
                    b.b(new int[] {0x26, 0x2E, 0x36, 0x3E}[rnd.nextInt(4)]);
                }
                a.ins("xlat", "D7", 0, 0, 0, b.b(0xD7));
            }
            case 4 -> a.ins("nop", "90", 0, 0, 0, new Bytes().b(0x90));
            default -> {
                boolean sahf = rnd.nextBoolean();
                a.ins(sahf ? "sahf" : "lahf", sahf ? "9E" : "9F", sahf ? 0 : ARITH, sahf ? SF | ZF | AF | PF | CF : 0, 0,
                        new Bytes().b(sahf ? 0x9E : 0x9F));
            }
        }
        return true;
    }

    /** Multi-byte NOP (0F 1F /0, any operand, never accessed), PREFETCHh, PAUSE and WAIT. */
    private boolean hints() {
        int k = rnd.nextInt(5);
        if (k == 0) {
            a.ins("pause", "F3 90", 0, 0, 0, new Bytes().b(0xF3).b(0x90));
            return true;
        }
        if (k == 1) {
            a.ins("wait", "9B", 0, 0, 0, new Bytes().b(0x9B));
            return true;
        }
        if (k == 2) {
            int hint = rnd.nextInt(4);
            Asm.Mem m = a.mem(hint, a.dataTarget(1), 1, 0, true);
            a.ins("prefetch" + hint + " " + m.text(), "0F 18/" + hint, 0, 0, 0,
                    new Bytes().b(0x0F).b(0x18).all(m.tail()));
            return true;
        }
        int size = rnd.nextBoolean() ? 16 : 32;
        Rm r = rm(size, 0, false);
        a.ins("nop " + r.text, key("0F 1F/0", size), 0, 0, 0, op(size).b(0x0F).b(0x1F).all(r.tail));
        return true;
    }

    /**
     * Reads of segment registers (MOV r/m, Sreg; PUSH Sreg) and ARPL. The jx86 runner uses the
     * selectors of a 32-bit Linux process (CS 0x23, SS/DS/ES 0x2B, FS/GS 0), so they compare.
     */
    private boolean segments() {
        String[] names = {"es", "cs", "ss", "ds", "fs", "gs"};
        int sreg = rnd.nextInt(6);
        int k = rnd.nextInt(3);
        if (k == 0) {
            int size = rnd.nextBoolean() ? 16 : 32;
            Rm r = rm(16, sreg, true);
            int osize = r.mem ? 16 : size; // a memory destination is always written as 16 bits
            a.ins("mov " + (r.mem ? r.text : Asm.reg(osize, r.reg)) + ", " + names[sreg], key("8C", osize), 0, 0, 0,
                    op(r.mem ? (rnd.nextBoolean() ? 16 : 32) : osize).b(0x8C).all(r.tail));
            return true;
        }
        if (k == 1) {
            int size = rnd.nextInt(4) == 0 ? 16 : 32;
            if (a.espOff - 8 < Asm.STACK_LOW) {
                return false;
            }
            if (size == 32) {
                // a 32-bit PUSH Sreg may write only the low 16 bits of its slot (SDM PUSH): zero the slot first
                a.ins("mov dword [esp-4], 0", key("C7/0", 32), 0, 0, 0,
                        new Bytes().b(0xC7).b(0x44).b(0x24).b(0xFC).d(0));
            }
            Bytes b = op(size);
            if (sreg >= 4) {
                b.b(0x0F).b(sreg == 4 ? 0xA0 : 0xA8);
            } else {
                b.b(0x06 + 8 * sreg);
            }
            a.ins("push " + names[sreg], key(sreg >= 4 ? "0F " + hex2(sreg == 4 ? 0xA0 : 0xA8) : hex2(0x06 + 8 * sreg),
                    size), 0, 0, 0, b);
            a.espOff -= size / 8;
            return true;
        }
        int src = rnd.nextInt(8);
        Rm r = rm(16, src, true);
        a.ins("arpl " + r.text + ", " + Asm.reg(16, src), "63", 0, ZF, 0, prefixes(16, r, false).b(0x63).all(r.tail));
        return true;
    }

    /**
     * Self-modifying code: a store into the next instruction (its immediate, or INC turned into
     * DEC). x86 keeps stores and instruction fetch coherent, so the modified instruction runs; in
     * jx86 this exercises the decoded-code invalidation. The listing shows the original bytes.
     */
    private boolean selfModify() {
        int r = a.pickReg(1 << 4);
        int kind = rnd.nextInt(3);
        if (kind == 2) {
            int target = a.codeAddress + a.pos() + 7;
            a.ins("mov byte [" + Asm.hex(target) + "], " + Asm.hex(0x48 + r) + " (next insn becomes dec)", "SMC C6/0",
                    0, 0, 0, new Bytes().b(0xC6).b(0x05).d(target).b(0x48 + r));
            a.ins("inc " + Asm.R32[r] + " (patched)", key("40+r", 32), 0, ARITH & ~CF, 0, new Bytes().b(0x40 + r));
            return true;
        }
        int size = kind == 0 ? 8 : 32;
        int immIndex = size == 8 ? rnd.nextInt(4) : 0;
        int storeLen = size == 8 ? 7 : 10;
        int target = a.codeAddress + a.pos() + storeLen + 1 + immIndex;
        int v = value(size);
        a.ins("mov " + sz(size) + " [" + Asm.hex(target) + "], " + Asm.hex(v) + " (patches the next insn)",
                size == 8 ? "SMC C6/0" : "SMC C7/0", 0, 0, 0,
                new Bytes().b(size == 8 ? 0xC6 : 0xC7).b(0x05).d(target).imm(size, v));
        int imm = rnd.nextInt();
        a.ins("mov " + Asm.R32[r] + ", " + Asm.hex(imm) + " (patched)", "B8+r", 0, 0, 0, new Bytes().b(0xB8 + r).d(imm));
        return true;
    }

    /**
     * #PF on purpose: an access just below the window, to the read-only page after it or beyond
     * that (or straddling an edge: a faulting store must not write its first part), or a REP
     * string op that runs off either end of the window, so the fault arrives in mid-string with
     * ECX/ESI/EDI partly advanced (LODS and MOVS sources just read on into the read-only page).
     */
    private boolean pageFault() {
        int kind = rnd.nextInt(4);
        int size = size();
        int bytes = size / 8;
        if (kind <= 1) {
            // below the window (not present), the read-only page after it (reads work, writes
            // fault with P=1), the page after that (not present), and straddles of each edge
            int target;
            int ro = OracleCase.WINDOW_SIZE;
            int where = rnd.nextInt(5);
            if (where == 0) {
                target = -1 - rnd.nextInt(8);
            } else if (where == 1) {
                target = ro + rnd.nextInt(4096 - bytes);
            } else if (where == 2 || bytes == 1) {
                target = ro + 4096 + rnd.nextInt(8);
            } else if (where == 3) {
                target = ro - 1 - rnd.nextInt(bytes - 1);
            } else {
                target = ro + 4096 - 1 - rnd.nextInt(bytes - 1);
            }
            int reg = size == 8 ? rnd.nextInt(8) : a.pickReg(1 << 4);
            int access = rnd.nextInt(3); // load, store, read-modify-write
            int opc = (access == 0 ? 0x8A : access == 1 ? 0x88 : 0x00) + (size == 8 ? 0 : 1);
            Asm.Mem m = a.mem(reg, target, bytes, 1 << reg, false);
            String t = access == 0 ? "mov " + Asm.reg(size, reg) + ", " + sz(size) + " " + m.text()
                    : (access == 1 ? "mov " : "add ") + sz(size) + " " + m.text() + ", " + Asm.reg(size, reg);
            a.ins(t, key("#PF " + hex2(opc), size), 0, access == 2 ? ARITH : 0, 0, op(size).b(opc).all(m.tail()));
            return true;
        }
        boolean up = kind == 2;
        int o = rnd.nextInt(3); // stos, movs, lods
        int count = 2 + rnd.nextInt(12);
        int before = 1 + rnd.nextInt(count - 1); // elements that fit before the edge
        int edge = up ? OracleCase.WINDOW_ADDRESS + OracleCase.WINDOW_SIZE : OracleCase.WINDOW_ADDRESS - bytes;
        int start = up ? edge - before * bytes : edge + before * bytes;
        a.ins(up ? "cld" : "std", up ? "FC" : "FD", 0, 0, 0, new Bytes().b(up ? 0xFC : 0xFD));
        a.movImm(1, count);
        int mid = OracleCase.WINDOW_ADDRESS + Asm.DATA_START + 0x100 + rnd.nextInt(0x400);
        a.movImm(6, o == 0 ? mid : start);
        a.movImm(7, o == 2 ? mid : start);
        int opc = (o == 0 ? 0xAA : o == 1 ? 0xA4 : 0xAC) + (size == 8 ? 0 : 1);
        String[] names = {"stos", "movs", "lods"};
        a.ins("rep " + names[o] + (size == 8 ? "b" : size == 16 ? "w" : "d") + " (runs off the window)",
                key("#PF F3 " + hex2(opc), size), 0, 0, 0, new Bytes().b(0xF3).all(op(size).bytes()).b(opc));
        return true;
    }

    /** Instructions that change ESP by a known amount: ADD/SUB/LEA esp, INC/DEC esp pairs, PUSH/POP esp. */
    private boolean espArithmetic() {
        int k = rnd.nextInt(4);
        if (k == 0) {
            int delta = 4 * (rnd.nextInt(17) - 8);
            if (a.espOff + delta < Asm.STACK_LOW || a.espOff + delta > Asm.STACK_HIGH) {
                return false;
            }
            boolean add = rnd.nextBoolean();
            int imm = add ? delta : -delta;
            a.ins((add ? "add" : "sub") + " esp, " + imm, key(add ? "83/0" : "83/5", 32), 0, ARITH, 0,
                    new Bytes().b(0x83).b(add ? 0xC4 : 0xEC).b(imm));
            a.espOff += delta;
            return true;
        }
        if (k == 1) {
            int delta = rnd.nextInt(33) - 16;
            if (a.espOff + delta < Asm.STACK_LOW || a.espOff + delta > Asm.STACK_HIGH) {
                return false;
            }
            a.ins("lea esp, [esp" + (delta < 0 ? "-" : "+") + Math.abs(delta) + "]", key("8D esp", 32), 0, 0, 0,
                    new Bytes().b(0x8D).b(0x64).b(0x24).b(delta));
            a.espOff += delta;
            return true;
        }
        if (k == 2) {
            boolean incFirst = rnd.nextBoolean();
            a.ins(incFirst ? "inc esp" : "dec esp", key(incFirst ? "40+r" : "48+r", 32), 0, ARITH & ~CF, 0,
                    new Bytes().b(incFirst ? 0x44 : 0x4C));
            registerOnly(0);
            a.ins(incFirst ? "dec esp" : "inc esp", key(incFirst ? "48+r" : "40+r", 32), 0, ARITH & ~CF, 0,
                    new Bytes().b(incFirst ? 0x4C : 0x44));
            return true;
        }
        if (a.espOff - 4 < Asm.STACK_LOW) {
            return false;
        }
        // POP ESP loads ESP from the stack: after PUSH ESP that is the old ESP again
        a.ins("push esp", key("50+r", 32), 0, 0, 0, new Bytes().b(0x54));
        a.ins("pop esp", key("5C", 32), 0, 0, 0, new Bytes().b(0x5C));
        return true;
    }

    /**
     * Encodings that must raise #UD, and user-mode #GP(0): a store through a CS override (code is
     * not writable) and an access through FS/GS, which hold the null selector. The block ends there.
     */
    private boolean invalid() {
        int r = rnd.nextInt(8);
        switch (rnd.nextInt(11)) {
            case 10 -> {
                // POPF setting TF: the single-step trap (#DB) follows the next instruction
                if (a.espOff - 4 < Asm.STACK_LOW) {
                    return false;
                }
                int v = rnd.nextInt() & (ARITH | Asm.DF) | 0x100;
                a.ins("push " + Asm.hex(v), key("68", 32), 0, 0, 0, new Bytes().b(0x68).d(v));
                a.ins("popfd (sets TF)", "#DB 9D", 0, ARITH, 0, new Bytes().b(0x9D));
                registerOnly(0);
            }
            case 9 -> {
                // 9 redundant DS prefixes + MOV EAX, [disp32] is 15 bytes (legal); 10 make 16 (#GP)
                boolean tooLong = rnd.nextBoolean();
                int addr = OracleCase.WINDOW_ADDRESS + a.dataTarget(4);
                Bytes b = new Bytes();
                for (int i = 0; i < (tooLong ? 10 : 9); i++) {
                    b.b(0x3E);
                }
                a.ins("mov eax, [" + Asm.hex(addr) + "] (" + (tooLong ? 16 : 15) + " bytes)",
                        tooLong ? "#GP 16-byte insn" : "15-byte insn", 0, 0, 0, b.b(0x8B).b(0x05).d(addr));
            }
            case 7 -> {
                int size = size();
                Asm.Mem m = a.mem(r, a.dataTarget(size / 8), size / 8, 0, true);
                a.ins("mov cs:" + sz(size) + " " + m.text() + ", " + Asm.reg(size, r), "#GP 2E 88/89", 0, 0, 0,
                        new Bytes().b(0x2E).all(op(size).bytes()).b(size == 8 ? 0x88 : 0x89).all(m.tail()));
            }
            case 8 -> {
                int size = size();
                int seg = rnd.nextBoolean() ? 0x64 : 0x65;
                int dst = dstReg(size);
                Asm.Mem m = a.mem(dst, a.dataTarget(size / 8), size / 8, 0, true);
                a.ins("mov " + Asm.reg(size, dst) + ", " + (seg == 0x64 ? "fs:" : "gs:") + m.text(), "#GP 64/65 8A/8B",
                        0, 0, 0, new Bytes().b(seg).all(op(size).bytes()).b(size == 8 ? 0x8A : 0x8B).all(m.tail()));
            }
            case 0 -> a.ins("ud2", "#UD 0F 0B", 0, 0, 0, new Bytes().b(0x0F).b(0x0B));
            case 1 -> a.ins("lea (register operand)", "#UD 8D reg", 0, 0, 0, new Bytes().b(0x8D).b(0xC0 | r << 3 | r));
            case 2 -> a.ins("cmpxchg8b (register operand)", "#UD 0F C7/1 reg", 0, 0, 0,
                    new Bytes().b(0x0F).b(0xC7).b(0xC8 | r));
            case 3 -> a.ins("lock add (register destination)", "#UD F0 01 reg", 0, 0, 0,
                    new Bytes().b(0xF0).b(0x01).b(0xC0 | r));
            case 4 -> {
                Asm.Mem m = a.mem(r, a.dataTarget(4), 4, 0, false);
                a.ins("lock mov " + m.text() + ", " + Asm.R32[r], "#UD F0 89 mem", 0, 0, 0,
                        new Bytes().b(0xF0).b(0x89).all(m.tail()));
            }
            case 5 -> a.ins("(FE /" + (2 + r % 6) + ")", "#UD FE/2-7", 0, 0, 0,
                    new Bytes().b(0xFE).b(0xC0 | (2 + r % 6) << 3 | r));
            default -> a.ins("(FF /7)", "#UD FF/7", 0, 0, 0, new Bytes().b(0xFF).b(0xF8 | r));
        }
        return true;
    }

    private boolean flagsOps() {
        int k = rnd.nextInt(5);
        int[] opc = {0xF8, 0xF9, 0xF5, 0xFC, 0xFD};
        String[] names = {"clc", "stc", "cmc", "cld", "std"};
        a.ins(names[k], hex2(opc[k]), k == 2 ? CF : 0, k < 3 ? CF : 0, 0, new Bytes().b(opc[k]));
        return true;
    }

    private boolean string() {
        int size = size();
        int w = size == 8 ? 0 : 1;
        int o = rnd.nextInt(5); // movs cmps stos lods scas
        int[] base = {0xA4, 0xA6, 0xAA, 0xAC, 0xAE};
        String[] names = {"movs", "cmps", "stos", "lods", "scas"};
        boolean usesSi = o == 0 || o == 1 || o == 3;
        boolean usesDi = o != 3;
        int rep = rnd.nextInt(3); // none, F3, F2
        if (rep == 2 && !(o == 1 || o == 4)) {
            rep = 1;
        }
        int count = rep == 0 ? 1 : rnd.nextInt(4) == 0 ? rnd.nextInt(65) : rnd.nextInt(7);
        if (rep != 0) {
            a.movImm(1, count);
        }
        // 0x100 bytes of room either way for 64 dwords in either direction
        int si = Asm.DATA_START + 0x100 + rnd.nextInt(Asm.DATA_END - Asm.DATA_START - 0x200);
        if (usesSi) {
            a.movImm(6, OracleCase.WINDOW_ADDRESS + si);
        }
        if (usesDi) {
            // sometimes overlap the source (MOVS then copies its own output)
            int di = usesSi && rnd.nextInt(3) == 0 ? si + rnd.nextInt(17) - 8
                    : Asm.DATA_START + 0x100 + rnd.nextInt(Asm.DATA_END - Asm.DATA_START - 0x200);
            a.movImm(7, OracleCase.WINDOW_ADDRESS + di);
        }
        Bytes b = new Bytes();
        if (rep != 0) {
            b.b(rep == 1 ? 0xF3 : 0xF2);
        }
        if (usesSi && rnd.nextInt(6) == 0) {
            b.b(new int[] {0x26, 0x2E, 0x36, 0x3E}[rnd.nextInt(4)]); // overrides the DS:ESI source only
        }
        if (size == 16) {
            b.b(0x66);
        }
        b.b(base[o] + w);
        boolean flags = (o == 1 || o == 4) && count > 0;
        String sfx = size == 8 ? "b" : size == 16 ? "w" : "d";
        String p = rep == 0 ? "" : rep == 1 ? "rep " : "repne ";
        a.ins(p + names[o] + sfx, key((rep == 0 ? "" : rep == 1 ? "F3 " : "F2 ") + hex2(base[o] + w), size), 0,
                flags ? ARITH : 0, 0, b);
        return true;
    }

    private boolean stack() {
        int k = rnd.nextInt(9);
        if (k <= 2) {
            // PUSH r32 / imm8 / imm32 / r/m (16-bit sometimes)
            int size = rnd.nextInt(5) == 0 ? 16 : 32;
            int bytes = size / 8;
            if (a.espOff - bytes < Asm.STACK_LOW) {
                return false;
            }
            int form = rnd.nextInt(4);
            if (form == 0) {
                int r = rnd.nextInt(8);
                a.ins("push " + Asm.reg(size, r), key("50+r", size), 0, 0, 0, op(size).b(0x50 + r));
            } else if (form == 1) {
                int imm = value(8);
                a.ins("push " + (byte) imm, key("6A", size), 0, 0, 0, op(size).b(0x6A).b(imm));
            } else if (form == 2) {
                int imm = value(size);
                a.ins("push " + Asm.hex(imm), key("68", size), 0, 0, 0, op(size).b(0x68).imm(size, imm));
            } else {
                Asm.Mem m = a.mem(6, a.dataTarget(bytes), bytes, 0, true);
                a.ins("push " + sz(size) + " " + m.text(), key("FF/6", size), 0, 0, 0, op(size).b(0xFF).all(m.tail()));
            }
            a.espOff -= bytes;
            return true;
        }
        if (k <= 4) {
            int size = rnd.nextInt(5) == 0 ? 16 : 32;
            int bytes = size / 8;
            if (a.espOff + bytes > Asm.STACK_HIGH) {
                return false;
            }
            if (rnd.nextInt(3) == 0) {
                // an ESP-based destination is computed after the pop increments ESP (SDM POP)
                a.espOff += bytes;
                Asm.Mem m = a.mem(0, a.dataTarget(bytes), bytes, 0, true);
                a.espOff -= bytes;
                a.ins("pop " + sz(size) + " " + m.text(), key("8F/0", size), 0, 0, 0, op(size).b(0x8F).all(m.tail()));
            } else {
                int r = a.pickReg(1 << 4);
                a.ins("pop " + Asm.reg(size, r), key("58+r", size), 0, 0, 0, op(size).b(0x58 + r));
            }
            a.espOff += bytes;
            return true;
        }
        int size = rnd.nextInt(5) == 0 ? 16 : 32;
        int bytes = size / 8;
        String sfx = size == 16 ? "" : "d";
        if (k == 5) {
            if (a.espOff - bytes < Asm.STACK_LOW) {
                return false;
            }
            a.ins("pushf" + sfx, key("9C", size), ARITH, 0, 0, op(size).b(0x9C));
            a.espOff -= bytes;
            return true;
        }
        if (k == 6) {
            // POPF of a value with only the arithmetic flags and DF (TF/AC would trap or fault natively)
            if (a.espOff - 4 < Asm.STACK_LOW) {
                return false;
            }
            int v = rnd.nextInt() & (ARITH | Asm.DF);
            a.ins("push " + Asm.hex(v), key("68", size), 0, 0, 0, op(size).b(0x68).imm(size, v));
            a.ins("popf" + sfx, key("9D", size), 0, ARITH, 0, op(size).b(0x9D));
            return true;
        }
        if (k == 7) {
            if (a.espOff - 8 * bytes < Asm.STACK_LOW) {
                return false;
            }
            a.ins("pusha" + sfx, key("60", size), 0, 0, 0, op(size).b(0x60));
            a.espOff -= 8 * bytes;
            return true;
        }
        if (a.espOff + 8 * bytes > Asm.STACK_HIGH) {
            return false;
        }
        a.ins("popa" + sfx, key("61", size), 0, 0, 0, op(size).b(0x61));
        a.espOff += 8 * bytes;
        return true;
    }

    private boolean bcd() {
        int k = rnd.nextInt(6);
        if (rnd.nextBoolean()) {
            a.movImm(0, value(32));
        }
        switch (k) {
            case 0 -> a.ins("daa", "27", AF | CF, CF | AF | SF | ZF | PF, OF, new Bytes().b(0x27));
            case 1 -> a.ins("das", "2F", AF | CF, CF | AF | SF | ZF | PF, OF, new Bytes().b(0x2F));
            case 2 -> a.ins("aaa", "37", AF, AF | CF, OF | SF | ZF | PF, new Bytes().b(0x37));
            case 3 -> a.ins("aas", "3F", AF, AF | CF, OF | SF | ZF | PF, new Bytes().b(0x3F));
            case 4 -> {
                int imm = rnd.nextInt(30) == 0 ? 0 : rnd.nextBoolean() ? 10 : 1 + rnd.nextInt(255);
                a.ins("aam " + imm, "D4", 0, SF | ZF | PF, OF | AF | CF, new Bytes().b(0xD4).b(imm));
            }
            default -> {
                int imm = rnd.nextBoolean() ? 10 : rnd.nextInt(256);
                a.ins("aad " + imm, "D5", 0, SF | ZF | PF, OF | AF | CF, new Bytes().b(0xD5).b(imm));
            }
        }
        return true;
    }

    /** ENTER and LEAVE with EBP pointing into the stack area. */
    private boolean frames() {
        int osize = rnd.nextInt(5) == 0 ? 16 : 32;
        int bytes = osize / 8;
        if (rnd.nextBoolean()) {
            int level = rnd.nextInt(8) == 0 ? rnd.nextInt(32) : rnd.nextInt(4);
            int size = rnd.nextInt(4) == 0 ? rnd.nextInt(0x100) : rnd.nextInt(0x40);
            int need = bytes + bytes * level + size;
            if (a.espOff - need < Asm.STACK_LOW) {
                return false;
            }
            a.movImm(5, OracleCase.WINDOW_ADDRESS + Math.min(Asm.STACK_HIGH, a.espOff + 4 * rnd.nextInt(16)));
            a.ins("enter " + size + ", " + level, key("C8", osize), 0, 0, 0, op(osize).b(0xC8).w(size).b(level));
            a.espOff -= need;
            return true;
        }
        int ebpOff = a.espOff + 2 * rnd.nextInt(48) - 16;
        if (ebpOff < Asm.STACK_LOW || ebpOff + bytes > Asm.STACK_HIGH) {
            return false;
        }
        a.movImm(5, OracleCase.WINDOW_ADDRESS + ebpOff);
        a.ins("leave", key("C9", osize), 0, 0, 0, op(osize).b(0xC9));
        a.espOff = ebpOff + bytes;
        return true;
    }

    /** BOUND with an in-range index (or, rarely, one that raises #BR). */
    private boolean bound() {
        int size = rnd.nextBoolean() ? 16 : 32;
        int bytes = size / 8;
        int target = a.dataTarget(2 * bytes);
        int lo = value(size);
        int hi = value(size);
        long slo = signExtend(lo & 0xFFFFFFFFL, size);
        long shi = signExtend(hi & 0xFFFFFFFFL, size);
        if (slo > shi) {
            int t = lo;
            lo = hi;
            hi = t;
            long u = slo;
            slo = shi;
            shi = u;
        }
        boolean fault = rnd.nextInt(20) == 0 && shi < (1L << (size - 1)) - 1;
        long idx = fault ? shi + 1 : slo + (long) (rnd.nextDouble() * (shi - slo + 1));
        idx = Math.min(idx, fault ? idx : shi);
        int addr = OracleCase.WINDOW_ADDRESS + target;
        a.ins("mov " + sz(size) + " [" + Asm.hex(addr) + "], " + Asm.hex(lo), key("C7/0", size), 0, 0, 0,
                op(size).b(0xC7).b(0x05).d(addr).imm(size, lo));
        a.ins("mov " + sz(size) + " [" + Asm.hex(addr + bytes) + "], " + Asm.hex(hi), key("C7/0", size), 0, 0, 0,
                op(size).b(0xC7).b(0x05).d(addr + bytes).imm(size, hi));
        int reg = a.pickReg(1 << 4);
        a.movImm(reg, (int) idx);
        Asm.Mem m = a.mem(reg, target, 2 * bytes, 1 << reg, false);
        a.ins("bound " + Asm.reg(size, reg) + ", " + m.text(), key("62", size), 0, 0, 0, op(size).b(0x62).all(m.tail()));
        return true;
    }

    private boolean loops() {
        int kind = rnd.nextInt(3); // loop, loope, loopne
        boolean cx = rnd.nextInt(4) == 0; // 0x67: the count is CX, ECX's upper half must survive
        a.movImm(1, 1 + rnd.nextInt(4) | (cx ? rnd.nextInt() & 0xFFFF0000 : 0));
        int top = a.pos();
        registerOnly(1 << 1);
        if (kind != 0 && (a.undef & ZF) != 0) {
            a.defineFlags();
        }
        int opc = kind == 0 ? 0xE2 : kind == 1 ? 0xE1 : 0xE0;
        int rel = top - (a.pos() + (cx ? 3 : 2));
        int before = a.undef;
        Bytes b = new Bytes();
        if (cx) {
            b.b(0x67);
        }
        a.ins((kind == 0 ? "loop" : kind == 1 ? "loope" : "loopne") + (cx ? " (cx) top" : " top"),
                (cx ? "67 " : "") + hex2(opc), kind == 0 ? 0 : ZF, 0, 0, b.b(opc).b(rel));
        a.undef |= before;
        return true;
    }

    /** CALL to a RET inside the block (the return address is the same linear address on both sides). */
    private boolean callRet() {
        int kind = rnd.nextInt(5);
        if (kind >= 3) {
            return indirectJump(kind == 4);
        }
        int imm = rnd.nextBoolean() ? 0 : 4 * rnd.nextInt(4);
        if (a.espOff - 4 < Asm.STACK_LOW || a.espOff + imm > Asm.STACK_HIGH) {
            return false;
        }
        // call L; jmp short over; L: ret [imm]; over:
        int retLen = imm == 0 ? 1 : 3;
        if (kind == 1) {
            // call r32 (FF /2): the target is an absolute address inside the block
            int r = a.pickReg(1 << 4);
            int target = a.codeAddress + a.pos() + 5 + 2 + 2;
            a.movImm(r, target);
            a.ins("call " + Asm.R32[r], "FF/2 reg", 0, 0, 0, new Bytes().b(0xFF).b(0xD0 | r));
        } else if (kind == 2) {
            // call [mem] (FF /2): store the target in the window first, patch it once known
            int slot = a.dataTarget(4);
            int addr = OracleCase.WINDOW_ADDRESS + slot;
            int patchAt = a.pos() + 6;
            a.ins("mov dword [" + Asm.hex(addr) + "], L", key("C7/0", 32), 0, 0, 0,
                    new Bytes().b(0xC7).b(0x05).d(addr).d(0));
            Asm.Mem m = a.mem(2, slot, 4, 0, false);
            a.ins("call dword " + m.text(), "FF/2 mem", 0, 0, 0, new Bytes().b(0xFF).all(m.tail()));
            a.patch32(patchAt, a.codeAddress + a.pos() + 2);
        } else {
            a.ins("call +2", "E8", 0, 0, 0, new Bytes().b(0xE8).d(2));
        }
        a.ins("jmp short +" + retLen, "EB", 0, 0, 0, new Bytes().b(0xEB).b(retLen));
        if (imm == 0) {
            a.ins("ret", "C3", 0, 0, 0, new Bytes().b(0xC3));
        } else {
            a.ins("ret " + imm, "C2", 0, 0, 0, new Bytes().b(0xC2).w(imm));
        }
        a.espOff += imm;
        return true;
    }

    /** JMP r32 / JMP [mem] (FF /4) forward over register-only instructions. */
    private boolean indirectJump(boolean memory) {
        int patchAt;
        if (memory) {
            int slot = a.dataTarget(4);
            int addr = OracleCase.WINDOW_ADDRESS + slot;
            patchAt = a.pos() + 6;
            a.ins("mov dword [" + Asm.hex(addr) + "], over", key("C7/0", 32), 0, 0, 0,
                    new Bytes().b(0xC7).b(0x05).d(addr).d(0));
            Asm.Mem m = a.mem(4, slot, 4, 0, false);
            a.ins("jmp dword " + m.text(), "FF/4 mem", 0, 0, 0, new Bytes().b(0xFF).all(m.tail()));
        } else {
            int r = a.pickReg(1 << 4);
            patchAt = a.pos() + 1;
            a.movImm(r, 0);
            a.ins("jmp " + Asm.R32[r], "FF/4 reg", 0, 0, 0, new Bytes().b(0xFF).b(0xE0 | r));
        }
        int undefBefore = a.undef;
        int n = 1 + rnd.nextInt(2);
        for (int i = 0; i < n; i++) {
            registerOnly(0);
        }
        a.patch32(patchAt, a.codeAddress + a.pos());
        a.undef |= undefBefore;
        return true;
    }
}
