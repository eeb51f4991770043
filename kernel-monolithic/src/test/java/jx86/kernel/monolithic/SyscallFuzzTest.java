package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The system-call fuzzer (user/sysfuzz.c) as init on a private copy of the ext3 test disk:
 * seeded random system calls with random and boundary arguments from user mode, in child
 * processes, at least {@code jx86.sysfuzz.calls} of them (100,000 in CI, more with -Psoak;
 * {@code -Djx86.sysfuzz.seed} picks the seed). The kernel must never panic, the run must end in
 * sysfuzz's power-off, and e2fsck -fn must find the file system clean afterwards. The image is
 * kept in /dev/shm when there is one: every changing call ends in three FLUSH CACHE commands,
 * each a force of the image file.
 */
class SyscallFuzzTest {
    private static final int CALLS = Integer.getInteger("jx86.sysfuzz.calls", 100_000);
    private static final int SEED = Integer.getInteger("jx86.sysfuzz.seed", 1);
    private static final Pattern DONE = Pattern.compile("sysfuzz: done: (\\d+) calls in (\\d+) children that finished");

    @TempDir
    Path tmp;

    @Test
    void randomSystemCalls_neverPanicTheKernelAndLeaveTheFileSystemClean() throws Exception {
        Path e2fsck = E2fsprogs.tool("e2fsck");
        assumeThat(e2fsck).as("e2fsck (e2fsprogs) installed").isNotNull();
        Path shm = Path.of("/dev/shm");
        Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "jx86-sysfuzz") : tmp;
        try {
            Path img = dir.resolve("disk.img");
            Files.copy(Path.of("target/disk.img"), img, StandardCopyOption.REPLACE_EXISTING);
            RunResult r = PcMachine.run(MachineConfig.builder().kernel(Path.of("target/kernel.elf"))
                    .append("console=ttyS0 panic=exit init=/bin/sysfuzz sysfuzz.seed=" + SEED + " sysfuzz.calls=" + CALLS)
                    .disk(img).maxInstructions(60_000_000_000L).build());
            String serial = r.serial();
            String tail = serial.substring(Math.max(0, serial.length() - 3000));
            assertThat(serial).as(tail).doesNotContain("panic:").doesNotContain("FAIL");
            Matcher m = DONE.matcher(serial);
            assertThat(m.find()).as(tail).isTrue();
            assertThat(Long.parseLong(m.group(1))).isGreaterThanOrEqualTo(CALLS);
            assertThat(r.event()).as(tail).isEqualTo(MachineEvent.EXIT_PORT);
            assertThat(r.exitPortValue()).isZero();
            System.out.println("SyscallFuzzTest: " + m.group() + ", " + r.instructions() + " instructions");

            E2fsprogs.Result fn = E2fsprogs.run(e2fsck.toString(), "-fn",
                    E2fsprogs.partition(img, dir.resolve("part.img")).toString());
            assertThat(fn.exit()).as(fn.out()).isZero();
        } finally {
            if (!dir.equals(tmp)) {
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
