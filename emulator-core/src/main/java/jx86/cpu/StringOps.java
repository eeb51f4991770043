package jx86.cpu;

import jx86.arch.CpuFault;

/**
 * String instructions (SDM Vol. 1, 7.3.9; Vol. 2 MOVS, CMPS, SCAS, LODS, STOS, INS, OUTS, REP
 * prefixes). The address size selects SI/DI/CX or ESI/EDI/ECX; the source segment may be
 * overridden, ES:DI may not.
 *
 * <p>Restartability: every iteration commits its registers. A REP instruction runs a bounded batch
 * of iterations (one per virtual cycle, stopping at the next timer event and under single-step)
 * and then re-executes itself from its first prefix while the count is not exhausted, so
 * interrupts are taken between batches and a fault resumes at the faulting iteration.
 */
final class StringOps {
    /** Iterations per run-loop step for REP (bounds interrupt latency). */
    private static final int BATCH = 64;

    private StringOps() {
    }

    private static int count(Cpu c) {
        return c.asz32 ? c.regs[Cpu.ECX] : c.regs[Cpu.ECX] & 0xFFFF;
    }

    /** Decrements (E)CX and returns the new count. */
    private static int decCount(Cpu c) {
        if (c.asz32) {
            return --c.regs[Cpu.ECX];
        }
        int n = (c.regs[Cpu.ECX] - 1) & 0xFFFF;
        c.regs[Cpu.ECX] = (c.regs[Cpu.ECX] & 0xFFFF_0000) | n;
        return n;
    }

    private static int si(Cpu c) {
        return c.asz32 ? c.regs[Cpu.ESI] : c.regs[Cpu.ESI] & 0xFFFF;
    }

    private static int di(Cpu c) {
        return c.asz32 ? c.regs[Cpu.EDI] : c.regs[Cpu.EDI] & 0xFFFF;
    }

    private static void advance(Cpu c, int r, int size) {
        int d = (c.eflags & Cpu.DF) != 0 ? -size : size;
        if (c.asz32) {
            c.regs[r] += d;
        } else {
            c.regs[r] = (c.regs[r] & 0xFFFF_0000) | ((c.regs[r] + d) & 0xFFFF);
        }
    }

    /** MOVS/CMPS/STOS/LODS/SCAS (A4-A7, AA-AF). */
    static void dispatch(Cpu c, int b, int size) {
        if (b < 0xA4 || b == 0xA8 || b == 0xA9 || b > 0xAF) {
            throw CpuFault.ud();
        }
        run(c, b, size);
    }

    static void ins(Cpu c, int size) {
        run(c, 0x6C, size);
    }

    static void outs(Cpu c, int size) {
        run(c, 0x6E, size);
    }

    private static void run(Cpu c, int b, int size) {
        if (c.rep == 0) {
            once(c, b, size);
            return;
        }
        boolean conditional = b == 0xA6 || b == 0xA7 || b == 0xAE || b == 0xAF;
        int batch = (c.eflags & Cpu.TF) != 0 || c.debugActive ? 1 : BATCH;
        for (int i = 0; i < batch; i++) {
            if (count(c) == 0) {
                return;
            }
            once(c, b, size);
            int n = decCount(c);
            if (n == 0 || (conditional && (c.rep == 0xF3) != Flags.zf(c))) {
                return;
            }
            if (i + 1 < batch && c.clock.cycles + 1 >= c.clock.nextEventAt) {
                break;
            }
            if (i + 1 < batch) {
                c.clock.cycles++;
            }
        }
        c.ip = c.insnEip; // more to do: execute this instruction again
    }

    private static void once(Cpu c, int b, int size) {
        switch (b) {
            case 0xA4:
            case 0xA5: {
                int v = Mem.read(c, Mem.dataSeg(c), si(c), size);
                Mem.write(c, Cpu.ES, di(c), size, v);
                advance(c, Cpu.ESI, size);
                advance(c, Cpu.EDI, size);
                return;
            }
            case 0xA6:
            case 0xA7: {
                int a = Mem.read(c, Mem.dataSeg(c), si(c), size);
                int d = Mem.read(c, Cpu.ES, di(c), size);
                Alu.arith(c, Alu.CMP, size, a, d);
                advance(c, Cpu.ESI, size);
                advance(c, Cpu.EDI, size);
                return;
            }
            case 0xAA:
            case 0xAB:
                Mem.write(c, Cpu.ES, di(c), size, c.regs[Cpu.EAX]);
                advance(c, Cpu.EDI, size);
                return;
            case 0xAC:
            case 0xAD:
                Mem.setReg(c, size, Cpu.EAX, Mem.read(c, Mem.dataSeg(c), si(c), size));
                advance(c, Cpu.ESI, size);
                return;
            case 0xAE:
            case 0xAF: {
                int d = Mem.read(c, Cpu.ES, di(c), size);
                Alu.arith(c, Alu.CMP, size, Mem.getReg(c, size, Cpu.EAX), d);
                advance(c, Cpu.EDI, size);
                return;
            }
            case 0x6C: {
                int port = c.regs[Cpu.EDX] & 0xFFFF;
                SystemInsns.checkIoPermission(c, port, size);
                int la = Mem.laWrite(c, Cpu.ES, di(c), size);
                c.mmu.checkWrite(la, size);
                Mem.writeLa(c, la, size, c.io.in(port, size));
                advance(c, Cpu.EDI, size);
                return;
            }
            default: { // 0x6E OUTS
                int port = c.regs[Cpu.EDX] & 0xFFFF;
                SystemInsns.checkIoPermission(c, port, size);
                int v = Mem.read(c, Mem.dataSeg(c), si(c), size);
                c.io.out(port, size, v);
                advance(c, Cpu.ESI, size);
            }
        }
    }
}
