package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import jx86.testsupport.Oracles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Linux i386 ABI that glibc 2.36 needs (issue 21): user/abitests.c runs as init from a
 * multiboot module and prints one line per check; each line is asserted here, grouped by area.
 * The same binary also runs natively on the build machine's Linux ({@link #nativeLinux_printsTheSameLines}).
 */
class LinuxAbiTest {
    private static RunResult run;

    @BeforeAll
    static void boot() {
        run = PcMachine.run(MachineConfig.builder().kernel(Path.of("target/kernel.elf"))
                .module(Path.of("target/user/abitests"))
                .disk(Path.of("target/disk.img")).snapshot(true)     // a writable current directory
                .append("console=ttyS0 panic=exit init=/abitests")
                .maxInstructions(400_000_000L).build());
    }

    /**
     * The checks of jx86's own choices, which a real Linux legitimately answers otherwise: natively
     * abitests prints "abitests: skip CHECK (on Linux: WHY)" instead of running them.
     */
    private static final Map<String, String> SKIPPED_ON_LINUX = Map.of(
            "clone of a thread (CLONE_VM|CLONE_THREAD) -> EINVAL", "it starts the thread",
            "the first mapping is at 0x40000000 (jx86's mapping area grows upwards)",
            "mappings grow down from below the stack",
            "everyone is root: uid and gid 0", "the user need not be root",
            "CLOCK_REALTIME is the virtual RTC's 2026-01-01 00:00 UTC (within a minute)",
            "the host's clock is the real time");

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
        ok("AT_RANDOM points at 16 random bytes (at least 8 non-zero)", "AT_PAGESZ 4096", "AT_CLKTCK 100",
                "AT_ENTRY is _start", "AT_PHDR and AT_PHNUM match the ELF header (4 headers)", "AT_PHENT 32",
                "AT_HWCAP is CPUID.1:EDX (TSC and CX8 set)", "AT_UID/EUID/GID/EGID present, AT_SECURE 0",
                "AT_PLATFORM \"i686\"", "AT_EXECFN is the executed path (argv[0] here)");
    }

    @Test
    void threadLocalStorageThroughGs() {
        ok("set_thread_area(-1) picks a free TLS entry of the GDT", "%gs:0 reads the TLS block",
                "get_thread_area returns the same descriptor", "set_thread_area entry 3 -> EINVAL",
                "a signal handler sees the same %gs TLS", "%gs survives the handler's return",
                "a forked child keeps the TLS descriptor (status 0)", "%gs:0 still right after switches");
    }

    @Test
    void cloneAndVfork() {
        ok("clone(0x1200011) forks; the child sees its tid", "CLONE_CHILD_SETTID wrote the child's copy only",
                "clone of a thread (CLONE_VM|CLONE_THREAD) -> EINVAL", "vfork: child exits 7",
                "clone(CLONE_VM|CLONE_VFORK|SIGCHLD, a new stack) as posix_spawn: the child runs on that stack");
    }

    @Test
    void mmapMprotectMunmap() {
        ok("mmap2 anonymous: 3 zeroed pages", "the mapping is writable", "mprotect PROT_READ",
                "writing a read-only page: SIGSEGV", "munmap the middle page",
                "reading an unmapped page: SIGSEGV", "the page after it is still there",
                "mmap2 with the hole's address as a hint maps a zeroed page there", "mprotect unmapped -> ENOMEM",
                "the first mapping is at 0x40000000 (jx86's mapping area grows upwards)");
    }

    @Test
    void fileCalls() {
        ok("pipe2(O_CLOEXEC)", "both ends are FD_CLOEXEC", "writev of two buffers -> 12",
                "read back \"hello, world\"", "F_SETFD 0 clears it", "F_DUPFD 10 -> the lowest free descriptor from 10", "F_DUPFD_CLOEXEC",
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
        ok("the uid and gid calls agree with AT_UID/EUID/GID/EGID", "everyone is root: uid and gid 0",
                "CLOCK_REALTIME is after 2001",
                "CLOCK_REALTIME is the virtual RTC's 2026-01-01 00:00 UTC (within a minute)", "gettimeofday agrees",
                "CLOCK_REALTIME_COARSE agrees", "clock_nanosleep 30 ms", "CLOCK_MONOTONIC advanced at least 30 ms",
                "clock 99 -> EINVAL", "sysinfo: at least 4 MiB of RAM, free <= total, load < 64",
                "getrandom 16 bytes", "the test leads its own process group and session");
    }

    @Test
    void threadIdsProcessGroupsAndRawMode() {
        ok("gettid is the pid", "tgkill(pid, pid, SIGUSR2) runs the handler (glibc's raise)",
                "setpgid(0, 0) in a child: its own group", "kill(-pgid) ends the group (status f)",
                "TCSETS: raw mode (no ICANON, no ECHO) reads back", "TIOCSPGRP/TIOCGPGRP: the foreground group is the caller's",
                "TIOCSWINSZ 50x132 reads back and sends SIGWINCH");
    }

    @Test
    void atCallsRelativeToADirectoryDescriptorAndFtruncate() {
        ok("mkdir abi.d in the current directory", "open(abi.d, O_DIRECTORY)",
                "openat(dirfd, \"f\", O_CREAT) and write 10 bytes", "the file is abi.d/f", "fstatat64(dirfd, \"f\")",
                "faccessat(dirfd, \"f\", R_OK)", "mkdirat(dirfd, \"sub\") makes abi.d/sub",
                "openat(dirfd, \"sub/../f\") reads it", "openat(a file's fd, \"x\") -> ENOTDIR",
                "openat(99, \"x\") -> EBADF", "openat(99, an absolute path) ignores the descriptor",
                "mmap2 MAP_PRIVATE of the file: its 10 bytes, then zeros to the page's end",
                "a write to the private mapping does not reach the file", "munmap the file mapping",
                "ftruncate64 to 4 keeps \"0123\"", "ftruncate64 to 6 adds zeros", "ftruncate to 0 empties it",
                "ftruncate of a read-only descriptor -> EINVAL", "unlinkat(dirfd, \"sub\", 0) of a directory -> EISDIR",
                "unlinkat(dirfd, \"sub\", AT_REMOVEDIR)", "unlinkat(dirfd, \"f\", 0)", "abi.d is empty again: rmdir");
    }

    @Test
    void deviceFiles() {
        ok("/dev/null takes writes and reads as end of file", "/dev/zero reads 32 zero bytes",
                "/dev/urandom reads 16 bytes, then 16 others", "/dev/tty is the controlling terminal (TCGETS)");
    }

    @Test
    void procFiles() {
        ok("/proc/self/cmdline is argv, NUL-ended", "/proc/self/status: Name, State R (running), Pid",
                "/proc/self/stat: pid (comm) R ppid pgrp session tty tpgid",
                "/proc/cpuinfo's fpu line agrees with CPUID.1:EDX", "/proc/mounts lists the root");
    }

    @Test
    void jobControl() {
        ok("SIGTSTP stops a child: waitpid(WUNTRACED) says 0x147f", "the stop sent SIGCHLD to the parent",
                "/proc/<pid>/stat shows T while it is stopped", "without WUNTRACED the stop is not reported",
                "and a stop is reported once", "SIGCONT continues it: waitpid(WCONTINUED) says 0xffff",
                "the continue sent SIGCHLD too", "the read the stop interrupted went on after SIGCONT (no EINTR)",
                "SIGSTOP with SA_NOCLDSTOP: stopped (0x137f), no SIGCHLD", "SIGKILL ends a stopped process",
                "a background read of the terminal: SIGTTIN stops the reader",
                "SIGTSTP to an orphaned process group does not stop it", "TIOCSPGRP of no group -> ESRCH");
    }

    /**
     * Issue 21: the user programs are Linux binaries, so abitests must pass on the build machine's
     * own Linux kernel too, line for line. It runs under a pseudo-terminal from script(1) (its
     * terminal checks need one), sized 24x80 like jx86's console, as the leader of the session
     * script makes, in a scratch directory (its file checks work in the current directory); every
     * line must equal jx86's, except the {@link #SKIPPED_ON_LINUX} checks, which are one "skip"
     * line each.
     */
    @Test
    void nativeLinux_printsTheSameLines(@TempDir Path scratch) throws Exception {
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        Oracles.assume(os.equals("Linux") && List.of("amd64", "x86_64", "i386", "x86").contains(arch),
                "the host (" + os + "/" + arch + ") is not x86 Linux");
        Oracles.assumeInstalled("script");
        String exe = Path.of("target/user/abitests").toAbsolutePath().toString();
        Process p = new ProcessBuilder("script", "-qec", "stty rows 24 cols 80; exec " + exe, "/dev/null")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD).directory(scratch.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        List<String> nativeLines = out.lines().filter(l -> l.startsWith("abitests: ")).toList();
        Oracles.assume(!nativeLines.isEmpty(), "the host does not run static i386 binaries:\n" + out);
        List<String> expected = run.serial().replace("\r\n", "\n").lines().filter(l -> l.startsWith("abitests: "))
                .map(l -> {
                    String check = l.substring("abitests: ok   ".length());
                    return l.startsWith("abitests: ok   ") && SKIPPED_ON_LINUX.containsKey(check)
                            ? "abitests: skip " + check + " (on Linux: " + SKIPPED_ON_LINUX.get(check) + ")" : l;
                }).toList();
        assertThat(expected).contains("abitests: all passed");
        assertThat(expected.stream().filter(l -> l.startsWith("abitests: skip "))).hasSize(SKIPPED_ON_LINUX.size());
        assertThat(nativeLines).as("abitests natively:\n" + out).containsExactlyElementsOf(expected);
    }
}
