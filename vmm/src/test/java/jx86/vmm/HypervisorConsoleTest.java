package jx86.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.machine.MachineEvent;
import org.junit.jupiter.api.Test;

/** The hypervisor console behind Control-] on the host's COM1, with two VMs. */
class HypervisorConsoleTest {
    @Test
    void listPauseResumeStatsFrontKill() {
        String esc = "\u001d";
        String in0 = "echo zero\r" + esc + "l\rp 1\rl\rs 1\rr 1\rx\rf 1\rc\r"
                + "echo on the front\r" + esc + "k 0\rl\rc\r" + "poweroff\r";
        TwoVms r = TwoVms.run(TwoVms.config("", in0, "", Guest.DISK, Guest.DISK, true, 3_000_000_000L)
                .pacedInput(false).build());
        String com1 = r.run().serial();

        assertThat(com1).containsSubsequence(
                "vmm: hypervisor console (l, s N, p N, r N, k N, f N, c)",
                "vmm: VM 0 running front switches ",
                "vmm: VM 1 running switches ",
                "vmm: VM 1 paused",
                "vmm: VM 1 paused switches ",
                "vmm: exit statistics, VM 1",
                "vmm:   world switches in",
                "vmm: VM 1 resumed",
                "vmm: which VM? (0..1)",
                "vmm: VM 1's console is on COM1 now",
                "vmm: console closed",
                "vmm: hypervisor console",
                "vmm: VM 0 killed from the console",
                "vmm: VM 0 stopped ",
                "vmm: VM 1 running front ",
                "vmm: console closed",
                "/$ on the front",                         // VM 1's shell, on COM1 now
                "reboot: power down",
                "vmm: VM 1 powered off (status 0)");
        assertThat(r.run().event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.run().exitPortValue()).isZero();
    }
}
