package jx86.mmu;

import static jx86.mmu.PageTables.A;
import static jx86.mmu.PageTables.D;
import static jx86.mmu.PageTables.P;
import static jx86.mmu.PageTables.RW;
import static jx86.mmu.PageTables.US;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import jx86.clock.VirtualClock;
import jx86.memory.PhysicalMemory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The D-TLB miss path (lookup, walk, A/D write-back, victim, fill) against references written
 * here: an LRU model of the TLB for the counters, the page-table memory itself for the A/D writes
 * (a page marked as holding code gets a new generation exactly when something writes it), and
 * devices or unassigned space holding the page tables.
 */
class TlbMissPathTest {
    static final int PG = 0x8000_0000;
    static final int PE = 1;
    static final int PSE = 1 << 4;

    private final PhysicalMemory mem = PageTables.newMemory();
    private final PageTables pt = new PageTables(mem);
    private final VirtualClock clock = new VirtualClock();

    private Mmu pagingOn(Mmu mmu, int cr4) {
        mmu.setCr3(PageTables.DIR);
        mmu.setCr4(cr4);
        mmu.setCr0(PG | PE);
        return mmu;
    }

    /** Generation of the page holding {@code pa}, after marking it as code again (a write clears the mark). */
    private int generation(int pa) {
        return mem.codeWrites().generations()[pa >>> 12];
    }

    private void watch(int pa) {
        mem.codeWrites().markCodePage(pa >>> 12);
    }

    @Test
    void walk_writesAccessedAndDirtyBackOnlyWhenTheyChange() {
        int la = 0x0080_3000;
        pt.map4k(la, 0x0030_0000, P | RW, P | RW);             // A and D clear in both entries
        int pdeAddr = pt.pdeAddr(la);
        int pteAddr = pt.pteAddr(la);
        Mmu mmu = pagingOn(new Mmu(mem, clock), 0);
        int dirGen = generation(pdeAddr);
        int tableGen = generation(pteAddr);
        watch(pdeAddr);
        watch(pteAddr);

        mmu.read32(la);                                        // sets A in the PDE and in the PTE
        assertThat(generation(pdeAddr)).isEqualTo(dirGen + 1);
        assertThat(generation(pteAddr)).isEqualTo(tableGen + 1);
        assertThat(pt.pde(la) & (A | D)).isEqualTo(A);
        assertThat(pt.pte(la) & (A | D)).isEqualTo(A);

        watch(pdeAddr);
        watch(pteAddr);
        mmu.invlpg(la);
        mmu.read32(la);                                        // A already set: the walk only reads
        assertThat(generation(pdeAddr)).isEqualTo(dirGen + 1);
        assertThat(generation(pteAddr)).isEqualTo(tableGen + 1);

        mmu.write32(la, 5);                                    // D clear in the entry: walk again, set D
        assertThat(generation(pdeAddr)).as("the PDE has no D flag to set").isEqualTo(dirGen + 1);
        assertThat(generation(pteAddr)).isEqualTo(tableGen + 2);
        assertThat(pt.pte(la) & (A | D)).isEqualTo(A | D);
        assertThat(pt.pde(la) & (A | D)).isEqualTo(A);

        watch(pteAddr);
        mmu.invlpg(la);
        mmu.write32(la, 6);                                    // A and D set: nothing written
        mmu.read32(la + 4);
        assertThat(generation(pteAddr)).isEqualTo(tableGen + 2);
        assertThat(mmu.dtlb().total(TlbEvent.WALKS)).isEqualTo(4);
        assertThat(mmu.dtlb().total(TlbEvent.MISSES)).isEqualTo(3);
        assertThat(mmu.dtlb().total(TlbEvent.HITS)).isEqualTo(2);
        // references: 2 reads + 2 A writes, 2 reads, 2 reads + D write, 2 reads; 25 cycles each
        assertThat(clock.cycles).isEqualTo((4 + 2 + 3 + 2) * 25L + 2 * 12);
    }

