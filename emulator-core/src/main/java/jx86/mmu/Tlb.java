package jx86.mmu;

import java.util.Arrays;

/**
 * One translation lookaside buffer (the instruction or the data TLB) as an architectural model:
 * set-associative arrays for 4 KiB and 4 MiB pages with true-LRU replacement, the combined access
 * rights, global and dirty state of each entry, and per-CPL-class event counters (SDM Vol. 3A
 * 4.10.2 "Translation Lookaside Buffers", 4.10.4 "Invalidation").
 *
 * <p>An entry is never refreshed from memory behind the guest's back: a page-table change without
 * INVLPG or CR3 reload keeps the old translation until the entry is evicted, exactly as on
 * hardware. That is the behaviour courses want to show.
 *
 * <p>Next to the model sits the fast array {@link #fast}: one int per 4 KiB linear page, holding
 * {@code physicalPage | slot << 4 | flags} for pages the model currently holds. It is two-level
 * (1024 chunks of 1024 entries, one chunk per 4 MiB of linear space) so that a machine's memory
 * grows with what its guest maps rather than by a fixed 4 MiB per TLB: chunks are allocated on
 * first fill, and the others all share one chunk of zeros that is never written. The invariant is
 * that every non-zero fast entry names a valid model slot that translates that page; every
 * eviction or invalidation clears the fast entries of the slot first. A hit through the fast array
 * still updates the model's LRU stamp and hit counter, so the fast path cannot hide anything.
 * (The converse does not hold: the MMU leaves pages without a fast entry where it wants every
 * access to take the model's path, e.g. data pages that are not RAM.)
 *
 * <p>NOT modelled: paging-structure caches (PDE cache), PCIDs, the TLB's physical timing.
 */
public final class Tlb {
    // ---- fast-entry bits: an access is allowed when (entry & accessMask) == F_VALID ----
    static final int F_VALID = 1;
    static final int F_NOT_USER = 2;
    static final int F_NOT_WRITABLE = 4;
    static final int F_NOT_DIRTY = 8;
    static final int F_SLOT_SHIFT = 4;

    // ---- model entry flags ----
    static final int E_USER = 1;
    static final int E_WRITABLE = 2;
    static final int E_DIRTY = 4;
    static final int E_GLOBAL = 8;

    private static final int INVALID = -1;

    private final String name;
    private final TlbGeometry geometry;
    private final int sets4k;
    private final int ways4k;
    private final int sets4m;
    private final int ways4m;
    /** First slot of the 4 MiB array; slots below it are 4 KiB entries. */
    private final int base4m;

    /** Linear page number (4 KiB slots) or linear bits 31:22 (4 MiB slots); -1 when empty. */
    private final int[] tag;
    /** Physical base address of the page (4 KiB or 4 MiB aligned). */
    private final int[] frame;
    private final int[] flags;
    /**
     * LRU stamps: the tick of the slot's last use; an empty slot holds {@link #emptyStamp}, below
     * every tick and ordered by slot, so that the victim is simply the slot with the smallest
     * value (the first empty way, else the least recently used), found without a data-dependent
     * branch: on a random walk over many pages the old "empty? older?" branches were mispredicted
     * on most misses.
     */
    private final long[] lru;
    private long tick;
    /**
     * For each 4 MiB slot, a bitmap of the 1024 fast entries of its region that may point at it
     * (bit {@code p & 63} of word {@code (slot - base4m) * 16 + (p >>> 6)} for 4 KiB page p of the
     * region): fillFast sets a bit, and invalidating the slot clears only the entries whose bits
     * are set instead of scanning all 1024. A kernel mapped with non-global 4 MiB pages has them
     * dropped on every CR3 write (kbench: 80,000 times), and touches only a few of their pages in
     * between. A superset: a bit may stay set for an entry a 4 KiB fill has since taken over.
     */
    private final long[] bigFilled;

    /** The fast translation array, by linear page {@code fast[page >>> 10][page & 0x3FF]}; see the class comment. Read directly by {@link Mmu}. */
    final int[][] fast = new int[1024][];
    /** The shared all-zero chunk of the 4 MiB regions never filled. */
    private final int[] emptyChunk = new int[1024];
    /** Counters indexed {@code event * 2 + cplClass} (cplClass 0 = CPL 0-2, 1 = CPL 3). */
    private final long[] counters = new long[TlbEvent.COUNT * 2];

    /**
     * Deferred hits (see {@link #armRepeat}): {@code pendingHits} hits on {@code pendingSlot} by
     * {@code pendingClass} that are not yet in {@link #lru}/{@link #counters}. Every method that
     * reads or changes the model or the counters first folds them in ({@link #settle}), so nothing
     * outside can tell deferred hits from hits counted one by one.
     */
    private int pendingSlot;
    private int pendingClass;
    int pendingHits;
    /**
     * Bumped by every change of the model's entries (insert, invalidation, flush) and by the MMU
     * when the rights an access is checked against change (CPL, CR0, CR4). A user of
     * {@link #armRepeat} keeps a translation only while this is unchanged.
     */
    int epoch;

