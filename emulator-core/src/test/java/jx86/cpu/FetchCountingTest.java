package jx86.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.mmu.TlbEvent;
import org.junit.jupiter.api.Test;

/**
 * The I-TLB sees one access per instruction per code page, whether the CPU translates the fetch
 * again or reuses the previous instruction's translation (Cpu.beginFetch, Mmu.repeatFetchHits).
 * Expected counts are worked out from the programs, not observed.
 */
class FetchCountingTest {
    private static final int PD = 0x10_0000;

    /** Identity-maps the first 4 MiB with one 4 KiB page table (PD at 1 MiB, PT at 1 MiB + 4 KiB). */
    private static CpuTestSupport pagedFlat32() {
        CpuTestSupport t = CpuTestSupport.flat32();
        int pt = PD + 0x1000;
        t.poke32(PD, pt | 3);
        for (int i = 0; i < 1024; i++) {
            t.poke32(pt + 4 * i, (i << 12) | 3);
        }
        t.cpu.setCr3(PD);
        t.mmu.setCr3(PD);
        t.cpu.setCr0(t.cpu.cr0 | Cpu.CR0_PG);
        t.mmu.setCr0(t.cpu.cr0);
        return t;
    }

    @Test
    void tenNopsAndHlt_inOnePage_oneMissThenTenHits() {
        CpuTestSupport t = pagedFlat32();
        t.exec(0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90);
        assertThat(t.mmu.itlb().total(TlbEvent.MISSES)).isEqualTo(1);
        assertThat(t.mmu.itlb().total(TlbEvent.HITS)).isEqualTo(10); // 11 instructions, the first missed
    }

    @Test
    void instructionStraddlingPages_countsBothPages() {
        CpuTestSupport t = pagedFlat32();
        t.cpu.eip = 0x1FFE;
        // NOP at 0x1FFE, MOV EAX,imm32 at 0x1FFF..0x2003 (crosses into page 2), HLT at 0x2004.
        t.exec(0x90, 0xB8, 0x78, 0x56, 0x34, 0x12);
        assertThat(t.reg(Cpu.EAX)).isEqualTo(0x1234_5678);
        // NOP: miss page 1; MOV: hit page 1, miss page 2; HLT: hit page 2.
        assertThat(t.mmu.itlb().total(TlbEvent.MISSES)).isEqualTo(2);
        assertThat(t.mmu.itlb().total(TlbEvent.HITS)).isEqualTo(2);
    }

    @Test
    void invlpgOfTheCodePage_nextInstructionMissesAgain() {
        CpuTestSupport t = pagedFlat32();
        t.set(Cpu.EAX, CpuTestSupport.CODE);
        t.exec(0x90, 0x0F, 0x01, 0x38, 0x90); // NOP; INVLPG [EAX]; NOP; HLT
        assertThat(t.mmu.itlb().total(TlbEvent.MISSES)).isEqualTo(2);
        assertThat(t.mmu.itlb().total(TlbEvent.HITS)).isEqualTo(2); // INVLPG and the HLT
    }
}
