package jx86.mmu;

import jx86.arch.CpuFault;
import jx86.clock.VirtualClock;
import jx86.memory.PhysicalMemory;

/**
 * Linear-to-physical translation for the CPU: every linear access of an instruction goes through
 * here (operands, stack, string ops, instruction fetch, descriptor tables and TSS). Implements
 * 32-bit paging (SDM Vol. 3A chapter 4: CR0.PG/WP, CR3, CR4.PSE/PGE) in front of a modelled
 * instruction TLB and data TLB ({@link Tlb}) and charges the {@link CostModel}'s penalties to
 * virtual time.
 *
 * <p>Access kinds: "data" accesses are checked against the current CPL ({@link #setCpl}); "sys"
 * accesses are the implicit supervisor accesses the SDM describes (GDT, LDT, IDT, TSS), always
 * checked as CPL 0; "fetch" is an instruction fetch (I-TLB). A multi-byte access that straddles a
 * page translates both pages before touching memory, so a fault on the second page leaves no
 * partial write; the fault then reports the first linear address of the second page. Faults are
 * thrown as {@link CpuFault#pageFault}; the CPU writes CR2.
 *
 * <p>With CR0.PG=0 linear = physical and nothing here counts or costs. Counters are kept per TLB
 * and per CPL class (supervisor CPL 0-2, user CPL 3, by the CPL current at the event, also for
 * "sys" accesses). Invalidation is exactly as architected (4.10.4.1): INVLPG drops one page (both
 * sizes) from both TLBs, a CR3 write drops non-global entries, toggling CR0.PG or CR4.PGE drops
 * all. Guest stores to page tables never invalidate anything.
 *
 * <p>Hot path: two loads from the TLB's two-level fast array, one mask compare, the page-cross test
 * and an LRU stamp (which also counts the hit: {@code Tlb.foldHits}); everything else (model
 * lookup, walk, straddling, faults) is on the slow path. The data TLB's fast array holds RAM pages only, their frames after the A20 mask
 * (see {@link #fill}), so a data access that hits it goes straight to the RAM array, without the
 * physical address space's routing (A20 mask, page kind) that an access to MMIO, ROM or
 * unassigned space needs; those take the model's path on every access, counted exactly as a hit
 * there. NOT modelled: PAE, PSE-36, SMEP/SMAP, paging-structure caches, PCIDs.
 */
public final class Mmu {
    private final PhysicalMemory mem;
    private final VirtualClock clock;
    private final Paging paging;
    private final Tlb itlb;
    private final Tlb dtlb;
    /** Fast arrays of the two TLBs (aliases, so the hot path does one field load). */
    private final int[][] iFast;
    private final int[][] dFast;
    /** The penalties this MMU charges; the CPU's segment-load code reads segmentLoadCycles. */
    public final CostModel costModel;

    private int cr0;
    private int cr3;
    private int cr4;
    private int cpl;
    private boolean pagingOn;
    private boolean wp;
    private boolean pse;
    private boolean pge;
    private boolean user;
    /** 0 for CPL 0-2, 1 for CPL 3: the counter column. */
    private int cplClass;

    // Access masks for the fast array: allowed when (fastEntry & mask) == Tlb.F_VALID.
    private int dataReadMask;
    private int dataWriteMask;
    private int sysWriteMask;
    private int fetchMask;
    private static final int SYS_READ_MASK = Tlb.F_VALID;

    public Mmu(PhysicalMemory mem, VirtualClock clock) {
        this(mem, clock, TlbGeometry.P6_ITLB, TlbGeometry.P6_DTLB, CostModel.defaults());
    }

    public Mmu(PhysicalMemory mem, VirtualClock clock, TlbGeometry itlbGeometry, TlbGeometry dtlbGeometry,
            CostModel costModel) {
        this.mem = mem;
        this.clock = clock;
        this.costModel = costModel;
        this.paging = new Paging(mem);
        this.itlb = new Tlb("I-TLB", itlbGeometry);
        this.dtlb = new Tlb("D-TLB", dtlbGeometry);
        this.iFast = itlb.fast;
        this.dFast = dtlb.fast;
        // The walker's addresses go through the A20 mask; cached translations made under the
        // other gate setting are dropped silently (a chipset event, not a guest TLB flush).
        mem.setA20Listener(this::dropAll);
        updateMasks();
    }

