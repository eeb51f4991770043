package jx86.cpu;

import jx86.arch.CpuFault;

/**
 * The instruction decoder and the one-byte opcode map (SDM Vol. 2, chapter 2 and Appendix A,
 * Table A-2): prefixes; then what the opcode table says about the opcode ({@link OpTable#decodeFacts}):
 * the ModR/M byte (decoded here, with SIB and displacement), #UD/LOCK/mode/CPL rules
 * ({@link #check}); then one case per row, calling the handler the row names. Each opcode row group
 * is a separate method so no method approaches the JIT's 8000-bytecode limit.
 *
 * <p>Decoding and execution are interleaved, but every instruction fetches all its bytes before it
 * writes memory or registers, and writes registers after its memory accesses where the order is
 * free, so the run loop's rollback of EIP/ESP undoes a faulting instruction.
 */
final class Exec {
    private Exec() {
    }

    /** Decodes and executes one instruction at CS:EIP; on return {@code c.eip} is the next instruction. */
    static void execute(Cpu c) {
        c.insnEip = c.eip;
        c.ip = c.eip;
        c.beginFetch();
        c.pm = (c.cr0 & Cpu.CR0_PE) != 0 && (c.eflags & Cpu.VM) == 0;
        boolean code32 = c.pm && (c.segAr[Cpu.CS] & 0x4000) != 0;
        c.code32 = code32;
        c.osz = code32 ? 4 : 2;
        c.asz32 = code32;
        c.segOvr = -1;
        c.rep = 0;
        c.lock = false;
        int b;
        prefixes:
        for (;;) {
            b = c.fetch8();
            switch (b) {
                case 0x66:
                    c.osz = code32 ? 2 : 4;
                    break;
                case 0x67:
                    c.asz32 = !code32;
                    break;
                case 0x26:
                    c.segOvr = Cpu.ES;
                    break;
                case 0x2E:
                    c.segOvr = Cpu.CS;
                    break;
                case 0x36:
                    c.segOvr = Cpu.SS;
                    break;
                case 0x3E:
                    c.segOvr = Cpu.DS;
                    break;
                case 0x64:
                    c.segOvr = Cpu.FS;
                    break;
                case 0x65:
                    c.segOvr = Cpu.GS;
                    break;
                case 0xF0:
                    c.lock = true;
                    break;
                case 0xF2:
                case 0xF3:
                    c.rep = b;
                    break;
                default:
                    break prefixes;
            }
        }
        int code = b == 0x0F ? 0x100 | c.fetch8() : b;
        // The opcode table's facts (OpTable.decodeFacts): ModR/M, then #UD/#GP rules, then the row's handler.
        final int[] facts = c.decodeFacts;
        int f = facts[code << 3];
        if ((f & OpTable.D_MODRM) != 0) {
            if ((f & OpTable.D_REGONLY) != 0) {
                Mem.modrmRegisters(c);
            } else {
                Mem.modrm(c);
            }
            if ((f & OpTable.D_GROUP) != 0) {
                f = facts[code << 3 | c.reg];
            }
        }
        if ((f & OpTable.D_CHECK) != 0 || c.lock) {
            check(c, f);
        }
        if (code >= 0x100) {
            if (code < 0x180) {
                Exec0F.low(c, code & 0xFF);
            } else {
                Exec0F.high(c, code & 0xFF);
            }
        } else if (b < 0x40) {
            op00(c, b);
        } else if (b < 0x80) {
            op40(c, b);
        } else if (b < 0xC0) {
            op80(c, b);
        } else {
            opC0(c, b);
        }
        c.eip = c.ip;
    }

