package jx86.kernel.microkernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import jx86.image.Ext2Check;
import jx86.testsupport.PersistenceScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-server system from its own disk image (disk-images/target/images/microkernel.img):
 * the jx86 loader starts the kernel with the servers as boot modules, the POSIX personality runs
 * kernel-monolithic's /bin/sh (the same file as on the monolith) on the user-level console driver.
 * The scenario is kernel-monolithic's PersistenceTest, command for command, with the same output:
 * files written in one boot are read back in the next from the same image, and e2fsck finds the
 * file system clean.
 */
class MultiServerTest {
    static final Path IMAGE = Path.of("../disk-images/target/images/microkernel.img");

    @TempDir
    Path tmp;

    static RunResult boot(Path disk, String... commands) {
        return PcMachine.run(MachineConfig.builder().disk(disk)
                .serialInput(String.join("\r", commands) + "\r")
                .maxInstructions(4_000_000_000L).build());
    }

    static List<String> lines(RunResult r) {
        return PersistenceScenario.lines(r);
    }

    @Test
    void bootsToTheMonolithsShell_throughTheServers() throws Exception {
        Path img = tmp.resolve("mk.img");
        Files.copy(IMAGE, img, StandardCopyOption.REPLACE_EXISTING);
        RunResult r = boot(img, "ls /", "cat /etc/motd", "echo hi | wc", "cat /etc/motd | wc | wc", "ls /nosuch || echo failed",
                "poweroff 7");
        assertThat(r.serial()).contains(
                "root: console (4c001): ports 3f8+8, irq 4: granted",
                "console: COM1 in user space, irq 4 as IPC",
                "root: ata (50001): ports 1f0+8 and more, irq 14: granted",
                "names: fs -> 54001",
                "posix: Linux i386 personality; starting /bin/sh as pid 1");
        assertThat(lines(r)).containsSubsequence(
                "drwxr-xr-x  2     1024 bin",
                "hello from ext2",
                "      1       1       3",
                "      1       3      24",
                "failed",
                "reboot: power down");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isEqualTo(7);
    }

    @Test
    void filesSurvivePowerOffAndTheFileSystemIsClean() throws Exception {
        Path img = tmp.resolve("mk.img");
        Files.copy(IMAGE, img, StandardCopyOption.REPLACE_EXISTING);

        PersistenceScenario.assertFilesSurvivePowerOff(img, MultiServerTest::boot);

        assumeThat(Ext2Check.available()).as("e2fsprogs installed").isTrue();
        Ext2Check.assertClean(img);   // e2fsck -fn on partition 1
    }
}