    public PhysicalMemory memory() {
        return mem;
    }

    public Tlb itlb() {
        return itlb;
    }

    public Tlb dtlb() {
        return dtlb;
    }

    public boolean pagingEnabled() {
        return pagingOn;
    }

    public int cr0() {
        return cr0;
    }

    public int cr3() {
        return cr3;
    }

    public int cr4() {
        return cr4;
    }

    // ---- control state, written by the CPU ----

    /** MOV to CR0 (PG and WP matter here); toggling PG flushes every TLB entry. */
    public void setCr0(int value) {
        boolean newPaging = (value & 0x8000_0000) != 0;
        if (newPaging != pagingOn) {
            if (pagingOn) {
                flushAll(); // counted: the guest turns paging off
            } else {
                dropAll(); // nothing can be cached while paging is off
            }
        }
        cr0 = value;
        pagingOn = newPaging;
        wp = (value & (1 << 16)) != 0;
        updateMasks();
        itlb.bumpEpoch();
    }

    /** MOV to CR3: flushes every non-global TLB entry. */
    public void setCr3(int value) {
        cr3 = value;
        if (pagingOn) {
            itlb.flushNonGlobal();
            dtlb.flushNonGlobal();
            itlb.count(TlbEvent.CR3_FLUSHES, cplClass);
            dtlb.count(TlbEvent.CR3_FLUSHES, cplClass);
            clock.cycles += costModel.cr3FlushCycles;
        }
    }

    /** MOV to CR4 (PSE, PGE matter here); toggling PGE flushes every TLB entry. */
    public void setCr4(int value) {
        boolean newPge = (value & (1 << 7)) != 0;
        cr4 = value;
        pse = (value & (1 << 4)) != 0;
        if (newPge != pge) {
            pge = newPge;
            flushAll();
        }
        itlb.bumpEpoch();
    }

    /** The CPU calls this whenever CPL changes; data accesses at CPL 3 are user accesses. */
    public void setCpl(int value) {
        cpl = value & 3;
        user = cpl == 3;
        cplClass = user ? 1 : 0;
        itlb.setCplClass(cplClass); // the hits from here on are this class's (Tlb.foldHits)
        dtlb.setCplClass(cplClass);
        updateMasks();
        itlb.bumpEpoch();
    }

    public int cpl() {
        return cpl;
    }

    private void updateMasks() {
        int dirtyWrite = Tlb.F_VALID | Tlb.F_NOT_DIRTY;
        sysWriteMask = wp ? dirtyWrite | Tlb.F_NOT_WRITABLE : dirtyWrite;
        if (user) {
            dataReadMask = Tlb.F_VALID | Tlb.F_NOT_USER;
            dataWriteMask = dirtyWrite | Tlb.F_NOT_USER | Tlb.F_NOT_WRITABLE;
            fetchMask = Tlb.F_VALID | Tlb.F_NOT_USER;
        } else {
            dataReadMask = SYS_READ_MASK;
            dataWriteMask = sysWriteMask;
            fetchMask = Tlb.F_VALID;
        }
    }

    /** INVLPG: drops the translation of the page holding {@code linear} from both TLBs. */
    public void invlpg(int linear) {
        itlb.invalidatePage(linear);
        dtlb.invalidatePage(linear);
        if (pagingOn) {
            itlb.count(TlbEvent.INVLPGS, cplClass);
            dtlb.count(TlbEvent.INVLPGS, cplClass);
            clock.cycles += costModel.invlpgCycles;
        }
    }

