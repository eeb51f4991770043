package jx86.guests;

import static jx86.guests.GuestHarness.assertAllOk;
import static jx86.guests.GuestHarness.guest;
import static jx86.guests.GuestHarness.lines;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;

/** Runs bench/cpu-bound to completion and checks its result against QEMU's (an independent oracle). */
class BenchGuestTest {
    /** Printed by the same guest on qemu-system-i386 7.2 (TCG), with and without -icount. */
    private static final String QEMU_CHECKSUM = "bench checksum=0xeb98aa2a";

    @Test
    void cpuBound_checksumMatchesQemuWithinTheInstructionBudget() {
        RunResult r = GuestHarness.run(b -> b.kernel(guest("bench/cpu-bound.elf")).maxInstructions(300_000_000L));
        assertAllOk(r, "sort-ordered");
        assertThat(lines(r)).contains(QEMU_CHECKSUM);
        // about 100 M on QEMU -icount; string instructions may count per iteration or per instruction
        assertThat(r.instructions()).isBetween(20_000_000L, 200_000_000L);
    }
}
