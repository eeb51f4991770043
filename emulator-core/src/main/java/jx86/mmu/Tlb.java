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
 * still updates the model's LRU stamp and so its hit count, so the fast path cannot hide anything.
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
     * Inserts so far: every tick is a hit or an insert, so {@code tick - inserts} is the number of
     * hits ever counted, and a hit only advances the tick (see {@link #foldHits}).
     */
    private long inserts;
    /** {@code tick - inserts} when the hits were last folded into {@link #counters}. */
    private long hitsFolded;
    /** The CPL class the hits since {@link #hitsFolded} belong to ({@link #setCplClass}). */
    private int hitClass;
    /**
     * For each 4 MiB slot, a bitmap of the 1024 fast entries of its region that may point at it
     * (bit {@code p & 63} of word {@code (slot - base4m) * 16 + (p >>> 6)} for 4 KiB page p of the
     * region): fillFast sets a bit, and invalidating the slot clears only the entries whose bits
     * are set instead of scanning all 1024. A kernel mapped with non-global 4 MiB pages has them
     * dropped on every CR3 write (kbench: 80,000 times), and touches only a few of their pages in
     * between. A superset: a bit may stay set for an entry a 4 KiB fill has since taken over.
     */
    private final long[] bigFilled;
    /**
     * Number of valid 4 MiB entries: while it is 0 (a guest mapped with 4 KiB pages only), a lookup
     * that misses the 4 KiB array skips the 4 MiB set.
     */
    private int bigValid;
    /**
     * The valid slots, bit {@code s & 63} of word {@code s >>> 6} for slot s: a flush visits only
     * these (kbench: about 3 of the D-TLB's 72 slots and 2 of the I-TLB's 34 are valid at each of
     * its 80,000 CR3 loads per run, docs/performance.md, "Round 10: TLB flushes and the x87 save").
     */
    private final long[] live;

    /** The fast translation array, by linear page {@code fast[page >>> 10][page & 0x3FF]}; see the class comment. Read directly by {@link Mmu}. */
    final int[][] fast = new int[1024][];
    /** The shared all-zero chunk of the 4 MiB regions never filled. */
    private final int[] emptyChunk = new int[1024];
    /** Counters indexed {@code event * 2 + cplClass} (cplClass 0 = CPL 0-2, 1 = CPL 3). */
    private final long[] counters = new long[TlbEvent.COUNT * 2];

    /**
     * Deferred hits (see {@link #armRepeat}): {@code pendingHits} hits on {@code pendingSlot} that
     * are not yet in {@link #lru} and the tick. Every method that reads or changes the LRU stamps,
     * the tick or the hit counters first folds them in ({@link #settle}), so nothing outside can
     * tell deferred hits from hits counted one by one. (The tags, frames and flags, and every
     * counter but the hits, which are derived from the tick, do not depend on them: a lookup and
     * the other counts need no fold, which keeps three tests off the data TLB's miss path.)
     */
    private int pendingSlot;
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
        live = new long[(total + 63) >>> 6];
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
        foldHits();
        return counters[event.ordinal() * 2 + (user ? 1 : 0)];
    }

    /** Supervisor plus user count of {@code event}. */
    public long total(TlbEvent event) {
        foldHits();
        return counters[event.ordinal() * 2] + counters[event.ordinal() * 2 + 1];
    }

    /** Zeroes every counter of this TLB (entries are kept). */
    public void resetCounters() {
        foldHits();
        Arrays.fill(counters, 0);
    }

    /**
     * The CPL class (0 = CPL 0-2, 1 = CPL 3) that hits from now on are counted for: the MMU calls
     * this at every CPL change, and every hit in between belongs to the class set here.
     */
    void setCplClass(int cplClass) {
        foldHits();
        hitClass = cplClass;
    }

    /**
     * Adds the hits since the last fold to the current class's hit counter. A hit is not counted
     * where it happens (that was a counter load, add and store under every access): it only
     * advances the tick, and every tick that is not an insert is a hit.
     */
    private void foldHits() {
        settle();
        long hits = tick - inserts;
        counters[hitClass] += hits - hitsFolded; // TlbEvent.HITS has ordinal 0
        hitsFolded = hits;
    }

    void count(TlbEvent event, int cplClass) {
        counters[event.ordinal() * 2 + cplClass]++;
    }

    private static final int C_MISSES = TlbEvent.MISSES.ordinal() * 2;
    private static final int C_WALKS = TlbEvent.WALKS.ordinal() * 2;
    private static final int C_EVICTIONS = TlbEvent.EVICTIONS.ordinal() * 2;

    /** A lookup that found nothing and the walk that follows it: {@code count(MISSES)} plus {@code count(WALKS)}. */
    void countMissAndWalk(int cplClass) {
        counters[C_MISSES + cplClass]++;
        counters[C_WALKS + cplClass]++;
    }

    /** Fast-path hit: LRU stamp (and so the hit count) of the slot named by a fast entry. */
    void hitFast(int fastEntry) {
        hitsFast(fastEntry, 1);
    }

    /**
     * {@code n} hits on {@code slot}: the LRU stamp and tick exactly as n single hits leave them,
     * which also counts them (see {@link #foldHits}).
     */
    private void addHits(int slot, int n) {
        tick += n;
        lru[slot] = tick;
    }

    /**
     * {@link #hitFast} for a TLB that never defers hits (the MMU defers only instruction-fetch
     * hits, see {@link #armRepeat}): the data path's per-access cost without the settle test.
     */
    void hitData(int fastEntry) {
        addHits((fastEntry >>> F_SLOT_SHIFT) & 0xFF, 1);
    }

    /**
     * Makes the slot named by {@code fastEntry} the target of later deferred hits: each
     * {@code pendingHits++} then stands for one {@link #hitFast} of that entry, valid while
     * {@link #epoch} is unchanged.
     */
    void armRepeat(int fastEntry) {
        settle();
        pendingSlot = (fastEntry >>> F_SLOT_SHIFT) & 0xFF;
    }

    /** Folds deferred hits into the LRU stamps and the tick, exactly as single hits would. */
    void settle() {
        int n = pendingHits;
        if (n != 0) {
            pendingHits = 0;
            addHits(pendingSlot, n);
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
    void hitsFast(int fastEntry, int count) {
        settle();
        addHits((fastEntry >>> F_SLOT_SHIFT) & 0xFF, count);
    }

    // ---- lookup and fill ----

    /** The slot translating {@code la} (4 KiB array first, then 4 MiB), or -1. Counts nothing. */
    int lookup(int la) {
        int vpn = la >>> 12;
        int s = find(vpn, (vpn & (sets4k - 1)) * ways4k, ways4k);
        if (s >= 0) {
            return s;
        }
        if (bigValid == 0) {
            return -1;
        }
        int big = la >>> 22;
        return find(big, base4m + (big & (sets4m - 1)) * ways4m, ways4m);
    }

    /** The way of the set at {@code first} whose tag is {@code key}, or -1 (a set holds {@code ways} slots). */
    private int find(int key, int first, int ways) {
        int[] t = tag;
        if (ways == 4) { // the P6 geometries: straight-line code instead of C2's pre/main/post loops
            int hit = t[first + 3] == key ? first + 3 : -1;
            hit = t[first + 2] == key ? first + 2 : hit;
            hit = t[first + 1] == key ? first + 1 : hit;
            return t[first] == key ? first : hit;
        }
        for (int s = first; s < first + ways; s++) {
            if (t[s] == key) {
                return s;
            }
        }
        return -1;
    }

    /** Marks {@code slot} most recently used and counts a hit. */
    void hit(int slot) {
        settle();
        addHits(slot, 1);
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
        return insert(la, large, physBase, entryFlags, cplClass, 0, false);
    }

    /**
     * {@link #insert(int, boolean, int, int, int)} and then the page's fast entry in the same pass
     * (the TLB miss path), as {@link #publish} does it.
     */
    int insertAndFill(int la, boolean large, int physBase, int entryFlags, int cplClass, int frameMask) {
        return insert(la, large, physBase, entryFlags, cplClass, frameMask, true);
    }

    private int insert(int la, boolean large, int physBase, int entryFlags, int cplClass, int frameMask,
            boolean publish) {
        settle();
        epoch++;
        int key = large ? la >>> 22 : la >>> 12;
        int first = large ? base4m + (key & (sets4m - 1)) * ways4m : (key & (sets4k - 1)) * ways4k;
        int ways = large ? ways4m : ways4k;
        int victim = victim(first, ways);
        int old = tag[victim];
        if (old != INVALID) {
            counters[C_EVICTIONS + cplClass]++;
            dropFast(victim, old); // settled and epoch bumped above; the stamp is overwritten below
        } else if (large) {
            bigValid++;
        }
        tag[victim] = key;
        live[victim >>> 6] |= 1L << victim;
        frame[victim] = physBase;
        flags[victim] = entryFlags;
        lru[victim] = ++tick;
        inserts++; // this tick is no hit (foldHits)
        if (publish) { // with the values at hand, not read back from the arrays
            publish(victim, la, physBase | (la & (large ? 0x3F_FFFF : 0xFFF)), entryFlags, frameMask);
        }
        return victim;
    }

    /**
     * The slot of the set at {@code first} with the smallest stamp: the first empty way, else the
     * least recently used (stamps are unique), chosen with conditional moves, not branches.
     */
    private int victim(int first, int ways) {
        long[] l = lru;
        if (ways == 4) { // the P6 geometries: straight-line code instead of C2's pre/main/post loops
            long a = l[first];
            long b = l[first + 1];
            long c = l[first + 2];
            long d = l[first + 3];
            int ab = b < a ? first + 1 : first;
            int cd = d < c ? first + 3 : first + 2;
            return Math.min(c, d) < Math.min(a, b) ? cd : ab;
        }
        int victim = first;
        long oldest = l[first];
        for (int s = first + 1; s < first + ways; s++) {
            long v = l[s];
            victim = v < oldest ? s : victim;
            oldest = Math.min(v, oldest);
        }
        return victim;
    }

    /** Publishes the translation of the 4 KiB page holding {@code la} through {@code slot} to the fast array. */
    void fillFast(int slot, int la) {
        fillFast(slot, la, -1);
    }

    /**
     * The page's fast entry for {@code slot}: {@link #fillFast(int, int, int)} with {@code frameMask},
     * or with 0 none ({@link #clearFast}).
     */
    void publish(int slot, int la, int frameMask) {
        publish(slot, la, physical(slot, la), flags[slot], frameMask);
    }

    /** {@link #publish(int, int, int)} for {@code slot} at physical {@code pa} with flags {@code entryFlags}. */
    private void publish(int slot, int la, int pa, int entryFlags, int frameMask) {
        if (frameMask != 0) {
            writeFast(slot, la, pa & frameMask, entryFlags);
        } else {
            clearFast(la);
        }
    }

    /** {@link #fillFast(int, int)} with the physical page ANDed with {@code frameMask}. */
    void fillFast(int slot, int la, int frameMask) {
        writeFast(slot, la, physical(slot, la) & frameMask, flags[slot]);
    }

    /** The fast entry of the 4 KiB page holding {@code la}: {@code slot}, whose flags are {@code entryFlags}, at physical {@code pa}. */
    private void writeFast(int slot, int la, int pa, int entryFlags) {
        // F_NOT_USER, F_NOT_WRITABLE, F_NOT_DIRTY are E_USER, E_WRITABLE, E_DIRTY inverted, one bit up
        int bits = F_VALID | slot << F_SLOT_SHIFT | (~entryFlags & (E_USER | E_WRITABLE | E_DIRTY)) << 1;
        int[] chunk = fast[la >>> 22];
        if (chunk == emptyChunk) {
            chunk = new int[1024];
            fast[la >>> 22] = chunk;
        }
        int index = (la >>> 12) & 0x3FF;
        chunk[index] = (pa & 0xFFFF_F000) | bits;
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
        dropFast(slot, t);
        if (slot >= base4m) {
            bigValid--;
        }
        tag[slot] = INVALID;
        live[slot >>> 6] &= ~(1L << slot);
        lru[slot] = emptyStamp(slot);
    }

    /** Clears every fast entry that points at {@code slot}, whose tag is {@code t} (not yet changed). */
    private void dropFast(int slot, int t) {
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
        flush(true);
    }

    /** MOV-to-CR3 semantics: drops every entry not marked global. */
    void flushNonGlobal() {
        flush(false);
    }

    /**
     * Invalidates the valid slots ({@link #live}) in slot order, the global ones too when
     * {@code all}: what invalidating every slot does, without visiting the empty ones.
     */
    private void flush(boolean all) {
        for (int w = 0; w < live.length; w++) {
            for (long bits = live[w]; bits != 0; bits &= bits - 1) {
                int s = w << 6 | Long.numberOfTrailingZeros(bits);
                if (all || (flags[s] & E_GLOBAL) == 0) {
                    invalidateSlot(s);
                }
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
