package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Linux i386 ABI that glibc 2.36 needs (issue 21): user/abitests.c runs as init from a
 * multiboot module and prints one line per check; each line is asserted here, grouped by area.
 */
class LinuxAbiTest {
    private static RunResult run;

    @BeforeAll
    static void boot() {
        run = PcMachine.run(MachineConfig.builder().kernel(Path.of("target/kernel.elf"))
                .module(Path.of("target/user/abitests"))
                .append("console=ttyS0 panic=exit init=/abitests")
                .maxInstructions(400_000_000L).build());
    }

    private static void ok(String... checks) {
        for (String c : checks) {
            assertThat(run.serial().lines()).contains("abitests: ok   " + c);
        }
    }

    @Test
    void allChecksPassAndTheRunPowersOffCleanly() {
        assertThat(run.serial()).contains("abitests: all passed").doesNotContain("FAIL").doesNotContain("panic:")
                .doesNotContain("unknown system call");
        assertThat(run.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(run.exitPortValue()).isZero();
    }

    @Test
    void auxiliaryVector() {
        ok("AT_RANDOM points at 16 random bytes (16 non-zero)", "AT_PAGESZ 4096", "AT_CLKTCK 100",
                "AT_ENTRY is _start", "AT_PHDR and AT_PHNUM match the ELF header (4 headers)", "AT_PHENT 32",
                "AT_HWCAP is CPUID.1:EDX (TSC and CX8 set)", "AT_UID/EUID/GID/EGID 0, AT_SECURE 0",
                "AT_PLATFORM \"i686\"", "AT_EXECFN is the executed path (/abitests)");
    }

    @Test
    void threadLocalStorageThroughGs() {
        ok("set_thread_area(-1) picks GDT entry 6", "%gs:0 reads the TLS block",
                "get_thread_area returns the same descriptor", "set_thread_area entry 3 -> EINVAL",
                "a signal handler sees the same %gs TLS", "%gs survives the handler's return",
                "a forked child keeps the TLS descriptor (status 0)", "%gs:0 still right after switches");
    }

    @Test
    void cloneAndVfork() {
        ok("clone(0x1200011) forks; the child sees its tid", "CLONE_CHILD_SETTID wrote the child's copy only",
                "clone of a thread -> EINVAL", "vfork: child exits 7");
    }

    @Test
    void mmapMprotectMunmap() {
        ok("mmap2 anonymous: 3 zeroed pages at 0x40000000", "the mapping is writable", "mprotect PROT_READ",
                "writing a read-only page: SIGSEGV (status b)", "munmap the middle page",
                "reading an unmapped page: SIGSEGV", "the page after it is still there",
                "the hole is reused first-fit", "mprotect unmapped -> ENOMEM");
    }

    @Test
    void fileCalls() {
        ok("pipe2(O_CLOEXEC)", "both ends are FD_CLOEXEC", "writev of two buffers -> 12",
                "read back \"hello, world\"", "F_SETFD 0 clears it", "F_DUPFD 10 -> 10", "F_DUPFD_CLOEXEC",
                "dup3(O_CLOEXEC)", "dup3 to itself -> EINVAL", "openat(AT_FDCWD, /proc/meminfo)",
                "_llseek to 4 -> 4", "and reads from there", "fstatat64(AT_FDCWD, /proc) is a directory",
                "fstatat64(0, \"\", AT_EMPTY_PATH)", "access(/proc/meminfo, R_OK)", "access missing -> ENOENT");
    }

    @Test
    void terminalIoctls() {
        ok("TCGETS on the console: ICANON and ECHO", "TIOCGWINSZ: 24 rows, 80 columns",
                "TCGETS on a pipe -> ENOTTY");
    }

    @Test
    void sigreturnAndSigsuspend() {
        ok("two handler returns through sigreturn", "rt_sigsuspend returns EINTR after the handler",
                "and the blocked mask is restored");
    }

    @Test
    void idsClocksAndSysinfo() {
        // the emulator's virtual RTC starts at 2026-01-01 00:00:00 UTC
        ok("uid and gid calls return 0", "CLOCK_REALTIME is after 2001 (1767225600)", "gettimeofday agrees",
                "CLOCK_REALTIME_COARSE agrees", "clock_nanosleep 30 ms", "CLOCK_MONOTONIC advanced 30 ms",
                "clock 99 -> EINVAL", "sysinfo: 32768 pages of RAM, load 1", "getrandom 16 bytes",
                "init is its own process group and session");
    }

    @Test
    void threadIdsProcessGroupsAndRawMode() {
        ok("gettid is the pid", "tgkill(pid, pid, SIGUSR2) runs the handler (glibc's raise)",
                "setpgid(0, 0) in a child: its own group", "kill(-pgid) ends the group (status f)",
                "TCSETS: raw mode (no ICANON, no ECHO) reads back", "TIOCSPGRP/TIOCGPGRP: the foreground group is 1",
                "TIOCSWINSZ 50x132 reads back and sends SIGWINCH");
    }
}
