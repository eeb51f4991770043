package jx86.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import jx86.firmware.BadImageException;
import jx86.host.OutputFile;
import jx86.machine.MachineConfig;
import jx86.machine.PcMachine;
import jx86.script.JUnitReport;
import jx86.script.Script;
import jx86.script.ScriptError;
import jx86.script.ScriptParser;
import jx86.script.ScriptResult;
import jx86.script.ScriptRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jx86 test SCRIPT...}: runs regression scripts (docs/test-scripts.md) and prints a line per
 * step and {@code N passed, M failed}. Status 0 when every script passed, 1 when one failed, 2 on
 * bad input (a malformed script is {@code file:line: message}); nothing runs until every script
 * has been read and its machine found.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Run regression scripts for CI (docs/test-scripts.md).",
            "Each script boots a machine, expects console lines and prompts within budgets of virtual time,"
                + " sends input and expects the end of the run.",
            "Exit status: 0 every script passed, 1 a script failed, 2 bad input."})
public final class TestCommand implements Callable<Integer> {
    /** Status when a script failed. */
    public static final int EXIT_FAILED = 1;

    @Parameters(arity = "1..*", paramLabel = "SCRIPT",
            description = "Script files, or folders whose *.jx86 scripts run in name order.")
    List<String> scripts = new ArrayList<>();

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write a JUnit XML report (one testcase per script).")
    String junit;

    @Option(names = "--jobs", paramLabel = "N",
            description = "Run N scripts at a time (default ${DEFAULT-VALUE}); the log is the same as one at a time.")
    int jobs = 1;

