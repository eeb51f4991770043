package jx86.cpu;

import jx86.arch.CpuFault;
import jx86.memory.PhysicalMemory;

/**
 * String instructions (SDM Vol. 1, 7.3.9; Vol. 2 MOVS, CMPS, SCAS, LODS, STOS, INS, OUTS, REP
 * prefixes). The address size selects SI/DI/CX or ESI/EDI/ECX; the source segment may be
 * overridden, ES:DI may not.
 *
 * <p>Restartability: every iteration commits its registers. A REP instruction runs a bounded batch
 * of iterations (one per virtual cycle, stopping at the next timer event and under single-step)
 * and then re-executes itself from its first prefix while the count is not exhausted, so
 * interrupts are taken between batches and a fault resumes at the faulting iteration.
 *
 * <p>Fast path: ascending REP MOVS and REP STOS with 32-bit addresses do the iterations that stay
 * inside one page of RAM per operand, with both pages already in the D-TLB fast array, in one
 * block copy or fill, charging the same cycles, D-TLB hits and LRU stamps; everything else
 * (descending, 16-bit addresses, first touch of a page, ROM, MMIO, segment limits, single-step,
 * data breakpoints) takes the iteration loop, which also raises every fault.
 */
final class StringOps {
    /** Iterations per run-loop step for REP (bounds interrupt latency). */
    private static final int BATCH = 64;
    /** The page-chunk path for REP MOVS/STOS; {@link #run(Cpu, int, int, boolean)} lets tests turn it off. */
    static final boolean FAST_PATH = true;

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
        run(c, b, size, FAST_PATH);
    }

    /** The REP loop; {@code fast} enables the page-chunk path (tests compare both). */
    static void run(Cpu c, int b, int size, boolean fast) {
        if (c.rep == 0) {
            once(c, b, size);
            return;
        }
        int batch = (c.eflags & Cpu.TF) != 0 || c.debugActive ? 1 : BATCH;
        boolean chunks = fast && batch == BATCH && chunkable(c, b);
        for (int i = 0; i < batch; i++) {
            int left = count(c);
            if (left == 0) {
                return;
            }
            int k = chunks ? chunk(c, b, size, chunkLimit(c, left, batch - i)) : 0;
            int n;
            if (k > 0) {
                // k iterations done, all but the last with their cycle (see chunkLimit).
                i += k - 1;
                n = count(c);
            } else {
                once(c, b, size);
                n = decCount(c);
            }
            if (n == 0 || conditionEnds(c, b)) {
                return;
            }
            if (i + 1 < batch) {
                if (c.clock.cycles + 1 >= c.clock.nextEventAt) {
                    break;
                }
                c.clock.cycles++;
            }
        }
        c.ip = c.insnEip; // more to do: execute this instruction again
    }

    /** REPE/REPNE CMPS and SCAS end when ZF no longer matches the prefix. */
    private static boolean conditionEnds(Cpu c, int b) {
        boolean conditional = b == 0xA6 || b == 0xA7 || b == 0xAE || b == 0xAF;
        return conditional && (c.rep == 0xF3) != Flags.zf(c);
    }

    // ---- page-chunk fast path for REP MOVS / REP STOS (32-bit addresses, DF = 0) ----
    //
    // A chunk does, in one step, iterations the loop above would do one by one with the same
    // outcome: it runs only where none of them can fault or leave RAM (flat or checked segment
    // range, both pages already in the D-TLB fast array with the needed rights, RAM pages), stays
    // inside one page per operand, and charges the D-TLB hits, LRU stamps and cycles the single
    // iterations would. Anything else returns 0 and the loop takes one iteration the normal way.

    /**
     * How many iterations may run before the loop's next exit test could stop the batch: the
     * count, the rest of the batch, and the timer event (iteration j of a chunk needs cycles + j
     * below nextEventAt, as the loop checks before each further iteration).
     */
    private static int chunkLimit(Cpu c, int left, int batchLeft) {
        int k = Integer.compareUnsigned(left, batchLeft) < 0 ? left : batchLeft;
        long ev = c.clock.nextEventAt - c.clock.cycles;
        return ev < k ? (int) Math.max(1, ev) : k;
    }

    /** REP MOVS or REP STOS, 32-bit addresses, ascending (DF = 0). */
    private static boolean chunkable(Cpu c, int b) {
        return c.asz32 && (c.eflags & Cpu.DF) == 0 && (b == 0xA4 || b == 0xA5 || b == 0xAA || b == 0xAB);
    }

    private static int chunk(Cpu c, int b, int size, int max) {
        return b >= 0xAA ? stosChunk(c, size, max) : movsChunk(c, size, max);
    }

    private static int stosChunk(Cpu c, int size, int max) {
        int di = c.regs[Cpu.EDI];
        int k = elementsInPage(c.segBase[Cpu.ES] + di, size, max);
        if (k == 0 || !segmentSpan(c, Cpu.ES, di, size, k, true)) {
            return 0;
        }
        int dla = c.segBase[Cpu.ES] + di;
        int dpa = c.mmu.peekDataFast(dla, true);
        if (dpa == -1 || c.mmu.memory().kindOf(dpa) != PhysicalMemory.KIND_RAM) {
            return 0;
        }
        c.mmu.countDataHits(dla, k);
        c.mmu.memory().ramFill(dpa, c.regs[Cpu.EAX], k, size);
        c.regs[Cpu.EDI] = di + k * size;
        return finish(c, k);
    }

    private static int movsChunk(Cpu c, int size, int max) {
        int seg = Mem.dataSeg(c);
        int si = c.regs[Cpu.ESI];
        int di = c.regs[Cpu.EDI];
        int sla = c.segBase[seg] + si;
        int dla = c.segBase[Cpu.ES] + di;
        int k = elementsInPage(dla, size, elementsInPage(sla, size, max));
        if (k == 0 || !segmentSpan(c, seg, si, size, k, false) || !segmentSpan(c, Cpu.ES, di, size, k, true)) {
            return 0;
        }
        int spa = c.mmu.peekDataFast(sla, false);
        int dpa = c.mmu.peekDataFast(dla, true);
        if (spa == -1 || dpa == -1 || c.mmu.memory().kindOf(spa) != PhysicalMemory.KIND_RAM
                || c.mmu.memory().kindOf(dpa) != PhysicalMemory.KIND_RAM) {
            return 0;
        }
        // The loop alternates read source, write destination: 2k hits, destination stamped last.
        c.mmu.countDataHits(sla, 2 * k - 1);
        c.mmu.countDataHits(dla, 1);
        c.mmu.memory().ramCopyUp(dpa, spa, k, size);
        c.regs[Cpu.ESI] = si + k * size;
        c.regs[Cpu.EDI] = di + k * size;
        return finish(c, k);
    }

    private static int finish(Cpu c, int k) {
        c.regs[Cpu.ECX] -= k;
        c.clock.cycles += k - 1;
        return k;
    }

    /** Whole elements of {@code size} bytes from {@code la} upward inside its 4 KiB page, at most {@code max}. */
    private static int elementsInPage(int la, int size, int max) {
        int fit = (0x1000 - (la & 0xFFF)) / size;
        return Math.min(fit, max);
    }

    /**
     * True when {@code k} elements from seg:off upward pass the segment checks: the offsets do not
     * wrap, and the first and last element pass (the valid offsets of a segment form one range,
     * so the elements between pass too). A failing check is left to the normal path to raise.
     */
    private static boolean segmentSpan(Cpu c, int seg, int off, int size, int k, boolean write) {
        int last = off + (k - 1) * size;
        if (Integer.compareUnsigned(last, off) < 0 || Integer.compareUnsigned(last, -size) > 0) {
            return false;
        }
        try { // flat segments take Mem's fast path; others are checked, and fail by throwing
            if (write) {
                Mem.laWrite(c, seg, off, size);
                Mem.laWrite(c, seg, last, size);
            } else {
                Mem.laRead(c, seg, off, size);
                Mem.laRead(c, seg, last, size);
            }
            return true;
        } catch (CpuFault f) {
            return false;
        }
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