    /**
     * The rules of the row (from {@link OpTable#decodeFacts}) checked before its handler runs, in the
     * SDM's priority order (after the instruction's bytes are fetched): no row, a register operand
     * where only memory is allowed, LOCK where it is not allowed (SDM LOCK: only the lockable
     * read-modify-write forms with a memory destination), the mode rule (all #UD), then the CPL 0
     * rule (#GP(0)). IOPL rules differ per instruction and stay in the handlers.
     */
    private static void check(Cpu c, int f) {
        if ((f & OpTable.D_ROW) == 0 || (f & OpTable.D_MEMONLY) != 0 && c.mod == 3) {
            throw CpuFault.ud();
        }
        if (c.lock && ((f & OpTable.D_LOCK) == 0 || c.mod == 3)) {
            throw CpuFault.ud();
        }
        if ((f & OpTable.D_PROTECTED) != 0 && !c.pm
                || (f & OpTable.D_FIRMWARE) != 0 && !SystemOps.firmwareAllowed(c)) {
            throw CpuFault.ud();
        }
        if ((f & OpTable.D_CPL0) != 0 && c.protectedMode() && (c.v86Mode() || c.cpl() != 0)) {
            throw CpuFault.gp(0);
        }
    }

    /** The eight ALU rows: op Eb,Gb / Ev,Gv / Gb,Eb / Gv,Ev / AL,Ib / eAX,Iv (ModR/M decoded). */
    private static void aluForm(Cpu c, int b) {
        int op = (b >>> 3) & 7;
        int size = (b & 1) == 0 ? 1 : c.osz;
        switch (b & 7) {
            case 0:
            case 1:
                Alu.aluEG(c, op, size);
                return;
            case 2:
            case 3:
                Alu.aluGE(c, op, size);
                return;
            default:
                Alu.aluAI(c, op, size, c.fetchImm(size));
        }
    }

    private static void op00(Cpu c, int b) {
        switch (b) {
            case 0x06:
                DataTransfer.pushSeg(c, Cpu.ES);
                return;
            case 0x07:
                DataTransfer.popSeg(c, Cpu.ES);
                return;
            case 0x0E:
                DataTransfer.pushSeg(c, Cpu.CS);
                return;
            case 0x16:
                DataTransfer.pushSeg(c, Cpu.SS);
                return;
            case 0x17:
                DataTransfer.popSeg(c, Cpu.SS);
                return;
            case 0x1E:
                DataTransfer.pushSeg(c, Cpu.DS);
                return;
            case 0x1F:
                DataTransfer.popSeg(c, Cpu.DS);
                return;
            case 0x27:
                DecimalArith.daa(c);
                return;
            case 0x2F:
                DecimalArith.das(c);
                return;
            case 0x37:
                DecimalArith.aaa(c);
                return;
            case 0x3F:
                DecimalArith.aas(c);
                return;
            default:
                if ((b & 7) < 6) {
                    aluForm(c, b);
                    return;
                }
                throw CpuFault.ud(); // prefixes never get here
        }
    }

    private static void op40(Cpu c, int b) {
        if (b < 0x48) {
            Alu.incReg(c, b & 7);
            return;
        }
        if (b < 0x50) {
            Alu.decReg(c, b & 7);
            return;
        }
        if (b < 0x58) {
            DataTransfer.pushReg(c, b & 7);
            return;
        }
        if (b < 0x60) {
            DataTransfer.popReg(c, b & 7);
            return;
        }
        if (b >= 0x70) {
            ControlTransfer.jcc(c, b & 15, (byte) c.fetch8());
            return;
        }
        switch (b) {
            case 0x60:
                DataTransfer.pusha(c);
                return;
            case 0x61:
                DataTransfer.popa(c);
                return;
            case 0x62:
                Misc.bound(c);
                return;
            case 0x63:
                Misc.arpl(c);
                return;
            case 0x68:
                Mem.push(c, c.osz, c.fetchImm(c.osz));
                return;
            case 0x6A:
                Mem.push(c, c.osz, (byte) c.fetch8());
                return;
            case 0x69:
                Alu.imulGEI(c, c.fetchSigned(c.osz));
                return;
            case 0x6B:
                Alu.imulGEI(c, c.fetchSigned(1));
                return;
            case 0x6C:
            case 0x6D:
                StringOps.ins(c, b == 0x6C ? 1 : c.osz);
                return;
            case 0x6E:
            case 0x6F:
                StringOps.outs(c, b == 0x6E ? 1 : c.osz);
                return;
            default:
                throw CpuFault.ud(); // no row: the decoder raised #UD before
        }
    }

