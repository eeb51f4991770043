package jx86.cpu;


/**
 * Data transfer instructions with more than one step (SDM Vol. 1, 7.3.1): segment register moves,
 * PUSH/POP of segment registers and memory, PUSHA/POPA, LDS/LES/LFS/LGS/LSS, XADD, CMPXCHG,
 * CMPXCHG8B; the register and memory moves, XCHG, LEA, MOVZX/MOVSX, CBW/CWD, XLAT. The decoder
 * (or the decoded-instruction cache) has decoded the ModR/M byte. Memory is written before
 * registers so a faulting instruction leaves no partial state.
 */
final class DataTransfer {
    private DataTransfer() {
    }

    /**
     * PUSH Sreg. With a 32-bit operand size the stack pointer moves by 4 but only the low word is
     * written, as recent Intel processors do.
     */
    static void pushSeg(Cpu c, int seg) {
        c.strictCheck();
        int size = c.osz;
        int sp = Mem.spPlus(c, Mem.sp(c), -size);
        int la = Mem.laWrite(c, Cpu.SS, sp, size);
        c.mmu.write16(la, c.segSel[seg]);
        Mem.setSp(c, sp);
    }

    /**
     * POP Sreg: the selector is loaded (and checked) before the stack pointer moves. The increment
     * uses the stack size in effect before the load (SDM POP: the pop is done on the old stack), so
     * POP SS from a 16-bit stack wraps SP even when the new SS is a 32-bit segment, and vice versa.
     */
    static void popSeg(Cpu c, int seg) {
        int v = Mem.peek(c, 0, c.osz) & 0xFFFF;
        boolean s32 = Mem.stack32(c);
        int sp = Mem.spPlus(c, Mem.sp(c), c.osz);
        Segments.load(c, seg, v);
        c.regs[Cpu.ESP] = s32 ? sp : (c.regs[Cpu.ESP] & 0xFFFF_0000) | sp;
        if (seg == Cpu.SS) {
            ssShadow(c);
        }
    }

    /**
     * MOV SS and POP SS (SDM Vol. 3A 6.8.3): interrupts, the single-step trap and debug exceptions
     * wait until the boundary after the next instruction. The instruction breakpoint of that next
     * instruction is not taken, and data breakpoints hit by this instruction are reported after it.
     */
    private static void ssShadow(Cpu c) {
        c.inhibitInterrupts = true;
        c.suppressSingleStep = true;
        c.ssShadowAt = c.instructions + 1;
    }

    /** MOV r/m, Sreg (8C): memory gets 16 bits; a 32-bit register gets the zero-extended selector. */
    static void movFromSeg(Cpu c) {
        c.strictCheck();
        int sel = c.segSel[c.reg];
        if (c.mod == 3) {
            Mem.setReg(c, c.osz, c.rm, sel);
        } else {
            Mem.write(c, c.eaSeg, c.eaOff, 2, sel);
        }
    }

    /** MOV Sreg, r/m16 (8E); CS is #UD; SS blocks interrupts for one instruction. */
    static void movToSeg(Cpu c) {
        int sel = Mem.readRm(c, 2);
        Segments.load(c, c.reg, sel);
        if (c.reg == Cpu.SS) {
            ssShadow(c);
        }
    }

    /**
     * POP r/m (8F /0): an ESP-based destination address is computed after ESP has been incremented
     * (SDM POP), so the address the decoder computed with the old ESP moves with it.
     */
    static void popRm(Cpu c) {
        int size = c.osz;
        int v = Mem.peek(c, 0, size);
        int oldEsp = c.regs[Cpu.ESP];
        Mem.setSp(c, Mem.spPlus(c, Mem.sp(c), size));
        if (c.mod != 3 && c.asz32 && c.rm == 4 && c.eaEspBase) {
            c.eaOff += c.regs[Cpu.ESP] - oldEsp;
        }
        Mem.writeRm(c, size, v);
    }

    static void pusha(Cpu c) {
        int size = c.osz;
        int sp = Mem.sp(c);
        int origSp = c.regs[Cpu.ESP];
        int end = Mem.spPlus(c, sp, -8 * size);
        for (int r = 0; r < 8; r++) {
            sp = Mem.spPlus(c, sp, -size);
            int v = r == Cpu.ESP ? origSp : c.regs[r];
            Mem.write(c, Cpu.SS, sp, size, v);
        }
        Mem.setSp(c, end);
    }

    static void popa(Cpu c) {
        int size = c.osz;
        int sp = Mem.sp(c);
        int[] vals = c.popaScratch;
        for (int r = 7; r >= 0; r--) {
            vals[r] = Mem.read(c, Cpu.SS, sp, size);
            sp = Mem.spPlus(c, sp, size);
        }
        for (int r = 0; r < 8; r++) {
            if (r != Cpu.ESP) {
                Mem.setReg(c, size, r, vals[r]);
            }
        }
        Mem.setSp(c, sp);
    }

    /** LDS/LES/LFS/LGS/LSS r, m16:16/32. */
    static void loadFarPointer(Cpu c, int seg) {
        int off = Mem.read(c, c.eaSeg, c.eaOff, c.osz);
        int sel = Mem.read(c, c.eaSeg, Mem.eaPlus(c, c.osz), 2);
        Segments.load(c, seg, sel);
        Mem.setReg(c, c.osz, c.reg, off);
    }

    static void xadd(Cpu c, int size) {
        int d = Mem.readRmW(c, size);
        int s = Mem.getReg(c, size, c.reg);
        int sum = Alu.arith(c, Alu.ADD, size, d, s);
        Mem.setReg(c, size, c.reg, d);
        Mem.writeRmW(c, size, sum);
    }