    /** Drops every cached translation (reset, PG/PGE toggle); counted and charged when paging is on. */
    public void flushAll() {
        dropAll();
        if (pagingOn) {
            itlb.count(TlbEvent.FULL_FLUSHES, cplClass);
            dtlb.count(TlbEvent.FULL_FLUSHES, cplClass);
            clock.cycles += costModel.fullFlushCycles;
        }
    }

    private void dropAll() {
        itlb.flushAll();
        dtlb.flushAll();
        itlb.bumpEpoch(); // also with nothing cached: the A20 gate changes fetch translations
    }

    /** Zeroes the counters of both TLBs (cached entries stay). */
    public void resetCounters() {
        itlb.resetCounters();
        dtlb.resetCounters();
    }

    /** A table of every counter, for {@code jx86 boot --stats}. */
    public String formatStats() {
        return TlbStatsFormatter.format(itlb, dtlb);
    }

    // ---- data accesses at the current CPL ----

    /**
     * For the trace runner's specialised loads: the physical address of a read at {@code la}
     * whose page offset is at most {@code lastOffset} (so it stays in one page) when it is a D-TLB
     * fast-array hit or paging is off, and the page is RAM (so the caller may use
     * {@link PhysicalMemory#ramRead32} and the like), counted exactly as {@link #read32} counts
     * it; -1 when the access must go through {@link #read32} (miss, rights, page end, not RAM).
     * Small on purpose, so HotSpot inlines it where read32 (with its slow path) is not.
     */
    public int readHit(int la, int lastOffset) {
        return dataHit(la, lastOffset, dataReadMask);
    }

    /**
     * As {@link #readHit} for a write (counted as {@link #write32} counts it); the caller stores
     * with {@link PhysicalMemory#ramStore32} and the like, which tell the code-write tracker.
     */
    public int writeHit(int la, int lastOffset) {
        return dataHit(la, lastOffset, dataWriteMask);
    }

    /**
     * The rest of {@link #read8} ({@code size} 1) or {@link #read32} (4) when the fast array did
     * not hit: paging off, the TLB miss, a page end, a page that is not RAM, a right missing.
     */
    private int readMissed(int la, int size) {
        if (!pagingOn) {
            return size == 4 ? mem.read32(la) : mem.read8(la);
        }
        return size == 4 ? readSlow(dtlb, la, 4, user) : mem.read8(translate(dtlb, la, false, user));
    }

    /** The rest of {@link #write8} or {@link #write32} when the fast array did not hit, as {@link #readMissed}. */
    private void writeMissed(int la, int size, int value) {
        if (!pagingOn) {
            if (size == 4) {
                mem.write32(la, value);
            } else {
                mem.write8(la, value);
            }
        } else if (size == 4) {
            writeSlow(la, 4, value, user);
        } else {
            mem.write8(translate(dtlb, la, true, user), value);
        }
    }

    private int dataHit(int la, int lastOffset, int rightsMask) {
        int pa = fastHit(la, lastOffset, rightsMask);
        return pa != -1 || pagingOn ? pa : physicalRam(la, lastOffset);
    }

    /** {@link #dataHit} with paging off: {@code la} after the A20 mask when that is RAM and the access stays in its page. */
    private int physicalRam(int la, int lastOffset) {
        int pa = la & mem.a20Mask();
        return (la & 0xFFF) <= lastOffset && mem.kindOf(pa) == PhysicalMemory.KIND_RAM ? pa : -1;
    }

    // The data accesses' hit path is built from methods of at most 35 bytes of bytecode (HotSpot's
    // MaxInlineSize), because C2 inlines a method of that size at every call site, also at one its
    // profile calls cold: a generated block compiled soon after its profiling started sees its
    // calls as cold, and a larger read32 or DecodeCache.load was then a call in one run and
    // inlined in the next (docs/performance.md, "Round 9: the TLB miss path"). The miss and
    // everything else rare is a call of its own (readMissed, writeMissed). MmuTest checks the sizes.

