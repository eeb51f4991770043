package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;

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
    void hostilePrograms_areContainedAndEveryCheckPasses() {
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(Path.of("target/kernel.elf"))
                .append("console=ttyS0 panic=exit init=/bin/abusetests")
                .disk(Path.of("target/disk.img")).snapshot(true)
                .maxInstructions(2_000_000_000L).build());

        assertThat(r.serial().lines()).containsSubsequence(
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
