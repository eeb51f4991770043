package jx86.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import jx86.cli.UserError;
import jx86.host.OutputFile;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jx86 demo crash}: the lecture's "what does a buggy driver do to each kernel design" demo.
 * Sweeps the buggy component's burst size N over seeds for each built kernel, classifies every
 * run, and writes a table, CSV, JSON, a per-run log and a plot.
 */
@Command(name = "crash", mixinStandardHelpOptions = true,
        description = "Boot each kernel with a canary and a memory-corrupting component, sweep the words per burst (N)"
                + " and show how each kernel design fails: a table on stdout; CSV, JSON, log, PNG and HTML in --out."
                + " See docs/lecture-crash-demo.md.")
public final class CrashCommand implements Callable<Integer> {
    static final int DEFAULT_SEEDS = 6;
    static final double DEFAULT_DURATION = 8;
    /**
     * The vmm's default sweep, smaller than the others': a vmm run costs about 25 times a
     * monolith run (two kernels, shadow paging, VM 1's canary to the end), so the full default
     * would take hours. N = 65536 is left out: it stalls both VMs (docs/lecture-crash-demo.md) and
     * such a run lasts its whole budget. Given --n or --seeds, vmm uses them as the others do.
     */
    static final List<Integer> VMM_DEFAULT_NS = List.of(1, 16, 256, 4096);
    static final int VMM_DEFAULT_SEEDS = 2;

    @Option(names = "--kernels", paramLabel = "LIST", split = ",",
            description = "Kernels to run (default: monolithic,microkernel,vmm; a kernel not built is reported and skipped).")
    List<String> kernels = new ArrayList<>(Scenarios.names());

    @Option(names = "--n", paramLabel = "LIST", split = ",",
            description = "Words overwritten per burst (default: 1,2,4,...,65536; vmm: 1,16,256,4096).")
    List<Integer> ns = defaultNs();

    @Option(names = "--seeds", paramLabel = "K",
            description = "Seeds 1..K per kernel and N (default 6; vmm: 2).")
    int seeds = DEFAULT_SEEDS;

    /** Set by picocli's parse result: whether --n and --seeds were given (then they hold for every kernel). */
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Virtual seconds each run lasts after the component started, if nothing decisive happens (default ${DEFAULT-VALUE}).")
    double duration = DEFAULT_DURATION;

    @Option(names = "--period", paramLabel = "SECONDS", description = "Seconds between bursts (default ${DEFAULT-VALUE}).")
    int period = 1;

    @Option(names = "--hang", paramLabel = "SECONDS",
            description = "Virtual seconds without console progress or scheduler activity that make a hang (default ${DEFAULT-VALUE}).")
    double hang = 2;

    @Option(names = "--jobs", paramLabel = "J", description = "Machines run in parallel (default: the number of cores).")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--out", paramLabel = "DIR", description = "Where the CSV, JSON, log, PNG and HTML go (default ${DEFAULT-VALUE}).")
    Path out = Path.of("jx86-crash-demo");

    @Option(names = "--no-progress", description = "No progress bar (it is shown only on a terminal anyway).")
    boolean noProgress;

    @Option(names = "--live", description = "The lecture view: the kernels' consoles side by side, paced to wall time, one round per N (keys: p pause, n next N, q quit).")
    boolean live;

    static List<Integer> defaultNs() {
        List<Integer> ns = new ArrayList<>();
        for (int n = 1; n <= 65536; n *= 2) {
            ns.add(n);
        }
        return ns;
    }

    static Path root() {
        String prop = System.getProperty("jx86.root");
        return Path.of(prop != null ? prop : ".").toAbsolutePath().normalize();
    }

    /** Checks the options; every problem is one line and exit status 2, before anything runs. */
    void validate() {
        for (String k : kernels) {
            if (!Scenarios.names().contains(k)) {
                throw new UserError("--kernels: unknown kernel '" + k + "' (expected " + String.join(", ", Scenarios.names()) + ")");
            }
        }
        if (kernels.isEmpty() || ns.isEmpty()) {
            throw new UserError("--kernels and --n need at least one value");
        }
        for (int n : ns) {
            if (n < 1 || n > 1 << 20) {
                throw new UserError("--n " + n + ": words per burst must be between 1 and 1048576");
            }
        }
        if (seeds < 1 || seeds > 10_000) {
            throw new UserError("--seeds " + seeds + ": expected 1 to 10000");
        }
        if (!(duration > 0 && duration <= 3600)) {
            throw new UserError("--duration " + duration + ": expected more than 0 and at most 3600 virtual seconds");
        }
        if (period < 1 || period > 3600) {
            throw new UserError("--period " + period + ": expected 1 to 3600 seconds");
        }
        if (!(hang > 0 && hang <= 3600)) {
            throw new UserError("--hang " + hang + ": expected more than 0 and at most 3600 virtual seconds");
        }
        if (jobs < 1 || jobs > 256) {
            throw new UserError("--jobs " + jobs + ": expected 1 to 256");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("--out " + out + ": exists and is not a directory");
        }
        // the reports are checked like every output file before anything runs (docs/reliability.md);
        // jx86 creates the --out folder itself, but not a missing folder above it
        Path parent = out.toAbsolutePath().getParent();
        if (!Files.isDirectory(out) && (parent == null || !Files.isDirectory(parent))) {
            throw new UserError("--out " + out + ": directory " + parent + " does not exist");
        }
        if (Files.isDirectory(out)) {
            for (String report : REPORTS) {
                try {
                    OutputFile.check(out.resolve(report), "--out", List.of());
                } catch (IllegalArgumentException e) {
                    throw new UserError(e.getMessage());
                }
            }
        }
    }