    /**
     * The physical address of an access at {@code la} whose page offset is at most
     * {@code lastOffset} when it hits the D-TLB's fast array with the rights in {@code rightsMask}
     * (counted: the LRU stamp), else -1. With paging off the fast array is empty (every
     * translation is dropped when paging is turned off, and nothing fills it until it is on).
     */
    private int fastHit(int la, int lastOffset, int rightsMask) {
        int e = dataEntry(la);
        if ((e & rightsMask) != Tlb.F_VALID || (la & 0xFFF) > lastOffset) {
            return -1;
        }
        return hitAt(e, la);
    }

    private int dataEntry(int la) {
        return dFast[la >>> 22][(la >>> 12) & 0x3FF];
    }

    /** Counts the hit on fast entry {@code e} and returns the physical address of {@code la} there (RAM, never -1). */
    private int hitAt(int e, int la) {
        dtlb.hitData(e);
        return (e & 0xFFFF_F000) | (la & 0xFFF);
    }

    private int readFast(int la, int lastOffset) {
        return fastHit(la, lastOffset, dataReadMask);
    }

    private int writeFast(int la, int lastOffset) {
        return fastHit(la, lastOffset, dataWriteMask);
    }

    public int read8(int la) {
        int pa = readFast(la, 0xFFF);
        if (pa == -1) {
            return readMissed(la, 1);
        }
        return mem.ramRead8(pa);
    }

    public int read16(int la) {
        if (pagingOn) {
            int e = dFast[la >>> 22][(la >>> 12) & 0x3FF];
            if ((e & dataReadMask) != Tlb.F_VALID || (la & 0xFFF) > 0xFFE) {
                return readSlow(dtlb, la, 2, user);
            }
            dtlb.hitData(e);
            return mem.ramRead16((e & 0xFFFF_F000) | (la & 0xFFF));
        }
        return mem.read16(la);
    }

    public int read32(int la) {
        int pa = readFast(la, 0xFFC);
        if (pa == -1) {
            return readMissed(la, 4);
        }
        return mem.ramRead32(pa);
    }

    public void write8(int la, int value) {
        int pa = writeFast(la, 0xFFF);
        if (pa == -1) {
            writeMissed(la, 1, value);
            return;
        }
        mem.ramStore8(pa, value);
    }

    public void write16(int la, int value) {
        if (pagingOn) {
            int e = dFast[la >>> 22][(la >>> 12) & 0x3FF];
            if ((e & dataWriteMask) != Tlb.F_VALID || (la & 0xFFF) > 0xFFE) {
                writeSlow(la, 2, value, user);
                return;
            }
            dtlb.hitData(e);
            mem.ramStore16((e & 0xFFFF_F000) | (la & 0xFFF), value);
            return;
        }
        mem.write16(la, value);
    }

    public void write32(int la, int value) {
        int pa = writeFast(la, 0xFFC);
        if (pa == -1) {
            writeMissed(la, 4, value);
            return;
        }
        mem.ramStore32(pa, value);
    }

    /**
     * Checks that {@code size} bytes at {@code la} are writable at the current CPL, faulting now
     * if not (for instructions that must not write partially, e.g. PUSHA, ENTER, far CALL frames).
     * Each page is translated as a write (so its D flag is set, as the following writes would).
     */
    public void checkWrite(int la, int size) {
        checkRange(la, size, true);
    }

    /** Checks that {@code size} bytes at {@code la} are readable at the current CPL. */
    public void checkRead(int la, int size) {
        checkRange(la, size, false);
    }

    private void checkRange(int la, int size, boolean write) {
        if (!pagingOn || size <= 0) {
            return;
        }
        int last = la + size - 1;
        if (((la ^ last) & ~0xFFF) == 0) {
            // One page: a fast-array hit is exactly the model hit translate() would count.
            int e = dFast[la >>> 22][(la >>> 12) & 0x3FF];
            if ((e & (write ? dataWriteMask : dataReadMask)) == Tlb.F_VALID) {
                dtlb.hitData(e);
                return;
            }
        }
        translate(dtlb, la, write, user);
        int pages = ((last >>> 12) - (la >>> 12)) & 0xFFFFF;
        for (int i = 1; i <= pages; i++) {
            translate(dtlb, ((la >>> 12) + i) << 12, write, user);
        }
    }

