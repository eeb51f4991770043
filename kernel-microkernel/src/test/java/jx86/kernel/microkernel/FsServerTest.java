package jx86.kernel.microkernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import jx86.machine.MachineConfig;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import jx86.image.Ext2Check;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-server file system: root task (policy: ports and IRQs), name server, the user-level
 * ATA driver (IRQ 14 as IPC) and the ext2 file server built from the monolith's ext2 code
 * (libkern/fs), used by servers/fscheck.c through the IDL stubs. Two boots of one private copy
 * of kernel-monolithic's disk image: files written by the first are read back by the second, and
 * the host's e2fsck finds the file system clean afterwards.
 */
class FsServerTest {
    static final String[] FIRST = {
        "name-server-finds-fs",
        "read-etc-motd",
        "stat-etc-motd-size-matches",
        "open-root-dir",
        "readdir-root-has-bin-dir",
        "missing-file-enoent",
        "create-file",
        "write-file",
        "read-back-same-boot",
        "create-big-file",
        "big-file-40k-round-trip",
        "mkdir",
        "unlink",
    };

    static RunResult boot(Path img) {
        MachineConfig.Builder b = MachineConfig.builder().kernel(Mk.KERNEL).maxInstructions(4_000_000_000L).disk(img);
        for (String m : new String[] {"sigma0", "root", "names", "ata", "ext2fs", "fscheck"}) {
            b.module(Mk.USER.resolve(m));
        }
        return PcMachine.run(b.build());
    }

    @Test
    void filesWrittenThroughTheServers_surviveAReboot_andTheFileSystemIsClean(@TempDir Path tmp) throws Exception {
        Path img = tmp.resolve("disk.img");
        Files.copy(Path.of("../kernel-monolithic/target/disk.img"), img, StandardCopyOption.REPLACE_EXISTING);

        RunResult first = boot(img);
        Mk.assertAllOk(first, "fscheck", FIRST);
        assertThat(first.serial()).contains(
                "root: ata (4c001): ports 1f0+8 and more, irq 14: granted",
                "ata: disk 0: ",
                "names: fs -> 50001",
                "ext2: mounted hda1: ",
                "hello from ext2");

        RunResult second = boot(img);
        Mk.assertAllOk(second, "fscheck", "name-server-finds-fs", "file-from-first-boot-read-back");

        assumeThat(Ext2Check.available()).as("e2fsprogs installed").isTrue();
        Ext2Check.assertClean(img);   // e2fsck -fn on partition 1
    }
}
