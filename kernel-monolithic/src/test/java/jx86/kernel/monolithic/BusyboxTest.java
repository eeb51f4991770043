package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jx86.harness.Harness;
import jx86.harness.HarnessResult;
import jx86.host.BufferSerial;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import jx86.testsupport.Oracles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's static i386 busybox (busybox-static, glibc 2.36) unmodified on kernel-monolithic
 * (issue 21). tools/fetch-busybox.sh fetches it into a cache outside the sources; without it
 * every test here skips with the script's one line. The test disk is the usual root tree plus
 * /bin/busybox and /etc/applets.sh (src/test/resources/busybox), which busybox's own shell runs;
 * its sections ("==name") are asserted one per applet. Where the output is deterministic it is
 * also compared with the same busybox running natively on the host (skipped when the host cannot
 * run i386 binaries). The x87 applets assert the right answer and skip while CPUID reports no FPU:
 * until the emulator has one they die of SIGFPE (CR0.EM), which {@link #withoutFpu_x87AppletsDieLoudly}
 * checks.
 */
class BusyboxTest {
    private static final Path KERNEL = Path.of("target/kernel.elf");

    @TempDir
    static Path tmp;

    private static String unavailable;      // why busybox is missing, or null
    private static Path busybox;
    private static Path disk;
    private static RunResult run;
    private static Map<String, String> out;

    @BeforeAll
    static void bootBusybox() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", Path.of("../tools/fetch-busybox.sh").toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isExecutable(Path.of(stdout))) {
            unavailable = stderr.isEmpty() ? "tools/fetch-busybox.sh failed" : stderr.lines().reduce((a, b) -> b).get();
            return;
        }
        busybox = Path.of(stdout);

        Path root = tmp.resolve("root");
        copyTree(Path.of("target/root"), root);
        Files.deleteIfExists(root.resolve("etc/big"));
        Files.copy(busybox, root.resolve("bin/busybox"));
        try (InputStream in = BusyboxTest.class.getResourceAsStream("/busybox/applets.sh")) {
            Files.copy(in, root.resolve("etc/applets.sh"));
        }
        disk = tmp.resolve("disk.img");
        Process mk = new ProcessBuilder("sh", "tools/mkdisk.sh", disk.toString(), root.toString(), "32")
                .redirectErrorStream(true).start();
        String mkOut = new String(mk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(mk.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(mk.exitValue()).as(mkOut).isZero();

        run = PcMachine.run(MachineConfig.builder().kernel(KERNEL)
                .append("console=ttyS0 panic=exit init=/bin/sh").disk(disk)
                // one line: a second typed line would arrive during `sleep 1` and be echoed into its section
                .serialInput("busybox sh /etc/applets.sh; poweroff\r").pacedInput(true)
                .maxInstructions(3_000_000_000L).build());
        out = ConsoleSections.split(run.serial().replace("\r\n", "\n"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static String section(String name) {
        assumeTrue(unavailable == null, "skipped: busybox unavailable: " + unavailable);
        assertThat(out).as("section ==" + name + " in the serial output:\n" + run.serial()).containsKey(name);
        return out.get(name);
    }

    /** The host runs busybox: `busybox sh -c CMD` natively, in a scratch directory; its stdout. */
    private static String nativeRun(String cmd) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("native"));
        Process p = new ProcessBuilder(busybox.toString(), "sh", "-c", cmd).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return s;
    }

    private static void assumeNative() {
        String probe = null;
        try {
            probe = nativeRun("echo probe");
        } catch (Exception | AssertionError e) {
            probe = null;
        }
        Oracles.assume("probe\n".equals(probe), "the host does not run the static i386 busybox natively");
    }

    private static boolean fpu() {
        return section("cpuinfo").contains("fpu\t\t: yes");
    }

    @Test
    void theScriptRunsToTheEndAndPowersOff() {
        section("end");
        assertThat(run.serial()).doesNotContain("panic:").doesNotContain("unknown system call");
        assertThat(run.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(run.exitPortValue()).isZero();
    }

    @Test
    void echo() throws Exception {
        assertThat(section("echo")).isEqualTo("hello busybox\n");
        assumeNative();
        assertThat(nativeRun("echo hello busybox")).isEqualTo(section("echo"));
    }

    @Test
    void uname() {
        assertThat(section("uname")).isEqualTo("jx86 jx86 0.1-kernel-monolithic #1 i386 GNU/Linux\n");
    }

    @Test
    void lsLongOfTheRoot() {
        String ls = section("ls");
        assertThat(ls).startsWith("total ");
        assertThat(ls.lines()).anyMatch(l -> l.matches("drwxr-xr-x +\\d+ 0 +0 +\\d+ .* bin"));
        assertThat(ls.lines()).anyMatch(l -> l.matches("drwxr-xr-x +\\d+ 0 +0 +\\d+ .* etc"));
    }

    @Test
    void catProcMeminfo() {
        assertThat(section("meminfo")).matches("MemTotal: +\\d+ kB\nMemFree: +\\d+ kB\n");
    }

    @Test
    void shellArithmetic() throws Exception {
        assertThat(section("arith")).isEqualTo("42\n");
        assumeNative();
        assertThat(nativeRun("sh -c 'echo $((6*7))'")).isEqualTo("42\n");
    }

    @Test
    void forLoopPipedIntoWc() throws Exception {
        assertThat(section("forwc")).isEqualTo("5\n");
        assumeNative();
        assertThat(nativeRun("for i in 1 2 3 4 5; do echo line$i; done | wc -l")).isEqualTo("5\n");
    }

    @Test
    void md5sumMatchesTheHost() throws Exception {
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                .digest("the quick brown fox\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(section("md5sum")).isEqualTo(md5 + "  /md5.txt\n");
        if (Oracles.onPath("md5sum")) {
            Path f = tmp.resolve("md5.txt");
            Files.writeString(f, "the quick brown fox\n");
            Process p = new ProcessBuilder("md5sum", f.toString()).start();
            String host = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(host).startsWith(md5 + "  ");
        }
    }

    @Test
    void findKernelModules() {
        assertThat(section("find").lines()).contains("/lib/modules/hello.ko", "/lib/modules/ramdisk.ko")
                .allMatch(l -> l.endsWith(".ko"));
    }

    @Test
    void psListsTheProcesses() {
        List<String> ps = section("ps").lines().toList();
        assertThat(ps.get(0)).isEqualTo("PID   USER     COMMAND");
        assertThat(ps).anyMatch(l -> l.matches(" +1 0 +/bin/sh"));
        assertThat(ps).anyMatch(l -> l.matches(" +\\d+ 0 +busybox sh /etc/applets.sh"));
    }

    @Test
    void dateIsTheVirtualRtc() {
        // the emulator's virtual RTC starts at 2026-01-01 00:00:00 UTC; a few virtual seconds pass
        assertThat(section("date")).matches("Thu Jan  1 00:00:0\\d UTC 2026\n");
    }

    @Test
    void sortSedGrep() throws Exception {
        assertThat(section("sort")).isEqualTo("apple\nfig\npear\n");
        assertThat(section("sed")).isEqualTo("hello jx86\n");
        assertThat(section("grep")).isEqualTo("a\nabc\n");
        assumeNative();
        assertThat(nativeRun("printf 'pear\\napple\\nfig\\n' | sort")).isEqualTo(section("sort"));
        assertThat(nativeRun("echo hello world | sed 's/world/jx86/'")).isEqualTo(section("sed"));
        assertThat(nativeRun("printf 'a\\nbb\\nabc\\n' | grep a")).isEqualTo(section("grep"));
    }

    @Test
    void ddFromDevZero() {
        String dd = section("dd");
        assertThat(dd).startsWith("64+0 records in\n64+0 records out\n");
        assertThat(dd.lines()).anyMatch(l -> l.matches("-rw-r--r-- +1 0 +0 +65536 .* /f"));
    }

    @Test
    void sync() {
        assertThat(section("sync")).isEqualTo("synced\n");
    }

    @Test
    void hexdump() throws Exception {
        assertThat(section("hexdump")).isEqualTo(
                "00000000  41 42 43 0a                                       |ABC.|\n00000004\n");
        assumeNative();
        assertThat(nativeRun("printf 'ABC\\n' | hexdump -C")).isEqualTo(section("hexdump"));
    }

    @Test
    void tarCreateAndList() {
        assertThat(section("tar")).isEqualTo("md5.txt\n");
    }

    @Test
    void gzipRoundTrip() throws Exception {
        assertThat(section("gzip")).isEqualTo("compress me\n");
        assumeNative();
        assertThat(nativeRun("echo compress me | gzip -c | gzip -dc")).isEqualTo("compress me\n");
    }

    @Test
    void freeUptimeId() {
        assertThat(section("free").lines()).anyMatch(l -> l.matches("Mem: +131072 +\\d+ +\\d+ +0 +0 +0"));
        assertThat(section("uptime")).matches(" 00:00:\\d\\d up 0 min, +0 users, +load average: \\d\\.\\d\\d, .*\n");
        assertThat(section("id")).isEqualTo("uid=0 gid=0\n");
    }

    @Test
    void mountAndDf() {
        assertThat(section("mount")).isEqualTo("/dev/hda1 on / type ext2 (rw)\nproc on /proc type proc (rw)\n");
        List<String> df = section("df").lines().toList();
        assertThat(df.get(0)).startsWith("Filesystem");
        assertThat(df).anyMatch(l -> l.matches("/dev/hda1 +31744 +\\d+ +\\d+ +\\d+% /"));
    }

    @Test
    void killOfABackgroundJob() {
        assertThat(section("kill")).isEqualTo("Terminated\nkilled status 143\n");
    }

    @Test
    void trapOnASignal() {
        assertThat(section("trap")).isEqualTo("got USR1\nafter trap\n");
    }

    @Test
    void withoutFpu_x87AppletsDieLoudly() {
        assumeTrue(unavailable == null, "skipped: busybox unavailable: " + unavailable);
        assumeTrue(!fpu(), "skipped: CPUID reports an FPU (the x87 tests below run instead)");
        for (String s : List.of("awk", "printf", "seq", "sleep")) {
            assertThat(section(s)).as(s).endsWith("status 136\n");    // 128 + SIGFPE
        }
        assertThat(run.serial()).contains("device not available (trap 7, err 0)");
    }

    @Test
    void x87_awkArithmetic() {
        assumeTrue(unavailable != null || fpu(), "skipped: CPUID reports no x87 FPU");
        assertThat(section("awk")).isEqualTo("3\nstatus 0\n");
    }

    @Test
    void x87_printfFloat() {
        assumeTrue(unavailable != null || fpu(), "skipped: CPUID reports no x87 FPU");
        assertThat(section("printf")).isEqualTo("3.14\nstatus 0\n");
    }

    @Test
    void x87_seq() {
        assumeTrue(unavailable != null || fpu(), "skipped: CPUID reports no x87 FPU");
        assertThat(section("seq")).isEqualTo("1\n2\n3\n4\n5\nstatus 0\n");
    }

    @Test
    void x87_sleep() {
        assumeTrue(unavailable != null || fpu(), "skipped: CPUID reports no x87 FPU");
        assertThat(section("sleep")).isEqualTo("slept\nstatus 0\n");
    }

    @Test
    void e2fsckCleanAfterTheRun() throws Exception {
        section("end");
        Path e2fsck = E2fsprogs.tool("e2fsck");
        Oracles.assume(e2fsck != null, "e2fsck not installed");
        Path part = E2fsprogs.partition(disk, tmp.resolve("part.img"));
        E2fsprogs.Result fn = E2fsprogs.run(e2fsck.toString(), "-fn", part.toString());
        assertThat(fn.exit()).as("e2fsck -fn\n" + fn.out()).isZero();
    }

    /**
     * busybox sh as an interactive shell (ash with line editing and job control): arithmetic, a
     * foreground job interrupted by Ctrl-C (only the job's process group gets SIGINT: the shell
     * reports status 130 and goes on), Ctrl-C at the prompt, exit back to the system's shell.
     */
    @Test
    void interactiveShell_ctrlCReachesTheForegroundJobOnly() {
        section("end");
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(KERNEL)
                .append("console=ttyS0 panic=exit init=/bin/sh").disk(disk).snapshot(true)
                .serialInput("busybox sh\recho hello $((2+3))\rcat\r\003echo alive $?\r\003echo still here\rexit\r"
                        + "poweroff\r")
                .pacedInput(true).maxInstructions(1_000_000_000L).build());
        String serial = r.serial().replace("\r\n", "\n");
        assertThat(serial).contains("built-in shell (ash)");
        // the input is echoed into the transcript; ESC [6n is ash asking where the cursor is
        String prompt = "/ # \033[6n";
        assertThat(serial.lines()).containsSubsequence(
                prompt + "echo hello $((2+3))", "hello 5",
                prompt + "cat", "^C",                       // the kernel's echo in cooked mode
                prompt + "echo alive $?", "alive 130",      // 128 + SIGINT: cat got it, the shell did not
                prompt + "^C",                              // at the prompt: a fresh line
                prompt + "echo still here", "still here",
                prompt + "exit", "/$ poweroff");
        assertThat(serial).doesNotContain("unknown system call").doesNotContain("panic:");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
    }

    /**
     * Job control in the interactive busybox sh (issue 21): a foreground `sleep 100` stopped by
     * Ctrl-Z (the terminal's VSUSP: SIGTSTP to the foreground group), listed Stopped by `jobs`,
     * continued in the background by `bg` (Running), brought back by `fg` and ended by Ctrl-C
     * (status 130); a second one stopped, continued with `bg` and ended by `kill %1`.
     */
    @Test
    void interactiveShell_jobControl() {
        section("end");
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(KERNEL)
                .append("console=ttyS0 panic=exit init=/bin/sh").disk(disk).snapshot(true)
                .serialInput("busybox sh\rsleep 100\r\032jobs\rbg\rjobs\rfg\r\003echo fg status $?\r"
                        + "sleep 200\r\032bg %1\rkill %1\rjobs\recho done\rexit\rpoweroff\r")
                .pacedInput(true).maxInstructions(2_000_000_000L).build());
        String serial = r.serial().replace("\r\n", "\n");
        String prompt = "/ # \033[6n";
        assertThat(serial.lines()).containsSubsequence(
                prompt + "sleep 100", "^Z",                          // the kernel's echo of VSUSP
                "[1]+  Stopped                    sleep 100",        // waitpid(WUNTRACED) saw SIGTSTP
                prompt + "jobs", "[1]+  Stopped                    sleep 100",
                prompt + "bg", "[1] sleep 100",                      // SIGCONT to its group
                prompt + "jobs", "[1]+  Running                    sleep 100",
                prompt + "fg", "sleep 100", "^C",                    // foreground again: it gets SIGINT
                prompt + "echo fg status $?", "fg status 130",
                prompt + "sleep 200", "^Z", "[1]+  Stopped                    sleep 200",
                prompt + "bg %1", "[1] sleep 200",
                prompt + "kill %1",
                prompt + "jobs", "[1]+  Terminated                 sleep 200",
                prompt + "echo done", "done",
                prompt + "exit", "/$ poweroff");
        assertThat(serial).doesNotContain("unknown system call").doesNotContain("panic:");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
    }

    /**
     * The kernel's clock comes from the RTC: booted with the RTC at 1700000000 (2023-11-14
     * 22:13:20 UTC; `--rtc host` passes the host's time the same way, as rtcEpochSeconds), busybox
     * date shows that date, not the default 2026-01-01.
     */
    @Test
    void dateFollowsTheRtc() {
        section("end");
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(KERNEL).rtcEpochSeconds(1_700_000_000L)
                .append("console=ttyS0 panic=exit init=/bin/sh").disk(disk).snapshot(true)
                .serialInput("busybox date\rpoweroff\r").pacedInput(true).maxInstructions(1_000_000_000L).build());
        // a few virtual seconds pass between the boot and the command
        assertThat(r.serial().replace("\r\n", "\n")).containsPattern("/\\$ busybox date\nTue Nov 14 22:13:2\\d UTC 2023\n");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
    }

    /**
     * busybox vi, the full-screen program of issue 21's terminal layer: after `stty rows 30 cols
     * 100` (TIOCSWINSZ) vi opens a new file, gets "hello from vi" and "second line" typed in insert
     * mode (raw input: vi sees each key, Return as CR), ESC, `:wq`; then cat shows the file. vi
     * asked for the window size: it puts its status line on row 30 (ESC [30;1H), where its own
     * default would be row 24. Driven step by step in virtual time (jx86.harness): vi takes an ESC
     * followed within 50 ms by more bytes for an unknown escape sequence and drops them all, so
     * the ESC is sent alone and a virtual second passes before `:wq`.
     */
    @Test
    void vi_editsAFileInTheTerminal() {
        section("end");
        try (Harness h = Harness.boot(MachineConfig.builder().kernel(KERNEL)
                .append("console=ttyS0 panic=exit init=/bin/sh").disk(disk).snapshot(true).build())) {
            Duration budget = Duration.ofSeconds(20);
            assertThat(h.runUntilPrompt("/$ ", budget).matched()).isTrue();
            h.send("busybox stty rows 30 cols 100\r");
            assertThat(h.runUntilPrompt("/$ ", budget).matched()).isTrue();
            h.send("busybox vi /vi.txt\r");
            h.runFor(Duration.ofSeconds(1));
            h.send("ihello from vi\rsecond line");
            h.runFor(Duration.ofSeconds(1));
            h.send("\033");
            h.runFor(Duration.ofSeconds(1));
            h.send(":wq\r");
            assertThat(h.runUntilPrompt("/$ ", budget).matched()).isTrue();
            h.send("cat /vi.txt\r");
            assertThat(h.runUntilPrompt("/$ ", budget).matched()).isTrue();
            h.send("poweroff\r");
            HarnessResult r = h.runToEnd();
            String serial = ((BufferSerial) h.machine().devices().serialBackend(0)).output().replace("\r\n", "\n");
            assertThat(serial).contains("\033[30;1H");
            // vi leaves the alternate screen (ESC [?1049l), then cat prints what vi wrote
            assertThat(serial).contains("\033[?1049l/$ cat /vi.txt\nhello from vi\nsecond line\n/$ poweroff");
            assertThat(serial).doesNotContain("unknown system call").doesNotContain("panic:");
            assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
            assertThat(r.exitValue()).isZero();
        }
    }
}