    /** CMPXCHG: the destination is always written (with itself when unequal), as the bus cycle requires. */
    static void cmpxchg(Cpu c, int size) {
        int d = Mem.readRmW(c, size);
        int acc = Mem.getReg(c, size, Cpu.EAX);
        Alu.arith(c, Alu.CMP, size, acc, d);
        if (acc == d) {
            Mem.writeRmW(c, size, Mem.getReg(c, size, c.reg));
        } else {
            Mem.writeRmW(c, size, d);
            Mem.setReg(c, size, Cpu.EAX, d);
        }
    }

    static void cmpxchg8b(Cpu c) {
        int la = Mem.laWrite(c, c.eaSeg, c.eaOff, 8);
        c.mmu.checkWrite(la, 8);
        int lo = c.mmu.read32(la);
        int hi = c.mmu.read32(la + 4);
        int[] r = c.regs;
        if (lo == r[Cpu.EAX] && hi == r[Cpu.EDX]) {
            c.mmu.write32(la, r[Cpu.EBX]);
            c.mmu.write32(la + 4, r[Cpu.ECX]);
            Flags.update(c, Cpu.ZF, Cpu.ZF);
        } else {
            c.mmu.write32(la, lo);
            c.mmu.write32(la + 4, hi);
            r[Cpu.EAX] = lo;
            r[Cpu.EDX] = hi;
            Flags.update(c, Cpu.ZF, 0);
        }
    }
    // ---- moves (each the one implementation of its rows: Exec and the decode cache call it) ----

    /** MOV Eb,Gb / Ev,Gv (88, 89). */
    static void movEG(Cpu c, int size) {
        Mem.writeRm(c, size, Mem.getReg(c, size, c.reg));
    }

    /** MOV Gb,Eb / Gv,Ev (8A, 8B). */
    static void movGE(Cpu c, int size) {
        Mem.setReg(c, size, c.reg, Mem.readRm(c, size));
    }

    /** MOV Eb,Ib / Ev,Iv (C6 /0, C7 /0). */
    static void movEI(Cpu c, int size, int imm) {
        Mem.writeRm(c, size, imm);
    }

    /** MOV AL/eAX, moffs (A0, A1). */
    static void loadMoffs(Cpu c, int size, int off) {
        Mem.setReg(c, size, Cpu.EAX, Mem.read(c, Mem.dataSeg(c), off, size));
    }

    /** MOV moffs, AL/eAX (A2, A3). */
    static void storeMoffs(Cpu c, int size, int off) {
        Mem.write(c, Mem.dataSeg(c), off, size, Mem.getReg(c, size, Cpu.EAX));
    }

    /** LEA Gv,M (8D): the offset, cut to the operand size. */
    static void lea(Cpu c) {
        Mem.setReg(c, c.osz, c.reg, c.eaOff);
    }

    /** MOVZX Gv, Eb/Ew (0F B6, 0F B7). */
    static void movzx(Cpu c, int srcSize) {
        Mem.setReg(c, c.osz, c.reg, Mem.readRm(c, srcSize));
    }

    /** MOVSX Gv, Eb/Ew (0F BE, 0F BF). */
    static void movsx(Cpu c, int srcSize) {
        int v = Mem.readRm(c, srcSize);
        Mem.setReg(c, c.osz, c.reg, srcSize == 1 ? (byte) v : (short) v);
    }

    /** XCHG Eb,Gb / Ev,Gv (86, 87): memory is written before the register. */
    static void xchg(Cpu c, int size) {
        int a = Mem.readRmW(c, size);
        Mem.writeRmW(c, size, Mem.getReg(c, size, c.reg));
        Mem.setReg(c, size, c.reg, a);
    }

    /** XCHG eAX, r (91-97). */
    static void xchgAx(Cpu c, int r) {
        int t = Mem.getReg(c, c.osz, r);
        Mem.setReg(c, c.osz, r, Mem.getReg(c, c.osz, Cpu.EAX));
        Mem.setReg(c, c.osz, Cpu.EAX, t);
    }

    /** CBW / CWDE (98). */
    static void cbw(Cpu c) {
        if (c.osz == 4) {
            c.regs[Cpu.EAX] = (short) c.regs[Cpu.EAX];
        } else {
            Mem.setReg(c, 2, Cpu.EAX, (byte) c.regs[Cpu.EAX]);
        }
    }

    /** CWD / CDQ (99). */
    static void cwd(Cpu c) {
        if (c.osz == 4) {
            c.regs[Cpu.EDX] = c.regs[Cpu.EAX] >> 31;
        } else {
            Mem.setReg(c, 2, Cpu.EDX, ((short) c.regs[Cpu.EAX]) >> 15);
        }
    }

    /** XLAT (D7): AL = [seg:(E)BX + AL]. */
    static void xlat(Cpu c) {
        int off = (c.asz32 ? c.regs[Cpu.EBX] : c.regs[Cpu.EBX] & 0xFFFF) + (c.regs[Cpu.EAX] & 0xFF);
        Mem.setReg(c, 1, Cpu.EAX, Mem.read(c, Mem.dataSeg(c), c.asz32 ? off : off & 0xFFFF, 1));
    }

    /** PUSH r16/r32 (50+r). */
    static void pushReg(Cpu c, int r) {
        Mem.push(c, c.osz, Mem.getReg(c, c.osz, r));
    }

    /** POP r16/r32 (58+r). */
    static void popReg(Cpu c, int r) {
        Mem.setReg(c, c.osz, r, Mem.pop(c, c.osz));
    }

    /** PUSH r/m (FF /6). */
    static void pushRm(Cpu c) {
        Mem.push(c, c.osz, Mem.readRm(c, c.osz));
    }
}
