package jx86.cpu;

/**
 * Which execution path the CPU tests run on: the decoded-instruction cache (default, as a machine
 * runs) or, with {@code -Djx86.test.decodeCache=false}, the plain interpreter ({@link Exec} for
 * every instruction). emulator-core's pom runs the CPU tests a second time that way (surefire
 * execution {@code cpu-tests-plain-interpreter}), so the cached forms and their plain handlers
 * are both held to every unit test and to the host-CPU oracle.
 */
public final class ExecutionPath {
    private ExecutionPath() {
    }

    public static boolean decodeCache() {
        return !"false".equals(System.getProperty("jx86.test.decodeCache"));
    }

    /** Puts {@code cpu} on the path under test. */
    public static Cpu apply(Cpu cpu) {
        cpu.setDecodeCache(decodeCache());
        return cpu;
    }
}
