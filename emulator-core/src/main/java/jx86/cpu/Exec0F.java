package jx86.cpu;

import jx86.arch.CpuFault;

/**
 * The two-byte opcode map (0F xx; SDM Vol. 2, Appendix A, Table A-3): one case per row of
 * {@link OpTable}, calling the handler the row names. {@link Exec} has decoded the ModR/M byte
 * and applied the row's #UD, LOCK, mode and CPL rules before; an opcode without a row (MMX, SSE,
 * 3DNow! and the other extensions this P6-class core does not report) never gets here.
 */
final class Exec0F {
    private Exec0F() {
    }

    static void low(Cpu c, int b) {
        if (b >= 0x40 && b < 0x50) {
            BitByte.cmovcc(c, b & 15);
            return;
        }
        switch (b) {
            case 0x00:
                SystemOps.group6(c);
                return;
            case 0x01:
                SystemOps.group7(c);
                return;
            case 0x02:
            case 0x03:
                SystemOps.larLsl(c, b == 0x02);
                return;
            case 0x06:
                SystemInsns.clts(c);
                return;
            case 0x08: // INVD, WBINVD: no caches are modelled
            case 0x09:
            case 0x18: // prefetch hints and the multi-byte NOP
            case 0x19:
            case 0x1A:
            case 0x1B:
            case 0x1C:
            case 0x1D:
            case 0x1E:
            case 0x1F:
                Misc.nop(c);
                return;
            case 0x0B:
                Misc.ud(c);
                return;
            case 0x20:
                c.regs[c.rm] = SystemInsns.movFromCr(c, c.reg);
                return;
            case 0x21:
                c.regs[c.rm] = SystemInsns.movFromDr(c, c.reg);
                return;
            case 0x22:
                SystemInsns.movToCr(c, c.reg, c.regs[c.rm]);
                return;
            case 0x23:
                SystemInsns.movToDr(c, c.reg, c.regs[c.rm]);
                return;
            case 0x30:
                SystemInsns.wrmsr(c);
                return;
            case 0x31:
                SystemOps.rdtsc(c);
                return;
            case 0x32:
                SystemInsns.rdmsr(c);
                return;
            case 0x33:
                SystemOps.rdpmc(c);
                return;
            case 0x34:
                SystemOps.sysenter(c);
                return;
            case 0x35:
                SystemOps.sysexit(c);
                return;
            default:
                throw CpuFault.ud(); // no row
        }
    }

    static void high(Cpu c, int b) {
        if (b < 0x90) {
            ControlTransfer.jcc(c, b & 15, c.fetchSigned(c.osz));
            return;
        }
        if (b < 0xA0) {
            BitByte.setcc(c, b & 15);
            return;
        }
        if (b >= 0xC8 && b <= 0xCF) {
            BitByte.bswap(c, b & 7);
            return;
        }
        int size = (b & 1) == 0 ? 1 : c.osz;
        switch (b) {
            case 0xA0:
                DataTransfer.pushSeg(c, Cpu.FS);
                return;
            case 0xA1:
                DataTransfer.popSeg(c, Cpu.FS);
                return;
            case 0xA8:
                DataTransfer.pushSeg(c, Cpu.GS);
                return;
            case 0xA9:
                DataTransfer.popSeg(c, Cpu.GS);
                return;
            case 0xA2:
                SystemOps.cpuid(c);
                return;
            case 0xA3:
                BitByte.bitTest(c, 0, false);
                return;
            case 0xAB:
                BitByte.bitTest(c, 1, false);
                return;
            case 0xB3:
                BitByte.bitTest(c, 2, false);
                return;
            case 0xBB:
                BitByte.bitTest(c, 3, false);
                return;
            case 0xB9:
                Misc.ud(c);
                return;
            case 0xBA:
                BitByte.bitTest(c, c.reg - 4, true);
                return;
            case 0xA4:
            case 0xAC:
                ShiftRotate.doubleShift(c, b == 0xA4, c.fetch8());
                return;
            case 0xA5:
            case 0xAD:
                ShiftRotate.doubleShift(c, b == 0xA5, c.regs[Cpu.ECX]);
                return;
            case 0xAF:
                Alu.imulGE(c);
                return;
            case 0xB0:
            case 0xB1:
                DataTransfer.cmpxchg(c, size);
                return;
            case 0xB2:
                DataTransfer.loadFarPointer(c, Cpu.SS);
                return;
            case 0xB4:
                DataTransfer.loadFarPointer(c, Cpu.FS);
                return;
            case 0xB5:
                DataTransfer.loadFarPointer(c, Cpu.GS);
                return;
            case 0xB6:
            case 0xB7:
                DataTransfer.movzx(c, b == 0xB6 ? 1 : 2);
                return;
            case 0xBE:
            case 0xBF:
                DataTransfer.movsx(c, b == 0xBE ? 1 : 2);
                return;
            case 0xBC:
            case 0xBD:
                BitByte.bitScan(c, b == 0xBD);
                return;
            case 0xC0:
            case 0xC1:
                DataTransfer.xadd(c, size);
                return;
            case 0xC7:
                DataTransfer.cmpxchg8b(c);
                return;
            case 0xFF:
                SystemOps.firmwareCall(c);
                return;
            default:
                throw CpuFault.ud(); // no row
        }
    }
}