    public Tlb(String name, TlbGeometry geometry) {
        this.name = name;
        this.geometry = geometry;
        this.sets4k = geometry.sets4k();
        this.ways4k = geometry.ways4k();
        this.sets4m = geometry.sets4m();
        this.ways4m = geometry.ways4m();
        this.base4m = geometry.entries4k();
        int total = geometry.entries4k() + geometry.entries4m();
        tag = new int[total];
        frame = new int[total];
        flags = new int[total];
        lru = new long[total];
        bigFilled = new long[geometry.entries4m() * 16];
        Arrays.fill(tag, INVALID);
        for (int i = 0; i < total; i++) {
            lru[i] = emptyStamp(i);
        }
        Arrays.fill(fast, emptyChunk);
    }

    public String name() {
        return name;
    }

    public TlbGeometry geometry() {
        return geometry;
    }

    // ---- counters ----

    /** The counter of {@code event} for supervisor ({@code user == false}) or user code. */
    public long counter(TlbEvent event, boolean user) {
        settle();
        return counters[event.ordinal() * 2 + (user ? 1 : 0)];
    }

    /** Supervisor plus user count of {@code event}. */
    public long total(TlbEvent event) {
        settle();
        return counters[event.ordinal() * 2] + counters[event.ordinal() * 2 + 1];
    }

    /** Zeroes every counter of this TLB (entries are kept). */
    public void resetCounters() {
        settle();
        Arrays.fill(counters, 0);
    }

    void count(TlbEvent event, int cplClass) {
        settle();
        counters[event.ordinal() * 2 + cplClass]++;
    }

    /** Fast-path hit: LRU stamp and hit counter of the slot named by a fast entry. */
    void hitFast(int fastEntry, int cplClass) {
        hitsFast(fastEntry, cplClass, 1);
    }

    /** {@code n} hits on {@code slot}: the LRU stamp and hit counter exactly as n single hits leave them. */
    private void addHits(int slot, int cplClass, int n) {
        tick += n;
        lru[slot] = tick;
        counters[cplClass] += n; // TlbEvent.HITS has ordinal 0
    }

    /**
     * {@link #hitFast} for a TLB that never defers hits (the MMU defers only instruction-fetch
     * hits, see {@link #armRepeat}): the data path's per-access cost without the settle test.
     */
    void hitData(int fastEntry, int cplClass) {
        addHits((fastEntry >>> F_SLOT_SHIFT) & 0xFF, cplClass, 1);
    }

    /**
     * Makes the slot named by {@code fastEntry} the target of later deferred hits: each
     * {@code pendingHits++} then stands for one {@link #hitFast} of that entry by
     * {@code cplClass}, valid while {@link #epoch} is unchanged.
     */
    void armRepeat(int fastEntry, int cplClass) {
        settle();
        pendingSlot = (fastEntry >>> F_SLOT_SHIFT) & 0xFF;
        pendingClass = cplClass;
    }

    /** Folds deferred hits into the LRU stamps and the hit counter, exactly as single hits would. */
    void settle() {
        int n = pendingHits;
        if (n != 0) {
            pendingHits = 0;
            addHits(pendingSlot, pendingClass, n);
        }
    }

    /** Invalidates deferred-hit users' cached translations (rights changed outside the model). */
    void bumpEpoch() {
        settle();
        epoch++;
    }

    /**
     * {@code count} fast-path hits on the slot named by a fast entry, leaving exactly what that many
     * {@link #hitFast} calls would: the slot stamped newest, the tick advanced by {@code count}.
     */
    void hitsFast(int fastEntry, int cplClass, int count) {
        settle();
        addHits((fastEntry >>> F_SLOT_SHIFT) & 0xFF, cplClass, count);
    }

    // ---- lookup and fill ----

    /** The slot translating {@code la} (4 KiB array first, then 4 MiB), or -1. Counts nothing. */
    int lookup(int la) {
        settle();
        int vpn = la >>> 12;
        int first = (vpn & (sets4k - 1)) * ways4k;
        for (int s = first; s < first + ways4k; s++) {
            if (tag[s] == vpn) {
                return s;
            }
        }
        int big = la >>> 22;
        first = base4m + (big & (sets4m - 1)) * ways4m;
        for (int s = first; s < first + ways4m; s++) {
            if (tag[s] == big) {
                return s;
            }
        }
        return -1;
    }

    /** Marks {@code slot} most recently used and counts a hit. */
    void hit(int slot, int cplClass) {
        settle();
        addHits(slot, cplClass, 1);
    }

    int flags(int slot) {
        return flags[slot];
    }

    boolean isLarge(int slot) {
        return slot >= base4m;
    }

    /** Physical address of {@code la} through {@code slot}. */
    int physical(int slot, int la) {
        return frame[slot] | (la & (slot >= base4m ? 0x3F_FFFF : 0xFFF));
    }

