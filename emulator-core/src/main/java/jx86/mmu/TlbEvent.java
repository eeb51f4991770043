package jx86.mmu;

/**
 * The events each modelled TLB counts, separately for supervisor (CPL 0-2) and user (CPL 3) code.
 * The ordinal is the counter index used by {@link Tlb#counter} and by {@link PerfCounterDevice}.
 */
public enum TlbEvent {
    /** A lookup found a matching entry (including dirty-bit assists and stale-rights faults). */
    HITS("hits"),
    /** A lookup found no entry; a page walk follows. */
    MISSES("misses"),
    /** Page walks: one per miss, plus one per write hitting an entry whose D flag is still clear. */
    WALKS("page walks"),
    /** #PF raised for an access through this TLB (not present, reserved bit, or protection). */
    PAGE_FAULTS("page faults"),
    /** A valid entry replaced by a fill (LRU victim). Invalidations do not count. */
    EVICTIONS("evictions"),
    /** Flushes of every entry: CR0.PG 1-to-0, CR4.PGE toggle, {@link Mmu#flushAll}. */
    FULL_FLUSHES("full flushes"),
    /** MOV to CR3 with paging on: every non-global entry dropped. */
    CR3_FLUSHES("CR3 flushes (global kept)"),
    /** INVLPG instructions executed with paging on (operations, not entries dropped). */
    INVLPGS("INVLPG");

    /** Number of events; counters are stored as {@code event * 2 + (user ? 1 : 0)}. */
    public static final int COUNT = values().length;

    private final String label;

    TlbEvent(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
