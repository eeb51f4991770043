package jx86.mmu;

import jx86.clock.VirtualClock;
import jx86.memory.PhysicalMemory;

/**
 * Linear-to-physical translation for the CPU: every linear access of an instruction goes through
 * here (operands, stack, string ops, instruction fetch, descriptor tables and TSS).
 *
 * <p>THIS IS THE PLACEHOLDER CONTRACT: paging is not implemented yet (linear = physical). The MMU
 * issue replaces the body, keeping every public signature.
 *
 * <p>Access kinds: "data" accesses are checked against the current CPL ({@link #setCpl}); "sys"
 * accesses are the implicit supervisor accesses the SDM describes (GDT, LDT, IDT, TSS), always
 * checked as CPL 0; "fetch" is an instruction fetch (I-TLB). A multi-byte access that straddles a
 * page translates both pages before touching memory, so a fault on the second page leaves no
 * partial write. Faults are thrown as {@link CpuFault#pageFault}; the CPU writes CR2.
 */
public final class Mmu {
    private final PhysicalMemory mem;
    private final VirtualClock clock;
    private int cr0;
    private int cr3;
    private int cr4;
    private int cpl;

    public Mmu(PhysicalMemory mem, VirtualClock clock) {
        this.mem = mem;
        this.clock = clock;
    }

    public PhysicalMemory memory() {
        return mem;
    }

    // ---- control state, written by the CPU ----

    /** MOV to CR0 (PG and WP matter here); toggling PG flushes every TLB entry. */
    public void setCr0(int value) {
        cr0 = value;
    }

    /** MOV to CR3: flushes every non-global TLB entry. */
    public void setCr3(int value) {
        cr3 = value;
    }

    /** MOV to CR4 (PSE, PGE matter here); toggling PGE flushes every TLB entry. */
    public void setCr4(int value) {
        cr4 = value;
    }

    /** The CPU calls this whenever CPL changes; data accesses at CPL 3 are user accesses. */
    public void setCpl(int value) {
        cpl = value;
    }

    /** INVLPG: drops the translation of the page holding {@code linear} from both TLBs. */
    public void invlpg(int linear) {
    }

    /** Drops every cached translation (A20 toggle, reset). */
    public void flushAll() {
    }

    // ---- data accesses at the current CPL ----

    public int read8(int la) {
        return mem.read8(la);
    }

    public int read16(int la) {
        return mem.read16(la);
    }

    public int read32(int la) {
        return mem.read32(la);
    }

    public void write8(int la, int value) {
        mem.write8(la, value);
    }

    public void write16(int la, int value) {
        mem.write16(la, value);
    }

    public void write32(int la, int value) {
        mem.write32(la, value);
    }

    /**
     * Checks that {@code size} bytes at {@code la} are writable at the current CPL, faulting now
     * if not (for instructions that must not write partially, e.g. PUSHA, ENTER, far CALL frames).
     */
    public void checkWrite(int la, int size) {
    }

    /** Checks that {@code size} bytes at {@code la} are readable at the current CPL. */
    public void checkRead(int la, int size) {
    }

    // ---- implicit supervisor accesses (descriptor tables, TSS), always as CPL 0 ----

    public int readSys8(int la) {
        return mem.read8(la);
    }

    public int readSys16(int la) {
        return mem.read16(la);
    }

    public int readSys32(int la) {
        return mem.read32(la);
    }

    public void writeSys8(int la, int value) {
        mem.write8(la, value);
    }

    public void writeSys16(int la, int value) {
        mem.write16(la, value);
    }

    public void writeSys32(int la, int value) {
        mem.write32(la, value);
    }

    // ---- instruction fetch at the current CPL ----

    public int fetch8(int la) {
        return mem.read8(la);
    }

    /**
     * Translates {@code la} for an instruction fetch and returns the physical address (the CPU may
     * then read the rest of that page with {@link PhysicalMemory#read8}). Faults like a fetch.
     */
    public int translateFetch(int la) {
        return la;
    }

    // ---- for debuggers, the firmware and tests: translate without side effects ----

    /** The physical address of {@code la}, or -1 if not mapped; sets no A/D bits, counts nothing. */
    public long peekTranslate(int la) {
        return la & 0xFFFF_FFFFL;
    }
}