    /**
     * Translates one data access at the current CPL and returns the physical address of
     * {@code la} (counted like an access; faults like one). For string-instruction fast paths
     * that then touch the rest of the page through {@link PhysicalMemory}: a write must be
     * translated with {@code write = true} so the page's D flag is set.
     */
    public int translateData(int la, boolean write) {
        return pagingOn ? translate(dtlb, la, write, user) : la;
    }

    /**
     * For string-instruction fast paths: the physical address of {@code la} when a data access of
     * that kind at the current CPL would hit the D-TLB's fast array (with paging off: {@code la}),
     * else -1. Counts, stamps, faults and sets nothing; the caller accounts the accesses it then
     * makes with {@link #countDataHits}, and takes the normal path when this returns -1.
     */
    public int peekDataFast(int la, boolean write) {
        if (!pagingOn) {
            return la;
        }
        int e = dFast[la >>> 22][(la >>> 12) & 0x3FF];
        if ((e & (write ? dataWriteMask : dataReadMask)) != Tlb.F_VALID) {
            return -1;
        }
        return (e & 0xFFFF_F000) | (la & 0xFFF);
    }

    /**
     * Accounts {@code count} data accesses to the page of {@code la} after {@link #peekDataFast}
     * succeeded for it (and nothing changed the D-TLB since): the hit counter, LRU stamp and tick
     * end exactly as after {@code count} single accesses. Nothing with paging off.
     */
    public void countDataHits(int la, int count) {
        if (pagingOn && count > 0) {
            dtlb.hitsFast(dFast[la >>> 22][(la >>> 12) & 0x3FF], count);
        }
    }

    // ---- implicit supervisor accesses (descriptor tables, TSS), always as CPL 0 ----

    public int readSys8(int la) {
        return pagingOn ? mem.read8(translate(dtlb, la, false, false)) : mem.read8(la);
    }

    public int readSys16(int la) {
        if (pagingOn) {
            int e = dFast[la >>> 22][(la >>> 12) & 0x3FF];
            if ((e & SYS_READ_MASK) != Tlb.F_VALID || (la & 0xFFF) > 0xFFE) {
                return readSlow(dtlb, la, 2, false);
            }
            dtlb.hitData(e);
            return mem.ramRead16((e & 0xFFFF_F000) | (la & 0xFFF));
        }
        return mem.read16(la);
    }

    public int readSys32(int la) {
        if (pagingOn) {
            int e = dFast[la >>> 22][(la >>> 12) & 0x3FF];
            if ((e & SYS_READ_MASK) != Tlb.F_VALID || (la & 0xFFF) > 0xFFC) {
                return readSlow(dtlb, la, 4, false);
            }
            dtlb.hitData(e);
            return mem.ramRead32((e & 0xFFFF_F000) | (la & 0xFFF));
        }
        return mem.read32(la);
    }

    public void writeSys8(int la, int value) {
        if (pagingOn) {
            mem.write8(translate(dtlb, la, true, false), value);
        } else {
            mem.write8(la, value);
        }
    }

    public void writeSys16(int la, int value) {
        if (pagingOn) {
            writeSlow(la, 2, value, false);
        } else {
            mem.write16(la, value);
        }
    }

    public void writeSys32(int la, int value) {
        if (pagingOn) {
            writeSlow(la, 4, value, false);
        } else {
            mem.write32(la, value);
        }
    }

    // ---- instruction fetch at the current CPL ----

    public int fetch8(int la) {
        if (pagingOn) {
            int e = iFast[la >>> 22][(la >>> 12) & 0x3FF];
            if ((e & fetchMask) != Tlb.F_VALID) {
                return mem.read8(translate(itlb, la, false, user));
            }
            itlb.hitFast(e);
            la = (e & 0xFFFF_F000) | (la & 0xFFF);
        }
        return mem.read8(la);
    }