    private static void op80(Cpu c, int b) {
        if (b >= 0xB0) {
            if (b < 0xB8) {
                Mem.setReg(c, 1, b & 7, c.fetch8());
            } else {
                Mem.setReg(c, c.osz, b & 7, c.fetchImm(c.osz));
            }
            return;
        }
        if (b >= 0x91 && b <= 0x97) {
            DataTransfer.xchgAx(c, b & 7);
            return;
        }
        int size = (b & 1) == 0 ? 1 : c.osz;
        switch (b) {
            case 0x80:
            case 0x82:
                Alu.group1(c, 1, c.fetch8());
                return;
            case 0x81:
                Alu.group1(c, size, c.fetchImm(size));
                return;
            case 0x83:
                Alu.group1(c, size, c.fetchSigned(1) & Flags.mask(size));
                return;
            case 0x84:
            case 0x85:
                Alu.testEG(c, size);
                return;
            case 0x86:
            case 0x87:
                DataTransfer.xchg(c, size);
                return;
            case 0x88:
            case 0x89:
                DataTransfer.movEG(c, size);
                return;
            case 0x8A:
            case 0x8B:
                DataTransfer.movGE(c, size);
                return;
            case 0x8C:
                DataTransfer.movFromSeg(c);
                return;
            case 0x8D:
                DataTransfer.lea(c);
                return;
            case 0x8E:
                DataTransfer.movToSeg(c);
                return;
            case 0x8F:
                DataTransfer.popRm(c);
                return;
            case 0x90:
                Misc.nop(c); // NOP, and PAUSE with F3
                return;
            case 0x98:
                DataTransfer.cbw(c);
                return;
            case 0x99:
                DataTransfer.cwd(c);
                return;
            case 0x9A: {
                int off = c.fetchImm(c.osz);
                int sel = c.fetch16();
                ControlTransfer.farCall(c, sel, off);
                return;
            }
            case 0x9B:
                X87Port.fwait(c);
                return;
            case 0x9C:
                FlagControl.pushf(c);
                return;
            case 0x9D:
                FlagControl.popf(c);
                return;
            case 0x9E:
                FlagControl.sahf(c);
                return;
            case 0x9F:
                FlagControl.lahf(c);
                return;
            case 0xA0:
            case 0xA1:
                DataTransfer.loadMoffs(c, size, c.fetchImm(c.asz32 ? 4 : 2));
                return;
            case 0xA2:
            case 0xA3:
                DataTransfer.storeMoffs(c, size, c.fetchImm(c.asz32 ? 4 : 2));
                return;
            case 0xA8:
            case 0xA9:
                Alu.testAI(c, size, c.fetchImm(size));
                return;
            default:
                StringOps.dispatch(c, b, size);
        }
    }

    private static void opC0(Cpu c, int b) {
        int size = (b & 1) == 0 ? 1 : c.osz;
        switch (b) {
            case 0xC0:
            case 0xC1:
                ShiftRotate.group2(c, size, c.fetch8());
                return;
            case 0xD0:
            case 0xD1:
                ShiftRotate.group2(c, size, 1);
                return;
            case 0xD2:
            case 0xD3:
                ShiftRotate.group2(c, size, c.regs[Cpu.ECX]);
                return;
            case 0xC2:
                ControlTransfer.retNear(c, c.fetch16());
                return;
            case 0xC3:
                ControlTransfer.retNear(c, 0);
                return;
            case 0xC4:
                DataTransfer.loadFarPointer(c, Cpu.ES);
                return;
            case 0xC5:
                DataTransfer.loadFarPointer(c, Cpu.DS);
                return;
            case 0xC6:
            case 0xC7:
                DataTransfer.movEI(c, size, c.fetchImm(size));
                return;
            case 0xC8: {
                int frame = c.fetch16();
                int level = c.fetch8();
                ControlTransfer.enter(c, frame, level);
                return;
            }
            case 0xC9:
                ControlTransfer.leave(c);
                return;
            case 0xCA:
                ControlTransfer.farReturn(c, c.fetch16());
                return;
            case 0xCB:
                ControlTransfer.farReturn(c, 0);
                return;
            case 0xCC:
                ControlTransfer.softInt(c, 3, Interrupts.SOFTWARE_TRAP);
                return;
            case 0xCD:
                ControlTransfer.intN(c, c.fetch8());
                return;
            case 0xCE:
                ControlTransfer.into(c);
                return;
            case 0xCF:
                ControlTransfer.iret(c);
                return;
            case 0xD4:
                DecimalArith.aam(c, c.fetch8());
                return;
            case 0xD5:
                DecimalArith.aad(c, c.fetch8());
                return;
            case 0xD6:
                FlagControl.salc(c);
                return;
            case 0xD7:
                DataTransfer.xlat(c);
                return;
            case 0xD8:
            case 0xD9:
            case 0xDA:
            case 0xDB:
            case 0xDC:
            case 0xDD:
            case 0xDE:
            case 0xDF:
                X87Port.esc(c, b);
                return;
            default:
                opE0(c, b, size);
        }
    }