    @Test
    void largePage_setsAccessedAndDirtyInThePdeOnlyWhenTheyChange() {
        int la = 0x00C0_1234;
        pt.map4m(la, 0x0080_0000, P | RW);
        int pdeAddr = pt.pdeAddr(la);
        Mmu mmu = pagingOn(new Mmu(mem, clock), PSE);
        int gen = generation(pdeAddr);
        watch(pdeAddr);
        mmu.read32(la);
        assertThat(pt.pde(la) & (A | D)).isEqualTo(A);
        assertThat(generation(pdeAddr)).isEqualTo(gen + 1);
        watch(pdeAddr);
        mmu.write32(la, 1);                                    // dirty assist: D set in the PDE
        assertThat(pt.pde(la) & (A | D)).isEqualTo(A | D);
        assertThat(generation(pdeAddr)).isEqualTo(gen + 2);
        watch(pdeAddr);
        mmu.invlpg(la);
        mmu.write32(la, 2);
        assertThat(generation(pdeAddr)).isEqualTo(gen + 2);
        assertThat(mem.read32(0x0080_1234)).isEqualTo(2);
    }

    @Test
    void pseOff_aPdeWithPsSetIsATablePointer() {
        int la = 0x00C0_5000;
        // PS set, but with CR4.PSE = 0 the PDE points at a page table (bits 31:12)
        int table = 0x0020_0000;
        mem.write32(pt.pdeAddr(la), table | P | RW | PageTables.PS);
        mem.write32(table + 4 * 5, 0x0031_0000 | P | RW | A | D);
        mem.write32(0x0031_0010, 0xCAFE);
        Mmu mmu = pagingOn(new Mmu(mem, clock), 0);
        assertThat(mmu.read32(la + 0x10)).isEqualTo(0xCAFE);
        int slot = mmu.dtlb().lookup(la);
        assertThat(slot).isNotNegative();
        assertThat(mmu.dtlb().isLarge(slot)).isFalse();
        assertThat(mmu.dtlb().lookup(la + 0x1000)).as("a 4 KiB entry covers one page").isNegative();
    }

    @Test
    void pageTableInMmio_isReadThroughTheDeviceAndAccessedIsWrittenToIt() {
        List<String> seen = new ArrayList<>();
        int table = 0xE000_0000;
        mem.registerMmio(table, 0x1000, "page-table device", new jx86.bus.MmioDevice() {
            @Override
            public int mmioRead(int address, int size) {
                seen.add(String.format("r%d %08x", size, address));
                return 0x0030_0000 | P | RW;                       // A clear
            }

            @Override
            public void mmioWrite(int address, int size, int value) {
                seen.add(String.format("w%d %08x=%08x", size, address, value));
            }
        });
        int la = 0x0800_7010;
        pt.setPde(la, table | P | RW | A);
        mem.write32(0x0030_0010, 0x1234_5678);
        Mmu mmu = pagingOn(new Mmu(mem, clock), 0);
        assertThat(mmu.read32(la)).isEqualTo(0x1234_5678);
        assertThat(mmu.read32(la)).isEqualTo(0x1234_5678);     // a hit: no walk
        assertThat(seen).containsExactly("r4 e000001c", "w4 e000001c=00300023");
        assertThat(clock.cycles).isEqualTo(3 * 25);
    }

    @Test
    void pageTableInUnassignedSpace_readsAllOnes_soThePageIsTheTopOfTheBiosAlias() {
        int la = 0x0800_0000;
        pt.setPde(la, 0x8000_0000 | P | RW | A);                // 16 MiB of RAM: nothing at 2 GiB
        mem.poke8(PhysicalMemory.BIOS_ALIAS_BASE + 0x1F123, 0x5A); // ROM byte seen at 0xFFFFF123
        Mmu mmu = pagingOn(new Mmu(mem, clock), 0);
        assertThat(mmu.read8(la + 0x123)).isEqualTo(0x5A);
        assertThat(mmu.peekTranslate(la + 0x123)).isEqualTo(-1L); // the debugger's walk never reads there
        assertThat(mmu.readHit(la, 0xFFC)).as("ROM gets no data fast entry").isEqualTo(-1);
        assertThat(mmu.dtlb().total(TlbEvent.WALKS)).isEqualTo(1);
        assertThat(mmu.dtlb().total(TlbEvent.HITS)).isZero();
    }

