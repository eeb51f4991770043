package jx86.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The three workload classes of {@code jx86 bench --compare}. Each is a guest that boots from a disk
 * image (built with {@code jx86 mkimage}, so that jx86, QEMU and Bochs boot the very same bytes
 * through their BIOS) and reads its iteration count from the kernel command line in the image;
 * count 0 is the zero-work variant: the same guest booted and shut down without the workload.
 * Each prints a checksum line, which must be the same on every emulator, and then an end line on
 * COM1 that stops the clock.
 */
enum BenchWorkload {
    /** src-test-guests/bench/cpu-bound.c: ALU, calls, strided memory, strings, CRC, heap sort. */
    CPU_BOUND("cpu-bound", 6, "src-test-guests/target/guests/bench/cpu-bound.elf", "iters=", null, "done"),
    /** kernel-monolithic with init=/bin/kbench: system calls, context switches, faults, forks. */
    KERNEL_HEAVY("kernel-heavy", 8, "kernel-monolithic/target/kernel.elf", "console=ttyS0 init=/bin/kbench kbench=",
            "kernel-monolithic/target/root", "reboot: power down"),
    /** src-test-guests/bench/mem-walk.c: paging on, a random walk over 64 MiB in 4 KiB pages. */
    MEMORY_HEAVY("memory-heavy", 24, "src-test-guests/target/guests/bench/mem-walk.elf", "iters=", null, "done");

    /** Guest RAM of every run (mem-walk needs 96 MiB). */
    static final int MEMORY_MIB = 128;

    final String id;
    /** Iterations of a full run: several seconds of work on jx86, hundreds of millions of instructions. */
    final int defaultIterations;
    private final String kernel;
    private final String cmdlinePrefix;
    private final String rootTree;
    /** The line on COM1 after which the guest does nothing more that counts: it stops the clock. */
    final String endLine;

    BenchWorkload(String id, int defaultIterations, String kernel, String cmdlinePrefix, String rootTree,
            String endLine) {
        this.id = id;
        this.defaultIterations = defaultIterations;
        this.kernel = kernel;
        this.cmdlinePrefix = cmdlinePrefix;
        this.rootTree = rootTree;
        this.endLine = endLine;
    }

    /** One chosen class with its iteration count ({@code cpu-bound} or {@code cpu-bound:N}). */
    record Choice(BenchWorkload workload, int iterations) {
        /** The table's first column. */
        String label() {
            return workload.id + ":" + iterations;
        }
    }

    /** Parses {@code CLASS} or {@code CLASS:N}; a bad name or count is a {@link UserError}. */
    static Choice parse(String arg) {
        int colon = arg.indexOf(':');
        String name = colon < 0 ? arg : arg.substring(0, colon);
        BenchWorkload w = Arrays.stream(values()).filter(v -> v.id.equals(name)).findFirst()
                .orElseThrow(() -> new UserError("--compare: unknown workload class '" + arg + "' (expected "
                        + Arrays.stream(values()).map(v -> v.id).collect(Collectors.joining(", ")) + ", optionally :N)"));
        if (colon < 0) {
            return new Choice(w, w.defaultIterations);
        }
        String count = arg.substring(colon + 1);
        if (!count.matches("[0-9]{1,5}") || Integer.parseInt(count) < 1) {
            throw new UserError("--compare: bad iteration count in '" + arg + "' (expected 1 to 99999)");
        }
        return new Choice(w, Integer.parseInt(count));
    }

    /** The kernel command line of a run with {@code iterations} (0: the zero-work variant). */
    String cmdline(int iterations) {
        return cmdlinePrefix + iterations;
    }

    /** The files the image is built from, checked up front; a missing one is a {@link UserError}. */
    void requireBuilt(Path root) {
        for (String rel : rootTree == null ? new String[] {kernel} : new String[] {kernel, rootTree}) {
            if (!Files.exists(root.resolve(rel))) {
                throw new UserError("--compare " + id + ": " + root.resolve(rel)
                        + " not found (run 'mvn -q -DskipTests package' to build the guests)");
            }
        }
    }

    /**
     * The {@code jx86 mkimage} manifest of a run's disk image (see docs/disk-images.md): the
     * kernel, its command line and, for the kernel class, kernel-monolithic's root tree.
     */
    String manifest(Path root, int iterations) {
        StringBuilder m = new StringBuilder();
        m.append("# jx86 bench --compare ").append(id).append(", ").append(iterations).append(" iterations\n");
        m.append("kernel = ").append(root.resolve(kernel).toAbsolutePath()).append('\n');
        m.append("cmdline = ").append(cmdline(iterations)).append('\n');
        if (rootTree != null) {
            m.append("root = ").append(root.resolve(rootTree).toAbsolutePath()).append('\n');
            m.append("size = 32M\nblock-size = 1024\n");
        } else {
            m.append("size = 4M\n");
        }
        return m.toString();
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
