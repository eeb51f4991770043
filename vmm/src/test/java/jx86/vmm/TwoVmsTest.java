package jx86.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jx86.machine.MachineEvent;
import jx86.image.Ext2Check;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two unmodified monoliths time-sliced in the hypervisor, each with its own console and disk. */
class TwoVmsTest {
    @TempDir
    Path tmp;

    @Test
    void bothBoot_aScriptDrivesBoth_oneOffWhileTheOtherWorksOn_disksClean() throws Exception {
        Path d0 = tmp.resolve("vm0.img"), d1 = tmp.resolve("vm1.img");
        Files.copy(Guest.DISK, d0);
        Files.copy(Guest.DISK, d1);
        String in0 = "echo zero > /z0\rcat /z0 | cat | wc\rcanary -r 8\rls /\rpoweroff\r";
        String in1 = "echo one > /o1\rcat /o1 /etc/motd | wc\rcat /o1\rpoweroff\r";
        TwoVms r = TwoVms.run(TwoVms.config("", in0, in1, d0, d1, false, 3_000_000_000L).build());
        String com1 = r.run().serial();

        assertThat(com1).contains("vmm: jx86 hypervisor, host RAM 128 MiB, 2 VM(s)");
        assertThat(counted(TwoVms.lines(com1))).containsSubsequence(
                "kernel-monolithic 0.1: booting (loader: jx86-vmm, cmdline: \"console=ttyS0 panic=exit init=/bin/sh\")",
                "ext2: mounted hda1: 3840 inodes, 15360 blocks (N free), 2 groups",
                "vmm: VM 1 powered off (status 0)",          // VM 1's script is typed ahead: done first
                "      1       1       5",                    // VM 0 works on alone
                "canary: all rounds passed",
                "vmm: VM 0 powered off (status 0)");
        assertThat(TwoVms.lines(com1)).anyMatch(l -> l.endsWith(" z0")).noneMatch(l -> l.endsWith(" o1"));
        assertThat(counted(TwoVms.lines(r.com2()))).containsSubsequence(
                "kernel-monolithic 0.1: booting (loader: jx86-vmm, cmdline: \"console=ttyS0 panic=exit init=/bin/sh\")",
                "ext2: mounted hda1: 3840 inodes, 15360 blocks (N free), 2 groups",
                "      2       4      20",
                "one",
                "reboot: power down");
        assertThat(r.com2()).doesNotContain("vmm:").doesNotContain("zero").doesNotContain("canary");
        assertThat(com1).doesNotContain("panic:").doesNotContain("killed");
        assertThat(r.run().event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.run().exitPortValue()).isZero();

        assertFsckClean(d0);
        assertFsckClean(d1);
    }

    /** Free-block and free-memory figures and the microkernel's pool bounds follow the size of the kernels and servers on the image; the tests check the rest. */
    static List<String> counted(List<String> lines) {
        return lines.stream().map(l -> l.replaceFirst("\\(\\d+ free\\)", "(N free)")
                .replaceFirst(", \\d+ KiB free$", ", N KiB free")
                .replaceFirst("kernel pool \\p{XDigit}+-\\p{XDigit}+; sigma0 owns \\p{XDigit}+-", "kernel pool N-N; sigma0 owns N-"))
                .toList();
    }

    static void assertFsckClean(Path img) throws IOException, InterruptedException {
        assumeThat(Ext2Check.available()).as("e2fsprogs installed").isTrue();
        Ext2Check.assertClean(img);   // e2fsck -fn on partition 1
    }
}
