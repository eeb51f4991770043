package jx86.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jx86.machine.MachineEvent;
import org.junit.jupiter.api.Test;

/**
 * The monolith's memcorrupt demo inside VM 0 (4096 random guest-physical words overwritten every
 * second) while VM 1 runs canary: VM 0 fails (its canary sees the corruption, or its kernel
 * panics, triple-faults or hangs), and VM 1 does not notice: its canary passes every round, its
 * shell runs on, and its kernel code in its guest-physical memory has the checksum it had at boot.
 */
class IsolationTest {
    private static final Pattern BOOT_SUM = Pattern.compile("vmm: VM 1 kernel code \\[\\w+, \\w+\\) checksum (\\w+)");
    private static final Pattern LATER_SUM = Pattern.compile("vmm: VM 1 runs on; its kernel code checksum (\\w+)");

    @Test
    void memcorruptInVm0_failsVm0Only() {
        String in0 = "canary -p &\rinsmod /lib/modules/memcorrupt.ko n=4096 period=1 seed=1\r";
        String in1 = "canary -r 60\recho vm1 alive\rpoweroff\r";
        TwoVms r = TwoVms.run(TwoVms.config("", in0, in1, Guest.DISK, Guest.DISK, true, 8_000_000_000L)
                .pacedInput(false).build());
        String com1 = r.run().serial();

        // VM 0 failed, and the hypervisor said so with the guest's registers
        assertThat(com1).contains("memcorrupt: 4096 words every 1 s");
        assertThat(com1).containsPattern(
                "canary: CORRUPT|vmm: VM 0 killed: |vmm: VM 0 halted with interrupts off|vmm: VM 0 powered off \\(status [1-9]");
        // canary -p powers VM 0 off with status 0 when it sees the corruption first; every other
        // ending is a failure the hypervisor reports with the guest's registers
        if (!com1.contains("vmm: VM 0 powered off (status 0)")) {
            assertThat(com1).containsPattern("vm0: eip=\\w+ eflags=\\w+ cs=\\w+");
        } else {
            assertThat(com1).contains("canary: CORRUPT");
        }
        assertThat(com1).doesNotContain("vm1: ");
        int vm0End = com1.indexOf("vmm: VM 1 runs on");
        assertThat(vm0End).as("VM 0 ended while VM 1 ran").isPositive();

        // VM 1 did not notice: its kernel code is unchanged, its canary passes, its shell runs on
        Matcher boot = BOOT_SUM.matcher(com1), later = LATER_SUM.matcher(com1);
        assertThat(boot.find()).isTrue();
        assertThat(later.find()).isTrue();
        assertThat(later.group(1)).isEqualTo(boot.group(1));
        assertThat(TwoVms.lines(r.com2())).containsSubsequence("canary: ok 60", "canary: all rounds passed",
                "vm1 alive", "reboot: power down");
        assertThat(r.com2()).doesNotContain("CORRUPT").doesNotContain("panic: ");
        assertThat(com1.substring(vm0End)).contains("vmm: VM 1 powered off (status 0)");
        assertThat(r.run().event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.run().exitPortValue()).isZero();
    }

    @Test
    void restartPolicy_bootsTheFailedVmAgain_theOtherRunsOn() {
        // canary without -p: it reports corruption but does not power the VM off, so the bursts go on
        // until VM 0's kernel fails and the restart policy applies
        String in0 = "canary &\rinsmod /lib/modules/memcorrupt.ko n=4096 period=1 seed=1\r";
        String in1 = "canary -r 80\recho vm1 alive\rpoweroff\r";
        TwoVms r = TwoVms.run(TwoVms.config("fail0=restart", in0, in1, Guest.DISK, Guest.DISK, true, 4_000_000_000L)
                .pacedInput(false).build());
        String com1 = r.run().serial();

        // what burst 1 breaks first depends on the kernel's layout: it may hang VM 0 before its log line
        assertThat(com1).containsSubsequence("memcorrupt: 4096 words every 1 s", "vm0: eip=", "vm0: restarting (policy restart)",
                "vmm: VM 0 kernel code [100000, ",
                "kernel-monolithic 0.1: booting", "ext2: mounted hda1", "vmm: VM 1 powered off (status 0)");
        assertThat(TwoVms.lines(r.com2())).containsSubsequence("canary: all rounds passed", "vm1 alive",
                "reboot: power down");
        // VM 0 runs on (at its shell) after VM 1 is gone: the run ends at the instruction limit
        assertThat(r.run().event()).isEqualTo(MachineEvent.INSTRUCTION_LIMIT);
    }
}
