package jx86.machine;

import java.time.Duration;

/**
 * Start-up marks for measuring where the time to the first guest output goes (docs/performance.md,
 * "Start-up"). Off unless the JVM runs with {@code -Djx86.startupTrace=true} (e.g. through
 * {@code JX86_JAVA_OPTS}); then each {@link #mark} prints one line on standard error (standard
 * output is the guest's console): milliseconds since RuntimeMXBean's start time (which is the
 * JVM's "init done" moment, some 30 ms after it began to create itself; the launcher script, the
 * exec and JVM creation come before it: time those from outside with tools/time-to-prompt.sh),
 * and the process's CPU time so far (all threads: the JIT compilers and the GC too; 10 ms
 * resolution). The first mark also pays for loading java.management (a few ms). Nothing here
 * feeds back into the machine.
 */
public final class StartupTrace {
    private static final boolean ON = Boolean.getBoolean("jx86.startupTrace");

    private StartupTrace() {
    }

    /** Whether marks are printed. */
    public static boolean enabled() {
        return ON;
    }

    /** Prints {@code what} with the times (when enabled). */
    public static void mark(String what) {
        if (ON) {
            print(what);
        }
    }

    private static void print(String what) {
        // RuntimeMXBean's start time is the JVM's init-done moment (ms resolution); no state is kept
        // here, so nothing is shared between machines (NoGlobalStateTest)
        long sinceStart = System.currentTimeMillis()
                - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        long cpu = ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
        System.err.printf(java.util.Locale.ROOT, "jx86 startup: %6d ms, cpu %5d ms  %s%n", sinceStart, cpu, what);
    }
}
