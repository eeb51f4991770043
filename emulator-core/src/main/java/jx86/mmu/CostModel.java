package jx86.mmu;

/**
 * The deterministic price list of address-translation events, in virtual CPU cycles.
 *
 * <p>The MMU adds these penalties to {@code VirtualClock.cycles} when the event happens, so the
 * cost of a kernel design (flushing on every context switch, walking tables after every IPC ...)
 * shows up in virtual time. The defaults and their sources are tabulated in docs/mmu.md: the
 * walk price is chosen so that refilling a flushed TLB of ~100 entries costs about 5000 cycles,
 * the Pentium 4 figure; a flush itself costs about 500 cycles; a segment register reload about
 * 300 (applied by the CPU's segment-load code, not by the MMU).
 *
 * <p>NOT modelled: caches, memory latency of ordinary data accesses, pipeline effects.
 */
public final class CostModel {
    /** Cycles per paging-structure memory reference made by the page walker (reads and A/D writes). */
    public final int walkAccessCycles;
    /** Cycles for a flush of every TLB entry (CR0.PG or CR4.PGE toggle, {@link Mmu#flushAll}). */
    public final int fullFlushCycles;
    /** Cycles for a MOV to CR3 (flushes non-global entries). */
    public final int cr3FlushCycles;
    /** Cycles for INVLPG on top of the instruction itself. */
    public final int invlpgCycles;
    /** Cycles for loading a segment register in protected mode (charged by the CPU). */
    public final int segmentLoadCycles;

    public CostModel(int walkAccessCycles, int fullFlushCycles, int cr3FlushCycles, int invlpgCycles,
            int segmentLoadCycles) {
        if (walkAccessCycles < 0 || fullFlushCycles < 0 || cr3FlushCycles < 0 || invlpgCycles < 0
                || segmentLoadCycles < 0) {
            throw new IllegalArgumentException("costs must not be negative");
        }
        this.walkAccessCycles = walkAccessCycles;
        this.fullFlushCycles = fullFlushCycles;
        this.cr3FlushCycles = cr3FlushCycles;
        this.invlpgCycles = invlpgCycles;
        this.segmentLoadCycles = segmentLoadCycles;
    }

    /** The documented defaults (docs/mmu.md, "Cost model"). */
    public static CostModel defaults() {
        return new CostModel(25, 500, 500, 12, 300);
    }

    /** Every penalty zero: translation is free, virtual time counts instructions only. */
    public static CostModel free() {
        return new CostModel(0, 0, 0, 0, 0);
    }

    @Override
    public String toString() {
        return "CostModel[walkAccess=" + walkAccessCycles + " fullFlush=" + fullFlushCycles + " cr3Flush="
                + cr3FlushCycles + " invlpg=" + invlpgCycles + " segmentLoad=" + segmentLoadCycles + "]";
    }
}
