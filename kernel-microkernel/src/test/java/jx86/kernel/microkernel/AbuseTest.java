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
 * reach handlers. The expected lines are kernel-monolithic's AbuseTest's, word for word.
 */
class AbuseTest {
    @TempDir
    Path tmp;

    @Test
    void hostilePrograms_areContainedWithTheMonolithsOutput() throws Exception {
        Path img = tmp.resolve("mk.img");
        Files.copy(MultiServerTest.IMAGE, img, StandardCopyOption.REPLACE_EXISTING);
        RunResult r = MultiServerTest.boot(img, "abusetests", "poweroff");

        assertThat(MultiServerTest.lines(r)).containsSubsequence(
                "abusetests: starting",
                "abusetests: ok   read: wild pointer in argument 2 -> EFAULT",
                "abusetests: ok   write: wild pointer in argument 2 -> EFAULT",
                "abusetests: ok   open: wild pointer in argument 1 -> EFAULT",
                "abusetests: ok   link (old): wild pointer in argument 1 -> EFAULT",
                "abusetests: ok   link (new): wild pointer in argument 2 -> EFAULT",
                "abusetests: ok   unlink: wild pointer in argument 1 -> EFAULT",
                "abusetests: ok   execve (path): wild pointer in argument 1 -> EFAULT",
                "abusetests: ok   execve (argv): wild pointer in argument 2 -> EFAULT",
                "abusetests: ok   execve (envp): wild pointer in argument 3 -> EFAULT",
                "abusetests: ok   chdir: wild pointer in argument 1 -> EFAULT",
                "abusetests: ok   rename (old): wild pointer in argument 1 -> EFAULT",
                "abusetests: ok   rename (new): wild pointer in argument 2 -> EFAULT",
                "abusetests: ok   mkdir: wild pointer in argument 1 -> EFAULT",
                "abusetests: ok   rmdir: wild pointer in argument 1 -> EFAULT",
                "abusetests: ok   pipe: wild pointer in argument 1 -> EFAULT",
                "abusetests: ok   uname: wild pointer in argument 1 -> EFAULT",
                "abusetests: ok   init_module (image): wild pointer in argument 1 -> EFAULT",
                "abusetests: ok   init_module (params): wild pointer in argument 3 -> EFAULT",
                "abusetests: ok   delete_module: wild pointer in argument 1 -> EFAULT",
                "abusetests: ok   nanosleep: wild pointer in argument 1 -> EFAULT",
                "abusetests: ok   getcwd: wild pointer in argument 1 -> EFAULT",
                "abusetests: ok   stat64 (path): wild pointer in argument 1 -> EFAULT",
                "abusetests: ok   stat64 (buf): wild pointer in argument 2 -> EFAULT",
                "abusetests: ok   lstat64 (buf): wild pointer in argument 2 -> EFAULT",
                "abusetests: ok   fstat64: wild pointer in argument 2 -> EFAULT",
                "abusetests: ok   getdents64: wild pointer in argument 2 -> EFAULT",
                "abusetests: ok   rt_sigaction (act): wild pointer in argument 2 -> EFAULT",
                "abusetests: ok   rt_sigaction (oact): wild pointer in argument 3 -> EFAULT",
                "abusetests: ok   rt_sigprocmask (set): wild pointer in argument 2 -> EFAULT",
                "abusetests: ok   rt_sigprocmask (oset): wild pointer in argument 3 -> EFAULT",
                "abusetests: ok   waitpid, wait4: wild status pointer -> EFAULT",
                "abusetests: ok   fork bomb: fork fails with EAGAIN, all reaped (status 0)",
                "abusetests: ok   fork works again afterwards",
                "abusetests: ok   SIGSEGV handler runs on a bad access (status 3300)",
                "abusetests: ok   SIGFPE handler runs on a divide error (status 3000)",
                "abusetests: ok   SIGILL handler runs on ud2 (status 2c00)",
                "abusetests: ok   SIGCHLD handler runs when a child exits",
                "abusetests: all passed",
                "reboot: power down");
        assertThat(r.serial()).doesNotContain("FAIL", "panic:");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
    }
}
