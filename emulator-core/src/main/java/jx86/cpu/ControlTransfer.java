package jx86.cpu;

import jx86.arch.CpuFault;

/**
 * Control transfer (SDM Vol. 1, 7.3.8 and 6.2-6.5): near JMP/Jcc/CALL/RET with the CS limit check,
 * LOOP/LOOPcc/JCXZ, ENTER/LEAVE, and the entry into the far-transfer and interrupt code
 * ({@link FarTransfers}, {@link Interrupts}) with {@code cpu.eip} set to the next instruction.
 */
final class ControlTransfer {
    private ControlTransfer() {
    }

    /** Near jump to {@code target} (truncated to 16 bits for a 16-bit operand size); #GP(0) beyond the CS limit. */
    static void branch(Cpu c, int target) {
        c.ip = checkTarget(c, c.osz == 2 ? target & 0xFFFF : target);
    }

    /** {@code target} if it is within the CS limit, else #GP(0) (the decode cache's 32-bit jumps call it too). */
    static int checkTarget(Cpu c, int target) {
        if (Integer.compareUnsigned(target, c.segLimit[Cpu.CS]) > 0) {
            throw CpuFault.gp(0);
        }
        return target;
    }

    /** Jcc rel8/rel16/32 (70-7F, 0F 80-8F): {@code rel} from the next instruction. */
    static void jcc(Cpu c, int cc, int rel) {
        if (Flags.cond(c, cc)) {
            branch(c, c.ip + rel);
        }
    }

    /** CALL r/m (FF /2). */
    static void callIndirect(Cpu c) {
        callNear(c, Mem.readRm(c, c.osz));
    }

    /** JMP r/m (FF /4). */
    static void jmpIndirect(Cpu c) {
        branch(c, Mem.readRm(c, c.osz));
    }

    /** CALL m16:16/32 (FF /3): offset, then selector. */
    static void farCallIndirect(Cpu c) {
        int off = Mem.read(c, c.eaSeg, c.eaOff, c.osz);
        int sel = Mem.read(c, c.eaSeg, Mem.eaPlus(c, c.osz), 2);
        farCall(c, sel, off);
    }

    /** JMP m16:16/32 (FF /5). */
    static void farJumpIndirect(Cpu c) {
        int off = Mem.read(c, c.eaSeg, c.eaOff, c.osz);
        int sel = Mem.read(c, c.eaSeg, Mem.eaPlus(c, c.osz), 2);
        farJump(c, sel, off);
    }

    /** INTO (CE): INT 4 when OF is set. */
    static void into(Cpu c) {
        if (Flags.of(c)) {
            softInt(c, 4, Interrupts.SOFTWARE_TRAP);
        }
    }

    static void callNear(Cpu c, int target) {
        int ret = c.ip;
        branch(c, target);
        Mem.push(c, c.osz, ret);
    }

    static void retNear(Cpu c, int release) {
        int target = Mem.peek(c, 0, c.osz);
        branch(c, target);
        Mem.setSp(c, Mem.spPlus(c, Mem.sp(c), c.osz + release));
    }

    static void farCall(Cpu c, int sel, int off) {
        c.eip = c.ip;
        FarTransfers.farCall(c, sel & 0xFFFF, off, c.osz == 4);
        c.ip = c.eip;
    }

    static void farJump(Cpu c, int sel, int off) {
        c.eip = c.ip;
        FarTransfers.farJump(c, sel & 0xFFFF, off, c.osz == 4);
        c.ip = c.eip;
    }

    static void farReturn(Cpu c, int release) {
        c.eip = c.ip;
        FarTransfers.farReturn(c, c.osz == 4, release);
        c.ip = c.eip;
    }

    static void iret(Cpu c) {
        if (c.v86Mode() && c.iopl() < 3) {
            throw CpuFault.gp(0);
        }
        c.eip = c.ip;
        FarTransfers.iret(c, c.osz == 4);
        c.ip = c.eip;
        c.nmiBlocked = false;
        c.keepRf = true;
    }

