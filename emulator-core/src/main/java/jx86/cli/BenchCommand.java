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
 * <p>Wall time is measured here, on the host, for reporting only; nothing in the machine reads it.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run benchmark guests and print guest MIPS (see docs/performance.md).")
public final class BenchCommand implements Callable<Integer> {
    /** What {@code jx86 bench} runs without arguments. */
    static final String DEFAULT_BENCH = "bench/cpu-bound";

    private static final Pattern CHECKSUM = Pattern.compile("bench checksum=0x[0-9a-fA-F]+");

    @Parameters(arity = "0..*", paramLabel = "BENCH",
            description = "Benchmark ELF paths or names under src-test-guests/target/guests (default: "
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

    @Option(names = "--qemu", paramLabel = "CMD", description = "QEMU binary (default ${DEFAULT-VALUE}).")
    String qemu = "qemu-system-i386";

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
        table.append(String.format(Locale.ROOT, "%-22s %14s %9s %9s %9s %10s  %s%n",
                "benchmark", "instructions", "wall s", "MIPS", "cpu MIPS", "peak heap", "checksum"));
        List<String> compareLines = new ArrayList<>();
        for (String name : names) {
            Path elf = resolve(name);
            Figures f = runJx86(name, elf);
            table.append(String.format(Locale.ROOT, "%-22s %,14d %9.3f %9.1f %9.1f %6d MiB  %s%n", f.name(),
                    f.instructions(), f.medianSeconds(), f.mips(), f.cpuMips(), f.peakHeapBytes() >> 20,
                    f.checksum()));
            if (compare) {
                compareLines.add(compareRow(f, elf));
            }
        }
        System.out.print(table);
        if (compare) {
            System.out.println();
            System.out.printf(Locale.ROOT, "%-22s %-8s %9s %9s %9s  %s%n", "benchmark", "emulator", "wall s",
                    "MIPS", "jx86/x", "note");
            compareLines.forEach(System.out::print);
        }
        return 0;
    }

    private Path resolve(String name) {
        Path direct = Path.of(name);
        if (Files.isRegularFile(direct)) {
            return direct;
        }
        Path p = ImageResolver.root().resolve("src-test-guests/target/guests/" + name + ".elf");
        if (Files.isRegularFile(p)) {
            return p;
        }
        throw new UserError("benchmark '" + name + "' not found (tried " + direct + " and " + p
                + "; run 'mvn -q -DskipTests package' to build the guests)");
    }

    private Figures runJx86(String name, Path elf) {
        String checksum = null;
        long instructions = -1;
        for (int i = 0; i < warmup; i++) {
            RunResult r = runOnce(elf);
            checksum = verify(name, r, checksum, instructions);
            instructions = r.instructions();
        }
        double[] seconds = new double[runs];
        double[] cpuSeconds = new double[runs];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long peak = 0;
        for (int i = 0; i < runs; i++) {
            resetPeakHeap();     // so the peak is one machine's, not the previous runs' garbage
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            RunResult r = runOnce(elf);
            seconds[i] = (System.nanoTime() - t0) / 1e9;
            cpuSeconds[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
            peak = Math.max(peak, peakHeap());
            checksum = verify(name, r, checksum, instructions);
            instructions = r.instructions();
        }
        double median = median(seconds);
        return new Figures(name, instructions, median, instructions / median / 1e6,
                instructions / median(cpuSeconds) / 1e6, peak, checksum);
    }

    private RunResult runOnce(Path elf) {
        MachineConfig config = MachineConfig.builder().memoryMiB(memoryMiB).serial("buffer").kernel(elf).build();
        try (PcMachine machine = new PcMachine(config)) {
            machine.boot();
            return machine.runToEnd();
        } catch (jx86.firmware.BadImageException | IllegalArgumentException | IllegalStateException e) {
            throw new UserError(elf + ": " + e.getMessage());
        }
    }

    /** Checks one run's outcome against the previous runs'; returns its checksum line. */
    static String verify(String name, RunResult r, String previousChecksum, long previousInstructions) {
        if (r.event() != MachineEvent.EXIT_PORT || r.exitPortValue() != 0) {
            throw new UserError(name + ": run failed: " + r.report());
        }
        String checksum = checksumLine(r.serial());
        if (checksum == null) {
            throw new UserError(name + ": no 'bench checksum=0x...' line in the guest output");
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

    private String compareRow(Figures f, Path elf) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-22s %-8s %9.3f %9.1f %9s  %s%n", f.name(), "jx86",
                f.medianSeconds(), f.mips(), "1.00", "in-process, after warm-up"));
        out.append(qemuRow(f, elf));
        out.append(bochsRow(f, elf));
        return out.toString();
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
            return String.format(Locale.ROOT, "%-22s %-8s %9.3f %9.1f %9.2f  %s%n", f.name(), "bochs", median, mips,
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

    private String qemuRow(Figures f, Path elf) {
        List<String> cmd = List.of(qemu, "-kernel", elf.toString(), "-display", "none", "-serial", "stdio",
                "-monitor", "none", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04");
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
        return String.format(Locale.ROOT, "%-22s %-8s %9.3f %9.1f %9.2f  %s%n", f.name(), "qemu", median, mips,
                f.mips() / mips, "TCG, wall per process incl. start-up, same checksum");
    }

    private static String skipRow(Figures f, String emulator, String why) {
        return String.format(Locale.ROOT, "%-22s %-8s %9s %9s %9s  %s: %s%n", f.name(), emulator, "-", "-", "-",
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
