package jx86.cpu;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An opt-in progress sampler ({@code -Djx86.progress=MS}, off by default): a daemon thread that
 * prints to stderr, every MS milliseconds of wall time, the guest instructions retired and virtual
 * cycles in that interval, the blocks the translator has compiled so far, and the CPU time the
 * process's threads took in the interval (the threads named {@code java}, the launcher's main
 * thread that runs the guest; the C2 and the C1 compiler threads; the rest), read from
 * {@code /proc/self/task} in ticks of 10 ms. It shows where the wall time of a run goes: how many
 * instructions each interval retires while the translator's code is still interpreted or in C1's
 * tiers and the compilers compete for the cores, and how many once C2's code has arrived (compare
 * with {@code -XX:+PrintCompilation}, whose time stamps are milliseconds since JVM start like this
 * sampler's first column). Round 10 in docs/performance.md.
 *
 * <p>Free when off: {@link #start} is called once per engine selection and returns at once. The
 * guest thread is not touched at all when on; the sampler reads its plain counters from another
 * thread (a value a few hundred instructions stale is harmless for a rate over 100 ms).
 */
final class Progress implements Runnable {
    private static final long INTERVAL_MS = Long.getLong("jx86.progress", 0);

    /** Weakly: a machine that is dropped (e.g. between in-process bench runs) ends its sampler. */
    private final java.lang.ref.WeakReference<Cpu> cpu;
    private final long intervalMs;

    private Progress(Cpu cpu, long intervalMs) {
        this.cpu = new java.lang.ref.WeakReference<>(cpu);
        this.intervalMs = intervalMs;
    }

    /**
     * Starts a sampler for {@code cpu} if {@code -Djx86.progress=MS} asks for one. Called when
     * the CPU's engine is selected, which a machine does once (no static "started" flag: the
     * emulator keeps no global state, NoGlobalStateTest).
     */
    static void start(Cpu cpu) {
        if (INTERVAL_MS <= 0) {
            return;
        }
        final Thread t = new Thread(new Progress(cpu, INTERVAL_MS), "jx86-progress");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        // The JVM's uptime is the clock of PrintCompilation's time stamps (the process's start
        // instant from /proc is seconds off in some VMs).
        final long startMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        final long nano0 = System.nanoTime();
        System.err.println("progress: t_ms instr d_instr mips cycles d_cycles cpu_guest_ms cpu_c2_ms cpu_c1_ms cpu_other_ms blocks");
        final Cpu first = cpu.get();
        if (first == null) {
            return;
        }
        long lastInstr = first.instructions;
        long lastCycles = first.clock.cycles;
        long lastNano = nano0;
        long[] lastCpu = threadCpu();
        while (true) {
            try {
                Thread.sleep(intervalMs); // holding no strong reference to the CPU
            } catch (InterruptedException e) {
                return;
            }
            final Cpu c = cpu.get();
            if (c == null) {
                return;
            }
            final long nano = System.nanoTime();
            final long instr = c.instructions;
            final long cycles = c.clock.cycles;
            final long[] now = threadCpu();
            final long di = instr - lastInstr;
            final double mips = di / ((nano - lastNano) / 1e3);
            System.err.printf("progress: %d %d %d %.1f %d %d %d %d %d %d %d%n",
                    startMs + (nano - nano0) / 1_000_000, instr, di, mips, cycles, cycles - lastCycles,
                    now[0] - lastCpu[0], now[1] - lastCpu[1], now[2] - lastCpu[2], now[3] - lastCpu[3],
                    c.translatedBlocks());
            lastInstr = instr;
            lastCycles = cycles;
            lastNano = nano;
            lastCpu = now;
        }
    }

    /**
     * CPU milliseconds (user + system) of the process's threads named {@code java} (the guest's
     * and the idle primordial one), C2 compiler threads, C1 compiler threads and all others.
     */
    private static long[] threadCpu() {
        final long[] ms = new long[4];
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                final String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                final int open = stat.indexOf('(');
                final int close = stat.lastIndexOf(')');
                final String name = stat.substring(open + 1, close);
                final String[] f = stat.substring(close + 2).split(" ");
                // after the name: state(0) ... utime(11) stime(12), in clock ticks of 10 ms
                final long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                ms[name.equals("java") ? 0 : name.startsWith("C2 Compiler") ? 1 : name.startsWith("C1 Compiler") ? 2 : 3] += ticks * 10;
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux): the CPU columns stay 0
        }
        return ms;
    }
}
