package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;

/**
 * abusetests (user/abusetests.c) on jx86: wild pointers in every pointer argument of every
 * implemented system call give EFAULT, a fork bomb is contained (EAGAIN, all reaped, fork works
 * afterwards), and SIGSEGV, SIGFPE, SIGILL and SIGCHLD reach handlers. The handlers exit with
 * 40 + the signal number, so the wait statuses are (40 + sig) << 8: 0x3300, 0x3000, 0x2c00.
 */
class AbuseTest {
    @Test
    void hostilePrograms_areContainedAndEveryCheckPasses() throws Exception {
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(Path.of("target/kernel.elf"))
                .append("console=ttyS0 panic=exit init=/bin/abusetests")
                .disk(Path.of("target/disk.img")).snapshot(true)
                .maxInstructions(2_000_000_000L).build());

        assertThat(r.serial().lines()).containsSubsequence(java.util.stream.Stream.concat(
                Files.readAllLines(Path.of("user/abusetests.expected")).stream().filter(l -> !l.startsWith("#")),
                java.util.stream.Stream.of("reboot: power down")).toList());
        assertThat(r.serial()).doesNotContain("FAIL", "panic:");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
    }
}
