package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import jx86.machine.MachineConfig;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import jx86.testsupport.PersistenceScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written in one boot are there in the next: the first boot writes (echo, cp, mkdir, a
 * shell script run with sh) and powers off with poweroff (sync, exit port 0); the second boots
 * from the SAME image file (a private copy of target/disk.img, no snapshot) and reads them back;
 * then the host's e2fsck finds the file system clean.
 */
class PersistenceTest {
    @TempDir
    Path tmp;

    private static RunResult boot(Path disk, String... commands) {
        return PcMachine.run(MachineConfig.builder().kernel(Path.of("target/kernel.elf"))
                .append("console=ttyS0 panic=exit init=/bin/sh").disk(disk)
                .serialInput(String.join("\r", commands) + "\r")
                .maxInstructions(2_000_000_000L).build());
    }

    @Test
    void filesSurvivePowerOffAndTheFileSystemIsClean() throws Exception {
        Path img = tmp.resolve("disk.img");
        Files.copy(Path.of("target/disk.img"), img, StandardCopyOption.REPLACE_EXISTING);

        PersistenceScenario.assertFilesSurvivePowerOff(img, PersistenceTest::boot);

        Path e2fsck = Path.of("/sbin/e2fsck");
        if (!Files.isExecutable(e2fsck)) {
            e2fsck = Path.of("/usr/sbin/e2fsck");
        }
        assumeThat(Files.isExecutable(e2fsck)).as("e2fsck installed").isTrue();
        Process p = new ProcessBuilder(e2fsck.toString(), "-fn", img + "?offset=" + partitionOffset(img))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** Byte offset of partition 1: its first LBA is the little-endian word at MBR offset 446 + 8. */
    private static long partitionOffset(Path img) throws IOException {
        byte[] mbr = new byte[512];
        try (var in = Files.newInputStream(img)) {
            assertThat(in.readNBytes(mbr, 0, 512)).isEqualTo(512);
        }
        return (ByteBuffer.wrap(mbr, 454, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL) * 512;
    }
}
