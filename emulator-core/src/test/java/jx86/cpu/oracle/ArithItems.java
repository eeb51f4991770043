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
 * Item families of the block generator for data instructions: ALU, TEST, INC/DEC, NOT/NEG,
 * MUL/IMUL, DIV/IDIV, shifts and rotates, SHLD/SHRD, bit tests and scans, SETcc/CMOVcc, MOV and
 * MOVZX/MOVSX, LEA, exchanges, BCD adjustments, flag instructions and hints. Each method appends
 * one item (with its setup MOVs) and returns false when it does not fit the current state.
 */
final class ArithItems extends GenBase {
    boolean alu() {
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
            b.b(o * 8 + w + form * 2).all(r.tail());
            text = form == 0 ? r.text() + ", " + Asm.reg(size, reg) : Asm.reg(size, reg) + ", " + r.text();
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
            b.b(opc).all(r.tail()).imm(opc == 0x81 ? size : 8, imm);
            text = r.text() + ", " + Asm.hex(opc == 0x83 ? (byte) imm : imm);
            k = hex2(opc) + "/" + o;
        }
        a.ins(ALU[o] + " " + text, key(k, size), reads, defs, undefs, b);
        return true;
    }

    boolean test() {
        int size = size();
        int w = size == 8 ? 0 : 1;
        int form = rnd.nextInt(3);
        Bytes b;
        String text;
        String k;
        if (form == 0) {
            int reg = rnd.nextInt(8);
            Rm r = rm(size, reg, false);
            b = prefixes(size, r, false).b(0x84 + w).all(r.tail());
            text = r.text() + ", " + Asm.reg(size, reg);
            k = hex2(0x84 + w);
        } else if (form == 1) {
            int imm = value(size);
            b = op(size).b(0xA8 + w).imm(size, imm);
            text = Asm.reg(size, 0) + ", " + Asm.hex(imm);
            k = hex2(0xA8 + w);
        } else {
            Rm r = rm(size, 0, false);
            int imm = value(size);
            b = prefixes(size, r, false).b(0xF6 + w).all(r.tail()).imm(size, imm);
            text = r.text() + ", " + Asm.hex(imm);
            k = hex2(0xF6 + w) + "/0";
        }
        a.ins("test " + text, key(k, size), 0, LOGIC_DEFS, AF, b);
        return true;
    }

    boolean incDec() {
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
        a.ins((dec ? "dec " : "inc ") + r.text(), key(hex2(opc) + (dec ? "/1" : "/0"), size), 0, defs, 0,
                prefixes(size, r, true).b(opc).all(r.tail()));
        return true;
    }

    boolean notNeg() {
        int size = size();
        boolean neg = rnd.nextBoolean();
        Rm r = rm(size, neg ? 3 : 2, true);
        int opc = size == 8 ? 0xF6 : 0xF7;
        a.ins((neg ? "neg " : "not ") + r.text(), key(hex2(opc) + (neg ? "/3" : "/2"), size), 0, neg ? ARITH : 0, 0,
                prefixes(size, r, true).b(opc).all(r.tail()));
        return true;
    }

    boolean mul() {
        int size = size();
        int defs = CF | OF;
        int undefs = SF | ZF | AF | PF;
        int form = size == 8 ? 0 : rnd.nextInt(4);
        if (form == 0) {
            boolean signed = rnd.nextBoolean();
            Rm r = rm(size, signed ? 5 : 4, false);
            int opc = size == 8 ? 0xF6 : 0xF7;
            a.ins((signed ? "imul " : "mul ") + r.text(), key(hex2(opc) + (signed ? "/5" : "/4"), size), 0, defs,
                    undefs, prefixes(size, r, false).b(opc).all(r.tail()));
            return true;
        }
        int dst = dstReg(size);
        Rm r = rm(size, dst, false);
        Bytes b = prefixes(size, r, false);
        if (form == 1) {
            a.ins("imul " + Asm.reg(size, dst) + ", " + r.text(), key("0F AF", size), 0, defs, undefs,
                    b.b(0x0F).b(0xAF).all(r.tail()));
        } else if (form == 2) {
            int imm = value(size);
            a.ins("imul " + Asm.reg(size, dst) + ", " + r.text() + ", " + Asm.hex(imm), key("69", size), 0, defs,
                    undefs, b.b(0x69).all(r.tail()).imm(size, imm));
        } else {
            int imm = value(8);
            a.ins("imul " + Asm.reg(size, dst) + ", " + r.text() + ", " + (byte) imm, key("6B", size), 0, defs,
                    undefs, b.b(0x6B).all(r.tail()).b(imm));
        }
        return true;
    }

    /** DIV/IDIV with operands that do not overflow, except a deliberate #DE now and then. */
    boolean div() {
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
        a.ins((signed ? "idiv " : "div ") + r.text(), key(hex2(opc) + "/" + ext, size), 0, 0, ARITH,
                prefixes(size, r, false).b(opc).all(r.tail()));
        return true;
    }

    boolean shift() {
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
            b = prefixes(size, r, false).b(0xD2 + w).all(r.tail());
            k = hex2(0xD2 + w) + "/" + o;
            ct = "cl";
        } else if (form == 0) {
            r = rm(size, o, true);
            b = prefixes(size, r, false).b(0xD0 + w).all(r.tail());
            k = hex2(0xD0 + w) + "/" + o;
            ct = "1";
        } else {
            r = rm(size, o, true);
            b = prefixes(size, r, false).b(0xC0 + w).all(r.tail()).b(count);
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
        a.ins(SHIFT[o] + " " + r.text() + ", " + ct, key(k, size), reads, defs, undefs, b);
        return true;
    }

    boolean shld() {
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
        Bytes b = prefixes(size, r, false).b(0x0F).b(opc).all(r.tail());
        if (!cl) {
            b.b(count);
        }
        int masked = count & 31;
        int defs = masked == 0 ? 0 : CF | SF | ZF | PF | (masked == 1 ? OF : 0);
        int undefs = masked == 0 ? 0 : AF | (masked == 1 ? 0 : OF);
        a.ins((right ? "shrd " : "shld ") + r.text() + ", " + Asm.reg(size, src) + ", " + (cl ? "cl" : count),
                key("0F " + hex2(opc), size), 0, defs, undefs, b);
        return true;
    }

    boolean bitOps() {
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
            a.ins((rev ? "bsr " : "bsf ") + Asm.reg(size, dst) + ", " + r.text(), key(rev ? "0F BD" : "0F BC", size), 0,
                    ZF, CF | OF | SF | AF | PF, prefixes(size, r, false).b(0x0F).b(rev ? 0xBD : 0xBC).all(r.tail()));
            return true;
        }
        int o = rnd.nextInt(4); // bt bts btr btc
        String[] names = {"bt", "bts", "btr", "btc"};
        if (form == 0) {
            int imm = rnd.nextInt(256);
            Rm r = rm(size, 4 + o, o != 0);
            a.ins(names[o] + " " + r.text() + ", " + imm, key("0F BA/" + (4 + o), size), 0, defs, undefs,
                    prefixes(size, r, o != 0).b(0x0F).b(0xBA).all(r.tail()).b(imm));
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
            a.ins(names[o] + " " + r.text() + ", " + Asm.reg(size, src), key("0F " + hex2(opc), size), 0, defs, undefs,
                    prefixes(size, r, o != 0).b(0x0F).b(opc).all(r.tail()));
            return true;
        }
        Rm r = rm(size, src, o != 0, 0, false);
        int opc = 0xA3 + 8 * o;
        a.ins(names[o] + " " + r.text() + ", " + Asm.reg(size, src), key("0F " + hex2(opc), size), 0, defs, undefs,
                op(size).b(0x0F).b(opc).all(r.tail()));
        return true;
    }

    boolean setCmov() {
        int cc = rnd.nextInt(16);
        if (rnd.nextBoolean()) {
            Rm r = rm(8, 0, true);
            a.ins("set" + CC[cc] + " " + r.text(), key("0F 90+cc", 8), CC_READS[cc], 0, 0,
                    prefixes(8, r, false).b(0x0F).b(0x90 + cc).all(r.tail()));
        } else {
            int size = rnd.nextBoolean() ? 16 : 32;
            int dst = dstReg(size);
            Rm r = rm(size, dst, false);
            a.ins("cmov" + CC[cc] + " " + Asm.reg(size, dst) + ", " + r.text(), key("0F 40+cc", size), CC_READS[cc], 0, 0,
                    prefixes(size, r, false).b(0x0F).b(0x40 + cc).all(r.tail()));
        }
        return true;
    }

    boolean mov() {
        int size = size();
        int w = size == 8 ? 0 : 1;
        int form = rnd.nextInt(6);
        if (form == 0) {
            int reg = rnd.nextInt(8);
            Rm r = rm(size, reg, true);
            a.ins("mov " + r.text() + ", " + Asm.reg(size, reg), key(hex2(0x88 + w), size), 0, 0, 0,
                    prefixes(size, r, false).b(0x88 + w).all(r.tail()));
        } else if (form == 1) {
            int reg = dstReg(size);
            Rm r = rm(size, reg, false);
            a.ins("mov " + Asm.reg(size, reg) + ", " + r.text(), key(hex2(0x8A + w), size), 0, 0, 0,
                    prefixes(size, r, false).b(0x8A + w).all(r.tail()));
        } else if (form == 2) {
            int reg = dstReg(size);
            int imm = value(size);
            a.ins("mov " + Asm.reg(size, reg) + ", " + Asm.hex(imm), key(size == 8 ? "B0+r" : "B8+r", size), 0, 0, 0,
                    op(size).b((size == 8 ? 0xB0 : 0xB8) + reg).imm(size, imm));
        } else if (form == 3) {
            Rm r = rm(size, 0, true);
            int imm = value(size);
            a.ins("mov " + r.text() + ", " + Asm.hex(imm), key(hex2(0xC6 + w) + "/0", size), 0, 0, 0,
                    prefixes(size, r, false).b(0xC6 + w).all(r.tail()).imm(size, imm));
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
            a.ins((sx ? "movsx " : "movzx ") + Asm.reg(dsize, dst) + ", " + r.text(), key("0F " + hex2(opc), dsize), 0, 0,
                    0, prefixes(dsize, r, false).b(0x0F).b(opc).all(r.tail()));
        }
        return true;
    }

    /** LEA with arbitrary register values: it computes an address but never touches memory. */
    boolean lea() {
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

    boolean exchange() {
        int size = size();
        int w = size == 8 ? 0 : 1;
        int kind = rnd.nextInt(5);
        if (kind == 0) {
            int reg = dstReg(size);
            Rm r = rm(size, reg, true);
            a.ins("xchg " + r.text() + ", " + Asm.reg(size, reg), key(hex2(0x86 + w), size), 0, 0, 0,
                    prefixes(size, r, true).b(0x86 + w).all(r.tail()));
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
            a.ins("xadd " + r.text() + ", " + Asm.reg(size, reg), key("0F " + hex2(0xC0 + w), size), 0, ARITH, 0,
                    prefixes(size, r, true).b(0x0F).b(0xC0 + w).all(r.tail()));
        } else if (kind == 3) {
            int reg = rnd.nextInt(8);
            Rm r = rm(size, reg, true);
            if (rnd.nextBoolean() && r.mem()) {
                // make the compare succeed sometimes: load the accumulator from the same bytes
                return cmpxchgEqual(size);
            }
            a.ins("cmpxchg " + r.text() + ", " + Asm.reg(size, reg), key("0F " + hex2(0xB0 + w), size), 0, ARITH, 0,
                    prefixes(size, r, true).b(0x0F).b(0xB0 + w).all(r.tail()));
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

    boolean cmpxchgEqual(int size) {
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

    boolean misc() {
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
    boolean hints() {
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
        a.ins("nop " + r.text(), key("0F 1F/0", size), 0, 0, 0, op(size).b(0x0F).b(0x1F).all(r.tail()));
        return true;
    }

    boolean flagsOps() {
        int k = rnd.nextInt(5);
        int[] opc = {0xF8, 0xF9, 0xF5, 0xFC, 0xFD};
        String[] names = {"clc", "stc", "cmc", "cld", "std"};
        a.ins(names[k], hex2(opc[k]), k == 2 ? CF : 0, k < 3 ? CF : 0, 0, new Bytes().b(opc[k]));
        return true;
    }

    boolean bcd() {
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
}