    /**
     * Translates {@code la} for an instruction fetch and returns the physical address (the CPU may
     * then read the rest of that page with {@link PhysicalMemory#read8}). Faults like a fetch.
     */
    public int translateFetch(int la) {
        if (!pagingOn) {
            return la;
        }
        int e = iFast[la >>> 22][(la >>> 12) & 0x3FF];
        if ((e & fetchMask) != Tlb.F_VALID) {
            int pa = translate(itlb, la, false, user);
            itlb.armRepeat(iFast[la >>> 22][(la >>> 12) & 0x3FF]); // translate() filled the fast entry
            return pa;
        }
        itlb.hitFast(e);
        itlb.armRepeat(e);
        return (e & 0xFFFF_F000) | (la & 0xFFF);
    }

    /**
     * Fetch-translation epoch: while it is unchanged, a translation returned by
     * {@link #translateFetch} for a page stays exactly what a new call would return, and
     * {@link #repeatFetchHits} may stand for that call. It changes with any I-TLB entry change,
     * CPL, CR0, CR4 or A20 change.
     */
    public int fetchEpoch() {
        return itlb.epoch;
    }

    /**
     * The physical frame {@link #translateFetch} would return for {@code la} (before the A20
     * mask) if it would hit the I-TLB without a fault, else -1; counts nothing. Besides the fast
     * array it looks at the model's entries: a 4 MiB entry fills the fast array one 4 KiB page at
     * a time, so a kernel mapped with large pages reaches a new code page of a cached entry often
     * (kbench: about 550,000 times a run), and the trace runner need not leave that fetch to the
     * decoder.
     */
    public int peekFetchHit(int la) {
        if (!pagingOn) {
            return la & ~0xFFF;
        }
        int e = iFast[la >>> 22][(la >>> 12) & 0x3FF];
        if ((e & fetchMask) == Tlb.F_VALID) {
            return e & 0xFFFF_F000;
        }
        int slot = itlb.lookup(la);
        if (slot < 0) {
            return -1;
        }
        int f = itlb.flags(slot);
        if (!Paging.allowed((f & Tlb.E_USER) != 0, (f & Tlb.E_WRITABLE) != 0, false, user, wp)) {
            return -1; // translateFetch would fault (and drop the entry): the decoder's business
        }
        return itlb.physical(slot, la) & ~0xFFF;
    }

    /**
     * Counts what {@code n} calls of {@link #translateFetch} would count for the page it translated
     * last, without translating: n I-TLB hits (with their LRU effect), folded into the model
     * lazily. Only valid while {@link #fetchEpoch} is unchanged since that call.
     */
    public void repeatFetchHits(int n) {
        if (pagingOn) {
            itlb.pendingHits += n;
        }
    }

    // ---- for debuggers, the firmware and tests: translate without side effects ----

    /** The physical address of {@code la}, or -1 if not mapped; sets no A/D bits, counts nothing. */
    public long peekTranslate(int la) {
        if (!pagingOn) {
            return la & 0xFFFF_FFFFL;
        }
        return paging.peek(cr3, la, pse);
    }

    // ---- slow path ----

    private int readSlow(Tlb tlb, int la, int size, boolean asUser) {
        int pa = translate(tlb, la, false, asUser);
        int inPage = 0x1000 - (la & 0xFFF);
        if (inPage >= size) {
            return size == 2 ? mem.read16(pa) : mem.read32(pa);
        }
        int pa2 = translate(tlb, la + inPage, false, asUser);
        int value = 0;
        for (int i = 0; i < size; i++) {
            int b = i < inPage ? mem.read8(pa + i) : mem.read8(pa2 + i - inPage);
            value |= b << (8 * i);
        }
        return value;
    }

