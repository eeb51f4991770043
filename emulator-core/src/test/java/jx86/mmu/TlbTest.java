package jx86.mmu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TlbTest {
    /** 4 KiB: 8 entries 4-way = 2 sets (set = page number bit 0); 4 MiB: 2 entries 2-way = 1 set. */
    private final Tlb tlb = new Tlb("test", new TlbGeometry(8, 4, 2, 2));

    private static int page(int n) {
        return n << 12;
    }

    private int fill(int la, int flags) {
        int slot = tlb.insert(la, false, 0x0030_0000 + (la & 0xF000), flags, 0);
        tlb.fillFast(slot, la);
        return slot;
    }

    @Test
    void fastArray_growsOnlyWithTheRegionsFilled() {
        // one chunk of zeros shared by all 1024 regions of 4 MiB until a fill touches one
        assertThat(java.util.Arrays.stream(tlb.fast).distinct().count()).isEqualTo(1);
        fill(0x0040_1000, 0);
        fill(0x0040_3000, 0);
        fill(0xC000_0000, 0);
        assertThat(java.util.Arrays.stream(tlb.fast).distinct().count()).isEqualTo(3);
        assertThat(tlb.fastEntry(0x0040_1000 >>> 12) & Tlb.F_VALID).isEqualTo(Tlb.F_VALID);
        assertThat(tlb.fastEntry(0x0080_1000 >>> 12)).isZero();
    }

    @Test
    void lru_fullSet_evictsLeastRecentlyUsedInOrder() {
        for (int i = 0; i < 4; i++) {
            fill(page(2 * i), Tlb.E_WRITABLE); // pages 0, 2, 4, 6: all in set 0
        }
        tlb.hit(tlb.lookup(page(0))); // order oldest->newest: 2, 4, 6, 0
        fill(page(8), 0);
        assertThat(tlb.holds(page(2))).isFalse();
        assertThat(tlb.holds(page(0))).isTrue();
        fill(page(10), 0);
        assertThat(tlb.holds(page(4))).isFalse();
        assertThat(tlb.holds(page(6))).isTrue();
        fill(page(12), 0);
        assertThat(tlb.holds(page(6))).isFalse();
        assertThat(tlb.total(TlbEvent.EVICTIONS)).isEqualTo(3);
    }

    @Test
    void lru_victimIsTheLeastRecentlyUsedAfterEveryOrderOfHits() {
        int[][] orders = permutations(new int[] {0, 1, 2, 3});
        for (int[] order : orders) {
            Tlb t = new Tlb("test", new TlbGeometry(8, 4, 2, 2));
            for (int i = 0; i < 4; i++) {
                t.fillFast(t.insert(page(2 * i), false, 0x0030_0000, 0, 0), page(2 * i));
            }
            for (int way : order) {
                t.hit(t.lookup(page(2 * way)));
            }
            t.insert(page(8), false, 0x0030_0000, 0, 0);
            for (int i = 0; i < 4; i++) {
                assertThat(t.holds(page(2 * i))).as("order %s, page %d", java.util.Arrays.toString(order), 2 * i)
                        .isEqualTo(i != order[0]);
            }
            assertThat(t.total(TlbEvent.EVICTIONS)).isEqualTo(1);
        }
        assertThat(orders.length).isEqualTo(24);
    }

    private static int[][] permutations(int[] a) {
        if (a.length == 1) {
            return new int[][] {a};
        }
        java.util.List<int[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            int[] rest = new int[a.length - 1];
            for (int j = 0, k = 0; j < a.length; j++) {
                if (j != i) {
                    rest[k++] = a[j];
                }
            }
            for (int[] p : permutations(rest)) {
                int[] full = new int[a.length];
                full[0] = a[i];
                System.arraycopy(p, 0, full, 1, p.length);
                out.add(full);
            }
        }
        return out.toArray(new int[0][]);
    }

    @Test
    void lru_emptyWaysAreTakenLowestFirstWithoutEviction_evenWhenOlderValidWaysExist() {
        int[] slots = new int[4];
        for (int i = 0; i < 4; i++) {
            slots[i] = fill(page(2 * i), 0); // set 0, oldest -> newest: 0, 2, 4, 6
        }
        tlb.invalidatePage(page(6));
        tlb.invalidatePage(page(2));      // empty: the ways of pages 2 and 6; page 0 is the oldest valid one
        assertThat(fill(page(8), 0)).isEqualTo(slots[1]);
        assertThat(fill(page(10), 0)).isEqualTo(slots[3]);
        assertThat(tlb.total(TlbEvent.EVICTIONS)).isZero();
        assertThat(tlb.holds(page(0))).isTrue();
        assertThat(fill(page(12), 0)).isEqualTo(slots[0]); // full again: page 0 is the least recently used
        assertThat(tlb.total(TlbEvent.EVICTIONS)).isEqualTo(1);
        tlb.flushAll();
        assertThat(fill(page(14), 0)).isEqualTo(slots[0]); // all empty: the first way
        assertThat(fill(page(16), 0)).isEqualTo(slots[1]);
        assertThat(tlb.total(TlbEvent.EVICTIONS)).isEqualTo(1);
    }

    @Test
    void lru_otherSetIsUnaffected() {
        fill(page(1), 0);
        for (int i = 0; i < 5; i++) {
            fill(page(2 * i), 0);
        }
        assertThat(tlb.holds(page(1))).isTrue();
        assertThat(tlb.validEntries()).isEqualTo(5);
    }

    @Test
    void fastHit_updatesLruLikeAModelHit() {
        for (int i = 0; i < 4; i++) {
            fill(page(2 * i), 0);
        }
        tlb.setCplClass(1);
        tlb.hitFast(tlb.fastEntry(0)); // touch page 0 through the fast array, from user code
        fill(page(8), 0);
        assertThat(tlb.holds(page(0))).isTrue();
        assertThat(tlb.holds(page(2))).isFalse();
        assertThat(tlb.counter(TlbEvent.HITS, true)).isEqualTo(1);
    }

    @Test
    void deferredHits_countAndAgeLikeSingleHits() {
        for (int i = 0; i < 4; i++) {
            fill(page(2 * i), 0); // set 0, oldest -> newest: 0, 2, 4, 6
        }
        tlb.setCplClass(1);
        tlb.armRepeat(tlb.fastEntry(0));
        tlb.pendingHits += 5; // five repeated hits on page 0 by user code
        tlb.setCplClass(0);
        tlb.hitFast(tlb.fastEntry(2)); // then one supervisor hit on page 2: order 4, 6, 0, 2
        fill(page(8), 0);
        assertThat(tlb.holds(page(4))).isFalse();
        assertThat(tlb.holds(page(0))).isTrue();
        fill(page(10), 0);
        assertThat(tlb.holds(page(6))).isFalse();
        assertThat(tlb.holds(page(0))).isTrue();
        assertThat(tlb.counter(TlbEvent.HITS, true)).isEqualTo(5);
        assertThat(tlb.counter(TlbEvent.HITS, false)).isEqualTo(1);
    }

    @Test
    void deferredHits_areVisibleToCountersAndSurviveNoReset() {
        fill(page(0), 0);
        tlb.armRepeat(tlb.fastEntry(0));
        tlb.pendingHits += 3;
        assertThat(tlb.total(TlbEvent.HITS)).isEqualTo(3);
        tlb.pendingHits += 2;
        tlb.resetCounters();
        assertThat(tlb.total(TlbEvent.HITS)).isZero();
    }

    /**
     * Hits are counted from the LRU tick (every tick is a hit or an insert) and given to the CPL
     * class set last: a random mix of hits, deferred hits, inserts, evictions, class changes,
     * counter reads and resets against counts kept here one by one.
     */
    @Test
    void hitCounters_perClass_matchHitsCountedOneByOne() {
        java.util.Random rnd = new java.util.Random(23);
        long[] hits = new long[2];
        long checks = 0;
        int cls = 0;
        for (int i = 0; i < 4; i++) {
            fill(page(i), 0);
        }
        for (int step = 0; step < 20_000; step++) {
            int page = rnd.nextInt(12);
            switch (rnd.nextInt(8)) {
                case 0 -> {
                    cls = rnd.nextInt(2);
                    tlb.setCplClass(cls);
                }
                case 1 -> {
                    if (!tlb.holds(page(page))) {
                        fill(page(page), 0); // an insert, maybe an eviction: no hit
                    }
                }
                case 2 -> {
                    int e = tlb.fastEntry(page);
                    if (e != 0) {
                        int n = rnd.nextInt(4);
                        tlb.armRepeat(e);
                        tlb.pendingHits += n;
                        hits[cls] += n;
                    }
                }
                case 3 -> {
                    assertThat(tlb.counter(TlbEvent.HITS, false)).as("step %d", step).isEqualTo(hits[0]);
                    assertThat(tlb.counter(TlbEvent.HITS, true)).as("step %d", step).isEqualTo(hits[1]);
                    checks += hits[0] > 0 && hits[1] > 0 ? 1 : 0;
                }
                case 4 -> {
                    if (rnd.nextInt(50) == 0) {
                        tlb.resetCounters();
                        hits[0] = 0;
                        hits[1] = 0;
                    }
                }
                case 5 -> {
                    int slot = tlb.lookup(page(page));
                    if (slot >= 0) {
                        tlb.hit(slot);
                        hits[cls]++;
                    }
                }
                default -> {
                    int e = tlb.fastEntry(page);
                    if (e != 0) {
                        tlb.hitData(e);
                        hits[cls]++;
                    }
                }
            }
        }
        assertThat(tlb.counter(TlbEvent.HITS, false)).isEqualTo(hits[0]);
        assertThat(tlb.counter(TlbEvent.HITS, true)).isEqualTo(hits[1]);
        assertThat(tlb.total(TlbEvent.HITS)).isEqualTo(hits[0] + hits[1]);
        assertThat(checks).isGreaterThan(1000); // compared often with hits of both classes counted
    }

    @Test
    void epoch_changesWithEveryEntryChange() {
        int e0 = tlb.epoch;
        fill(page(0), 0);
        int e1 = tlb.epoch;
        tlb.invalidatePage(page(0));
        int e2 = tlb.epoch;
        tlb.invalidatePage(page(0)); // nothing held: no change
        assertThat(e1).isNotEqualTo(e0);
        assertThat(e2).isNotEqualTo(e1);
        assertThat(tlb.epoch).isEqualTo(e2);
    }

    @Test
    void eviction_clearsTheFastEntryOfTheVictim() {
        for (int i = 0; i < 5; i++) {
            fill(page(2 * i), 0);
        }
        assertThat(tlb.fastEntry(0)).isZero();
        assertThat(tlb.fastEntry(8) & Tlb.F_VALID).isEqualTo(Tlb.F_VALID);
    }

    @Test
    void fastEntry_encodesFrameAndMissingRights() {
        int slot = fill(page(3), Tlb.E_USER);
        int e = tlb.fastEntry(3);
        assertThat(e & 0xFFFF_F000).isEqualTo(0x0030_3000);
        assertThat(e & 0xF).isEqualTo(Tlb.F_VALID | Tlb.F_NOT_WRITABLE | Tlb.F_NOT_DIRTY);
        assertThat((e >>> Tlb.F_SLOT_SHIFT) & 0xFF).isEqualTo(slot);
    }

    @Test
    void largeEntry_coversWholeFourMiBAndInvalidationClearsAllItsFastEntries() {
        int slot = tlb.insert(0x00C0_0000, true, 0x0080_0000, Tlb.E_WRITABLE | Tlb.E_DIRTY, 0);
        assertThat(tlb.lookup(0x00FF_FFFF)).isEqualTo(slot);
        assertThat(tlb.physical(slot, 0x00D2_3456)).isEqualTo(0x0092_3456);
        tlb.fillFast(slot, 0x00C0_1000);
        tlb.fillFast(slot, 0x00FF_F000);
        assertThat(tlb.fastEntry(0x00FF_F000 >>> 12) & 0xFFFF_F000).isEqualTo(0x00BF_F000);
        tlb.invalidatePage(0x00E0_0000);
        assertThat(tlb.fastEntry(0x00C0_1000 >>> 12)).isZero();
        assertThat(tlb.fastEntry(0x00FF_F000 >>> 12)).isZero();
        assertThat(tlb.validEntries()).isZero();
    }

    /**
     * A 4 MiB slot's invalidation visits only the fast entries filled through it (a bitmap, round
     * 5 of docs/performance.md): every one filled must be cleared, wherever it lies in the region,
     * and an entry a 4 KiB translation took over must stay.
     */
    @Test
    void largeEntry_invalidationClearsEveryFilledEntryAndOnlyItsOwn() {
        int[] pages = {0, 1, 63, 64, 65, 127, 128, 500, 511, 512, 960, 1022, 1023};
        for (int round = 0; round < 2; round++) { // the second round reuses the slot: bitmap was reset
            int big = tlb.insert(0x0400_0000, true, 0x0080_0000, Tlb.E_WRITABLE | Tlb.E_DIRTY, 0);
            for (int p : pages) {
                tlb.fillFast(big, 0x0400_0000 + page(p));
            }
            int small = fill(0x0400_0000 + page(500), Tlb.E_WRITABLE); // takes page 500's fast entry over
            for (int p : pages) {
                assertThat(tlb.fastEntry((0x0400_0000 >>> 12) + p) & Tlb.F_VALID).as("page %d", p).isEqualTo(Tlb.F_VALID);
            }
            tlb.invalidateSlot(big);
            for (int p = 0; p < 1024; p++) {
                int e = tlb.fastEntry((0x0400_0000 >>> 12) + p);
                if (p == 500) {
                    assertThat((e >>> Tlb.F_SLOT_SHIFT) & 0xFF).as("page 500, the 4 KiB entry").isEqualTo(small);
                } else {
                    assertThat(e).as("page %d", p).isZero();
                }
            }
            assertThat(tlb.holds(0x0400_0000 + page(500))).isTrue();
            assertThat(tlb.holds(0x0400_0000 + page(501))).isFalse();
            tlb.invalidateSlot(small);
            assertThat(tlb.fastEntry((0x0400_0000 >>> 12) + 500)).isZero();
        }
    }

    @Test
    void largeEntry_flushNonGlobalClearsTheFastEntriesOfBothLargeSlots() {
        int a = tlb.insert(0x0800_0000, true, 0x0080_0000, 0, 0);
        int b = tlb.insert(0x0C00_0000, true, 0x00C0_0000, 0, 0);
        tlb.fillFast(a, 0x0800_0000 + page(7));
        tlb.fillFast(b, 0x0C00_0000 + page(1000));
        tlb.flushNonGlobal();
        assertThat(tlb.fastEntry((0x0800_0000 >>> 12) + 7)).isZero();
        assertThat(tlb.fastEntry((0x0C00_0000 >>> 12) + 1000)).isZero();
        // refilled after the flush: the stale bits of the old round must not matter
        int c = tlb.insert(0x0800_0000, true, 0x0100_0000, 0, 0);
        tlb.fillFast(c, 0x0800_0000 + page(8));
        assertThat(tlb.fastEntry((0x0800_0000 >>> 12) + 8) & 0xFFFF_F000).isEqualTo(0x0100_8000);
        assertThat(tlb.fastEntry((0x0800_0000 >>> 12) + 7)).isZero();
        tlb.flushAll();
        assertThat(tlb.fastEntry((0x0800_0000 >>> 12) + 8)).isZero();
    }

    @Test
    void invalidatePage_dropsBothPageSizes() {
        fill(0x00C0_1000, 0);
        tlb.insert(0x00C0_0000, true, 0x0080_0000, 0, 0);
        tlb.invalidatePage(0x00C0_1234);
        assertThat(tlb.validEntries()).isZero();
    }

    @Test
    void flushNonGlobal_keepsOnlyGlobalEntries() {
        fill(page(1), Tlb.E_GLOBAL);
        fill(page(2), 0);
        tlb.insert(0x0800_0000, true, 0x0080_0000, 0, 0);
        tlb.flushNonGlobal();
        assertThat(tlb.holds(page(1))).isTrue();
        assertThat(tlb.holds(page(2))).isFalse();
        assertThat(tlb.fastEntry(2)).isZero();
        assertThat(tlb.validEntries()).isEqualTo(1);
        tlb.flushAll();
        assertThat(tlb.validEntries()).isZero();
        assertThat(tlb.fastEntry(1)).isZero();
    }

    /**
     * The flushes visit only the valid slots (Tlb.live); they must leave what invalidating every
     * slot in order leaves, in a TLB of more than 64 slots (two words of the bitmap): the same
     * entries, fast entries and counters, and the same victims, hits and misses afterwards. Random
     * fills (4 KiB and 4 MiB, some global), hits and INVLPGs, then a CR3-style or full flush, on
     * the TLB under test and on a reference flushed slot by slot.
     */
    @Test
    void flushes_leaveWhatInvalidatingEverySlotLeaves() {
        TlbGeometry g = new TlbGeometry(128, 4, 8, 4); // slots 0-127 4 KiB, 128-135 4 MiB
        java.util.Random random = new java.util.Random(23);
        for (int round = 0; round < 40; round++) {
            Tlb fast = new Tlb("fast", g);
            Tlb reference = new Tlb("reference", g);
            long seed = random.nextLong();
            churn(fast, new java.util.Random(seed));
            churn(reference, new java.util.Random(seed));
            boolean all = round % 4 == 3;
            if (all) {
                fast.flushAll();
            } else {
                fast.flushNonGlobal();
            }
            for (int s = 0; s < g.entries4k() + g.entries4m(); s++) {
                if (all || (reference.flags(s) & Tlb.E_GLOBAL) == 0) {
                    reference.invalidateSlot(s);
                }
            }
            assertSameTlb(fast, reference, "round " + round + ", after the flush");
            long after = random.nextLong();
            churn(fast, new java.util.Random(after));
            churn(reference, new java.util.Random(after));
            assertSameTlb(fast, reference, "round " + round + ", refilled");
        }
    }

    /** 300 random fills, fast-path hits and INVLPGs over 256 pages (8 per set: evictions) of 4 KiB and 4 regions of 4 MiB. */
    private static void churn(Tlb t, java.util.Random r) {
        for (int i = 0; i < 300; i++) {
            boolean large = r.nextInt(6) == 0;
            int la = large ? r.nextInt(4) << 22 | r.nextInt(1024) << 12 : (0x0100_0000 | r.nextInt(256) << 12);
            int slot = t.lookup(la);
            int op = r.nextInt(8);
            if (op == 0) {
                t.invalidatePage(la);
            } else if (slot >= 0) {
                t.publish(slot, la, -1);
                t.hitFast(t.fastEntry(la >>> 12));
            } else {
                t.count(TlbEvent.MISSES, 0);
                int flags = Tlb.E_WRITABLE | (r.nextInt(3) == 0 ? Tlb.E_GLOBAL : 0);
                t.insertAndFill(la, large, large ? la & 0xFFC0_0000 : la, flags, 0, -1);
            }
        }
    }

    private static void assertSameTlb(Tlb a, Tlb b, String at) {
        for (TlbEvent ev : TlbEvent.values()) {
            assertThat(a.total(ev)).as(at + ": " + ev).isEqualTo(b.total(ev));
        }
        assertThat(a.validEntries()).as(at + ": valid entries").isEqualTo(b.validEntries());
        for (int region = 0; region < 4; region++) {
            for (int p = 0; p < 1024; p++) {
                int page = region << 10 | p;
                assertThat(a.fastEntry(page)).as(at + ": fast entry of page " + page).isEqualTo(b.fastEntry(page));
                assertThat(a.lookup(page << 12)).as(at + ": slot of page " + page).isEqualTo(b.lookup(page << 12));
            }
        }
        for (int p = 0; p < 256; p++) {
            int la = 0x0100_0000 | p << 12;
            assertThat(a.fastEntry(la >>> 12)).as(at + ": fast entry at " + Integer.toHexString(la)).isEqualTo(b.fastEntry(la >>> 12));
            assertThat(a.lookup(la)).as(at + ": slot at " + Integer.toHexString(la)).isEqualTo(b.lookup(la));
        }
    }

    @Test
    void resetCounters_zeroesCountersButKeepsEntries() {
        fill(page(1), 0);
        tlb.count(TlbEvent.MISSES, 0);
        tlb.resetCounters();
        assertThat(tlb.total(TlbEvent.MISSES)).isZero();
        assertThat(tlb.holds(page(1))).isTrue();
    }
}
