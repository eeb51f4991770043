package jx86.cpu;

import static jx86.cpu.Cpu.EBP;
import static jx86.cpu.Cpu.ESP;

/**
 * The near stack instructions of the decoded-instruction cache's trace runner with a 32-bit
 * operand size (docs/performance.md, "Round 7: the stack path"): PUSH r32, POP r32, PUSH imm,
 * CALL rel32, RET / RET imm16 and LEAVE, the forms a kernel and its C code run around every
 * function call (kbench: 13 % of all instructions).
 *
 * <p>The common case is a flat 32-bit stack (protected mode, SS with base 0, a 4 GiB limit,
 * writable, expand-up and B = 1, so no segment check can fail) and a stack slot that lies in one
 * page which is a data-TLB fast-array hit on RAM ({@link jx86.mmu.Mmu#writeHit}/{@code readHit},
 * which count the hit exactly as {@code Mmu.write32}/{@code read32} do). Then the access is the
 * RAM array's (the store tells the code-write tracker, as every store does) and ESP moves; there
 * is no decode state to set up (the shared helpers read it from the CPU). Everything else (a
 * 16-bit, expand-down, limited or non-zero-based stack, a slot across a page end or past 4 GiB, a
 * TLB miss, a page without the rights or dirty bit the fast entry needs, a page that is not RAM,
 * with paging on or off) takes the decoder's helpers ({@link Mem#push},
 * {@link ControlTransfer}), so faults, ESP and counters are theirs. In both paths ESP is written
 * only after the access succeeded, so a faulting instruction leaves ESP and memory as they were.
 *
 * <p>Only the trace runner calls these: it sets {@link Cpu#pm} for the trace and runs with the
 * debug registers off, and no cached instruction changes SS or the mode.
 */
final class StackFast {
    private StackFast() {
    }

    /** Protected mode with a flat SS whose B bit is set: ESP addresses the stack, no check can fail. */
    private static boolean flat32(Cpu c) {
        return (c.flatSegs & (1 << Cpu.SS)) != 0 && (c.segAr[Cpu.SS] & Descriptor.AR_BIG) != 0 && c.pm;
    }

    /** PUSH of a 32-bit value (PUSH r32, PUSH imm, CALL's return address). */
    static void push32(Cpu c, int[] r, int value) {
        final int sp = r[ESP] - 4;
        if (flat32(c)) {
            // The page test (offset at most 0xFFC) also keeps out a slot that wraps past 4 GiB.
            int pa = c.mmu.writeHit(sp, 0xFFC);
            if (pa != -1) {
                c.memory().ramStore32(pa, value);
                r[ESP] = sp;
                return;
            }
        }
        Mem.push(c, 4, value);
    }

    /** POP of a 32-bit value: returns it with ESP moved past it (the caller may then overwrite ESP). */
    static int pop32(Cpu c, int[] r) {
        final int sp = r[ESP];
        if (flat32(c)) {
            int pa = c.mmu.readHit(sp, 0xFFC);
            if (pa != -1) {
                int v = c.memory().ramRead32(pa);
                r[ESP] = sp + 4;
                return v;
            }
        }
        return Mem.pop(c, 4);
    }

    /** POP r32: the register is written after ESP, so POP ESP loads the popped value. */
    static void popReg(Cpu c, int[] r, int reg) {
        int v = pop32(c, r);
        r[reg] = v;
    }

    /**
     * CALL rel32 to {@code target}, returning to {@code next}: the target is checked against the
     * CS limit (#GP) before anything is pushed, as {@link ControlTransfer#callNear}. Returns the
     * new EIP.
     */
    static int call(Cpu c, int[] r, int next, int target) {
        int to = ControlTransfer.checkTarget(c, target);
        push32(c, r, next);
        return to;
    }

    /**
     * RET / RET imm16 ({@code release} bytes more): the return address is read and checked against
     * the CS limit before ESP moves, as {@link ControlTransfer#retNear}. Returns the new EIP.
     */
    static int ret(Cpu c, int[] r, int release) {
        final int sp = r[ESP];
        if (flat32(c)) {
            int pa = c.mmu.readHit(sp, 0xFFC);
            if (pa != -1) {
                int to = ControlTransfer.checkTarget(c, c.memory().ramRead32(pa));
                r[ESP] = sp + 4 + release;
                return to;
            }
        }
        int to = ControlTransfer.checkTarget(c, Mem.peek(c, 0, 4));
        Mem.setSp(c, Mem.spPlus(c, Mem.sp(c), 4 + release));
        return to;
    }

    /**
     * PUSHA with a 32-bit operand size: EAX, ECX, EDX, EBX, the original ESP, EBP, ESI, EDI into
     * the 32 bytes below ESP. Fast when they lie in one page that is a write hit: one fast-entry
     * check, the other seven accesses counted as the helper's seven more {@code write32} hits
     * (same page, same TLB entry, same counts and LRU stamp). Else {@link DataTransfer#pusha}.
     */
    static void pusha(Cpu c, int[] r) {
        final int sp = r[ESP] - 32;
        if (flat32(c)) {
            // The page test (offset at most 0xFE0) also keeps out 32 bytes that wrap past 4 GiB.
            int pa = c.mmu.writeHit(sp, 0xFE0);
            if (pa != -1) {
                c.mmu.countDataHits(sp, 7);
                jx86.memory.PhysicalMemory m = c.memory();
                for (int k = 0; k < 8; k++) {
                    m.ramStore32(pa + 28 - 4 * k, r[k]); // register k at ESP - 4 (k + 1)
                }
                r[ESP] = sp;
                return;
            }
        }
        c.osz = 4; // the helper reads the operand size from the decode state
        DataTransfer.pusha(c);
    }

    /**
     * POPA with a 32-bit operand size: the eight slots PUSHA wrote, the saved ESP read (and
     * counted) but skipped; fast as {@link #pusha}, else {@link DataTransfer#popa}.
     */
    static void popa(Cpu c, int[] r) {
        final int sp = r[ESP];
        if (flat32(c)) {
            int pa = c.mmu.readHit(sp, 0xFE0);
            if (pa != -1) {
                c.mmu.countDataHits(sp, 7);
                jx86.memory.PhysicalMemory m = c.memory();
                for (int k = 0; k < 8; k++) {
                    if (k != ESP) {
                        r[k] = m.ramRead32(pa + 28 - 4 * k);
                    }
                }
                r[ESP] = sp + 32;
                return;
            }
        }
        c.osz = 4;
        DataTransfer.popa(c);
    }

    /** LEAVE: ESP = EBP, then EBP = POP (ESP unchanged if the read faults), as {@link ControlTransfer#leave}. */
    static void leave(Cpu c, int[] r) {
        if (flat32(c)) {
            final int bp = r[EBP];
            int pa = c.mmu.readHit(bp, 0xFFC);
            if (pa != -1) {
                int v = c.memory().ramRead32(pa);
                r[ESP] = bp + 4;
                r[EBP] = v;
                return;
            }
        }
        c.osz = 4; // the helper reads the operand size from the decode state
        ControlTransfer.leave(c);
    }
}
