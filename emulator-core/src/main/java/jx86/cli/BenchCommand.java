package jx86.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jx86 bench}: runs benchmark guests (multiboot ELFs that print {@code bench checksum=0x...}
 * and exit through port 0xF4) several times after a warm-up and prints guest instructions, wall
 * seconds, MIPS (median of the measured runs; also from the machine thread's CPU time, which a
 * loaded host disturbs less than wall time) and peak heap. A run whose checksum line is missing,
 * differs between runs, or whose guest does not exit with 0 through port 0xF4 fails the command:
 * a wrong result must never look fast.
 *
 * <p>{@code --compare} also runs the same ELF under {@code qemu-system-i386} (TCG) and reports
 * MIPS computed from jx86's exact guest instruction count (same binary, deterministic) divided by
 * the other emulator's wall time per run (process start to exit). Bochs, when installed, boots the
 * ELF wrapped in a jx86 disk image (see {@link #bochsRow}).
 *
 * <p>Besides ELF guests it takes the specs of {@link BenchSpec}: {@code kernel-monolithic:PROG}
 * (kernel-monolithic with {@code init=/bin/PROG} from its test disk, snapshot; checked like an ELF
 * guest: a {@code kbench checksum=0x...} line and power-off with 0; {@code --compare} boots the
 * same kernel, command line and disk on QEMU) and {@code boot:IMAGE} (a disk image booted to its
 * first shell prompt, watched by {@link PromptWatch}; the figures are the guest instructions and the
 * wall time to the prompt, and for the first run in this JVM the time since JVM start).
 *
 * <p>Wall time is measured here, on the host, for reporting only; nothing in the machine reads it.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run benchmark guests and print guest MIPS (see docs/performance.md).")
public final class BenchCommand implements Callable<Integer> {
    /** What {@code jx86 bench} runs without arguments. */
    static final String DEFAULT_BENCH = "bench/cpu-bound";

    /** "bench checksum=0x..." or, for a named benchmark program, "kbench checksum=0x...". */
    private static final Pattern CHECKSUM = Pattern.compile("[A-Za-z0-9_]*bench checksum=0x[0-9a-fA-F]+");

    @Parameters(arity = "0..*", paramLabel = "BENCH",
            description = "Benchmark ELF paths or names under src-test-guests/target/guests, "
                    + "kernel-monolithic:PROG (boot kernel-monolithic with init=/bin/PROG from its test disk), "
                    + "or boot:IMAGE (boot disk-images/target/images/IMAGE.img to its shell prompt) (default: "
                    + DEFAULT_BENCH + ").")
    List<String> benches = new ArrayList<>();

    @Option(names = "--runs", paramLabel = "N", description = "Measured runs per benchmark (default ${DEFAULT-VALUE}).")
    int runs = 5;

    @Option(names = "--warmup", paramLabel = "N", description = "Unmeasured warm-up runs (default ${DEFAULT-VALUE}).")
    int warmup = 2;

    @Option(names = "-m", paramLabel = "MiB", description = "Guest RAM in MiB (default ${DEFAULT-VALUE}).")
    int memoryMiB = 128;

    @Option(names = "--compare", description = "Also run the ELF under qemu-system-i386 (TCG) and bochs if usable.")
    boolean compare;

    @Option(names = "--no-decode-cache",
            description = "Decode every guest instruction again (jx86 without its decoded-instruction cache).")
    boolean noDecodeCache;

    @Option(names = "--engine", paramLabel = "ENGINE",
            description = "jx86's execution engine: interp, cache or jit (default: cache).")
    String engine;

    @Option(names = "--qemu", paramLabel = "CMD", description = "QEMU binary (default ${DEFAULT-VALUE}).")
    String qemu = "qemu-system-i386";

    /** Whether this command already built a machine in this JVM (the JVM-start figure needs the first). */
    private boolean machineBuilt;

    /** One jx86 run: its outcome and, for a boot benchmark, when the prompt appeared. */
    record Run(RunResult result, long promptInstructions, double promptSeconds, double promptCpuSeconds,
            long jvmUptimeMillis) {
    }

    /** One benchmark's measured figures. */
    record Figures(String name, long instructions, double medianSeconds, double mips, double cpuMips,
            long peakHeapBytes, String checksum) {
    }

    @Override
    public Integer call() {
        if (runs < 1 || warmup < 0) {
            throw new UserError("--runs must be at least 1 and --warmup at least 0");
        }
        List<String> names = benches.isEmpty() ? List.of(DEFAULT_BENCH) : benches;
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-26s %14s %9s %9s %9s %10s  %s%n",
                "benchmark", "instructions", "wall s", "MIPS", "cpu MIPS", "peak heap", "checksum"));
        List<String> compareLines = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String name : names) {
            BenchSpec spec = BenchSpec.parse(name, ImageResolver.root());
            Figures f = runJx86(spec, notes);
            table.append(String.format(Locale.ROOT, "%-26s %,14d %9.3f %9.1f %9.1f %6d MiB  %s%n", f.name(),
                    f.instructions(), f.medianSeconds(), f.mips(), f.cpuMips(), f.peakHeapBytes() >> 20,
                    f.checksum()));
            if (compare) {
                compareLines.add(compareRow(f, spec));
            }
        }
        System.out.print(table);
        notes.forEach(System.out::println);
        if (compare) {
            System.out.println();
            System.out.printf(Locale.ROOT, "%-26s %-8s %9s %9s %9s  %s%n", "benchmark", "emulator", "wall s",
                    "MIPS", "jx86/x", "note");
            compareLines.forEach(System.out::print);
        }
        return 0;
    }

    private Figures runJx86(BenchSpec spec, List<String> notes) {
        String name = spec.name();
        String checksum = null;
        long instructions = -1;
        long prompt = -1;
        Run cold = null;
        boolean coldIsFirst = !machineBuilt;
        for (int i = 0; i < warmup; i++) {
            Run r = runOnce(spec);
            cold = cold == null ? r : cold;
            checksum = verify(spec, r, checksum, instructions, prompt);
            instructions = r.result().instructions();
            prompt = r.promptInstructions();
        }
        double[] seconds = new double[runs];
        double[] cpuSeconds = new double[runs];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long peak = 0;
        for (int i = 0; i < runs; i++) {
            resetPeakHeap();     // so the peak is one machine's, not the previous runs' garbage
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            Run r = runOnce(spec);
            seconds[i] = spec.bootPrompt() ? r.promptSeconds() : (System.nanoTime() - t0) / 1e9;
            cpuSeconds[i] = spec.bootPrompt() ? r.promptCpuSeconds() : (threads.getCurrentThreadCpuTime() - c0) / 1e9;
            peak = Math.max(peak, peakHeap());
            cold = cold == null ? r : cold;
            checksum = verify(spec, r, checksum, instructions, prompt);
            instructions = r.result().instructions();
            prompt = r.promptInstructions();
        }
        double median = median(seconds);
        long counted = spec.bootPrompt() ? prompt : instructions;
        if (spec.bootPrompt()) {
            notes.add(bootNote(name, prompt, cold, coldIsFirst, median));
        } else if (!spec.plainElf()) {
            guestReport(name, cold.result().serial()).forEach(notes::add);
        }
        return new Figures(name, counted, median, counted / median / 1e6, counted / median(cpuSeconds) / 1e6, peak,
                checksum);
    }

    /**
     * The report lines a benchmark program prints before its checksum (kbench's per-phase costs
     * from the perf-counter device: they are the same in every run, virtual time being
     * deterministic), prefixed with the benchmark's name.
     */
    static List<String> guestReport(String name, String serial) {
        List<String> lines = new ArrayList<>();
        for (String line : serial.split("\r?\n")) {
            if (line.matches("[A-Za-z0-9_]*bench: .*") && !line.endsWith(": starting")) {
                lines.add(name + ": " + line.strip());
            }
        }
        return lines;
    }

    /** The "boot to prompt" line: the first run's time after JVM start, and the warm median. */
    static String bootNote(String name, long promptInstructions, Run cold, boolean coldIsFirst, double warmMedian) {
        String first = coldIsFirst
                ? String.format(Locale.ROOT, "%,d ms after JVM start (first run in this JVM; %,.0f ms of it from machine construction)",
                        cold.jvmUptimeMillis(), cold.promptSeconds() * 1e3)
                : "JVM-start figure not available (run " + name + " first and alone for it)";
        return String.format(Locale.ROOT, "%s: boot to prompt: %,d instructions, %s; warm runs: %,.0f ms from machine construction (median)",
                name, promptInstructions, first, warmMedian * 1e3);
    }

    private Run runOnce(BenchSpec spec) {
        machineBuilt = true;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        try (PcMachine machine = new PcMachine(spec.config(memoryMiB, Engines.select(engine, noDecodeCache)))) {
            PromptWatch watch = spec.bootPrompt() ? new PromptWatch(machine, spec.prompt()) : null;
            machine.setDebugger(watch);
            machine.boot();
            RunResult r = machine.runToEnd();
            if (watch == null || watch.instructions() < 0) {
                return new Run(r, -1, -1, -1, -1);
            }
            return new Run(r, watch.instructions(), (watch.nanos() - t0) / 1e9, (watch.cpuNanos() - c0) / 1e9,
                    watch.jvmUptimeMillis());
        } catch (jx86.firmware.BadImageException | IllegalArgumentException | IllegalStateException e) {
            throw new UserError(spec.name() + ": " + e.getMessage());
        }
    }

    /** Checks one run against the previous runs (a boot benchmark: its prompt instead of a checksum). */
    static String verify(BenchSpec spec, Run run, String previousChecksum, long previousInstructions,
            long previousPrompt) {
        if (!spec.bootPrompt()) {
            return verify(spec.name(), run.result(), previousChecksum, previousInstructions);
        }
        RunResult r = run.result();
        if (r.event() != MachineEvent.EXIT_PORT || r.exitPortValue() != 0) {
            throw new UserError(spec.name() + ": run failed: " + r.report());
        }
        if (run.promptInstructions() < 0) {
            throw new UserError(spec.name() + ": the prompt '" + spec.prompt() + "' never appeared on COM1");
        }
        if (previousPrompt >= 0 && previousPrompt != run.promptInstructions()) {
            throw new UserError(spec.name() + ": instructions to the prompt differ between runs (" + previousPrompt
                    + " vs " + run.promptInstructions() + ")");
        }
        return "prompt '" + spec.prompt() + "' seen";
    }

    /** Checks one run's outcome against the previous runs'; returns its checksum line. */
    static String verify(String name, RunResult r, String previousChecksum, long previousInstructions) {
        if (r.event() != MachineEvent.EXIT_PORT || r.exitPortValue() != 0) {
            throw new UserError(name + ": run failed: " + r.report());
        }
        String checksum = checksumLine(r.serial());
        if (checksum == null) {
            throw new UserError(name + ": no 'bench checksum=0x...' (or 'kbench checksum=0x...') line in the guest output");
        }
        if (previousChecksum != null && !previousChecksum.equals(checksum)) {
            throw new UserError(name + ": checksum differs between runs (" + previousChecksum + " vs " + checksum + ")");
        }
        if (previousInstructions >= 0 && previousInstructions != r.instructions()) {
            throw new UserError(name + ": instruction count differs between runs (" + previousInstructions
                    + " vs " + r.instructions() + ")");
        }
        return checksum;
    }

    /** The (last) checksum line in a guest's output, or null. */
    static String checksumLine(String output) {
        Matcher m = CHECKSUM.matcher(output);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return last;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static void resetPeakHeap() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peak usage since the last reset (an upper bound of the true peak). */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private String compareRow(Figures f, BenchSpec spec) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-26s %-8s %9.3f %9.1f %9s  %s%n", f.name(), "jx86",
                f.medianSeconds(), f.mips(), "1.00",
                spec.bootPrompt() ? "in-process, construction to prompt, after warm-up" : "in-process, after warm-up"));
        if (spec.bootPrompt()) {
            out.append(skipRow(f, "qemu", "unsupported for boot-to-prompt benchmarks (jx86 only)"));
            out.append(skipRow(f, "bochs", "unsupported for boot-to-prompt benchmarks (jx86 only)"));
            return out.toString();
        }
        out.append(qemuRow(f, qemuCommand(spec)));
        out.append(spec.plainElf() ? bochsRow(f, spec.kernel())
                : skipRow(f, "bochs", "unsupported (Bochs boots only disks; this needs a kernel command line)"));
        return out.toString();
    }

    /** QEMU's command line for a benchmark: the ELF, plus the command line and the disk (snapshot=on). */
    List<String> qemuCommand(BenchSpec spec) {
        List<String> cmd = new ArrayList<>(List.of(qemu, "-m", Integer.toString(memoryMiB), "-kernel",
                spec.kernel().toString(), "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"));
        if (spec.append() != null) {
            cmd.addAll(List.of("-append", spec.append()));
        }
        if (spec.disk() != null) {
            cmd.addAll(List.of("-drive", "file=" + spec.disk() + ",format=raw,if=ide,index=0,snapshot=on"));
        }
        return cmd;
    }

    /**
     * Bochs boots only disks: wrap the ELF with {@code jx86 mkimage} (the jx86 loader, available when
     * the disk-images module is on the class path), boot it with the debugger continued at once,
     * and time from process start to the guest's {@code done} line on COM1 (Bochs has no exit
     * port; the process is then destroyed). The time includes Bochs's BIOS and the loader, which
     * jx86's instruction count does not, so Bochs is slightly under-rated, as QEMU is.
     */
    private String bochsRow(Figures f, Path elf) {
        Path bochs = onPath("bochs");
        if (bochs == null) {
            return skipRow(f, "bochs", "not installed");
        }
        Path bios = Path.of("/usr/share/bochs/BIOS-bochs-latest");
        Path vga = Files.isRegularFile(Path.of("/usr/share/bochs/VGABIOS-lgpl-latest"))
                ? Path.of("/usr/share/bochs/VGABIOS-lgpl-latest") : Path.of("/usr/share/seabios/vgabios-stdvga.bin");
        if (!Files.isRegularFile(bios) || !Files.isRegularFile(vga)) {
            return skipRow(f, "bochs", "unsupported (no BIOS/VGA BIOS image found)");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("jx86-bench-bochs");
            Path manifest = dir.resolve("bench.manifest");
            Path img = dir.resolve("bench.img");
            Files.writeString(manifest, "kernel = " + elf.toAbsolutePath() + "\nsize = 4M\n");
            if (Main.execute("mkimage", "-q", "-o", img.toString(), manifest.toString()) != 0 || !Files.isRegularFile(img)) {
                return skipRow(f, "bochs", "unsupported (needs 'jx86 mkimage' from the disk-images module)");
            }
            Path com1 = dir.resolve("com1.txt");
            Path rc = dir.resolve("bochsrc");
            Files.writeString(rc, "megs: 128\nromimage: file=" + bios + "\nvgaromimage: file=" + vga
                    + "\nata0-master: type=disk, path=" + img + ", mode=flat\nboot: disk\n"
                    + "com1: enabled=1, mode=file, dev=" + com1 + "\ndisplay_library: term\nclock: sync=none\n"
                    + "log: " + dir.resolve("bochs.log") + "\npanic: action=fatal\nerror: action=report\n"
                    + "info: action=ignore\ndebug: action=ignore\n");
            double[] seconds = new double[runs];
            for (int i = 0; i < warmup + runs; i++) {
                Files.deleteIfExists(com1);
                Files.deleteIfExists(dir.resolve("bench.img.lock"));   // Bochs leaves it when destroyed
                double s = runBochs(bochs, rc, com1, dir);
                if (s < 0) {
                    return skipRow(f, "bochs", "no 'done' line within 600 s");
                }
                String out = Files.readString(com1, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (!f.checksum().equals(checksumLine(out))) {
                    return skipRow(f, "bochs", "checksum mismatch: " + checksumLine(out) + " vs jx86 " + f.checksum());
                }
                if (i >= warmup) {
                    seconds[i - warmup] = s;
                }
            }
            double median = median(seconds);
            double mips = f.instructions() / median / 1e6;
            return String.format(Locale.ROOT, "%-26s %-8s %9.3f %9.1f %9.2f  %s%n", f.name(), "bochs", median, mips,
                    f.mips() / mips, "2.7, disk via jx86 mkimage, wall to 'done' incl. BIOS, same checksum");
        } catch (IOException e) {
            return skipRow(f, "bochs", "failed (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return skipRow(f, "bochs", "interrupted");
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }

    /** Runs Bochs once; returns the seconds until COM1 holds a line "done", or -1. */
    private static double runBochs(Path bochs, Path rc, Path com1, Path dir) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(bochs.toString(), "-q", "-f", rc.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("bochs.out").toFile()).start();
        try {
            p.getOutputStream().write("c\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));   // leave the debugger
            p.getOutputStream().flush();
            while (System.nanoTime() - t0 < 600_000_000_000L) {
                if (Files.isRegularFile(com1)
                        && Files.readString(com1, java.nio.charset.StandardCharsets.ISO_8859_1).contains("\ndone")) {
                    return (System.nanoTime() - t0) / 1e9;
                }
                if (!p.isAlive()) {
                    return -1;
                }
                Thread.sleep(5);
            }
            return -1;
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private String qemuRow(Figures f, List<String> cmd) {
        double[] seconds = new double[runs];
        try {
            for (int i = 0; i < warmup + runs; i++) {
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                p.getOutputStream().close();
                String out = readAll(p.getInputStream());
                if (!p.waitFor(600, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return skipRow(f, "qemu", "timed out");
                }
                double s = (System.nanoTime() - t0) / 1e9;
                if (p.exitValue() != 1) {
                    return skipRow(f, "qemu", "exit status " + p.exitValue() + " (expected 1: guest value 0)");
                }
                if (!f.checksum().equals(checksumLine(out))) {
                    return skipRow(f, "qemu", "checksum mismatch: " + checksumLine(out) + " vs jx86 " + f.checksum());
                }
                if (i >= warmup) {
                    seconds[i - warmup] = s;
                }
            }
        } catch (IOException e) {
            return skipRow(f, "qemu", "not installed (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return skipRow(f, "qemu", "interrupted");
        }
        double median = median(seconds);
        double mips = f.instructions() / median / 1e6;
        return String.format(Locale.ROOT, "%-26s %-8s %9.3f %9.1f %9.2f  %s%n", f.name(), "qemu", median, mips,
                f.mips() / mips, "TCG, wall per process incl. start-up, same checksum");
    }

    private static String skipRow(Figures f, String emulator, String why) {
        return String.format(Locale.ROOT, "%-26s %-8s %9s %9s %9s  %s: %s%n", f.name(), emulator, "-", "-", "-",
                emulator, why);
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        in.transferTo(buf);
        return buf.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
