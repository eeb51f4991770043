package jx86.kernel.microkernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import jx86.machine.MachineEvent;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kernel-monolithic's abusetests (the same /bin/abusetests) on the multi-server system, run from
 * the shell: wild pointers in every pointer argument give EFAULT (the personality checks each
 * user range against the process's image, heap and stack, and its text is read-only), a fork
 * bomb is contained by the personality's process table, and SIGSEGV, SIGFPE, SIGILL and SIGCHLD
 * reach handlers. The expected lines are kernel-monolithic's (user/abusetests.expected), word for word.
 */
class AbuseTest {
    @TempDir
    Path tmp;

    @Test
    void hostilePrograms_areContainedWithTheMonolithsOutput() throws Exception {
        Path img = tmp.resolve("mk.img");
        Files.copy(MultiServerTest.IMAGE, img, StandardCopyOption.REPLACE_EXISTING);
        RunResult r = MultiServerTest.boot(img, "abusetests", "poweroff");

        assertThat(MultiServerTest.lines(r)).containsSubsequence(java.util.stream.Stream.concat(
                Files.readAllLines(Path.of("../kernel-monolithic/user/abusetests.expected")).stream().filter(l -> !l.startsWith("#")),
                java.util.stream.Stream.of("reboot: power down")).toList());
        assertThat(r.serial()).doesNotContain("FAIL", "panic:");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
    }
}
