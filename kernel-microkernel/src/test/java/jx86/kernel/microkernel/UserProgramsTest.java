package jx86.kernel.microkernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jx86.machine.RunResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kernel-monolithic's own test programs (the same files in /bin) on the multi-server system:
 * usertests and fstests pass completely, with the monolith's output lines (kernel-monolithic's
 * BootTest runs the same usertests). usertests' lines are the monolith's word for word, wait
 * statuses included, except two figures: the memory a fork of a 2 MiB heap took (the
 * personality's copy-on-write: a few pages) and how many processes fit in the process table
 * (48 here, 64 on the monolith). One boot runs both programs, with /proc/meminfo (the
 * personality's page pool and copy-on-write counters) read before and after usertests.
 */
class UserProgramsTest {
    /** usertests' checks in order, as the monolith prints them (after "usertests: ok   "). */
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
        "NULL write kills with SIGSEGV (status b)",
        "kernel write kills with SIGSEGV (status b)",
        "cli in ring 3 kills with SIGSEGV (status b)",
        "int $13 from ring 3 kills (status b)",
        "outb in ring 3 kills (status b)",
        "divide by zero kills with SIGFPE (status 8)",
        "stack overflow kills with SIGSEGV (status b)",
        "nanosleep 50 ms while a child spins",
        "kill the spinning child",
        "it died of signal 9 (status 9)",
        "20 children reaped, exit codes sum 190",
        "wait with no children -> ECHILD",
        "sbrk returns the old break",
        "1 MiB of new heap is usable",
        "sbrk shrinks back",
        "brk into the stack -> ENOMEM",
        "fork copies memory (parent 1, child 2)",
        "child saw the pre-fork heap, its own writes, and read(2)'s (status 300)",
        "parent's heap untouched by the child",
        "exec'd child saw its argv and envp (status 700)",
        "pipe",
        "pipe carried 20000 bytes, 0 wrong, then EOF",
        "write with no reader -> EPIPE (SIGPIPE ignored)",
        "pipe(kernel pointer) -> EFAULT",
        "dup2 and close",
        "handler runs on raise, locals survive",
        "a blocked signal waits until unblocked",
        "SA_SIGINFO handler gets siginfo and ucontext (1201)",
        "SIGKILL cannot be caught",
        "ignored SIGTERM does nothing",
        "SIGSEGV handler runs (status 2900)",
        "default SIGTERM kills (status f)",
        "writing a readerless pipe raises SIGPIPE (status d)",
        "signal interrupts a blocked read with EINTR (status 500)",
        "SIGCHLD reaches a parent with a handler",
        "alarm(1) interrupts pause()",
        "/proc/meminfo",
        "/proc/self's pid/status",
        "/proc/1 is a directory",
        "/proc/nosuch -> ENOENT",
        "/proc files are read-only",
        "/proc lists modules and 1"
    };

    @TempDir
    static Path tmp;

    static RunResult run;

    @BeforeAll
    static void boot() throws Exception {
        Path img = tmp.resolve("mk.img");
        Files.copy(MultiServerTest.IMAGE, img, StandardCopyOption.REPLACE_EXISTING);
        run = MultiServerTest.boot(img, "cat /proc/meminfo", "usertests", "cat /proc/meminfo", "fstests", "poweroff");
    }

    @Test
    void usertests_passWithTheMonolithsLines() {
        String[] expected = new String[USERTESTS.length + 1];
        for (int i = 0; i < USERTESTS.length; i++) {
            expected[i] = "usertests: ok   " + USERTESTS[i];
        }
        expected[USERTESTS.length] = "usertests: all passed";
        assertThat(MultiServerTest.lines(run)).containsSubsequence(expected);
        assertThat(run.serial()).doesNotContain("usertests: FAIL");
        // the two figures that differ from the monolith
        assertThat(figure("usertests: ok   fork of a 2 MiB heap took (\\d+) KiB, not a copy", 0)).isLessThan(64);
        assertThat(figure("usertests: ok   fork until the table is full: (\\d+), then EAGAIN", 0)).isEqualTo(45);
        assertThat(run.exitPortValue()).isZero();
    }

    @Test
    void fstests_pass() {
        assertThat(run.serial()).contains("fstests: all passed").doesNotContain("fstests: FAIL");
        assertThat(run.serial().lines().filter(l -> l.startsWith("fstests: ok")).count()).isGreaterThanOrEqualTo(50);
    }

    /**
     * The heartbeat takes no busy driver for a hung one: through usertests (fork bomb, faults) and
     * fstests (big files: thousands of ATA requests back to back) the restart server pings the ATA
     * and console drivers every 100 ms, and restarts nothing.
     */
    @Test
    void noDriverIsRestarted_whileBusyWithUsertestsAndFstests() {
        assertThat(run.serial()).contains("restart: watching 2 drivers");
        assertThat(MultiServerTest.lines(run).stream().filter(l -> l.contains("restart: ")
                && !l.endsWith("restart: watching 2 drivers"))).isEmpty();
    }

    /**
     * fork shares pages copy-on-write. usertests forks a process with a 2 MiB heap (512 pages):
     * the fork itself takes a few pages of /proc/meminfo's MemFree (a copying fork would take
     * 2 MiB), the heap's pages are counted as shared, and the child's writes to half of the heap
     * (256 pages) copy those pages only, while both sides see their own writes (usertests' checks).
     */
    @Test
    void fork_sharesPagesCopyOnWrite() {
        assertThat(MultiServerTest.lines(run)).contains(
                "usertests: ok   child saw the pre-fork heap, its own writes, and read(2)'s (status 300)",
                "usertests: ok   parent's heap untouched by the child");
        int tookKiB = figure("usertests: ok   fork of a 2 MiB heap took (\\d+) KiB, not a copy", 0);
        assertThat(tookKiB).isLessThan(64);
        int shared = figure("CowShared: (\\d+)", 1) - figure("CowShared: (\\d+)", 0);
        int copies = figure("CowCopies: (\\d+)", 1) - figure("CowCopies: (\\d+)", 0);
        assertThat(shared).as("pages shared by usertests' forks").isGreaterThanOrEqualTo(512);
        assertThat(copies).as("pages copied on a write").isGreaterThanOrEqualTo(256).isLessThan(shared);
        assertThat(figure("MemTotal: +(\\d+) kB", 0)).isEqualTo(98304);
    }

    /** The number in the index-th line that matches regex (its group 1). */
    static int figure(String regex, int index) {
        Matcher m = Pattern.compile(regex).matcher(run.serial());
        for (int i = 0; i <= index; i++) {
            assertThat(m.find()).as("line %d matching %s", i + 1, regex).isTrue();
        }
        return Integer.parseInt(m.group(1));
    }
}
