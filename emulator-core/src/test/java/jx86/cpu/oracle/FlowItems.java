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
 * Item families of the block generator for control flow, the stack and deliberate exceptions:
 * jumps, loops, CALL/RET, indirect transfers, string instructions, PUSH/POP families, ENTER/LEAVE,
 * BOUND, segment register reads, ESP arithmetic, self-modifying code, #PF/#UD/#GP/#DB cases.
 */
final class FlowItems extends GenBase {
    /** Forward jumps over a few register-only instructions (so ESP is the same on both paths). */
    boolean jumps() {
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

    /**
     * Reads of segment registers (MOV r/m, Sreg; PUSH Sreg) and ARPL. The jx86 runner uses the
     * selectors of a 32-bit Linux process (CS 0x23, SS/DS/ES 0x2B, FS/GS 0), so they compare.
     */
    boolean segments() {
        String[] names = {"es", "cs", "ss", "ds", "fs", "gs"};
        int sreg = rnd.nextInt(6);
        int k = rnd.nextInt(3);
        if (k == 0) {
            int size = rnd.nextBoolean() ? 16 : 32;
            Rm r = rm(16, sreg, true);
            int osize = r.mem() ? 16 : size; // a memory destination is always written as 16 bits
            a.ins("mov " + (r.mem() ? r.text() : Asm.reg(osize, r.reg())) + ", " + names[sreg], key("8C", osize), 0, 0, 0,
                    op(r.mem() ? (rnd.nextBoolean() ? 16 : 32) : osize).b(0x8C).all(r.tail()));
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
        a.ins("arpl " + r.text() + ", " + Asm.reg(16, src), "63", 0, ZF, 0, prefixes(16, r, false).b(0x63).all(r.tail()));
        return true;
    }

    /**
     * Self-modifying code: a store into the next instruction (its immediate, or INC turned into
     * DEC). x86 keeps stores and instruction fetch coherent, so the modified instruction runs; in
     * jx86 this exercises the decoded-code invalidation. The listing shows the original bytes.
     */
    boolean selfModify() {
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
    boolean pageFault() {
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
    boolean espArithmetic() {
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
    boolean invalid() {
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

    boolean string() {
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

    boolean stack() {
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

    /** ENTER and LEAVE with EBP pointing into the stack area. */
    boolean frames() {
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
    boolean bound() {
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

    boolean loops() {
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
    boolean callRet() {
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
    boolean indirectJump(boolean memory) {
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
