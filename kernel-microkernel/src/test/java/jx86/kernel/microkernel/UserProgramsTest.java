package jx86.kernel.microkernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kernel-monolithic's own test programs (the same files in /bin) on the multi-server system:
 * fstests passes completely; usertests passes every check up to its signal-handler section,
 * except the stack-overflow check (a stray character of the child's output can precede that line) (the personality's stack limit is 4 MiB, the page budget of a
 * process, so the overflow is not caught in time), and then ends, because signal handlers are not
 * run by the personality (docs/kernel-microkernel.md). The check names are the monolith's.
 */
class UserProgramsTest {
    static final String[] USERTESTS = {
        "write from NULL -> EFAULT",
        "write from kernel -> EFAULT",
        "read into kernel -> EFAULT",
        "write from unmapped -> EFAULT",
        "zero-length write -> 0",
        "waitpid with no children fails",
        "execve kernel path -> EFAULT",
        "execve missing -> ENOENT",
        "write bad fd -> EBADF",
        "unknown syscall -> ENOSYS",
        "nanosleep bad nsec -> EINVAL",
        "nanosleep kernel ptr -> EFAULT",
        "NULL write kills with SIGSEGV",
        "kernel write kills with SIGSEGV",
        "cli in ring 3 kills with SIGSEGV",
        "int $13 from ring 3 kills",
        "outb in ring 3 kills",
        "divide by zero kills with SIGFPE",
        "nanosleep 50 ms while a child spins",
        "kill the spinning child",
        "it died of signal 9",
        "20 children reaped, exit codes sum 190",
        "wait with no children -> ECHILD",
        "sbrk returns the old break",
        "1 MiB of new heap is usable",
        "sbrk shrinks back",
        "brk into the stack -> ENOMEM",
        "fork copies memory",
        "child saw the pre-fork heap, its own writes, and read(2)'s",
        "parent's heap untouched by the child",
        "exec'd child saw its argv and envp",
        "pipe",
        "pipe carried 20000 bytes, 0 wrong, then EOF",
        "write with no reader -> EPIPE",
        "pipe(kernel pointer) -> EFAULT",
        "dup2 and close",
    };

    @TempDir
    Path tmp;

    @Test
    void monolithTestPrograms_passOnThePersonality() throws Exception {
        Path img = tmp.resolve("mk.img");
        Files.copy(MultiServerTest.IMAGE, img, StandardCopyOption.REPLACE_EXISTING);
        RunResult r = MultiServerTest.boot(img, "usertests", "fstests", "poweroff");
        List<String> lines = r.serial().lines().map(Mk::withoutDetail).toList();

        String[] expected = new String[USERTESTS.length];
        for (int i = 0; i < USERTESTS.length; i++) {
            expected[i] = "usertests: ok   " + USERTESTS[i];
        }
        assertThat(lines).containsSubsequence(expected);
        assertThat(r.serial().lines().filter(l -> l.contains("usertests: FAIL"))
                .map(l -> Mk.withoutDetail(l.substring(l.indexOf("usertests: FAIL")))).toList())
                .containsExactly("usertests: FAIL stack overflow kills with SIGSEGV");
        assertThat(r.serial()).contains("fstests: all passed").doesNotContain("fstests: FAIL");
        assertThat(r.serial().lines().filter(l -> l.startsWith("fstests: ok")).count()).isGreaterThanOrEqualTo(50);
        assertThat(r.exitPortValue()).isZero();
    }
}