    /** INT n: in V86 mode with IOPL below 3 it is #GP(0) (no VME). */
    static void intN(Cpu c, int vector) {
        if (c.v86Mode() && c.iopl() < 3) {
            throw CpuFault.gp(0);
        }
        softInt(c, vector, Interrupts.SOFTWARE);
    }

    static void softInt(Cpu c, int vector, int kind) {
        c.eip = c.ip;
        Interrupts.deliver(c, vector, kind, -1);
        c.ip = c.eip;
        c.suppressSingleStep = true;
    }

    /** E0 LOOPNE, E1 LOOPE, E2 LOOP, E3 JCXZ/JECXZ; the address size selects CX or ECX. */
    static void loop(Cpu c, int op, int rel) {
        int[] r = c.regs;
        int count;
        if (op == 0xE3) {
            count = c.asz32 ? r[Cpu.ECX] : r[Cpu.ECX] & 0xFFFF;
            if (count == 0) {
                branch(c, c.ip + rel);
            }
            return;
        }
        count = (c.asz32 ? r[Cpu.ECX] : r[Cpu.ECX] & 0xFFFF) - 1;
        if (!c.asz32) {
            count &= 0xFFFF;
        }
        boolean take = count != 0;
        if (op == 0xE0) {
            take &= !Flags.zf(c);
        } else if (op == 0xE1) {
            take &= Flags.zf(c);
        }
        if (take) {
            branch(c, c.ip + rel);
        }
        if (c.asz32) {
            r[Cpu.ECX] = count;
        } else {
            r[Cpu.ECX] = (r[Cpu.ECX] & 0xFFFF_0000) | count;
        }
    }

    /**
     * ENTER imm16, imm8 (SDM ENTER): FrameTemp is the stack pointer after pushing (E)BP, as wide as
     * the operand size (a 32-bit ENTER on a 16-bit stack keeps ESP's upper word in EBP). Before
     * anything is written, the final stack pointer must lie in the stack segment (#SS(0)) and a
     * write there must be allowed (#PF), though nothing is stored at it; the frame is then built
     * with local stack pointers and committed at the end.
     */
    static void enter(Cpu c, int frameSize, int level) {
        level &= 31;
        int size = c.osz;
        boolean s32 = Mem.stack32(c);
        int sp = Mem.spPlus(c, Mem.sp(c), -size);
        int finalSp = Mem.spPlus(c, sp, -(level * size) - frameSize);
        c.mmu.checkWrite(Mem.laWrite(c, Cpu.SS, finalSp, size), size);
        Mem.write(c, Cpu.SS, sp, size, c.regs[Cpu.EBP]);
        int frameTemp = s32 ? sp : (c.regs[Cpu.ESP] & 0xFFFF_0000) | sp;
        int bp = s32 ? c.regs[Cpu.EBP] : c.regs[Cpu.EBP] & 0xFFFF;
        if (level > 0) {
            for (int i = 1; i < level; i++) {
                bp = Mem.spPlus(c, bp, -size);
                int v = Mem.read(c, Cpu.SS, bp, size);
                sp = Mem.spPlus(c, sp, -size);
                Mem.write(c, Cpu.SS, sp, size, v);
            }
            sp = Mem.spPlus(c, sp, -size);
            Mem.write(c, Cpu.SS, sp, size, frameTemp);
        }
        sp = Mem.spPlus(c, sp, -frameSize);
        if (size == 4) {
            c.regs[Cpu.EBP] = frameTemp;
        } else {
            Mem.setReg(c, 2, Cpu.EBP, frameTemp);
        }
        Mem.setSp(c, sp);
    }

    /** LEAVE: (E)SP = (E)BP, then pop (E)BP; the pop is read before anything changes. */
    static void leave(Cpu c) {
        boolean s32 = Mem.stack32(c);
        int bp = s32 ? c.regs[Cpu.EBP] : c.regs[Cpu.EBP] & 0xFFFF;
        int v = Mem.read(c, Cpu.SS, bp, c.osz);
        Mem.setSp(c, Mem.spPlus(c, bp, c.osz));
        Mem.setReg(c, c.osz, Cpu.EBP, v);
    }
}
