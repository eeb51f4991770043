package jx86.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jx86 bench --compare}'s machinery with stand-in emulators: small shell scripts that print
 * what jx86, QEMU or Bochs would (checksum, end line, jx86's stats line) for the zero-work image
 * ({@code ...-0.img}) and the full one. No timing is asserted, only what the table and the checks do
 * with the runs' outputs.
 */
class BenchCompareTest {
    @TempDir
    Path dir;

    private static final BenchWorkload.Choice CPU = new BenchWorkload.Choice(BenchWorkload.CPU_BOUND, 3);

    /** An image maker that only makes empty files named like the real ones (class-iterations.img). */
    private static final BenchCompare.ImageMaker FAKE_IMAGES = (c, n, d) -> {
        Path p = d.resolve(c.workload().id + "-" + n + ".img");
        Files.write(p, new byte[0]);
        return p;
    };

    /** A stand-in: sh runs the script with the image as $1, in the run directory. */
    private static BenchEmulator fake(String name, String script, int expectedExit, boolean serialFile) {
        return new BenchEmulator(name, name + " (fake)", null,
                (image, d) -> List.of("sh", "-c", script, "sh", image.toString()), expectedExit, null, serialFile);
    }

    private static BenchEmulator fakeJx86(String checksum) {
        return fake("jx86", "case \"$1\" in *-0.img) n=1,000;; *) n=301,000;; esac; "
                + "printf 'boot\\r\\n" + checksum + "\\r\\ndone\\r\\n'; echo \"jx86 stats: $n instructions\" >&2; exit 0",
                0, false);
    }

    private static BenchEmulator fakeQemu(String checksum) {
        return fake("qemu", "printf '" + checksum + "\\ndone\\n'; exit 1", 1, false);
    }

    /** Like Bochs: COM1 in a file, and the process never ends by itself (it is destroyed after the end line). */
    private static BenchEmulator fakeBochs(String checksum) {
        return fake("bochs", "printf '" + checksum + "\\ndone\\n' > com1.txt; exec sleep 60", -1, true);
    }

    private String run(List<BenchEmulator> emulators) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new BenchCompare(emulators, FAKE_IMAGES, 2, 0, new PrintStream(buf, true, StandardCharsets.UTF_8))
                .run(List.of(CPU), dir);
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void table_startsWithTheRuleAndGivesEveryEmulatorJx86sWorkloadInstructions() throws Exception {
        String out = run(List.of(fakeJx86("bench checksum=0xab"), fakeQemu("bench checksum=0xab"),
                fakeBochs("bench checksum=0xab")));

        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).startsWith("timing rule: every emulator boots the same disk image as a whole process")
                .contains("boot is subtracted by the same image with iteration count 0")
                .contains("(full run - zero run)").contains("2 runs of each");
        assertThat(lines.get(1)).contains("workload instr", "full s", "zero s", "MIPS", "x QEMU", "x Bochs");
        // 301,000 - 1,000 instructions: jx86's count for every row, and each row's checksum (the
        // stand-ins' times are noise: a row may say its MIPS is undefined)
        assertThat(lines.subList(2, 5)).allSatisfy(l -> assertThat(l).startsWith("cpu-bound:3").contains("300,000")
                .contains("  bench checksum=0xab"));
        assertThat(lines.get(2)).contains("jx86 (fake)");
        assertThat(lines.get(3)).contains("qemu (fake)");
        assertThat(lines.get(4)).contains("bochs (fake)");
    }

    @Test
    void checksumMismatch_failsTheCommand() {
        assertThatThrownBy(() -> run(List.of(fakeJx86("bench checksum=0xab"), fakeQemu("bench checksum=0xac"))))
                .isInstanceOf(UserError.class)
                .hasMessage("qemu: checksum differs from jx86's on cpu-bound with 0 iterations: "
                        + "'bench checksum=0xac' vs 'bench checksum=0xab'");
        assertThatThrownBy(() -> run(List.of(fakeJx86("bench checksum=0xab"), fakeBochs("kbench checksum=0xab"))))
                .isInstanceOf(UserError.class).hasMessageContaining("bochs: checksum differs");
    }

    @Test
    void failedRuns_failTheCommand() {
        // no end line
        assertThatThrownBy(() -> run(List.of(fake("jx86", "echo 'bench checksum=0x1'; exit 0", 0, false))))
                .isInstanceOf(UserError.class).hasMessageContaining("never printed 'done' on COM1");
        // QEMU's status when the guest wrote 1 to the exit port: 3
        assertThatThrownBy(() -> run(List.of(fakeJx86("bench checksum=0x1"),
                fake("qemu", "printf 'bench checksum=0x1\\ndone\\n'; exit 3", 1, false))))
                .isInstanceOf(UserError.class).hasMessageContaining("ended with status 3, expected 1");
        // jx86 without its stats line: no instruction count
        assertThatThrownBy(() -> run(List.of(fake("jx86", "printf 'bench checksum=0x1\\ndone\\n'", 0, false))))
                .isInstanceOf(UserError.class).hasMessageContaining("no 'jx86 stats: N instructions' line");
        // no checksum at all
        assertThatThrownBy(() -> run(List.of(fake("jx86", "printf 'done\\n'", 0, false))))
                .isInstanceOf(UserError.class).hasMessageContaining("no checksum line");
    }

    @Test
    void absentEmulator_isOneClearLineInItsRow() throws Exception {
        BenchEmulator bochs = BenchEmulator.bochs(dir.resolve("no-such-bochs").toString());
        BenchEmulator qemu = BenchEmulator.qemu(dir.resolve("no-such-qemu").toString());
        assertThat(bochs.missing).isEqualTo("bochs: not installed (tools/fetch-bochs.sh)");
        assertThat(qemu.missing).startsWith("qemu: not installed (");

        String out = run(List.of(fakeJx86("bench checksum=0xab"), qemu, bochs));

        assertThat(out.lines()).anySatisfy(l -> assertThat(l).startsWith("cpu-bound:3").contains("qemu TCG")
                .endsWith("  " + qemu.missing));
        assertThat(out.lines()).anySatisfy(l -> assertThat(l).startsWith("cpu-bound:3").contains("bochs")
                .endsWith("  bochs: not installed (tools/fetch-bochs.sh)"));
    }

    @Test
    void format_computesMipsFromTheMedianDifferenceAndTheRatios() {
        List<BenchCompare.Row> rows = List.of(
                new BenchCompare.Row("jx86", "jx86 --engine cache", 5.0, 1.0, 401_000_000, 1_000_000, "bench checksum=0x1", null),
                new BenchCompare.Row("qemu", "qemu TCG", 1.5, 0.5, -1, -1, "bench checksum=0x1", null),
                new BenchCompare.Row("bochs", "bochs", 10.5, 0.5, -1, -1, "bench checksum=0x1", null));

        List<String> lines = BenchCompare.format("cpu-bound:6", rows);

        // 400 M instructions: jx86 in 4 s = 100 MIPS, QEMU in 1 s = 400, Bochs in 10 s = 40
        assertThat(lines.get(0)).contains("400,000,000", "5.000", "1.000", "100.0", "0.25", "2.50");
        assertThat(lines.get(1)).contains("400.0", "1.00", "10.00");
        assertThat(lines.get(2)).contains("40.0", "0.10", "1.00");
    }

    @Test
    void bootFiguresLine_takesTheChildsPromptTimeAndPeakHeap() {
        String child = "benchmark   instructions  wall s  MIPS  cpu MIPS  peak heap  checksum\n"
                + "boot:monolithic     1,104,997     0.543      2.0       2.1    145 MiB  prompt '/$ ' seen\n"
                + "boot:monolithic: boot to prompt: 1,104,997 instructions, 1,249 ms after JVM start (first run in this JVM; "
                + "543 ms of it from machine construction); warm runs: 543 ms from machine construction (median)\n";
        assertThat(BenchCompare.bootFiguresLine(128, 0, child)).isEqualTo("boot to kernel-monolithic's prompt, -m 128, "
                + "fresh JVM: 1,104,997 instructions, 1,249 ms after JVM start; peak heap 145 MiB");
        assertThat(BenchCompare.bootFiguresLine(512, 2, "jx86: boom\n")).startsWith(
                "boot to kernel-monolithic's prompt, -m 512, fresh JVM: failed (status 2): jx86: boom");
    }

    @Test
    void emulatorCommands_bootTheImageWithoutWritingIt() throws IOException {
        Path img = dir.resolve("cpu-bound-0.img");
        assertThat(BenchEmulator.jx86Args(img, "jit")).containsExactly("boot", img.toString(), "--snapshot", "-m", "128",
                "--stats", "--engine", "jit");
        BenchEmulator.JavaLauncher l = new BenchEmulator.JavaLauncher(Path.of("/j/bin/java"), List.of("-Xmx1g"),
                Path.of("/root"), "a.jar:b.jar");
        assertThat(l.command(List.of("boot"))).containsExactly("/j/bin/java", "-Xmx1g", "-Djx86.root=/root", "-cp",
                "a.jar:b.jar", "jx86.cli.Main", "boot");
        Path archive = Files.writeString(dir.resolve("jx86-1.jsa"), "archive");
        assertThat(BenchEmulator.JavaLauncher.cdsOptions(archive.toString())).containsExactly(
                "-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:cds*=off", "-Djx86.cdsArchive=" + archive);
        assertThat(BenchEmulator.JavaLauncher.cdsOptions(dir.resolve("missing.jsa").toString())).isEmpty();
        assertThat(BenchEmulator.JavaLauncher.cdsOptions(null)).isEmpty();
        assertThat(BenchEmulator.qemuCommand("q", img)).containsSubsequence("q", "-accel", "tcg", "-m", "128",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-drive", "file=" + img + ",format=raw,if=ide,index=0,snapshot=on");
        String rc = BenchEmulator.bochsrc(Path.of("/usr/share/bochs"), img, dir);
        assertThat(rc.lines()).contains("megs: 128", "ata0-master: type=disk, path=" + img + ", mode=volatile",
                "boot: disk", "com1: enabled=1, mode=file, dev=" + dir.resolve("com1.txt"), "clock: sync=none",
                "cpu: count=1, ips=100000000", "romimage: file=/usr/share/bochs/BIOS-bochs-latest");
    }

    @Test
    void jx86Child_getsTheLaunchersOptionsInTheLaunchersOrder() throws IOException {
        Path archive = Files.writeString(dir.resolve("jx86-2.jsa"), "archive");
        assertThat(BenchEmulator.JavaLauncher.options(archive.toString(), "-XX:+UseParallelGC -Xmn64m",
                " -Xmx2g  -Xmn32m ")).containsExactly(
                "-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:cds*=off", "-Djx86.cdsArchive=" + archive,
                "-XX:+UseParallelGC", "-Xmn64m", "-Djx86.jvmOptions=-XX:+UseParallelGC -Xmn64m",
                "-Xmx2g", "-Xmn32m");
        assertThat(BenchEmulator.JavaLauncher.options(null, "-XX:+A -XX:+B", null)).containsExactly(
                "-XX:+A", "-XX:+B", "-Djx86.jvmOptions=-XX:+A -XX:+B");
        assertThat(BenchEmulator.JavaLauncher.options(null, null, "")).isEmpty();
        assertThat(BenchEmulator.JavaLauncher.options(null, " ", "-Xmx1g")).containsExactly("-Xmx1g");
    }

    @Test
    void children_runThisJvmsJavaBinary_andTheHeaderNamesItsVersion() {
        BenchEmulator.JavaLauncher l = BenchEmulator.JavaLauncher.current(dir);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assertThat(l.java()).isEqualTo(java);
        assertThat(l.command(List.of("boot")).get(0)).isEqualTo(java.toString());
        assertThat(l.describe()).matches("java " + Runtime.version().feature() + "(\\.[0-9]+)* \\("
                + java.toString().replace(".", "\\.") + "\\)");
    }

    @Test
    void statsAndEndLines_areParsedFromTheirOwnLinesOnly() {
        assertThat(BenchEmulator.statsInstructions("jx86 stats: 83,089,423 instructions, 1 cycles\n")).isEqualTo(83_089_423L);
        assertThat(BenchEmulator.statsInstructions("jx86 stats: 83.089.423 instructions\n")).isEqualTo(83_089_423L);
        assertThat(BenchEmulator.statsInstructions("no stats\n")).isEqualTo(-1);
        assertThat(BenchEmulator.hasLine("x\r\ndone\r\n", "done")).isTrue();
        assertThat(BenchEmulator.hasLine("undone\ndone now\n", "done")).isFalse();
    }
}