    private static void opE0(Cpu c, int b, int size) {
        switch (b) {
            case 0xE0:
            case 0xE1:
            case 0xE2:
            case 0xE3:
                ControlTransfer.loop(c, b, (byte) c.fetch8());
                return;
            case 0xE4:
            case 0xE5:
                IoOps.in(c, size, c.fetch8());
                return;
            case 0xE6:
            case 0xE7:
                IoOps.out(c, size, c.fetch8());
                return;
            case 0xEC:
            case 0xED:
                IoOps.in(c, size, c.regs[Cpu.EDX] & 0xFFFF);
                return;
            case 0xEE:
            case 0xEF:
                IoOps.out(c, size, c.regs[Cpu.EDX] & 0xFFFF);
                return;
            case 0xE8: {
                int rel = c.fetchSigned(c.osz);
                ControlTransfer.callNear(c, c.ip + rel);
                return;
            }
            case 0xE9: {
                int rel = c.fetchSigned(c.osz);
                ControlTransfer.branch(c, c.ip + rel);
                return;
            }
            case 0xEA: {
                int off = c.fetchImm(c.osz);
                int sel = c.fetch16();
                ControlTransfer.farJump(c, sel, off);
                return;
            }
            case 0xEB: {
                int rel = (byte) c.fetch8();
                ControlTransfer.branch(c, c.ip + rel);
                return;
            }
            case 0xF1: // INT1 / ICEBP: a #DB trap without DPL check
                ControlTransfer.softInt(c, 1, Interrupts.EXCEPTION);
                return;
            case 0xF4:
                Misc.hlt(c);
                return;
            case 0xF5:
                FlagControl.cmc(c);
                return;
            case 0xF6:
            case 0xF7:
                if (c.reg < 2) {
                    Alu.testEI(c, size, c.fetchImm(size));
                } else {
                    Alu.group3(c, size);
                }
                return;
            case 0xF8:
                FlagControl.clc(c);
                return;
            case 0xF9:
                FlagControl.stc(c);
                return;
            case 0xFA:
                FlagControl.cli(c);
                return;
            case 0xFB:
                FlagControl.sti(c);
                return;
            case 0xFC:
                FlagControl.cld(c);
                return;
            case 0xFD:
                FlagControl.std(c);
                return;
            case 0xFE:
                Alu.incDecRm(c, 1);
                return;
            case 0xFF:
                group5(c);
                return;
            default:
                throw CpuFault.ud(); // no row: the decoder raised #UD before
        }
    }

    /** FF /0-/6 (the table has no row for /7, so the decoder raised #UD before). */
    private static void group5(Cpu c) {
        switch (c.reg) {
            case 0:
            case 1:
                Alu.incDecRm(c, c.osz);
                return;
            case 2:
                ControlTransfer.callIndirect(c);
                return;
            case 3:
                ControlTransfer.farCallIndirect(c);
                return;
            case 4:
                ControlTransfer.jmpIndirect(c);
                return;
            case 5:
                ControlTransfer.farJumpIndirect(c);
                return;
            case 6:
                DataTransfer.pushRm(c);
                return;
            default:
                throw CpuFault.ud(); // no row
        }
    }
}
