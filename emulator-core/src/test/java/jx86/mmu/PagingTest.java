package jx86.mmu;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PagingTest {
    static final int LA = 0x0040_3123;
    static final int FRAME = 0x0030_0000;

    private final PhysicalMemory mem = PageTables.newMemory();
    private final PageTables pt = new PageTables(mem);
    private final Paging paging = new Paging(mem);

    /**
     * Every combination of PDE/PTE U/S and R/W, CPL, CR0.WP and read/write. Expected outcomes
     * written out from SDM Vol. 3A 4.6 (and the 80386 manual's combined-protection table):
     * user (CPL 3) needs U/S=1 in both entries, and R/W=1 in both to write; supervisor reads
     * anything, writes a read-only page only with WP=0. #PF code = P(1) | W(2) | U(4).
     */
    @ParameterizedTest(name = "pde U{0} W{1} pte U{2} W{3} cpl{4} wp{5} {6} -> {7}")
    @CsvSource({
            "0, 0, 0, 0, 0, 0, R, OK",
            "0, 0, 0, 0, 0, 0, W, OK",
            "0, 0, 0, 0, 0, 1, R, OK",
            "0, 0, 0, 0, 0, 1, W, PF3",
            "0, 0, 0, 0, 3, 0, R, PF5",
            "0, 0, 0, 0, 3, 0, W, PF7",
            "0, 0, 0, 0, 3, 1, R, PF5",
            "0, 0, 0, 0, 3, 1, W, PF7",
            "0, 0, 0, 1, 0, 0, R, OK",
            "0, 0, 0, 1, 0, 0, W, OK",
            "0, 0, 0, 1, 0, 1, R, OK",
            "0, 0, 0, 1, 0, 1, W, PF3",
            "0, 0, 0, 1, 3, 0, R, PF5",
            "0, 0, 0, 1, 3, 0, W, PF7",
            "0, 0, 0, 1, 3, 1, R, PF5",
            "0, 0, 0, 1, 3, 1, W, PF7",
            "0, 0, 1, 0, 0, 0, R, OK",
            "0, 0, 1, 0, 0, 0, W, OK",
            "0, 0, 1, 0, 0, 1, R, OK",
            "0, 0, 1, 0, 0, 1, W, PF3",
            "0, 0, 1, 0, 3, 0, R, PF5",
            "0, 0, 1, 0, 3, 0, W, PF7",
            "0, 0, 1, 0, 3, 1, R, PF5",
            "0, 0, 1, 0, 3, 1, W, PF7",
            "0, 0, 1, 1, 0, 0, R, OK",
            "0, 0, 1, 1, 0, 0, W, OK",
            "0, 0, 1, 1, 0, 1, R, OK",
            "0, 0, 1, 1, 0, 1, W, PF3",
            "0, 0, 1, 1, 3, 0, R, PF5",
            "0, 0, 1, 1, 3, 0, W, PF7",
            "0, 0, 1, 1, 3, 1, R, PF5",
            "0, 0, 1, 1, 3, 1, W, PF7",
            "0, 1, 0, 0, 0, 0, R, OK",
            "0, 1, 0, 0, 0, 0, W, OK",
            "0, 1, 0, 0, 0, 1, R, OK",
            "0, 1, 0, 0, 0, 1, W, PF3",
            "0, 1, 0, 0, 3, 0, R, PF5",
            "0, 1, 0, 0, 3, 0, W, PF7",
            "0, 1, 0, 0, 3, 1, R, PF5",
            "0, 1, 0, 0, 3, 1, W, PF7",
            "0, 1, 0, 1, 0, 0, R, OK",
            "0, 1, 0, 1, 0, 0, W, OK",
            "0, 1, 0, 1, 0, 1, R, OK",
            "0, 1, 0, 1, 0, 1, W, OK",
            "0, 1, 0, 1, 3, 0, R, PF5",
            "0, 1, 0, 1, 3, 0, W, PF7",
            "0, 1, 0, 1, 3, 1, R, PF5",
            "0, 1, 0, 1, 3, 1, W, PF7",
            "0, 1, 1, 0, 0, 0, R, OK",
            "0, 1, 1, 0, 0, 0, W, OK",
            "0, 1, 1, 0, 0, 1, R, OK",
            "0, 1, 1, 0, 0, 1, W, PF3",
            "0, 1, 1, 0, 3, 0, R, PF5",
            "0, 1, 1, 0, 3, 0, W, PF7",
            "0, 1, 1, 0, 3, 1, R, PF5",
            "0, 1, 1, 0, 3, 1, W, PF7",
            "0, 1, 1, 1, 0, 0, R, OK",
            "0, 1, 1, 1, 0, 0, W, OK",
            "0, 1, 1, 1, 0, 1, R, OK",
            "0, 1, 1, 1, 0, 1, W, OK",
            "0, 1, 1, 1, 3, 0, R, PF5",
            "0, 1, 1, 1, 3, 0, W, PF7",
            "0, 1, 1, 1, 3, 1, R, PF5",
            "0, 1, 1, 1, 3, 1, W, PF7",
            "1, 0, 0, 0, 0, 0, R, OK",
            "1, 0, 0, 0, 0, 0, W, OK",
            "1, 0, 0, 0, 0, 1, R, OK",
            "1, 0, 0, 0, 0, 1, W, PF3",
            "1, 0, 0, 0, 3, 0, R, PF5",
            "1, 0, 0, 0, 3, 0, W, PF7",
            "1, 0, 0, 0, 3, 1, R, PF5",
            "1, 0, 0, 0, 3, 1, W, PF7",
            "1, 0, 0, 1, 0, 0, R, OK",
            "1, 0, 0, 1, 0, 0, W, OK",
            "1, 0, 0, 1, 0, 1, R, OK",
            "1, 0, 0, 1, 0, 1, W, PF3",
            "1, 0, 0, 1, 3, 0, R, PF5",
            "1, 0, 0, 1, 3, 0, W, PF7",
            "1, 0, 0, 1, 3, 1, R, PF5",
            "1, 0, 0, 1, 3, 1, W, PF7",
            "1, 0, 1, 0, 0, 0, R, OK",
            "1, 0, 1, 0, 0, 0, W, OK",
            "1, 0, 1, 0, 0, 1, R, OK",
            "1, 0, 1, 0, 0, 1, W, PF3",
            "1, 0, 1, 0, 3, 0, R, OK",
            "1, 0, 1, 0, 3, 0, W, PF7",
            "1, 0, 1, 0, 3, 1, R, OK",
            "1, 0, 1, 0, 3, 1, W, PF7",
            "1, 0, 1, 1, 0, 0, R, OK",
            "1, 0, 1, 1, 0, 0, W, OK",
            "1, 0, 1, 1, 0, 1, R, OK",
            "1, 0, 1, 1, 0, 1, W, PF3",
            "1, 0, 1, 1, 3, 0, R, OK",
            "1, 0, 1, 1, 3, 0, W, PF7",
            "1, 0, 1, 1, 3, 1, R, OK",
            "1, 0, 1, 1, 3, 1, W, PF7",
            "1, 1, 0, 0, 0, 0, R, OK",
            "1, 1, 0, 0, 0, 0, W, OK",
            "1, 1, 0, 0, 0, 1, R, OK",
            "1, 1, 0, 0, 0, 1, W, PF3",
            "1, 1, 0, 0, 3, 0, R, PF5",
            "1, 1, 0, 0, 3, 0, W, PF7",
            "1, 1, 0, 0, 3, 1, R, PF5",
            "1, 1, 0, 0, 3, 1, W, PF7",
            "1, 1, 0, 1, 0, 0, R, OK",
            "1, 1, 0, 1, 0, 0, W, OK",
            "1, 1, 0, 1, 0, 1, R, OK",
            "1, 1, 0, 1, 0, 1, W, OK",
            "1, 1, 0, 1, 3, 0, R, PF5",
            "1, 1, 0, 1, 3, 0, W, PF7",
            "1, 1, 0, 1, 3, 1, R, PF5",
            "1, 1, 0, 1, 3, 1, W, PF7",
            "1, 1, 1, 0, 0, 0, R, OK",
            "1, 1, 1, 0, 0, 0, W, OK",
            "1, 1, 1, 0, 0, 1, R, OK",
            "1, 1, 1, 0, 0, 1, W, PF3",
            "1, 1, 1, 0, 3, 0, R, OK",
            "1, 1, 1, 0, 3, 0, W, PF7",
            "1, 1, 1, 0, 3, 1, R, OK",
            "1, 1, 1, 0, 3, 1, W, PF7",
            "1, 1, 1, 1, 0, 0, R, OK",
            "1, 1, 1, 1, 0, 0, W, OK",
            "1, 1, 1, 1, 0, 1, R, OK",
            "1, 1, 1, 1, 0, 1, W, OK",
            "1, 1, 1, 1, 3, 0, R, OK",
            "1, 1, 1, 1, 3, 0, W, OK",
            "1, 1, 1, 1, 3, 1, R, OK",
            "1, 1, 1, 1, 3, 1, W, OK"
    })
    void permissionMatrix_matchesSdmTable(int pdeUs, int pdeRw, int pteUs, int pteRw, int cpl, int wp,
            char access, String expected) {
        pt.map4k(LA, FRAME, PageTables.P | (pteUs != 0 ? PageTables.US : 0) | (pteRw != 0 ? PageTables.RW : 0),
                PageTables.P | (pdeUs != 0 ? PageTables.US : 0) | (pdeRw != 0 ? PageTables.RW : 0));
        boolean write = access == 'W';
        int result = paging.walk(PageTables.DIR, LA, write, cpl == 3, wp != 0, false, false);
        if (expected.equals("OK")) {
            assertThat(result).isEqualTo(Paging.OK);
            assertThat(paging.frame()).isEqualTo(FRAME);
            assertThat(paging.large()).isFalse();
        } else {
            assertThat(result).isEqualTo(Integer.parseInt(expected.substring(2)));
        }
    }

    @Test
    void walk_readOfFreshPage_setsAccessedInPdeAndPteButNotDirty() {
        pt.map4k(LA, FRAME, PageTables.P | PageTables.RW, PageTables.P | PageTables.RW);
        assertThat(paging.walk(PageTables.DIR, LA, false, false, false, false, false)).isEqualTo(Paging.OK);
        assertThat(pt.pde(LA) & (PageTables.A | PageTables.D)).isEqualTo(PageTables.A);
        assertThat(pt.pte(LA) & (PageTables.A | PageTables.D)).isEqualTo(PageTables.A);
        // PDE read, PTE read, PDE A write-back, PTE A write-back
        assertThat(paging.refs()).isEqualTo(4);
        assertThat(paging.entryFlags() & Tlb.E_DIRTY).isZero();
    }

    @Test
    void walk_write_setsDirtyInPteOnlyAndReportsDirtyEntry() {
        pt.map4k(LA, FRAME, PageTables.P | PageTables.RW, PageTables.P | PageTables.RW);
        assertThat(paging.walk(PageTables.DIR, LA, true, false, false, false, false)).isEqualTo(Paging.OK);
        assertThat(pt.pte(LA) & (PageTables.A | PageTables.D)).isEqualTo(PageTables.A | PageTables.D);
        assertThat(pt.pde(LA) & PageTables.D).isZero();
        assertThat(paging.entryFlags() & Tlb.E_DIRTY).isEqualTo(Tlb.E_DIRTY);
    }

    @Test
    void walk_flagsAlreadySet_makesOnlyTheTwoReads() {
        pt.map4k(LA, FRAME, PageTables.P | PageTables.RW | PageTables.A | PageTables.D,
                PageTables.P | PageTables.RW | PageTables.A);
        assertThat(paging.walk(PageTables.DIR, LA, true, false, false, false, false)).isEqualTo(Paging.OK);
        assertThat(paging.refs()).isEqualTo(2);
    }

    @Test
    void walk_protectionFault_writesNoAccessedFlags() {
        pt.map4k(LA, FRAME, PageTables.P, PageTables.P | PageTables.RW);
        assertThat(paging.walk(PageTables.DIR, LA, false, true, false, false, false)).isEqualTo(5);
        assertThat(pt.pde(LA) & PageTables.A).isZero();
        assertThat(pt.pte(LA) & PageTables.A).isZero();
    }

    @Test
    void walk_notPresentPde_codeHasPClearAndOneReference() {
        assertThat(paging.walk(PageTables.DIR, LA, true, true, false, false, false)).isEqualTo(6);
        assertThat(paging.refs()).isEqualTo(1);
    }

    @Test
    void walk_notPresentPte_supervisorRead_codeZero() {
        pt.map4k(LA, FRAME, 0, PageTables.P | PageTables.RW);
        assertThat(paging.walk(PageTables.DIR, LA, false, false, false, false, false)).isZero();
        assertThat(paging.refs()).isEqualTo(2);
    }

    @Test
    void walk_4MiBPageWithPse_translatesFromPdeAndSetsDirtyInPde() {
        pt.map4m(0x00C0_0000, 0x0080_0000, PageTables.P | PageTables.RW);
        assertThat(paging.walk(PageTables.DIR, 0x00C1_2345, true, false, false, true, false)).isEqualTo(Paging.OK);
        assertThat(paging.large()).isTrue();
        assertThat(paging.frame()).isEqualTo(0x0080_0000);
        assertThat(pt.pde(0x00C0_0000) & (PageTables.A | PageTables.D)).isEqualTo(PageTables.A | PageTables.D);
        // PDE read and one write-back setting A and D together
        assertThat(paging.refs()).isEqualTo(2);
    }

    @Test
    void walk_psBitWithoutPse_usesPdeAsPageTablePointer() {
        pt.map4k(LA, FRAME, PageTables.P);
        pt.setPde(LA, pt.pde(LA) | PageTables.PS);
        assertThat(paging.walk(PageTables.DIR, LA, false, false, false, false, false)).isEqualTo(Paging.OK);
        assertThat(paging.large()).isFalse();
        assertThat(paging.frame()).isEqualTo(FRAME);
    }

    @Test
    void walk_4MiBPdeWithReservedBit13_faultsWithRsvdAndP() {
        pt.map4m(0x00C0_0000, 0x0080_0000, PageTables.P | PageTables.RW | PageTables.US | (1 << 13));
        assertThat(paging.walk(PageTables.DIR, 0x00C0_0000, false, false, false, true, false)).isEqualTo(0x9);
        assertThat(paging.walk(PageTables.DIR, 0x00C0_0000, true, true, false, true, false)).isEqualTo(0xF);
    }

    @Test
    void walk_4MiBPdeWithBit21_faultsWithRsvd() {
        pt.map4m(0x00C0_0000, 0x0080_0000, PageTables.P | (1 << 21));
        assertThat(paging.walk(PageTables.DIR, 0x00C0_0000, false, false, false, true, false)).isEqualTo(0x9);
    }

    @Test
    void walk_globalBit_countsOnlyWithPge() {
        pt.map4k(LA, FRAME, PageTables.P | PageTables.G);
        paging.walk(PageTables.DIR, LA, false, false, false, false, false);
        assertThat(paging.entryFlags() & Tlb.E_GLOBAL).isZero();
        paging.walk(PageTables.DIR, LA, false, false, false, false, true);
        assertThat(paging.entryFlags() & Tlb.E_GLOBAL).isEqualTo(Tlb.E_GLOBAL);
    }

    @Test
    void peek_translatesWithoutTouchingFlags() {
        pt.map4k(LA, FRAME, PageTables.P);
        assertThat(paging.peek(PageTables.DIR, LA, false)).isEqualTo(0x0030_0123L);
        assertThat(pt.pte(LA) & PageTables.A).isZero();
        assertThat(paging.peek(PageTables.DIR, 0x0800_0000, false)).isEqualTo(-1L);
    }
}
