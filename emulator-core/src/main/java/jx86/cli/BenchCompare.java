package jx86.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code jx86 bench --compare}: every emulator (jx86 first, then QEMU and Bochs) boots the same disk
 * image of each workload class as a whole process, once with the full iteration count and once with
 * 0, alternately, {@code runs} times each; a run is timed from process start to the guest's end
 * line on COM1. The workload is the difference: its instructions are jx86's exact count (full run
 * minus zero run, the same in every run), its time the difference of the median wall times, and
 * MIPS their quotient for every emulator. Every run's checksum line must equal jx86's, full and
 * zero alike, or the command fails (a wrong result never looks fast).
 */
final class BenchCompare {
    /** Makes the disk image of a class for an iteration count (jx86 mkimage in the command). */
    interface ImageMaker {
        Path make(BenchWorkload.Choice choice, int iterations, Path dir) throws IOException;
    }

    /** One emulator's figures for one class; mips is NaN when it was not run. */
    record Row(String emulator, String label, double fullSeconds, double zeroSeconds, long fullInstructions,
            long zeroInstructions, String checksum, String note) {
        double seconds() {
            return fullSeconds - zeroSeconds;
        }
    }

    private static final Pattern CHECKSUM = Pattern.compile("(?m)^([A-Za-z0-9_]*bench checksum=0x[0-9a-fA-F]+)\r?$");

    private final List<BenchEmulator> emulators;
    private final ImageMaker images;
    private final int runs;
    private final int warmup;
    private final PrintStream out;

    BenchCompare(List<BenchEmulator> emulators, ImageMaker images, int runs, int warmup, PrintStream out) {
        this.emulators = emulators;
        this.images = images;
        this.runs = runs;
        this.warmup = warmup;
        this.out = out;
    }

    /** The timing rule, the first line of the output. */
    static String rule(int runs, int warmup) {
        return "timing rule: every emulator boots the same disk image as a whole process, timed from process start "
                + "to the guest's end line on COM1; boot is subtracted by the same image with iteration count 0; "
                + "MIPS = jx86's exact workload instructions (full run - zero run) / (median wall full - median wall zero); "
                + runs + " runs of each" + (warmup > 0 ? " after " + warmup + " unmeasured" : "");
    }

    static String header() {
        return String.format(Locale.ROOT, "%-18s %-20s %15s %9s %9s %9s %8s %8s  %s", "class", "emulator",
                "workload instr", "full s", "zero s", "MIPS", "x QEMU", "x Bochs", "checksum / note");
    }

    /** Runs every class on every emulator and prints the table; a failed or mismatching run throws UserError. */
    void run(List<BenchWorkload.Choice> choices, Path dir) throws IOException, InterruptedException {
        out.println(rule(runs, warmup));
        out.println(header());
        for (BenchWorkload.Choice c : choices) {
            List<Row> rows = measure(c, dir);
            format(c.label(), rows).forEach(out::println);
            out.flush();
        }
    }

    /** The rows of one class: jx86's first, as the reference for the checksums and the instruction count. */
    List<Row> measure(BenchWorkload.Choice c, Path dir) throws IOException, InterruptedException {
        Path full = images.make(c, c.iterations(), dir);
        Path zero = images.make(c, 0, dir);
        List<Row> rows = new ArrayList<>();
        String[] reference = new String[2];   // the first emulator's checksum lines: full, zero
        String referenceName = null;
        for (BenchEmulator e : emulators) {
            if (e.missing != null) {
                rows.add(new Row(e.name, e.label, Double.NaN, Double.NaN, -1, -1, null, e.missing));
                continue;
            }
            double[] fullSeconds = new double[runs];
            double[] zeroSeconds = new double[runs];
            long[] instructions = {-1, -1};
            String[] sums = new String[2];
            for (int i = 0; i < warmup + runs; i++) {
                for (int k = 1; k >= 0; k--) {        // zero first, then full: load drift hits both alike
                    boolean isFull = k == 0;
                    BenchEmulator.Outcome o = e.run(isFull ? full : zero, dir, c.workload().endLine);
                    String what = c.workload().id + " with " + (isFull ? c.iterations() : 0) + " iterations";
                    sums[k] = check(e, o, what, c.workload().endLine);
                    if (reference[k] == null) {
                        reference[k] = sums[k];
                        referenceName = e.name;
                    } else if (!reference[k].equals(sums[k])) {
                        throw new UserError(e.name + ": checksum differs from " + referenceName + "'s on " + what
                                + ": '" + sums[k] + "' vs '" + reference[k] + "'");
                    }
                    if (e.name.equals("jx86")) {
                        long n = BenchEmulator.statsInstructions(o.stderr());
                        if (n < 0) {
                            throw new UserError("jx86: no 'jx86 stats: N instructions' line from the run of " + what);
                        }
                        if (instructions[k] >= 0 && instructions[k] != n) {
                            throw new UserError("jx86: instruction count differs between runs of " + what + " ("
                                    + instructions[k] + " vs " + n + ")");
                        }
                        instructions[k] = n;
                    }
                    if (i >= warmup) {
                        (isFull ? fullSeconds : zeroSeconds)[i - warmup] = o.seconds();
                    }
                }
            }
            rows.add(new Row(e.name, e.label, BenchCommand.median(fullSeconds), BenchCommand.median(zeroSeconds),
                    instructions[0], instructions[1], sums[0], null));
        }
        return rows;
    }

