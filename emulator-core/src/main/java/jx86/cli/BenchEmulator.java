package jx86.cli;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One emulator as {@code jx86 bench --compare} runs it: a child process booting a disk image,
 * timed from its start to the guest's end line on COM1. jx86 and QEMU print COM1 on their standard
 * output and then exit by themselves (the guest's write to port 0xF4); Bochs has no exit port, so
 * its COM1 goes to a file and the process is destroyed once the end line is there. The same clock
 * rule holds for all three: process start to end line, start-up, firmware and boot included (the
 * zero-work run subtracts them).
 */
final class BenchEmulator {
    /** Builds the command line for a disk image; may write files (Bochs's configuration) into dir. */
    interface CommandLine {
        List<String> build(Path image, Path dir) throws IOException;
    }

    /** How the java child is started: the launcher's own {@code exec java} line, without its build check. */
    record JavaLauncher(Path java, List<String> options, Path root, String classPath) {
        /**
         * This JVM's java binary and class path, the project root, and the options the launcher
         * passes, in its order: its class-data archive (when it started this JVM with one), its own
         * JVM options (its jx86.jvmOptions property) and JX86_JAVA_OPTS.
         */
        static JavaLauncher current(Path root) {
            List<String> options = options(System.getProperty("jx86.cdsArchive"), System.getProperty("jx86.jvmOptions"),
                    System.getenv().get("JX86_JAVA_OPTS"));
            return new JavaLauncher(Path.of(System.getProperty("java.home"), "bin", "java"), options, root,
                    System.getProperty("java.class.path"));
        }

        /**
         * The launcher's options from its archive, its jx86.jvmOptions property (the options it
         * gives every run, passed on as the property too) and JX86_JAVA_OPTS; null means none.
         */
        static List<String> options(String cdsArchive, String jvmOptions, String javaOpts) {
            List<String> options = new ArrayList<>(cdsOptions(cdsArchive));
            List<String> own = words(jvmOptions);
            options.addAll(own);
            if (!own.isEmpty()) {
                options.add("-Djx86.jvmOptions=" + String.join(" ", own));
            }
            options.addAll(words(javaOpts));
            return options;
        }

        /** The words of a shell variable expanded without quotes, as the launcher expands JX86_JAVA_OPTS. */
        private static List<String> words(String s) {
            String t = s == null ? "" : s.strip();
            return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
        }

        /** The launcher's archive options for {@code archive} (its jx86.cdsArchive property), or none. */
        static List<String> cdsOptions(String archive) {
            if (archive == null || archive.isEmpty() || !Files.isReadable(Path.of(archive))) {
                return List.of();
            }
            return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:cds*=off",
                    "-Djx86.cdsArchive=" + archive);
        }

        /** "java VERSION (BINARY)": which JVM the children run, for the table's first line. */
        String describe() {
            return "java " + System.getProperty("java.version") + " (" + java + ")";
        }

        List<String> command(List<String> args) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java.toString());
            cmd.addAll(options);
            cmd.addAll(List.of("-Djx86.root=" + root, "-cp", classPath, "jx86.cli.Main"));
            cmd.addAll(args);
            return cmd;
        }
    }

    /** What one run left behind: seconds to the end line (-1: never seen), COM1, standard error, exit status. */
    record Outcome(double seconds, String serial, String stderr, int exitStatus) {
    }

    private static final Pattern STATS = Pattern.compile("jx86 stats: ([0-9][0-9,.' ]*) instructions");
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(600);

    final String name;
    final String label;
    /** Null when usable, else the one line that says why not (printed as the row's note). */
    final String missing;
    private final CommandLine commandLine;
    /** The exit status of a run whose guest wrote 0 to port 0xF4, or -1: destroyed after the end line. */
    final int expectedExit;
    private final String stdin;
    /** True: COM1 goes to the file {@code com1.txt} in the run directory (Bochs), not to standard output. */
    private final boolean serialFile;

    BenchEmulator(String name, String label, String missing, CommandLine commandLine, int expectedExit, String stdin,
            boolean serialFile) {
        this.name = name;
        this.label = label;
        this.missing = missing;
        this.commandLine = commandLine;
        this.expectedExit = expectedExit;
        this.stdin = stdin;
        this.serialFile = serialFile;
    }

    // ---- the three emulators ----

    /** jx86 as a child JVM: {@code jx86 boot IMAGE --snapshot -m 128 --stats --engine E}. */
    static BenchEmulator jx86(JavaLauncher launcher, String engine) {
        return new BenchEmulator("jx86", "jx86 --engine " + engine, null,
                (image, dir) -> launcher.command(jx86Args(image, engine)), 0, null, false);
    }

    static List<String> jx86Args(Path image, String engine) {
        return List.of("boot", image.toString(), "--snapshot", "-m", Integer.toString(BenchWorkload.MEMORY_MIB),
                "--stats", "--engine", engine);
    }

    /** QEMU with TCG forced, the image as IDE disk 0 in snapshot mode, and the exit device at 0xF4. */
    static BenchEmulator qemu(String qemu) {
        String path = resolve(qemu);
        return new BenchEmulator("qemu", "qemu TCG",
                path == null ? "qemu: not installed (" + qemu + " not found; apt-get install qemu-system-x86)" : null,
                (image, dir) -> qemuCommand(path, image), 1, null, false);
    }

    static List<String> qemuCommand(String qemu, Path image) {
        return List.of(qemu, "-accel", "tcg", "-m", Integer.toString(BenchWorkload.MEMORY_MIB), "-display", "none",
                "-serial", "stdio", "-monitor", "none", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-drive", "file=" + image + ",format=raw,if=ide,index=0,snapshot=on");
    }

    /**
     * Bochs (Debian's 2.7 build, with its debugger: {@code c} continues at once) with the BIOS and
     * VGA BIOS it ships, the term display library (Debian's bochs-term; the build has no nogui),
     * sound off (its mixer thread aborts without a sound card), the disk volatile (writes go to a
     * redo log that is thrown away, like QEMU's snapshot) and {@code clock: sync=none} with 100 M
     * instructions per virtual second, jx86's clock rate, so timer ticks come at the same
     * instruction distance on both.
     */
    static BenchEmulator bochs(String bochs) {
        String path = resolve(bochs);
        Path share = path == null ? null : bochsShare(Path.of(path));
        String missing = null;
        if (path == null) {
            missing = "bochs: not installed (tools/fetch-bochs.sh)";
        } else if (share == null) {
            missing = "bochs: not installed (no BIOS-bochs-latest and VGABIOS-lgpl-latest; tools/fetch-bochs.sh)";
        }
        return new BenchEmulator("bochs", "bochs", missing, (image, dir) -> {
            Path rc = dir.resolve("bochsrc");
            Files.writeString(rc, bochsrc(share, image, dir));
            return List.of(path, "-q", "-f", rc.toString());
        }, -1, "c\n", true);
    }

    static String bochsrc(Path share, Path image, Path dir) {
        return "megs: " + BenchWorkload.MEMORY_MIB + "\n"
                + "romimage: file=" + share.resolve("BIOS-bochs-latest") + "\n"
                + "vgaromimage: file=" + share.resolve("VGABIOS-lgpl-latest") + "\n"
                + "ata0-master: type=disk, path=" + image + ", mode=volatile\n"
                + "boot: disk\n"
                + "com1: enabled=1, mode=file, dev=" + dir.resolve("com1.txt") + "\n"
                + "display_library: term\n"
                + "clock: sync=none\n"
                + "cpu: count=1, ips=100000000\n"
                + "sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy\n"
                + "speaker: enabled=0\n"
                + "log: " + dir.resolve("bochs.log") + "\n"
                + "panic: action=fatal\nerror: action=report\ninfo: action=ignore\ndebug: action=ignore\n";
    }

    /**
     * Where Bochs's BIOS images are: $BXSHARE, the binary's ../share/bochs (/usr/bin/bochs, or the
     * wrapper tools/fetch-bochs.sh writes into its private tree) or /usr/share/bochs; null if none has them.
     */
    private static Path bochsShare(Path binary) {
        List<Path> dirs = new ArrayList<>();
        String bxshare = System.getenv("BXSHARE");
        if (bxshare != null && !bxshare.isEmpty()) {
            dirs.add(Path.of(bxshare));
        }
        Path bin = binary.toAbsolutePath().getParent();
        if (bin != null && bin.getParent() != null) {
            dirs.add(bin.getParent().resolve("share/bochs"));
        }
        dirs.add(Path.of("/usr/share/bochs"));
        for (Path d : dirs) {
            if (Files.isRegularFile(d.resolve("BIOS-bochs-latest")) && Files.isRegularFile(d.resolve("VGABIOS-lgpl-latest"))) {
                return d;
            }
        }
        return null;
    }

    /** An executable path, or a name found on PATH; null when there is none. */
    static String resolve(String command) {
        if (command.contains(File.separator)) {
            return Files.isExecutable(Path.of(command)) ? command : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return Path.of(dir, command).toString();
            }
        }
        return null;
    }

    // ---- one run ----

    /** The guest instructions of a jx86 run, from its {@code --stats} line on standard error; -1 if absent. */
    static long statsInstructions(String stderr) {
        Matcher m = STATS.matcher(stderr);
        return m.find() ? Long.parseLong(m.group(1).replaceAll("[^0-9]", "")) : -1;
    }

    /** True when text holds {@code line} as a whole line (a carriage return before the newline allowed). */
    static boolean hasLine(String text, String line) {
        return Pattern.compile("(?m)^" + Pattern.quote(line) + "\r?$").matcher(text).find();
    }

    /** Boots the image once; the clock runs from just before the process starts to the end line. */
    Outcome run(Path image, Path dir, String endLine) throws IOException, InterruptedException {
        List<String> cmd = commandLine.build(image, dir);
        Path com1 = dir.resolve("com1.txt");
        Path err = dir.resolve(name + ".stderr");
        Files.deleteIfExists(com1);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile());
        if (serialFile) {
            pb.redirectOutput(dir.resolve(name + ".stdout").toFile());
            pb.environment().putIfAbsent("TERM", "xterm");   // Bochs's term display needs a terminal type
        }
        AtomicLong end = new AtomicLong(-1);
        StringBuffer serial = new StringBuffer();
        long t0 = System.nanoTime();
        Process p = pb.start();
        Thread reader = null;
        try {
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
            }
            p.getOutputStream().close();
            if (!serialFile) {
                reader = new Thread(() -> readSerial(p.getInputStream(), serial, endLine, end), name + "-serial");
                reader.setDaemon(true);
                reader.start();
            }
            long seenSize = 0;   // the COM1 file is read again only when it has grown
            while (end.get() < 0 && System.nanoTime() - t0 < TIMEOUT_NANOS) {
                if (serialFile && Files.isRegularFile(com1) && Files.size(com1) != seenSize) {
                    String s = Files.readString(com1, StandardCharsets.ISO_8859_1);
                    seenSize = s.length();
                    if (hasLine(s, endLine)) {
                        end.compareAndSet(-1, System.nanoTime());
                        serial.setLength(0);
                        serial.append(s);
                    }
                }
                if (end.get() >= 0 || (!p.isAlive() && (reader == null || !reader.isAlive()))) {
                    break;
                }
                Thread.sleep(1);
            }
            int status = -1;
            if (expectedExit >= 0 && p.waitFor(60, TimeUnit.SECONDS)) {
                status = p.exitValue();
            }
            if (reader != null) {
                reader.join(TimeUnit.SECONDS.toMillis(10));
            }
            if (serialFile && serial.length() == 0 && Files.isRegularFile(com1)) {
                serial.append(Files.readString(com1, StandardCharsets.ISO_8859_1));
            }
            double seconds = end.get() < 0 ? -1 : (end.get() - t0) / 1e9;
            return new Outcome(seconds, serial.toString(), Files.readString(err, StandardCharsets.ISO_8859_1), status);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Copies standard output (COM1) into serial and notes the time the end line completes. */
    private static void readSerial(InputStream in, StringBuffer serial, String endLine, AtomicLong end) {
        byte[] buf = new byte[8192];
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                all.write(buf, 0, n);
                if (end.get() < 0 && hasLine(all.toString(StandardCharsets.ISO_8859_1), endLine)) {
                    end.compareAndSet(-1, System.nanoTime());
                }
            }
        } catch (IOException e) {
            // the process went away; what was read is all there is
        }
        serial.append(all.toString(StandardCharsets.ISO_8859_1));
    }
}