    /** The files the sweep writes into --out, each through a temporary file renamed into place. */
    static final List<String> REPORTS = List.of("crash-demo.csv", "crash-demo.json", "crash-demo.log", "crash-demo.png",
            "crash-demo.html");

    static void writeReport(Path file, String text) throws IOException {
        OutputFile.replace(file, o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public Integer call() throws IOException {
        validate();
        Path root = root();
        PrintStream stdout = System.out;
        List<String> present = new ArrayList<>();
        Map<String, String> missing = new LinkedHashMap<>();
        for (String k : kernels.stream().distinct().toList()) {
            Optional<String> why = Scenarios.unavailable(k, root);
            if (why.isPresent()) {
                missing.put(k, why.get());
                System.err.println(k + ": " + why.get());
            } else {
                present.add(k);
            }
        }
        List<Integer> sortedNs = ns.stream().distinct().sorted().toList();
        if (live) {
            return LiveView.run(root, present, missing, sortedNs, seeds, period, duration, hang);
        }
        List<RunSpec> specs = specs(present, sortedNs);
        if (!present.isEmpty()) {
            sortedNs = specs.stream().map(RunSpec::n).distinct().sorted().toList();
        }
        if (present.isEmpty()) {
            System.err.println("jx86 demo crash: nothing to run (none of " + String.join(", ", kernels) + " is built)");
            return 0;
        }
        System.err.printf("jx86 demo crash: %s; %d runs (%d N x %d seeds), %s virtual s each, %d jobs%n",
                String.join(", ", present), specs.size(), sortedNs.size(), seeds, Reports.fmt(duration), jobs);
        if (present.contains("vmm") && !(given("--n") && given("--seeds"))) {
            long vmmRuns = specs.stream().filter(r -> r.kernel().equals("vmm")).count();
            System.err.printf("jx86 demo crash: vmm: %d of them (its default: N = %s, %d seeds; its runs cost about"
                    + " 25 times the others'; --n and --seeds apply to every kernel)%n", vmmRuns,
                    given("--n") ? "as given" : String.join(",", VMM_DEFAULT_NS.stream().map(String::valueOf).toList()),
                    given("--seeds") ? seeds : Math.min(seeds, VMM_DEFAULT_SEEDS));
        }
        CrashRunner runner = new CrashRunner(root, hang);
        long start = System.nanoTime();
        EnumMap<Outcome, Integer> soFar = new EnumMap<>(Outcome.class);
        boolean showProgress = !noProgress && System.console() != null;
        List<RunRecord> records;
        try (ProgressBar bar = showProgress ? progressBar(specs.size()) : null) {
            // a run fails only for host reasons (an unreadable or malformed image): one line, status 2
            records = Sweep.run(runner, specs, name -> Scenarios.of(name).orElseThrow(), jobs, r -> {
                soFar.merge(r.outcome(), 1, Integer::sum);
                if (bar != null) {
                    StringBuilder sb = new StringBuilder();
                    soFar.forEach((o, c) -> sb.append(Reports.letter(o)).append(c).append(' '));
                    bar.setExtraMessage(sb.toString().trim());
                    bar.step();
                }
            });
        } catch (IllegalStateException e) {
            throw new UserError(e.getMessage());
        }
        SweepResult result = new SweepResult(commandLine(), present, missing, sortedNs, seeds, period, duration, records);
        stdout.print(Reports.table(result));
        if (!Files.isDirectory(out)) {
            Files.createDirectory(out);
        }
        writeReport(out.resolve("crash-demo.csv"), Reports.csv(result));
        writeReport(out.resolve("crash-demo.json"), Reports.json(result));
        writeReport(out.resolve("crash-demo.log"), Reports.log(result));
        CrashPlot.write(result, out);
        System.err.printf("jx86 demo crash: %d runs in %.0f s wall; wrote %s/crash-demo.{csv,json,log,png,html}%n",
                records.size(), (System.nanoTime() - start) / 1e9, out);
        return 0;
    }

    /**
     * The runs of the sweep: every kernel x N x seed, with the vmm's smaller default N and seeds
     * unless --n or --seeds was given.
     */
    List<RunSpec> specs(List<String> present, List<Integer> sortedNs) {
        List<RunSpec> specs = new ArrayList<>();
        for (String k : present) {
            List<Integer> kNs = k.equals("vmm") && !given("--n") ? VMM_DEFAULT_NS : sortedNs;
            int kSeeds = k.equals("vmm") && !given("--seeds") ? Math.min(seeds, VMM_DEFAULT_SEEDS) : seeds;
            specs.addAll(Sweep.specs(List.of(k), kNs, kSeeds, period, duration));
        }
        return specs;
    }

    /** Whether {@code option} was on the command line (false when the command was not parsed by picocli). */
    private boolean given(String option) {
        return spec != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private static ProgressBar progressBar(int total) {
        return new ProgressBarBuilder().setTaskName("crash runs").setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(500).build();
    }

    /** The options as given, for the outputs' provenance. */
    private String commandLine() {
        return String.format(java.util.Locale.ROOT, "jx86 demo crash --kernels %s --n %s --seeds %d --duration %s --period %d --hang %s",
                String.join(",", kernels), String.join(",", ns.stream().map(String::valueOf).toList()), seeds,
                Reports.fmt(duration), period, Reports.fmt(hang));
    }
}
