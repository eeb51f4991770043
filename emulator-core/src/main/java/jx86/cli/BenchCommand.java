package jx86.cli;

import java.io.IOException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * <p>These runs are in-process, after warm-up: for before/after comparisons of jx86 itself.
 * {@code --compare} is the other mode, which times jx86, QEMU and Bochs by one rule, each as a
 * whole process with boot subtracted, on the workload classes of {@link BenchWorkload} (see
 * {@link BenchCompare}).
 *
 * <p>Besides ELF guests it takes the specs of {@link BenchSpec}: {@code kernel-monolithic:PROG}
 * (kernel-monolithic with {@code init=/bin/PROG} from its test disk, snapshot; checked like an ELF
 * guest: a {@code kbench checksum=0x...} line and power-off with 0) and {@code boot:IMAGE} (a disk image booted to its
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
                    + DEFAULT_BENCH + "); with --compare: workload classes cpu-bound, kernel-heavy, memory-heavy, "
                    + "each optionally :ITERATIONS (default: all three).")
    List<String> benches = new ArrayList<>();

    @Option(names = "--runs", paramLabel = "N",
            description = "Measured runs per benchmark (default 5; with --compare 3 of each, full and zero).")
    Integer runs;

    @Option(names = "--warmup", paramLabel = "N",
            description = "Unmeasured warm-up runs (default 2; with --compare 0).")
    Integer warmup;

    @Option(names = "-m", paramLabel = "MiB", description = "Guest RAM in MiB (default ${DEFAULT-VALUE}).")
    int memoryMiB = 128;

    @Option(names = "--compare", description = "Time jx86, QEMU (TCG) and Bochs the same way on the workload "
            + "classes cpu-bound, kernel-heavy and memory-heavy (or the ones given, as CLASS or CLASS:ITERATIONS), "
            + "each as a whole process with boot subtracted (see docs/performance.md).")
    boolean compare;

    @Option(names = "--no-decode-cache",
            description = "Decode every guest instruction again (jx86 without its decoded-instruction cache).")
    boolean noDecodeCache;

    @Option(names = "--engine", paramLabel = "ENGINE",
            description = "jx86's execution engine: interp, cache or jit (default: jit).")
    String engine;

    @Option(names = "--qemu", paramLabel = "CMD", description = "QEMU binary (default ${DEFAULT-VALUE}).")
    String qemu = "qemu-system-i386";

    @Option(names = "--bochs", paramLabel = "CMD", description = "Bochs binary (default ${DEFAULT-VALUE}; tools/fetch-bochs.sh installs it).")
    String bochs = "bochs";

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
        if ((runs != null && runs < 1) || (warmup != null && warmup < 0)) {
            throw new UserError("--runs must be at least 1 and --warmup at least 0");
        }
        if (compare) {
            return compare();
        }
        int runs = this.runs == null ? 5 : this.runs;
        int warmup = this.warmup == null ? 2 : this.warmup;
        List<String> names = benches.isEmpty() ? List.of(DEFAULT_BENCH) : benches;
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-26s %14s %9s %9s %9s %10s  %s%n",
                "benchmark", "instructions", "wall s", "MIPS", "cpu MIPS", "peak heap", "checksum"));
        List<String> notes = new ArrayList<>();
        for (String name : names) {
            BenchSpec spec = BenchSpec.parse(name, ImageResolver.root());
            Figures f = runJx86(spec, notes, runs, warmup);
            table.append(String.format(Locale.ROOT, "%-26s %,14d %9.3f %9.1f %9.1f %6d MiB  %s%n", f.name(),
                    f.instructions(), f.medianSeconds(), f.mips(), f.cpuMips(), f.peakHeapBytes() >> 20,
                    f.checksum()));
        }
        System.out.print(table);
        notes.forEach(System.out::println);
        return 0;
    }

    private Figures runJx86(BenchSpec spec, List<String> notes, int runs, int warmup) {
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

    /** The default classes, or the ones named as arguments; resolved before anything runs. */
    List<BenchWorkload.Choice> compareChoices() {
        List<BenchWorkload.Choice> choices = new ArrayList<>();
        if (benches.isEmpty()) {
            for (BenchWorkload w : BenchWorkload.values()) {
                choices.add(new BenchWorkload.Choice(w, w.defaultIterations));
            }
        } else {
            benches.forEach(b -> choices.add(BenchWorkload.parse(b)));
        }
        return choices;
    }

    /** The emulators of {@code --compare}, jx86 first (the reference for checksums and instruction counts). */
    List<BenchEmulator> compareEmulators(Path root) {
        String eng = Engines.select(engine, noDecodeCache).cliName();
        return List.of(BenchEmulator.jx86(BenchEmulator.JavaLauncher.current(root), eng), BenchEmulator.qemu(qemu),
                BenchEmulator.bochs(bochs));
    }

    private Integer compare() {
        if (memoryMiB != 128) {
            throw new UserError("--compare runs every guest with " + BenchWorkload.MEMORY_MIB + " MiB; -m does not apply");
        }
        int n = runs == null ? 3 : runs;
        int w = warmup == null ? 0 : warmup;
        List<BenchWorkload.Choice> choices = compareChoices();
        Path root = ImageResolver.root();
        choices.forEach(c -> c.workload().requireBuilt(root));
        List<BenchEmulator> emulators = compareEmulators(root);
        String eng = Engines.select(engine, noDecodeCache).cliName();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("jx86-bench");
            // the children run on this JVM's java binary (JavaLauncher.current), so its version is theirs
            System.out.println(hostLine("at start") + "; " + BenchEmulator.JavaLauncher.current(root).describe());
            new BenchCompare(emulators, BenchCompare.mkimage(root), n, w, System.out).run(choices, dir);
            Path mono = root.resolve("disk-images/target/images/monolithic.img");
            for (int mib : new int[] {128, 512}) {
                System.out.println(Files.isRegularFile(mono)
                        ? BenchCompare.bootFigures(BenchEmulator.JavaLauncher.current(root), eng, mib, dir)
                        : "boot to kernel-monolithic's prompt: " + mono + " not found (mvn -q -DskipTests package)");
            }
            System.out.println(hostLine("at end"));
            return 0;
        } catch (IOException e) {
            throw new UserError("--compare: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("--compare: interrupted");
        } finally {
            deleteTree(dir);
        }
    }

    /** "host: MODEL, N CPUs, load average L (when)": the host facts the table needs beside it. */
    static String hostLine(String when) {
        String model = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException e) {
            // not Linux: the model stays unknown
        }
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(Locale.ROOT, "host: %s, %d CPUs, load average %.2f (%s)", model,
                Runtime.getRuntime().availableProcessors(), load, when);
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