    private void writeSlow(int la, int size, int value, boolean asUser) {
        int pa = translate(dtlb, la, true, asUser);
        int inPage = 0x1000 - (la & 0xFFF);
        if (inPage >= size) {
            if (size == 2) {
                mem.write16(pa, value);
            } else {
                mem.write32(pa, value);
            }
            return;
        }
        // Both pages are translated before the first byte is stored.
        int pa2 = translate(dtlb, la + inPage, true, asUser);
        for (int i = 0; i < size; i++) {
            mem.write8(i < inPage ? pa + i : pa2 + i - inPage, value >>> (8 * i));
        }
    }

    /**
     * The model's path: TLB lookup (counted), rights check against the cached rights, dirty-bit
     * assist, or miss and walk. Returns the physical address or throws #PF.
     */
    private int translate(Tlb tlb, int la, boolean write, boolean asUser) {
        int slot = tlb.lookup(la);
        if (slot >= 0) {
            tlb.hit(slot);
            int f = tlb.flags(slot);
            if (!Paging.allowed((f & Tlb.E_USER) != 0, (f & Tlb.E_WRITABLE) != 0, write, asUser, wp)) {
                // Faults come from the cached rights; the entry is then dropped (SDM 4.10.4.1), so a
                // stale read-only entry faults at most once.
                tlb.invalidateSlot(slot);
                tlb.count(TlbEvent.PAGE_FAULTS, cplClass);
                throw CpuFault.pageFault(Paging.PF_P | (write ? Paging.PF_W : 0) | (asUser ? Paging.PF_U : 0), la);
            }
            if (!write || (f & Tlb.E_DIRTY) != 0) {
                fill(tlb, slot, la);
                return tlb.physical(slot, la);
            }
            // First write through an entry with D clear: walk again to set D in memory.
            tlb.invalidateSlot(slot);
            tlb.count(TlbEvent.WALKS, cplClass);
        } else {
            tlb.countMissAndWalk(cplClass);
        }
        return walkAndFill(tlb, la, write, asUser);
    }

    /** The walk (counted by the caller), the insert and the fast entry. */
    private int walkAndFill(Tlb tlb, int la, boolean write, boolean asUser) {
        int w = paging.walkPacked(cr3, la, write, asUser, wp, pse, pge);
        clock.cycles += (long) Paging.refs(w) * costModel.walkAccessCycles;
        if ((w & Paging.W_FAULT) != 0) {
            tlb.count(TlbEvent.PAGE_FAULTS, cplClass);
            throw CpuFault.pageFault(w >>> Paging.W_ERROR_SHIFT, la);
        }
        boolean large = (w & Paging.W_LARGE) != 0;
        int frame = w & Paging.W_FRAME;
        int pa = frame | (la & (large ? 0x3F_FFFF : 0xFFF));
        // fill() in one pass with the insert
        tlb.insertAndFill(la, large, frame, w & Paging.W_FLAGS, cplClass, fastMask(tlb, pa));
        return pa;
    }

    /**
     * Publishes a translation the model now holds to the TLB's fast array. The instruction TLB's
     * entries hold any page (the fetch path routes its reads itself); the data TLB's hold RAM pages
     * only, with the frame after the A20 mask, so that a data hit can read and write the RAM
     * array directly. A data page that is not RAM gets no fast entry (and loses any other slot's),
     * so each access to it takes {@link #translate}, which counts it as the same hit. Page kinds are
     * fixed once the machine is built, and the A20 gate drops every entry when it changes.
     */
    private void fill(Tlb tlb, int slot, int la) {
        tlb.publish(slot, la, fastMask(tlb, tlb.physical(slot, la)));
    }

    /**
     * The frame mask of {@code tlb}'s fast entry for a page at physical {@code pa} (see
     * {@link #fill}): -1 for the instruction TLB, the A20 mask for a data page in RAM, 0 (no fast
     * entry) for any other data page.
     */
    private int fastMask(Tlb tlb, int pa) {
        if (tlb == itlb) {
            return -1;
        }
        return mem.kindOf(pa) == PhysicalMemory.KIND_RAM ? mem.a20Mask() : 0;
    }
}