    @Test
    void pteWrittenThroughTheFastPath_isSeenByTheNextWalk() {
        int la = 0x0800_0000;
        int tableWindow = 0x0900_0000;                          // the page table, mapped for the guest
        pt.map4k(la, 0x0030_0000, P | RW | A | D);
        int pteAddr = pt.pteAddr(la);
        pt.map4k(tableWindow, pteAddr & ~0xFFF, P | RW | A | D);
        mem.write32(0x0030_0000, 111);
        mem.write32(0x0031_0000, 222);
        Mmu mmu = pagingOn(new Mmu(mem, clock), 0);
        assertThat(mmu.read32(la)).isEqualTo(111);
        mmu.write32(tableWindow + (pteAddr & 0xFFF), 0x0031_0000 | P | RW | A | D);
        mmu.write32(tableWindow + (pteAddr & 0xFFF) + 4, 0);     // a second store: now a fast-array hit
        assertThat(mmu.read32(la)).as("cached until INVLPG").isEqualTo(111);
        mmu.invlpg(la);
        assertThat(mmu.read32(la)).isEqualTo(222);
    }

    @Test
    void largeEntries_areFoundWhileAnyIsValid_andNotAfterTheLastIsDropped() {
        Tlb t = new Tlb("test", new TlbGeometry(8, 4, 4, 2));     // 4 MiB: two sets of two ways
        int a = 0x0040_0000;                                       // set 1
        int b = 0x0080_0000;                                       // set 0
        int c = 0x0100_0000;                                       // set 0
        int e = 0x0180_0000;                                       // set 0: evicts b
        t.insert(a, true, 0x0040_0000, 0, 0);
        t.insert(0x0123_4000, false, 0x0030_0000, 0, 0);
        t.insert(b, true, 0x0080_0000, 0, 0);
        t.insert(c, true, 0x0100_0000, 0, 0);
        t.insert(e, true, 0x0180_0000, 0, 0);
        assertThat(t.lookup(b + 0x5000)).isNegative();
        assertThat(t.lookup(a + 0x5000)).isNotNegative();
        assertThat(t.lookup(c + 0x5000)).isNotNegative();
        assertThat(t.lookup(e + 0x5000)).isNotNegative();
        t.invalidatePage(c);
        t.invalidatePage(e);
        assertThat(t.lookup(a + 0x3F_F000)).as("the last large entry").isNotNegative();
        t.invalidatePage(a + 0x1000);
        assertThat(t.lookup(a)).isNegative();
        assertThat(t.lookup(0x0123_4000)).as("4 KiB entries unaffected").isNotNegative();
        t.insert(b, true, 0x0080_0000, 0, 0);                    // after the count fell to 0
        assertThat(t.lookup(b + 0x20_0000)).isNotNegative();
        t.flushAll();
        t.insert(c, true, 0x0100_0000, 0, 0);
        assertThat(t.lookup(c)).isNotNegative();
        assertThat(t.lookup(b)).isNegative();
        assertThat(t.validEntries()).isEqualTo(1);
    }