    /**
     * Caches a walk result for the page holding {@code la}, replacing the least recently used
     * entry of its set (counted as an eviction when that entry was valid). Returns the slot.
     */
    int insert(int la, boolean large, int physBase, int entryFlags, int cplClass) {
        settle();
        epoch++;
        int key = large ? la >>> 22 : la >>> 12;
        int first = large ? base4m + (key & (sets4m - 1)) * ways4m : (key & (sets4k - 1)) * ways4k;
        int ways = large ? ways4m : ways4k;
        // the smallest stamp: the first empty way, else the least recently used (stamps are unique)
        int victim = first;
        long oldest = lru[first];
        for (int s = first + 1; s < first + ways; s++) {
            long l = lru[s];
            victim = l < oldest ? s : victim;
            oldest = Math.min(l, oldest);
        }
        if (tag[victim] != INVALID) {
            count(TlbEvent.EVICTIONS, cplClass);
            invalidateSlot(victim);
        }
        tag[victim] = key;
        frame[victim] = physBase;
        flags[victim] = entryFlags;
        lru[victim] = ++tick;
        return victim;
    }

    /** Publishes the translation of the 4 KiB page holding {@code la} through {@code slot} to the fast array. */
    void fillFast(int slot, int la) {
        fillFast(slot, la, -1);
    }

    /** {@link #fillFast(int, int)} with the physical page ANDed with {@code frameMask}. */
    void fillFast(int slot, int la, int frameMask) {
        int f = flags[slot];
        int bits = F_VALID | slot << F_SLOT_SHIFT
                | ((f & E_USER) == 0 ? F_NOT_USER : 0)
                | ((f & E_WRITABLE) == 0 ? F_NOT_WRITABLE : 0)
                | ((f & E_DIRTY) == 0 ? F_NOT_DIRTY : 0);
        int[] chunk = fast[la >>> 22];
        if (chunk == emptyChunk) {
            chunk = new int[1024];
            fast[la >>> 22] = chunk;
        }
        int index = (la >>> 12) & 0x3FF;
        chunk[index] = (physical(slot, la) & frameMask & 0xFFFF_F000) | bits;
        if (slot >= base4m) {
            bigFilled[(slot - base4m) * 16 + (index >>> 6)] |= 1L << index;
        }
    }

    /**
     * Leaves the 4 KiB page holding {@code la} without a fast entry (the model may still hold it:
     * then every access takes the model's path), so that no entry of another slot stays there.
     */
    void clearFast(int la) {
        int[] chunk = fast[la >>> 22];
        if (chunk != emptyChunk) {
            chunk[(la >>> 12) & 0x3FF] = 0;
        }
    }

    /** The fast entry of linear page {@code page} (0 when the model holds no translation for it). */
    int fastEntry(int page) {
        return fast[page >>> 10][page & 0x3FF];
    }

    // ---- invalidation ----

    /** Empties one slot and clears every fast entry that points at it. */
    void invalidateSlot(int slot) {
        int t = tag[slot];
        if (t == INVALID) {
            return;
        }
        settle();
        epoch++;
        if (slot >= base4m) {
            int firstPage = t << 10;
            int words = (slot - base4m) * 16;
            for (int w = words; w < words + 16; w++) {
                for (long bits = bigFilled[w]; bits != 0; bits &= bits - 1) {
                    clearFastIfSlot(firstPage + (w - words) * 64 + Long.numberOfTrailingZeros(bits), slot);
                }
                bigFilled[w] = 0;
            }
        } else {
            clearFastIfSlot(t, slot);
        }
        tag[slot] = INVALID;
        lru[slot] = emptyStamp(slot);
    }

    /** The LRU value of an empty slot: below every tick (ticks start at 1), lower for a lower slot. */
    private static long emptyStamp(int slot) {
        return Long.MIN_VALUE + slot;
    }

    private void clearFastIfSlot(int page, int slot) {
        int[] chunk = fast[page >>> 10];
        int e = chunk[page & 0x3FF];
        if (e != 0 && ((e >>> F_SLOT_SHIFT) & 0xFF) == slot) {
            chunk[page & 0x3FF] = 0;               // never the shared empty chunk: its entries are 0
        }
    }

    /** INVLPG semantics: drops the 4 KiB and the 4 MiB translation of the page holding {@code la}. */
    void invalidatePage(int la) {
        int slot;
        while ((slot = lookup(la)) >= 0) {
            invalidateSlot(slot);
        }
    }

    /** Drops every entry. */
    void flushAll() {
        for (int s = 0; s < tag.length; s++) {
            invalidateSlot(s);
        }
    }

    /** MOV-to-CR3 semantics: drops every entry not marked global. */
    void flushNonGlobal() {
        for (int s = 0; s < tag.length; s++) {
            if ((flags[s] & E_GLOBAL) == 0) {
                invalidateSlot(s);
            }
        }
    }

    /** Number of valid entries (for tests and statistics). */
    public int validEntries() {
        settle();
        int n = 0;
        for (int t : tag) {
            if (t != INVALID) {
                n++;
            }
        }
        return n;
    }

    /** True when the model holds a translation for the page containing {@code la}. */
    public boolean holds(int la) {
        return lookup(la) >= 0;
    }
}