    @Option(names = "--show-console", description = "Also print every console line, with its virtual time.")
    boolean showConsole;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (jobs < 1 || jobs > 64) {
            throw new UserError("--jobs " + jobs + ": expected 1 to 64");
        }
        List<Path> files = scriptFiles();
        List<Script> parsed = new ArrayList<>();
        List<ScriptRunner.Machine> machines = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        ImageResolver resolver = new ImageResolver(ImageResolver.root());
        for (Path f : files) {
            try {
                Script s = ScriptParser.parse(f);
                ScriptRunner.Machine m = resolve(s, resolver);
                preflight(s, m);
                parsed.add(s);
                machines.add(m);
            } catch (ScriptError e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            errors.forEach(System.err::println);
            return Main.EXIT_USAGE;
        }
        Path report = junit == null ? null : Path.of(junit);
        if (report != null) {
            List<Path> inputs = new ArrayList<>(files);
            machines.forEach(m -> inputs.addAll(m.disks()));
            try {
                OutputFile.check(report, "--junit", inputs);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
        List<ScriptResult> results = run(parsed, machines, out);
        long failed = results.stream().filter(r -> !r.passed()).count();
        out.println((results.size() - failed) + " passed, " + failed + " failed");
        out.flush();
        if (report != null) {
            try {
                JUnitReport.write(report, results);
            } catch (IOException e) {
                throw new UserError("--junit " + report + ": cannot write (" + e.getMessage() + ")");
            }
        }
        return failed == 0 ? 0 : EXIT_FAILED;
    }

    /** One at a time: each line as it happens. In parallel: each script's log whole, in the scripts' order. */
    private List<ScriptResult> run(List<Script> parsed, List<ScriptRunner.Machine> machines, PrintStream out) {
        List<ScriptResult> results = new ArrayList<>();
        if (jobs == 1 || parsed.size() == 1) {
            for (int i = 0; i < parsed.size(); i++) {
                results.add(new ScriptRunner(parsed.get(i), machines.get(i), showConsole, out::println).run());
            }
            return results;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, parsed.size()), r -> {
            Thread t = new Thread(r, "jx86-test");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ScriptResult>> runs = new ArrayList<>();
            for (int i = 0; i < parsed.size(); i++) {
                ScriptRunner runner = new ScriptRunner(parsed.get(i), machines.get(i), showConsole, l -> { });
                runs.add(pool.submit(runner::run));
            }
            for (Future<ScriptResult> f : runs) {
                ScriptResult r = f.get();
                out.print(r.log());
                out.flush();
                results.add(r);
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The script files named on the command line: folders give their *.jx86 files in name order. */
    private List<Path> scriptFiles() {
        List<Path> files = new ArrayList<>();
        for (String arg : scripts) {
            Path p = Path.of(arg);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    List<Path> found = s.filter(f -> f.getFileName().toString().endsWith(".jx86"))
                            .filter(Files::isRegularFile).sorted().toList();
                    if (found.isEmpty()) {
                        throw new UserError(arg + ": no *.jx86 scripts in this folder");
                    }
                    files.addAll(found);
                } catch (IOException e) {
                    throw new UserError(arg + ": cannot list (" + e.getMessage() + ")");
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new UserError(arg + ": no such file or folder");
            }
        }
        return files;
    }

    /**
     * Looks up the script's machine as {@code jx86 boot} would: a bare image name through the
     * build's images, other paths relative to the script's folder; an ELF image boots as the kernel.
     */
    static ScriptRunner.Machine resolve(Script s, ImageResolver resolver) throws ScriptError {
        Script.MachineSpec spec = s.machine();
        Path dir = s.file().toAbsolutePath().getParent();
        Path kernel = spec.kernel() == null ? null : file(s, dir, spec.kernel(), "kernel");
        List<Path> disks = new ArrayList<>();
        if (spec.image() != null) {
            Path image = image(s, dir, spec.image(), resolver);
            if (kernel == null && isElf(s, spec.image(), image)) {
                kernel = image;
            } else {
                disks.add(image);
            }
        }
        for (Script.Setting d : spec.disks()) {
            disks.add(file(s, dir, d, "disk"));
        }
        List<Path> modules = new ArrayList<>();
        for (Script.Setting m : spec.modules()) {
            if (kernel == null) {
                throw new ScriptError(s.file(), m.line(), "'module' needs a kernel ('kernel ELF', or a machine that is an ELF file)");
            }
            modules.add(file(s, dir, m, "module"));
        }
        String append = "";
        if (spec.append() != null) {
            if (kernel == null) {
                throw new ScriptError(s.file(), spec.append().line(),
                        "'append' needs a kernel (a disk's boot loader reads its own command line)");
            }
            append = spec.append().value();
        }
        if (disks.size() > 4) {
            throw new ScriptError(s.file(), spec.disks().get(spec.disks().size() - 1).line(), "at most 4 disks");
        }
        String heap = BootCommand.heapProblem(spec.memoryMiB());
        if (heap != null) {
            Script.Setting at = spec.kernel() != null ? spec.kernel() : spec.image();
            throw new ScriptError(s.file(), at == null ? 1 : at.line(), "memory " + spec.memoryMiB() + ": " + heap);
        }
        return new ScriptRunner.Machine(kernel, append, modules, disks, spec.memoryMiB());
    }

    private static Path image(Script s, Path dir, Script.Setting setting, ImageResolver resolver) throws ScriptError {
        String v = setting.value();
        if (!v.contains("/") && !v.contains(".")) {
            try {
                return resolver.resolve(v);
            } catch (UserError e) {
                throw new ScriptError(s.file(), setting.line(), e.getMessage());
            }
        }
        return file(s, dir, setting, "machine");
    }

    private static Path file(Script s, Path dir, Script.Setting setting, String what) throws ScriptError {
        Path p = dir.resolve(setting.value()).normalize();
        if (!Files.isRegularFile(p)) {
            throw new ScriptError(s.file(), setting.line(), what + " " + setting.value() + ": "
                    + (Files.isDirectory(p) ? "is a folder" : "no such file") + " (relative paths start at the script's folder)");
        }
        if (!Files.isReadable(p)) {
            throw new ScriptError(s.file(), setting.line(), what + " " + setting.value() + ": not readable");
        }
        return p;
    }

    private static boolean isElf(Script s, Script.Setting setting, Path p) throws ScriptError {
        try {
            return ImageResolver.isElf(p);
        } catch (UserError e) {
            throw new ScriptError(s.file(), setting.line(), e.getMessage());
        }
    }

    /**
     * Loads a multiboot kernel and its modules into a machine that never runs, so a bad ELF is
     * bad input (status 2) found before any script starts. Disk images are read at boot by the
     * guest's loader: what is wrong with them shows as a failed step.
     */
    private static void preflight(Script s, ScriptRunner.Machine m) throws ScriptError {
        if (m.kernel() == null) {
            return;
        }
        MachineConfig.Builder b = MachineConfig.builder().memoryMiB(m.memoryMiB()).kernel(m.kernel()).append(m.append());
        m.modules().forEach(b::module);
        int line = s.machine().kernel() != null ? s.machine().kernel().line() : s.machine().image().line();
        try (PcMachine machine = new PcMachine(b.build())) {
            machine.boot();
        } catch (BadImageException | IllegalArgumentException | IllegalStateException e) {
            throw new ScriptError(s.file(), line, e.getMessage());
        }
    }
}