    /**
     * A random stream of reads and writes over 4 KiB pages (more than the TLB holds) and 4 MiB
     * pages, on TLBs of several geometries (4-way sets take the straight-line lookup and victim
     * code, the others the loops), against an LRU model written here: hits, misses, walks and
     * evictions equal, every value read back as written, the walks' cycles charged.
     */
    @ParameterizedTest
    @ValueSource(strings = {"64/4 8/4", "64/8 8/2", "16/1 4/4", "32/2 2/1", "128/4 64/4"})
    void randomStream_countersEqualAnLruReferenceAndValuesRoundTrip(String dtlb) {
        String[] g = dtlb.split("[ /]");
        TlbGeometry geometry = new TlbGeometry(Integer.parseInt(g[0]), Integer.parseInt(g[1]),
                Integer.parseInt(g[2]), Integer.parseInt(g[3]));
        int smallBase = 0x1000_0000;                            // 300 pages -> physical 4 MiB + page
        int smallPages = 300;
        for (int i = 0; i < smallPages; i++) {
            pt.map4k(smallBase + (i << 12), 0x0040_0000 + (i << 12), P | RW | US | A | D, P | RW | US | A);
        }
        int bigBase = 0x4000_0000;                              // 3 large pages -> physical 8, 12, 4 MiB
        int[] bigFrames = {0x0080_0000, 0x00C0_0000, 0x0040_0000};
        for (int i = 0; i < bigFrames.length; i++) {
            pt.map4m(bigBase + (i << 22), bigFrames[i], P | RW | US | A | D);
        }
        Mmu mmu = pagingOn(new Mmu(mem, clock, TlbGeometry.P6_ITLB, geometry, CostModel.defaults()), PSE);
        LruReference ref = new LruReference(geometry);
        Map<Integer, Integer> shadow = new HashMap<>();
        Random rnd = new Random(23);
        for (int n = 0; n < 20_000; n++) {
            int la;
            int pa;
            boolean large = rnd.nextInt(4) == 0;
            if (large) {
                int i = rnd.nextInt(bigFrames.length);
                int off = rnd.nextInt(1 << 20) << 2;
                la = bigBase + (i << 22) + off;
                pa = bigFrames[i] + off;
            } else {
                int i = rnd.nextInt(rnd.nextBoolean() ? 40 : smallPages);   // a hot set and the rest
                int off = rnd.nextInt(1024) << 2;
                la = smallBase + (i << 12) + off;
                pa = 0x0040_0000 + (i << 12) + off;
            }
            ref.access(la, large);
            if (rnd.nextBoolean()) {
                int v = rnd.nextInt();
                mmu.write32(la, v);
                shadow.put(pa, v);
            } else {
                assertThat(mmu.read32(la)).as("read of %08x", la).isEqualTo(shadow.getOrDefault(pa, mem.read32(pa)));
            }
        }
        Tlb t = mmu.dtlb();
        assertThat(t.total(TlbEvent.HITS)).isEqualTo(ref.hits);
        assertThat(t.total(TlbEvent.MISSES)).isEqualTo(ref.misses);
        assertThat(t.total(TlbEvent.WALKS)).isEqualTo(ref.misses);
        assertThat(t.total(TlbEvent.EVICTIONS)).isEqualTo(ref.evictions);
        assertThat(t.validEntries()).isEqualTo(ref.held());
        assertThat(ref.misses).as("the stream must miss often").isGreaterThan(3_000);
        assertThat(clock.cycles).isEqualTo(ref.walkReferences * 25L);
        for (Map.Entry<Integer, Integer> e : shadow.entrySet()) {
            assertThat(mem.read32(e.getKey())).isEqualTo(e.getValue());
        }
    }

    /** True-LRU sets, the most recently used first; entries already hold A and D (no assists). */
    private static final class LruReference {
        final int sets4k;
        final int ways4k;
        final int sets4m;
        final int ways4m;
        final List<Deque<Integer>> small = new ArrayList<>();
        final List<Deque<Integer>> big = new ArrayList<>();
        long hits;
        long misses;
        long evictions;
        long walkReferences;

        LruReference(TlbGeometry g) {
            sets4k = g.sets4k();
            ways4k = g.ways4k();
            sets4m = g.sets4m();
            ways4m = g.ways4m();
            for (int i = 0; i < sets4k; i++) {
                small.add(new ArrayDeque<>());
            }
            for (int i = 0; i < sets4m; i++) {
                big.add(new ArrayDeque<>());
            }
        }

        void access(int la, boolean large) {
            Deque<Integer> s = small.get((la >>> 12) & (sets4k - 1));
            Deque<Integer> b = big.get((la >>> 22) & (sets4m - 1));
            if (touch(s, la >>> 12) || touch(b, la >>> 22)) {
                hits++;
                return;
            }
            misses++;
            walkReferences += large ? 1 : 2;
            Deque<Integer> set = large ? b : s;
            if (set.size() == (large ? ways4m : ways4k)) {
                set.removeLast();
                evictions++;
            }
            set.addFirst(large ? la >>> 22 : la >>> 12);
        }

        private static boolean touch(Deque<Integer> set, int tag) {
            if (set.remove(tag)) {
                set.addFirst(tag);
                return true;
            }
            return false;
        }

        int held() {
            return small.stream().mapToInt(Deque::size).sum() + big.stream().mapToInt(Deque::size).sum();
        }
    }
}
