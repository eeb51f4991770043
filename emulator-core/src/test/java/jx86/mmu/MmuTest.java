package jx86.mmu;

import static jx86.mmu.PageTables.A;
import static jx86.mmu.PageTables.D;
import static jx86.mmu.PageTables.G;
import static jx86.mmu.PageTables.P;
import static jx86.mmu.PageTables.RW;
import static jx86.mmu.PageTables.US;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;
import jx86.clock.VirtualClock;
import jx86.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MmuTest {
    static final int PG = 0x8000_0000;
    static final int PE = 1;
    static final int WP = 1 << 16;
    static final int PSE = 1 << 4;
    static final int PGE = 1 << 7;

    private final PhysicalMemory mem = PageTables.newMemory();
    private final PageTables pt = new PageTables(mem);
    private final VirtualClock clock = new VirtualClock();
    private final Mmu mmu = new Mmu(mem, clock);

    private void enablePaging(int cr4) {
        mmu.setCr3(PageTables.DIR);
        mmu.setCr4(cr4);
        mmu.setCr0(PG | PE);
    }

    private static CpuFault pageFault(Runnable access) {
        CpuFault f = catchThrowableOfType(access::run, CpuFault.class);
        assertThat(f).as("expected #PF").isNotNull();
        assertThat(f.vector).isEqualTo(Vectors.PF);
        return f;
    }

    private long d(TlbEvent ev) {
        return mmu.dtlb().total(ev);
    }

    @Test
    void pagingOff_linearIsPhysicalAndNothingCounts() {
        mem.write32(0x0030_0010, 0xCAFE_BABE);
        mmu.setCr3(PageTables.DIR);
        mmu.invlpg(0x0030_0000);
        assertThat(mmu.read32(0x0030_0010)).isEqualTo(0xCAFE_BABE);
        mmu.write16(0x0030_0020, 0x1234);
        assertThat(mem.read16(0x0030_0020)).isEqualTo(0x1234);
        assertThat(mmu.fetch8(0x0030_0010)).isEqualTo(0xBE);
        for (TlbEvent ev : TlbEvent.values()) {
            assertThat(mmu.itlb().total(ev)).isZero();
            assertThat(mmu.dtlb().total(ev)).isZero();
        }
        assertThat(clock.cycles).isZero();
        assertThat(mmu.peekTranslate(0x1234_5678)).isEqualTo(0x1234_5678L);
    }

    @Test
    void romPage_hasNoDataFastEntry_soEveryAccessIsRoutedAndCountedOnceAsAHit() {
        pt.map4k(0x0800_0000, 0xFFFF_F000, P | RW);   // the BIOS alias's last page (physical 0xFFFFFFFF exists)
        enablePaging(0);
        int expected = mmu.read8(0x0800_0FFF);        // miss and walk
        assertThat(expected).isEqualTo(mem.read8(0xFFFF_FFFF));
        long hits = d(TlbEvent.HITS);
        assertThat(mmu.readHit(0x0800_0FFF, 0xFFF)).isEqualTo(-1);
        assertThat(mmu.readHit(0x0800_0FFE, 0xFFF)).isEqualTo(-1);
        assertThat(mmu.writeHit(0x0800_0FF0, 0xFFC)).isEqualTo(-1);
        assertThat(mmu.peekDataFast(0x0800_0FF0, false)).isEqualTo(-1);
        assertThat(d(TlbEvent.HITS)).isEqualTo(hits);
        assertThat(mmu.read8(0x0800_0FFF)).isEqualTo(expected);
        int before = mem.read32(0xFFFF_FFF0);
        mmu.write32(0x0800_0FF0, ~before);              // ROM: ignored
        assertThat(mmu.read32(0x0800_0FF0)).isEqualTo(before);
        assertThat(d(TlbEvent.HITS)).isEqualTo(hits + 3);
        assertThat(d(TlbEvent.MISSES)).isEqualTo(1);
    }

    @Test
    void mmioPage_everyDataAccessReachesTheDeviceAndCountsLikeRam() {
        java.util.List<String> seen = new java.util.ArrayList<>();
        PhysicalMemory m = PageTables.newMemory();
        m.registerMmio(0xFEC0_0000, 0x1000, "test device", new jx86.bus.MmioDevice() {
            @Override
            public int mmioRead(int address, int size) {
                seen.add(String.format("r%d %08x", size, address));
                return 0x1234_5678;
            }

            @Override
            public void mmioWrite(int address, int size, int value) {
                seen.add(String.format("w%d %08x=%x", size, address, value));
            }
        });
        PageTables t = new PageTables(m);
        t.map4k(0x0800_0000, 0xFEC0_0000, P | RW);
        t.map4k(0x0800_1000, 0x0030_0000, P | RW);
        Mmu u = new Mmu(m, new VirtualClock());
        u.setCr3(PageTables.DIR);
        u.setCr0(PG | PE);
        {
            Mmu x = u;
            x.read32(0x0800_0010);
            x.read32(0x0800_0010);
            x.write32(0x0800_0020, 7);
            x.write16(0x0800_0022, 8);
            x.write8(0x0800_0024, 9);
            assertThat(x.readHit(0x0800_0010, 0xFFC)).isEqualTo(-1);
            assertThat(x.readSys32(0x0800_0030)).isEqualTo(0x1234_5678);
            x.read32(0x0800_1000);
            x.read32(0x0800_1000);                      // the RAM page next to it hits the fast array
        }
        assertThat(seen).containsExactly("r4 fec00010", "r4 fec00010", "w4 fec00020=7", "w2 fec00022=8",
                "w1 fec00024=9", "r4 fec00030");
        assertThat(u.dtlb().total(TlbEvent.MISSES)).isEqualTo(2);
        assertThat(u.dtlb().total(TlbEvent.HITS)).isEqualTo(6);
    }

    @Test
    void mmioMappedOverAPageAfterItWasCached_isReachedFromTheNextAccess() {
        java.util.List<Integer> reads = new java.util.ArrayList<>();
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW | A | D);
        enablePaging(0);
        mem.write32(0x0030_0010, 0x55);
        assertThat(mmu.read32(0x0800_0010)).isEqualTo(0x55); // the fast entry now holds the page
        mem.registerMmio(0x0030_0000, 0x1000, "late device", new jx86.bus.MmioDevice() {
            @Override
            public int mmioRead(int address, int size) {
                reads.add(address);
                return 0x66;
            }

            @Override
            public void mmioWrite(int address, int size, int value) {
            }
        });
        assertThat(mmu.read32(0x0800_0010)).isEqualTo(0x66);
        assertThat(reads).containsExactly(0x0030_0010);
    }

    @Test
    void a20Disabled_dataHitsUseTheMaskedFrame() {
        pt.map4k(0x0800_0000, 0x0013_0000, P | RW | A | D); // bit 20 set: with A20 off it is 0x00030000
        mem.setA20(false);
        enablePaging(0);
        mmu.write32(0x0800_0010, 0x1111_1111);              // miss
        mmu.write32(0x0800_0014, 0x2222_2222);              // fast hit
        mmu.write16(0x0800_0018, 0x3333);
        mmu.write8(0x0800_001A, 0x44);
        assertThat(d(TlbEvent.HITS)).isEqualTo(3);
        mem.setA20(true);
        assertThat(mem.read32(0x0003_0010)).isEqualTo(0x1111_1111);
        assertThat(mem.read32(0x0003_0014)).isEqualTo(0x2222_2222);
        assertThat(mem.read32(0x0003_0018)).isEqualTo(0x0044_3333);
        assertThat(mem.read32(0x0013_0014)).isZero();
        mem.setA20(false);
        assertThat(mmu.read32(0x0800_0014)).isEqualTo(0x2222_2222); // miss (the gate dropped it), then hits
        assertThat(mmu.readHit(0x0800_0010, 0xFFC)).isEqualTo(0x0003_0010);
        assertThat(mmu.read16(0x0800_0018)).isEqualTo(0x3333);
        assertThat(mmu.read8(0x0800_001A)).isEqualTo(0x44);
        assertThat(mmu.peekDataFast(0x0800_0010, true)).isEqualTo(0x0003_0010);
    }

    /**
     * read32/write32 and read8/write8 take the fast array without testing CR0.PG: with paging off
     * the array must be empty, also after paging was on, or an access would use a stale
     * translation instead of the physical address (and count a hit).
     */
    @Test
    void dataAccesses_afterPagingTurnedOff_usePhysicalAddressesNotTheFastEntries() {
        pt.map4k(0x0040_0000, 0x0030_0000, P | RW);
        mem.write32(0x0030_0010, 0x1111_1111);
        mem.write32(0x0040_0010, 0x2222_2222);
        enablePaging(0);
        mmu.write32(0x0040_0010, mmu.read32(0x0040_0010) + 1); // fills the fast entry, sets D
        mmu.write8(0x0040_0020, 0x5A);
        assertThat(mem.read32(0x0030_0010)).isEqualTo(0x1111_1112);
        mmu.setCr0(PE);
        mmu.resetCounters();
        assertThat(mmu.read32(0x0040_0010)).isEqualTo(0x2222_2222);
        assertThat(mmu.read8(0x0040_0010)).isEqualTo(0x22);
        mmu.write32(0x0040_0014, 0x3333_3333);
        mmu.write8(0x0040_0018, 0x44);
        assertThat(mem.read32(0x0040_0014)).isEqualTo(0x3333_3333);
        assertThat(mem.read8(0x0040_0018)).isEqualTo(0x44);
        assertThat(mem.read32(0x0030_0014)).isZero();
        assertThat(mmu.read32(0x000F_FFF0)).isEqualTo(mem.read32(0x000F_FFF0)); // ROM, routed
        for (TlbEvent ev : TlbEvent.values()) {
            assertThat(mmu.dtlb().total(ev)).as(ev.name()).isZero();
        }
    }

    @Test
    void readHit_pagingOff_isTheMaskedAddressForRamAndNoForEverythingElse() {
        assertThat(mmu.readHit(0x0030_0010, 0xFFC)).isEqualTo(0x0030_0010);
        assertThat(mmu.writeHit(0x0030_0010, 0xFFC)).isEqualTo(0x0030_0010);
        assertThat(mmu.readHit(0x000F_0000, 0xFFC)).isEqualTo(-1);  // ROM
        assertThat(mmu.readHit(0x7000_0000, 0xFFC)).isEqualTo(-1);  // unassigned
        assertThat(mmu.readHit(0x0030_0FFE, 0xFFC)).isEqualTo(-1);  // crosses the page end
        mem.setA20(false);
        assertThat(mmu.readHit(0x0010_0010, 0xFFC)).isEqualTo(0x0000_0010);
        assertThat(mmu.writeHit(0x001F_0010, 0xFFC)).isEqualTo(-1);  // 0x000F0010: ROM
        for (TlbEvent ev : TlbEvent.values()) {
            assertThat(mmu.dtlb().total(ev)).isZero();
        }
    }

    @Test
    void read_throughMapping_returnsFrameContents() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW);
        mem.write32(0x0030_0FF0, 0x1122_3344);
        enablePaging(0);
        assertThat(mmu.read32(0x0800_0FF0)).isEqualTo(0x1122_3344);
        assertThat(mmu.read16(0x0800_0FF2)).isEqualTo(0x1122);
        assertThat(mmu.read8(0x0800_0FF3)).isEqualTo(0x11);
    }

    @Test
    void write_setsAccessedInBothAndDirtyInPteOnly() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW, P | RW);
        enablePaging(0);
        mmu.write32(0x0800_0004, 7);
        assertThat(mem.read32(0x0030_0004)).isEqualTo(7);
        assertThat(pt.pde(0x0800_0000) & (A | D)).isEqualTo(A);
        assertThat(pt.pte(0x0800_0000) & (A | D)).isEqualTo(A | D);
    }

    @Test
    void writeAfterRead_walksAgainToSetDirty() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW);
        enablePaging(0);
        mmu.read32(0x0800_0000);
        assertThat(pt.pte(0x0800_0000) & D).isZero();
        mmu.write32(0x0800_0000, 1);
        assertThat(pt.pte(0x0800_0000) & D).isEqualTo(D);
        assertThat(d(TlbEvent.MISSES)).isEqualTo(1);
        assertThat(d(TlbEvent.HITS)).isEqualTo(1);
        assertThat(d(TlbEvent.WALKS)).isEqualTo(2);
        // now dirty: further writes are plain hits
        mmu.write32(0x0800_0000, 2);
        assertThat(d(TlbEvent.WALKS)).isEqualTo(2);
        assertThat(d(TlbEvent.HITS)).isEqualTo(2);
    }

    @Test
    void dirtyAssist_walksCurrentTablesNotTheCachedEntry() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW);
        enablePaging(0);
        mmu.read32(0x0800_0000);
        pt.setPte(0x0800_0000, 0x0031_0000 | P | RW);
        mmu.write32(0x0800_0000, 0x55);
        assertThat(mem.read32(0x0031_0000)).isEqualTo(0x55);
        assertThat(mem.read32(0x0030_0000)).isZero();
    }

    @Test
    void notPresentPte_userWrite_faultsWithCode6AndLinearAddress() {
        pt.map4k(0x0800_0000, 0x0030_0000, 0);
        enablePaging(0);
        mmu.setCpl(3);
        CpuFault f = pageFault(() -> mmu.write8(0x0800_0123, 1));
        assertThat(f.errorCode).isEqualTo(6);
        assertThat(f.linearAddress).isEqualTo(0x0800_0123);
        assertThat(mmu.dtlb().counter(TlbEvent.PAGE_FAULTS, true)).isEqualTo(1);
    }

    @Test
    void notPresentPde_supervisorRead_faultsWithCode0() {
        enablePaging(0);
        CpuFault f = pageFault(() -> mmu.read32(0x0900_0000));
        assertThat(f.errorCode).isZero();
        assertThat(f.linearAddress).isEqualTo(0x0900_0000);
    }

    @Test
    void fourMiBPage_translatesWithPseAndIsCachedInLargeArray() {
        pt.map4m(0x00C0_0000, 0x0080_0000, P | RW);
        mem.write32(0x0093_4560, 0xABCD_EF01);
        enablePaging(PSE);
        assertThat(mmu.read32(0x00D3_4560)).isEqualTo(0xABCD_EF01);
        assertThat(mmu.peekTranslate(0x00D3_4560)).isEqualTo(0x0093_4560L);
        mmu.write32(0x00C0_0000, 5);
        assertThat(pt.pde(0x00C0_0000) & (A | D)).isEqualTo(A | D);
        // another 4 KiB page of the same 4 MiB page hits the same entry
        mmu.read32(0x00FF_F000);
        assertThat(d(TlbEvent.MISSES)).isEqualTo(1);
        assertThat(mmu.dtlb().validEntries()).isEqualTo(1);
    }

    @Test
    void reservedBitIn4MiBPde_faultsWithRsvd() {
        pt.map4m(0x00C0_0000, 0x0080_0000, P | RW | US | (1 << 14));
        enablePaging(PSE);
        mmu.setCpl(3);
        CpuFault f = pageFault(() -> mmu.write32(0x00C0_1000, 0));
        assertThat(f.errorCode).isEqualTo(0xF);
        assertThat(f.linearAddress).isEqualTo(0x00C0_1000);
    }

    @Test
    void globalPage_survivesCr3ReloadButNotPgeToggle() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | G);
        pt.map4k(0x0800_1000, 0x0030_1000, P);
        mem.write32(0x0030_0000, 0xA0);
        mem.write32(0x0030_1000, 0xA1);
        mem.write32(0x0040_0000, 0xB0);
        mem.write32(0x0040_1000, 0xB1);
        enablePaging(PGE);
        mmu.read32(0x0800_0000);
        mmu.read32(0x0800_1000);
        pt.setPte(0x0800_0000, 0x0040_0000 | P | G);
        pt.setPte(0x0800_1000, 0x0040_1000 | P);
        mmu.setCr3(PageTables.DIR);
        assertThat(mmu.read32(0x0800_0000)).as("global entry kept").isEqualTo(0xA0);
        assertThat(mmu.read32(0x0800_1000)).as("non-global entry dropped").isEqualTo(0xB1);
        mmu.setCr4(0);
        assertThat(mmu.read32(0x0800_0000)).as("PGE toggle drops global").isEqualTo(0xB0);
        assertThat(d(TlbEvent.CR3_FLUSHES)).isEqualTo(1);
        assertThat(d(TlbEvent.FULL_FLUSHES)).isEqualTo(1);
    }

    @Test
    void globalBitWithoutPge_doesNotSurviveCr3Reload() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | G);
        enablePaging(0);
        mmu.read32(0x0800_0000);
        mmu.setCr3(PageTables.DIR);
        assertThat(mmu.dtlb().holds(0x0800_0000)).isFalse();
    }

    @Test
    void staleTranslation_persistsAfterPteChangeWithoutInvlpg() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW);
        mem.write32(0x0030_0000, 111);
        mem.write32(0x0040_0000, 222);
        enablePaging(0);
        assertThat(mmu.read32(0x0800_0000)).isEqualTo(111);
        pt.setPte(0x0800_0000, 0x0040_0000 | P | RW);
        assertThat(mmu.read32(0x0800_0000)).as("old translation still cached").isEqualTo(111);
        pt.setPte(0x0800_0000, 0);
        assertThat(mmu.read32(0x0800_0000)).as("even a non-present PTE is not noticed").isEqualTo(111);
        pt.setPte(0x0800_0000, 0x0040_0000 | P | RW);
        mmu.invlpg(0x0800_0FFF);
        assertThat(mmu.read32(0x0800_0000)).isEqualTo(222);
    }

    @Test
    void invlpg_dropsOnlyThatPageFromBothTlbs() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW);
        pt.map4k(0x0800_1000, 0x0030_1000, P | RW);
        enablePaging(0);
        mmu.read32(0x0800_0000);
        mmu.read32(0x0800_1000);
        mmu.fetch8(0x0800_0000);
        mmu.invlpg(0x0800_0010);
        assertThat(mmu.dtlb().holds(0x0800_0000)).isFalse();
        assertThat(mmu.itlb().holds(0x0800_0000)).isFalse();
        assertThat(mmu.dtlb().holds(0x0800_1000)).isTrue();
        assertThat(d(TlbEvent.INVLPGS)).isEqualTo(1);
        assertThat(mmu.itlb().total(TlbEvent.INVLPGS)).isEqualTo(1);
    }

    @Test
    void invlpg_drops4MiBEntry() {
        pt.map4m(0x00C0_0000, 0x0080_0000, P | RW);
        enablePaging(PSE);
        mmu.read32(0x00C0_0000);
        mmu.invlpg(0x00E1_2345);
        assertThat(mmu.dtlb().validEntries()).isZero();
    }

    @Test
    void straddlingWrite_faultingOnSecondPage_writesNothingAndReportsPageBoundary() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW | US);
        pt.map4k(0x0800_1000, 0x0030_1000, P | US); // read-only for user
        enablePaging(0);
        mmu.setCpl(3);
        CpuFault f = pageFault(() -> mmu.write32(0x0800_0FFE, 0xDDCC_BBAA));
        assertThat(f.errorCode).isEqualTo(7);
        assertThat(f.linearAddress).isEqualTo(0x0800_1000);
        assertThat(mem.read16(0x0030_0FFE)).isZero();
        assertThat(mem.read16(0x0030_1000)).isZero();
    }

    @Test
    void straddlingWrite_notPresentSecondPage_reportsBoundaryWithPClear() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW);
        enablePaging(0);
        CpuFault f = pageFault(() -> mmu.write16(0x0800_0FFF, 0xBEEF));
        assertThat(f.errorCode).isEqualTo(2);
        assertThat(f.linearAddress).isEqualTo(0x0800_1000);
        assertThat(mem.read8(0x0030_0FFF)).isZero();
    }

    @Test
    void straddlingAccess_joinsBytesFromTwoDifferentFrames() {
        pt.map4k(0x0800_0000, 0x0050_0000, P | RW);
        pt.map4k(0x0800_1000, 0x0030_0000, P | RW);
        enablePaging(0);
        mmu.write32(0x0800_0FFD, 0x4433_2211);
        assertThat(mem.read8(0x0050_0FFD)).isEqualTo(0x11);
        assertThat(mem.read16(0x0050_0FFE)).isEqualTo(0x3322);
        assertThat(mem.read8(0x0030_0000)).isEqualTo(0x44);
        assertThat(mmu.read32(0x0800_0FFD)).isEqualTo(0x4433_2211);
        assertThat(mmu.readSys16(0x0800_0FFF)).isEqualTo(0x4433);
    }

    @Test
    void counters_nDistinctPagesTouchedTwice_giveNMissesNHitsNWalks() {
        int n = 20;
        for (int i = 0; i < n; i++) {
            pt.map4k(0x0800_0000 + (i << 12), 0x0030_0000 + (i << 12), P | RW);
        }
        enablePaging(0);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < n; i++) {
                mmu.read32(0x0800_0000 + (i << 12) + 8 * round);
            }
        }
        assertThat(mmu.dtlb().counter(TlbEvent.MISSES, false)).isEqualTo(n);
        assertThat(mmu.dtlb().counter(TlbEvent.HITS, false)).isEqualTo(n);
        assertThat(mmu.dtlb().counter(TlbEvent.WALKS, false)).isEqualTo(n);
        assertThat(mmu.dtlb().counter(TlbEvent.HITS, true)).isZero();
        assertThat(d(TlbEvent.EVICTIONS)).isZero();
        assertThat(mmu.itlb().total(TlbEvent.MISSES)).isZero();
    }

    @Test
    void counters_userAccessesLandInUserColumn() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW | US);
        enablePaging(0);
        mmu.setCpl(3);
        mmu.read8(0x0800_0000);
        mmu.read8(0x0800_0001);
        assertThat(mmu.dtlb().counter(TlbEvent.MISSES, true)).isEqualTo(1);
        assertThat(mmu.dtlb().counter(TlbEvent.HITS, true)).isEqualTo(1);
        assertThat(mmu.dtlb().counter(TlbEvent.MISSES, false)).isZero();
    }

    @Test
    void flushCounters_countCr3WritesPgToggleAndNothingWhilePagingOff() {
        enablePaging(0);
        mmu.setCr3(PageTables.DIR);
        mmu.setCr3(PageTables.DIR);
        assertThat(d(TlbEvent.CR3_FLUSHES)).isEqualTo(2);
        assertThat(mmu.itlb().total(TlbEvent.CR3_FLUSHES)).isEqualTo(2);
        mmu.setCr0(PE);
        assertThat(d(TlbEvent.FULL_FLUSHES)).isEqualTo(1);
        mmu.setCr3(PageTables.DIR);
        mmu.setCr4(PGE);
        assertThat(d(TlbEvent.CR3_FLUSHES)).isEqualTo(2);
        assertThat(d(TlbEvent.FULL_FLUSHES)).isEqualTo(1);
        mmu.setCr0(PG | PE);
        assertThat(d(TlbEvent.FULL_FLUSHES)).as("enabling paging finds an empty TLB").isEqualTo(1);
    }

    @Test
    void costModel_chargesWalkReferencesAndFlushes() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW);
        enablePaging(0);
        long start = clock.cycles;
        mmu.read32(0x0800_0000); // PDE+PTE reads, A write-backs to both: 4 references x 25
        assertThat(clock.cycles - start).isEqualTo(100);
        mmu.read32(0x0800_0004); // hit: free
        assertThat(clock.cycles - start).isEqualTo(100);
        mmu.setCr3(PageTables.DIR);
        assertThat(clock.cycles - start).isEqualTo(600);
        mmu.read32(0x0800_0000); // A flags already set: two reads
        assertThat(clock.cycles - start).isEqualTo(650);
        mmu.invlpg(0x0800_0000);
        assertThat(clock.cycles - start).isEqualTo(662);
        mmu.setCr0(PE);
        assertThat(clock.cycles - start).isEqualTo(1162);
        assertThat(mmu.costModel.segmentLoadCycles).isEqualTo(300);
    }

    @Test
    void cachedRights_userAccessToSupervisorPage_faultsFromTlbAndDropsEntry() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW);
        enablePaging(0);
        mmu.read32(0x0800_0000);
        mmu.setCpl(3);
        CpuFault f = pageFault(() -> mmu.read32(0x0800_0004));
        assertThat(f.errorCode).isEqualTo(5);
        assertThat(mmu.dtlb().holds(0x0800_0000)).isFalse();
    }

    @Test
    void staleReadOnlyEntry_spuriousFaultOnceThenWriteSucceeds() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | US);
        enablePaging(0);
        mmu.setCpl(3);
        mmu.read32(0x0800_0000);
        pt.setPte(0x0800_0000, 0x0030_0000 | P | US | RW | A);
        CpuFault f = pageFault(() -> mmu.write32(0x0800_0000, 9));
        assertThat(f.errorCode).isEqualTo(7);
        mmu.write32(0x0800_0000, 9);
        assertThat(mem.read32(0x0030_0000)).isEqualTo(9);
    }

    @Test
    void supervisorWriteToReadOnlyPage_allowedUnlessWp() {
        pt.map4k(0x0800_0000, 0x0030_0000, P);
        enablePaging(0);
        mmu.write32(0x0800_0000, 3);
        assertThat(mem.read32(0x0030_0000)).isEqualTo(3);
        mmu.setCr0(PG | PE | WP);
        CpuFault f = pageFault(() -> mmu.write32(0x0800_0000, 4));
        assertThat(f.errorCode).isEqualTo(3);
        assertThat(mem.read32(0x0030_0000)).isEqualTo(3);
    }

    @Test
    void sysAccessAtCpl3_isSupervisorAccess() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW);
        mem.write32(0x0030_0100, 0x600D);
        enablePaging(0);
        mmu.setCpl(3);
        assertThat(mmu.readSys32(0x0800_0100)).isEqualTo(0x600D);
        mmu.writeSys8(0x0800_0104, 0x42);
        assertThat(mem.read8(0x0030_0104)).isEqualTo(0x42);
        CpuFault f = pageFault(() -> mmu.read32(0x0800_0100));
        assertThat(f.errorCode).isEqualTo(5);
    }

    @Test
    void fetch_usesInstructionTlbOnly() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW);
        mem.write8(0x0030_0010, 0x90);
        enablePaging(0);
        assertThat(mmu.fetch8(0x0800_0010)).isEqualTo(0x90);
        assertThat(mmu.translateFetch(0x0800_0011)).isEqualTo(0x0030_0011);
        assertThat(mmu.itlb().total(TlbEvent.MISSES)).isEqualTo(1);
        assertThat(mmu.itlb().total(TlbEvent.HITS)).isEqualTo(1);
        assertThat(d(TlbEvent.MISSES) + d(TlbEvent.HITS)).isZero();
    }

    @Test
    void fetch_userFromSupervisorPage_faultsWithCode5() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW);
        enablePaging(0);
        mmu.setCpl(3);
        CpuFault f = pageFault(() -> mmu.translateFetch(0x0800_0000));
        assertThat(f.errorCode).isEqualTo(5);
        assertThat(mmu.itlb().total(TlbEvent.PAGE_FAULTS)).isEqualTo(1);
    }

    @Test
    void checkWrite_readOnlySecondPage_faultsBeforeAnyWrite() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW | US);
        pt.map4k(0x0800_1000, 0x0030_1000, P | US);
        enablePaging(0);
        mmu.setCpl(3);
        mmu.checkRead(0x0800_0FF0, 32);
        CpuFault f = pageFault(() -> mmu.checkWrite(0x0800_0FF0, 32));
        assertThat(f.errorCode).isEqualTo(7);
        assertThat(f.linearAddress).isEqualTo(0x0800_1000);
    }

    @Test
    void translateData_writeSetsDirtyAndReturnsPhysicalAddress() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW);
        assertThat(mmu.translateData(0x0800_0123, true)).as("paging off").isEqualTo(0x0800_0123);
        enablePaging(0);
        assertThat(mmu.translateData(0x0800_0123, true)).isEqualTo(0x0030_0123);
        assertThat(pt.pte(0x0800_0000) & D).isEqualTo(D);
        mmu.setCpl(3);
        assertThat(pageFault(() -> mmu.translateData(0x0800_0000, false)).errorCode).isEqualTo(5);
    }

    @Test
    void peekTranslate_hasNoSideEffects() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW);
        enablePaging(0);
        long before = clock.cycles;
        assertThat(mmu.peekTranslate(0x0800_0ABC)).isEqualTo(0x0030_0ABCL);
        assertThat(mmu.peekTranslate(0x0900_0000)).isEqualTo(-1L);
        assertThat(pt.pte(0x0800_0000) & A).isZero();
        assertThat(d(TlbEvent.MISSES) + d(TlbEvent.HITS)).isZero();
        assertThat(clock.cycles).isEqualTo(before);
    }

    @Test
    void lruEviction_throughMmu_evictsLeastRecentlyUsedPageOfTheSet() {
        Mmu small = new Mmu(mem, clock, TlbGeometry.P6_ITLB, new TlbGeometry(2, 2, 1, 1), CostModel.free());
        for (int i = 0; i < 3; i++) {
            pt.map4k(0x0800_0000 + (i << 12), 0x0030_0000 + (i << 12), P | RW);
        }
        small.setCr3(PageTables.DIR);
        small.setCr0(PG | PE);
        small.read8(0x0800_0000);
        small.read8(0x0800_1000);
        small.read8(0x0800_0000); // page 0 most recent
        small.read8(0x0800_2000); // evicts page 1
        assertThat(small.dtlb().holds(0x0800_0000)).isTrue();
        assertThat(small.dtlb().holds(0x0800_1000)).isFalse();
        assertThat(small.dtlb().holds(0x0800_2000)).isTrue();
        assertThat(small.dtlb().total(TlbEvent.EVICTIONS)).isEqualTo(1);
        small.read8(0x0800_1000); // misses again, evicts page 0 (page 2 is newer)
        assertThat(small.dtlb().total(TlbEvent.MISSES)).isEqualTo(4);
        assertThat(small.dtlb().holds(0x0800_0000)).isFalse();
    }

    /** The permission matrix again, this time answered from a cached TLB entry (fast and model paths). */
    @ParameterizedTest(name = "cached: pte U{0} W{1} cpl{2} wp{3} {4} -> {5}")
    @CsvSource({
        "0, 0, 0, 0, R, OK", "0, 0, 0, 0, W, OK", "0, 0, 0, 1, R, OK", "0, 0, 0, 1, W, PF3",
        "0, 0, 3, 0, R, PF5", "0, 0, 3, 0, W, PF7", "0, 0, 3, 1, R, PF5", "0, 0, 3, 1, W, PF7",
        "0, 1, 0, 0, R, OK", "0, 1, 0, 0, W, OK", "0, 1, 0, 1, R, OK", "0, 1, 0, 1, W, OK",
        "0, 1, 3, 0, R, PF5", "0, 1, 3, 0, W, PF7", "0, 1, 3, 1, R, PF5", "0, 1, 3, 1, W, PF7",
        "1, 0, 0, 0, R, OK", "1, 0, 0, 0, W, OK", "1, 0, 0, 1, R, OK", "1, 0, 0, 1, W, PF3",
        "1, 0, 3, 0, R, OK", "1, 0, 3, 0, W, PF7", "1, 0, 3, 1, R, OK", "1, 0, 3, 1, W, PF7",
        "1, 1, 0, 0, R, OK", "1, 1, 0, 0, W, OK", "1, 1, 0, 1, R, OK", "1, 1, 0, 1, W, OK",
        "1, 1, 3, 0, R, OK", "1, 1, 3, 0, W, OK", "1, 1, 3, 1, R, OK", "1, 1, 3, 1, W, OK",
    })
    void permissionMatrix_fromCachedEntry(int pteUs, int pteRw, int cpl, int wp, char access, String expected) {
        pt.map4k(0x0800_0000, 0x0030_0000, P | A | D | (pteUs != 0 ? US : 0) | (pteRw != 0 ? RW : 0));
        enablePaging(0);
        mmu.setCr0(PG | PE | (wp != 0 ? WP : 0));
        mmu.read8(0x0800_0000); // supervisor read always allowed: fills the TLB
        mmu.setCpl(cpl);
        Runnable op = access == 'W' ? () -> mmu.write32(0x0800_0010, 0x77) : () -> mmu.read32(0x0800_0010);
        if (expected.equals("OK")) {
            op.run();
            assertThat(d(TlbEvent.MISSES)).isEqualTo(1);
            if (access == 'W') {
                assertThat(mem.read32(0x0030_0010)).isEqualTo(0x77);
            }
        } else {
            assertThat(pageFault(op).errorCode).isEqualTo(Integer.parseInt(expected.substring(2)));
            assertThat(mem.read32(0x0030_0010)).isZero();
        }
    }

    @Test
    void a20Toggle_dropsTranslationsSilently() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW);
        enablePaging(0);
        mmu.read32(0x0800_0000);
        mem.setA20(false);
        assertThat(mmu.dtlb().validEntries()).isZero();
        assertThat(d(TlbEvent.FULL_FLUSHES)).isZero();
    }

    @Test
    void formatStats_listsBothTlbsAndEveryEvent() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW);
        enablePaging(0);
        mmu.read32(0x0800_0000);
        mmu.read32(0x0800_0000);
        String s = mmu.formatStats();
        assertThat(s).contains("I-TLB", "D-TLB", "page walks", "CR3 flushes", "INVLPG", "50.00%");
    }

    // ---- string fast-path helpers: peekDataFast / countDataHits ----

    @Test
    void peekDataFast_pagingOff_isLinearAndCountsNothing() {
        assertThat(mmu.peekDataFast(0x0030_0123, true)).isEqualTo(0x0030_0123);
        mmu.countDataHits(0x0030_0123, 5);
        assertThat(d(TlbEvent.HITS)).isZero();
    }

    @Test
    void peekDataFast_onlyForFastArrayHitsWithTheRights() {
        pt.map4k(0x0800_0000, 0x0030_0000, P | RW | US);
        pt.map4k(0x0800_1000, 0x0031_0000, P | US);
        enablePaging(0);
        assertThat(mmu.peekDataFast(0x0800_0010, false)).isEqualTo(-1); // not cached yet
        mmu.read8(0x0800_0000);
        mmu.read8(0x0800_1000);
        assertThat(mmu.peekDataFast(0x0800_0010, false)).isEqualTo(0x0030_0010);
        assertThat(mmu.peekDataFast(0x0800_0010, true)).isEqualTo(-1); // D clear: the walk must set it
        mmu.write8(0x0800_0000, 1);
        long hits = d(TlbEvent.HITS);
        assertThat(mmu.peekDataFast(0x0800_0FFF, true)).isEqualTo(0x0030_0FFF);
        mmu.setCpl(3);
        assertThat(mmu.peekDataFast(0x0800_1004, false)).isEqualTo(0x0031_0004);
        assertThat(mmu.peekDataFast(0x0800_1004, true)).isEqualTo(-1); // read-only at CPL 3
        assertThat(d(TlbEvent.HITS)).isEqualTo(hits);
        assertThat(d(TlbEvent.PAGE_FAULTS)).isZero();
    }

    @Test
    void countDataHits_countsAndStampsLikeSingleHits() {
        // Four pages of one 4-way set (page numbers equal modulo 16), filled in order A B C D.
        int[] la = {0x0800_0000, 0x0801_0000, 0x0802_0000, 0x0803_0000};
        for (int a : la) {
            pt.map4k(a, 0x0030_0000, P | RW);
        }
        pt.map4k(0x0804_0000, 0x0030_0000, P | RW);
        enablePaging(0);
        for (int a : la) {
            mmu.read8(a);
        }
        long hits = d(TlbEvent.HITS);
        assertThat(mmu.peekDataFast(la[0], false)).isNotEqualTo(-1);
        mmu.countDataHits(la[0], 7); // A most recently used: B is now the oldest
        assertThat(d(TlbEvent.HITS)).isEqualTo(hits + 7);
        mmu.read8(0x0804_0000);
        assertThat(mmu.dtlb().holds(la[0])).isTrue();
        assertThat(mmu.dtlb().holds(la[1])).isFalse();
        assertThat(mmu.dtlb().holds(la[2])).isTrue();
        assertThat(mmu.dtlb().holds(la[3])).isTrue();
        assertThat(d(TlbEvent.EVICTIONS)).isEqualTo(1);
    }
}