    /** Checks one run: the end line seen, the expected exit status, a checksum line; returns the checksum line. */
    static String check(BenchEmulator e, BenchEmulator.Outcome o, String what, String endLine) {
        if (o.seconds() < 0) {
            throw new UserError(e.name + ": the run of " + what + " never printed '" + endLine + "' on COM1 (exit status "
                    + o.exitStatus() + "; last output: " + tail(o.serial()) + tail(o.stderr()) + ")");
        }
        if (e.expectedExit >= 0 && o.exitStatus() != e.expectedExit) {
            throw new UserError(e.name + ": the run of " + what + " ended with status " + o.exitStatus() + ", expected "
                    + e.expectedExit + " (guest value 0 through port 0xF4)");
        }
        Matcher m = CHECKSUM.matcher(o.serial());
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        if (last == null) {
            throw new UserError(e.name + ": no checksum line in the output of " + what);
        }
        return last;
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() <= 160 ? t : "..." + t.substring(t.length() - 160);
    }

    /** The table rows of one class: MIPS from jx86's workload instructions, ratios to QEMU and Bochs. */
    static List<String> format(String label, List<Row> rows) {
        long workload = -1;
        for (Row r : rows) {
            if (r.emulator().equals("jx86") && r.fullInstructions() >= 0) {
                workload = r.fullInstructions() - r.zeroInstructions();
            }
        }
        double qemu = mips(find(rows, "qemu"), workload);
        double bochs = mips(find(rows, "bochs"), workload);
        List<String> lines = new ArrayList<>();
        for (Row r : rows) {
            if (r.note() != null) {
                lines.add(String.format(Locale.ROOT, "%-18s %-20s %15s %9s %9s %9s %8s %8s  %s", label, r.label(), "-",
                        "-", "-", "-", "-", "-", r.note()));
                continue;
            }
            double m = mips(r, workload);
            String note = r.checksum() + (r.seconds() > 0 ? "" : " (zero run not faster: MIPS undefined)");
            lines.add(String.format(Locale.ROOT, "%-18s %-20s %,15d %9.3f %9.3f %9s %8s %8s  %s", label, r.label(),
                    workload, r.fullSeconds(), r.zeroSeconds(), Double.isNaN(m) ? "-" : String.format(Locale.ROOT, "%.1f", m),
                    ratio(m, qemu), ratio(m, bochs), note));
        }
        return lines;
    }

    private static Row find(List<Row> rows, String emulator) {
        return rows.stream().filter(r -> r.emulator().equals(emulator)).findFirst().orElse(null);
    }

    static double mips(Row r, long workload) {
        if (r == null || r.note() != null || workload < 0 || !(r.seconds() > 0)) {
            return Double.NaN;
        }
        return workload / r.seconds() / 1e6;
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    /** Builds the image with {@code jx86 mkimage} from the class's manifest (the disk-images module's command). */
    static ImageMaker mkimage(Path root) {
        return (c, iterations, dir) -> {
            Path manifest = dir.resolve(c.workload().id + "-" + iterations + ".manifest");
            Path img = dir.resolve(c.workload().id + "-" + iterations + ".img");
            Files.writeString(manifest, c.workload().manifest(root, iterations));
            if (Main.execute("mkimage", "-q", "-o", img.toString(), manifest.toString()) != 0 || !Files.isRegularFile(img)) {
                throw new UserError("--compare: could not build " + img.getFileName()
                        + " (needs 'jx86 mkimage' from the disk-images module: mvn -q -DskipTests package)");
            }
            return img;
        };
    }

    /**
     * Time to kernel-monolithic's shell prompt after JVM start and the peak heap, for a guest of
     * {@code mib} MiB: {@code jx86 bench --runs 1 --warmup 0 -m MiB boot:monolithic} in a fresh JVM
     * (the first machine that JVM builds, so the time includes JVM start, class loading and the
     * cold, not yet compiled emulator).
     */
    static String bootFigures(BenchEmulator.JavaLauncher launcher, String engine, int mib, Path dir)
            throws IOException, InterruptedException {
        List<String> cmd = launcher.command(List.of("bench", "--runs", "1", "--warmup", "0", "-m", Integer.toString(mib),
                "--engine", engine, "boot:monolithic"));
        Path log = dir.resolve("boot-" + mib + ".txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        String text = Files.readString(log);
        return bootFiguresLine(mib, p.isAlive() ? -1 : p.exitValue(), text);
    }

    static String bootFiguresLine(int mib, int status, String childOutput) {
        Matcher ms = Pattern.compile("boot to prompt: ([0-9,]+) instructions, ([0-9,]+) ms after JVM start").matcher(childOutput);
        Matcher heap = Pattern.compile("(?m)^boot:monolithic\\s.*?\\s([0-9]+) MiB\\s").matcher(childOutput);
        String what = String.format(Locale.ROOT, "boot to kernel-monolithic's prompt, -m %d, fresh JVM: ", mib);
        if (status != 0 || !ms.find() || !heap.find()) {
            return what + "failed (status " + status + "): " + tail(childOutput);
        }
        return what + ms.group(1) + " instructions, " + ms.group(2) + " ms after JVM start; peak heap "
                + heap.group(1) + " MiB";
    }
}
