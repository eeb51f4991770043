package jx86.guests;

import static jx86.guests.GuestHarness.assertAllOk;
import static jx86.guests.GuestHarness.info;
import static jx86.guests.GuestHarness.runKernel;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;

/** Boots the guests of src-test-guests/mmu: #PF error codes and CR2, TLB behaviour, A/D bits, PSE. */
class MmuGuestsTest {

    @Test
    void pfCr2_errorCodeAndCr2ForEveryAccessKind() {
        assertAllOk(runKernel("mmu/pf-cr2.elf"), "pf-r0-read-not-present", "pf-r0-write-not-present",
                "pf-r0-write-read-only-wp1", "pf-r0-read-pde-not-present", "pf-r0-fetch-not-present",
                "r0-write-super-rw", "r0-write-read-only-wp0-allowed", "r0-write-read-only-wp0-value",
                "pf-r3-read-not-present", "pf-r3-write-not-present", "pf-r3-read-supervisor",
                "pf-r3-write-supervisor", "pf-r3-write-user-read-only", "r3-read-user-read-only",
                "pf-r3-read-pde-supervisor", "r0-read-pde-supervisor");
    }

    @Test
    void tlb_staleUntilInvalidatedAndGlobalSurvivesCr3Load() {
        RunResult r = runKernel("mmu/tlb.elf");
        assertAllOk(r, "read-through-a", "invlpg-new-mapping", "cr3-reload-flushes", "global-read-a",
                "pge-toggle-flushes-global", "invlpg-flushes-global", "pf-after-unmap-invlpg");
        // jx86 models a TLB like hardware: the old translation (frame A holds 0xAAAA) is still used.
        assertThat(info(r, "stale-read")).isEqualTo("0x0000aaaa");
        assertThat(info(r, "global-after-cr3")).isEqualTo("0x0000aaaa");
    }

    @Test
    void adBits_setByReadsAndWrites() {
        assertAllOk(runKernel("mmu/ad-bits.elf"), "untouched-pte-a-d-clear", "read-sets-pte-a",
                "read-leaves-pte-d", "read-sets-pde-a", "pde-never-dirty", "write-sets-pte-d",
                "write-sets-a-and-d", "pf-r3-write-read-only", "faulting-write-leaves-d");
    }

    @Test
    void pse_fourMiBPagesTranslateAndFault() {
        assertAllOk(runKernel("mmu/pse.elf"), "pse-read-end-of-page", "pse-write-lands-in-frame",
                "pse-pde-accessed-dirty", "pse-read-only-alias", "pse-read-leaves-d", "pf-pse-write-read-only",
                "pf-pse-r3-supervisor", "pse-off-ps-ignored");
    }

    @Test
    void straddle_faultOnSecondPageLeavesBothPagesUnchanged() {
        assertAllOk(runKernel("mmu/straddle.elf"), "pf-straddle-write-read-only", "straddle-first-page-unchanged",
                "straddle-second-page-unchanged", "pf-straddle-write-not-present",
                "straddle-np-first-page-unchanged", "pf-straddle-read-not-present",
                "straddle-write-ok-when-mapped", "straddle-low-half", "straddle-high-half");
    }
}
