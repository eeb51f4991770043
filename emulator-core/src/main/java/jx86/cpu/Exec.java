package jx86.cpu;

import jx86.arch.CpuFault;

/**
 * The instruction decoder and the one-byte opcode map (SDM Vol. 2, chapter 2 and Appendix A,
 * Table A-2): prefixes, then dispatch into the per-category classes. Each opcode row group is a
 * separate method so no method approaches the JIT's 8000-bytecode limit.
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
        if (b == 0x0F) {
            b = c.fetch8();
            if (c.lock) {
                checkLock(c, 0x100 | b);
            }
            if (b < 0x80) {
                Exec0F.low(c, b);
            } else {
                Exec0F.high(c, b);
            }
        } else {
            if (c.lock) {
                checkLock(c, b);
            }
            if (b < 0x40) {
                op00(c, b);
            } else if (b < 0x80) {
                op40(c, b);
            } else if (b < 0xC0) {
                op80(c, b);
            } else {
                opC0(c, b);
            }
        }
        c.eip = c.ip;
    }

    /**
     * LOCK is only allowed on the read-modify-write instructions with a memory destination (#UD
     * otherwise): the rows of {@link OpTable} marked {@link OpTable#LOCK}.
     */
    private static void checkLock(Cpu c, int op) {
        int next = c.fetch8();
        c.ip--;
        c.resetFetchWindow();
        OpTable.Row row = OpTable.lookup(op, (next >>> 3) & 7);
        if (row == null || !row.has(OpTable.LOCK) || (next >>> 6) == 3) {
            throw CpuFault.ud();
        }
    }

    /** The eight ALU rows: op Eb,Gb / Ev,Gv / Gb,Eb / Gv,Ev / AL,Ib / eAX,Iv. */
    private static void aluForm(Cpu c, int b) {
        int op = (b >>> 3) & 7;
        int size;
        int r;
        switch (b & 7) {
            case 0:
            case 1: {
                size = (b & 1) == 0 ? 1 : c.osz;
                Mem.modrm(c);
                int a = op == 7 ? Mem.readRm(c, size) : Mem.readRmW(c, size);
                r = Alu.arith(c, op, size, a, Mem.getReg(c, size, c.reg));
                if (op != 7) {
                    Mem.writeRmW(c, size, r);
                }
                return;
            }
            case 2:
            case 3: {
                size = (b & 1) == 0 ? 1 : c.osz;
                Mem.modrm(c);
                int src = Mem.readRm(c, size);
                r = Alu.arith(c, op, size, Mem.getReg(c, size, c.reg), src);
                if (op != 7) {
                    Mem.setReg(c, size, c.reg, r);
                }
                return;
            }
            default: {
                size = (b & 1) == 0 ? 1 : c.osz;
                int imm = c.fetchImm(size);
                r = Alu.arith(c, op, size, Mem.getReg(c, size, Cpu.EAX), imm);
                if (op != 7) {
                    Mem.setReg(c, size, Cpu.EAX, r);
                }
            }
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
        if (b < 0x50) {
            int r = b & 7;
            int v = Mem.getReg(c, c.osz, r);
            Mem.setReg(c, c.osz, r, b < 0x48 ? Alu.inc(c, c.osz, v) : Alu.dec(c, c.osz, v));
            return;
        }
        if (b < 0x58) {
            Mem.push(c, c.osz, Mem.getReg(c, c.osz, b & 7));
            return;
        }
        if (b < 0x60) {
            int v = Mem.pop(c, c.osz);
            Mem.setReg(c, c.osz, b & 7, v);
            return;
        }
        if (b >= 0x70) {
            int rel = (byte) c.fetch8();
            if (Flags.cond(c, b & 15)) {
                ControlTransfer.branch(c, c.ip + rel);
            }
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
            case 0x6B: {
                Mem.modrm(c);
                int src = Mem.readRm(c, c.osz);
                int imm = c.fetchSigned(b == 0x69 ? c.osz : 1);
                Mem.setReg(c, c.osz, c.reg, Alu.imul(c, c.osz, src, imm));
                return;
            }
            case 0x6C:
            case 0x6D:
                StringOps.ins(c, b == 0x6C ? 1 : c.osz);
                return;
            case 0x6E:
            case 0x6F:
                StringOps.outs(c, b == 0x6E ? 1 : c.osz);
                return;
            default:
                throw CpuFault.ud();
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
            int r = b & 7;
            int t = Mem.getReg(c, c.osz, r);
            Mem.setReg(c, c.osz, r, Mem.getReg(c, c.osz, Cpu.EAX));
            Mem.setReg(c, c.osz, Cpu.EAX, t);
            return;
        }
        int size = (b & 1) == 0 ? 1 : c.osz;
        switch (b) {
            case 0x80:
            case 0x81:
            case 0x82:
            case 0x83: {
                Mem.modrm(c);
                int imm = b == 0x83 ? c.fetchSigned(1) & Flags.mask(size) : c.fetchImm(b == 0x81 ? size : 1);
                if (b == 0x82) {
                    size = 1;
                }
                int a = c.reg == 7 ? Mem.readRm(c, size) : Mem.readRmW(c, size);
                int r = Alu.arith(c, c.reg, size, a, imm);
                if (c.reg != 7) {
                    Mem.writeRmW(c, size, r);
                }
                return;
            }
            case 0x84:
            case 0x85:
                Mem.modrm(c);
                Alu.logicFlags(c, size, Mem.readRm(c, size) & Mem.getReg(c, size, c.reg));
                return;
            case 0x86:
            case 0x87: {
                Mem.modrm(c);
                int a = Mem.readRmW(c, size);
                Mem.writeRmW(c, size, Mem.getReg(c, size, c.reg));
                Mem.setReg(c, size, c.reg, a);
                return;
            }
            case 0x88:
            case 0x89:
                Mem.modrm(c);
                Mem.writeRm(c, size, Mem.getReg(c, size, c.reg));
                return;
            case 0x8A:
            case 0x8B:
                Mem.modrm(c);
                Mem.setReg(c, size, c.reg, Mem.readRm(c, size));
                return;
            case 0x8C:
                DataTransfer.movFromSeg(c);
                return;
            case 0x8D:
                Mem.modrm(c);
                Mem.requireMemory(c);
                Mem.setReg(c, c.osz, c.reg, c.eaOff);
                return;
            case 0x8E:
                DataTransfer.movToSeg(c);
                return;
            case 0x8F:
                DataTransfer.popRm(c);
                return;
            case 0x90:
                return; // NOP, and PAUSE with F3
            case 0x98:
                if (c.osz == 4) {
                    c.regs[Cpu.EAX] = (short) c.regs[Cpu.EAX];
                } else {
                    Mem.setReg(c, 2, Cpu.EAX, (byte) c.regs[Cpu.EAX]);
                }
                return;
            case 0x99:
                if (c.osz == 4) {
                    c.regs[Cpu.EDX] = c.regs[Cpu.EAX] >> 31;
                } else {
                    Mem.setReg(c, 2, Cpu.EDX, ((short) c.regs[Cpu.EAX]) >> 15);
                }
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
            case 0xA1: {
                int off = c.fetchImm(c.asz32 ? 4 : 2);
                Mem.setReg(c, size, Cpu.EAX, Mem.read(c, Mem.dataSeg(c), off, size));
                return;
            }
            case 0xA2:
            case 0xA3: {
                int off = c.fetchImm(c.asz32 ? 4 : 2);
                Mem.write(c, Mem.dataSeg(c), off, size, Mem.getReg(c, size, Cpu.EAX));
                return;
            }
            case 0xA8:
            case 0xA9:
                Alu.logicFlags(c, size, Mem.getReg(c, size, Cpu.EAX) & c.fetchImm(size));
                return;
            default:
                StringOps.dispatch(c, b, size);
        }
    }

    private static void opC0(Cpu c, int b) {
        int size = (b & 1) == 0 ? 1 : c.osz;
        switch (b) {
            case 0xC0:
            case 0xC1: {
                Mem.modrm(c);
                int count = c.fetch8();
                ShiftRotate.group2(c, size, count);
                return;
            }
            case 0xD0:
            case 0xD1:
                Mem.modrm(c);
                ShiftRotate.group2(c, size, 1);
                return;
            case 0xD2:
            case 0xD3:
                Mem.modrm(c);
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
            case 0xC7: {
                Mem.modrm(c);
                if (c.reg != 0) {
                    throw CpuFault.ud();
                }
                int imm = c.fetchImm(size);
                Mem.writeRm(c, size, imm);
                return;
            }
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
                if (Flags.of(c)) {
                    ControlTransfer.softInt(c, 4, Interrupts.SOFTWARE_TRAP);
                }
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
            case 0xD6: // SALC (undocumented, present on P6)
                Mem.setReg(c, 1, Cpu.EAX, Flags.cf(c) ? 0xFF : 0);
                return;
            case 0xD7: {
                int off = (c.asz32 ? c.regs[Cpu.EBX] : c.regs[Cpu.EBX] & 0xFFFF) + (c.regs[Cpu.EAX] & 0xFF);
                Mem.setReg(c, 1, Cpu.EAX, Mem.read(c, Mem.dataSeg(c), c.asz32 ? off : off & 0xFFFF, 1));
                return;
            }
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
                Flags.update(c, Cpu.CF, Flags.cf(c) ? 0 : Cpu.CF);
                return;
            case 0xF6:
            case 0xF7:
                Mem.modrm(c);
                Alu.group3(c, size);
                return;
            case 0xF8:
                Flags.update(c, Cpu.CF, 0);
                return;
            case 0xF9:
                Flags.update(c, Cpu.CF, Cpu.CF);
                return;
            case 0xFA:
                FlagControl.cli(c);
                return;
            case 0xFB:
                FlagControl.sti(c);
                return;
            case 0xFC:
                c.eflags &= ~Cpu.DF;
                return;
            case 0xFD:
                c.eflags |= Cpu.DF;
                return;
            case 0xFE:
                Mem.modrm(c);
                if (c.reg > 1) {
                    throw CpuFault.ud();
                }
                Alu.incDecRm(c, 1);
                return;
            case 0xFF:
                Mem.modrm(c);
                group5(c);
                return;
            default:
                throw CpuFault.ud();
        }
    }

    private static void group5(Cpu c) {
        int osz = c.osz;
        switch (c.reg) {
            case 0:
            case 1:
                Alu.incDecRm(c, osz);
                return;
            case 2:
                ControlTransfer.callNear(c, Mem.readRm(c, osz));
                return;
            case 3:
            case 5: {
                Mem.requireMemory(c);
                int off = Mem.read(c, c.eaSeg, c.eaOff, osz);
                int sel = Mem.read(c, c.eaSeg, Mem.eaPlus(c, osz), 2);
                if (c.reg == 3) {
                    ControlTransfer.farCall(c, sel, off);
                } else {
                    ControlTransfer.farJump(c, sel, off);
                }
                return;
            }
            case 4:
                ControlTransfer.branch(c, Mem.readRm(c, osz));
                return;
            case 6:
                Mem.push(c, osz, Mem.readRm(c, osz));
                return;
            default:
                throw CpuFault.ud();
        }
    }
}
