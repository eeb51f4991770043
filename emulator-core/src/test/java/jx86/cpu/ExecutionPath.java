package jx86.cpu;

/**
 * Which execution engine the CPU tests run on: the decoded-instruction cache (default, as a machine
 * runs), or the one named by {@code -Djx86.test.engine=interp|cache|jit} ({@code
 * -Djx86.test.decodeCache=false}, the older spelling, means interp). emulator-core's pom runs the
 * CPU tests once more per other engine (surefire executions {@code cpu-tests-plain-interpreter}, ...),
 * so every engine is held to every unit test and to the host-CPU oracle.
 */
public final class ExecutionPath {
    private ExecutionPath() {
    }

    /** The engine under test. */
    public static Engine engine() {
        String name = System.getProperty("jx86.test.engine");
        if (name != null) {
            Engine e = Engine.parse(name);
            if (e == null) {
                throw new IllegalArgumentException("jx86.test.engine=" + name + ": expected interp, cache or jit");
            }
            return e;
        }
        return "false".equals(System.getProperty("jx86.test.decodeCache")) ? Engine.INTERP : Engine.CACHE;
    }

    public static boolean decodeCache() {
        return engine() != Engine.INTERP;
    }

    /** Puts {@code cpu} on the engine under test. */
    public static Cpu apply(Cpu cpu) {
        cpu.setEngine(engine());
        return cpu;
    }
}
