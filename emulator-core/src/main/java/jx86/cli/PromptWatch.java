package jx86.cli;

import java.lang.management.ManagementFactory;
import jx86.cpu.StopReason;
import jx86.host.BufferSerial;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;

/**
 * Finds the moment a boot benchmark's guest first prints its shell prompt on COM1, without
 * changing the machine: attached as the machine's run-control hook ({@link PcMachine.Debugger}), it
 * runs the guest in slices of {@value #STEP} instructions and, between slices, looks for the prompt
 * in the captured serial output. It records the guest instruction count at the end of the slice in
 * which the prompt appeared (so the count is exact to within one slice, and deterministic: the
 * slicing is the same in every run) and the host's wall time then. Only the bench command reads
 * wall time; nothing here feeds it back into the machine.
 */
final class PromptWatch implements PcMachine.Debugger {
    /** Slice length: the resolution of the instruction count to the prompt. */
    static final long STEP = 1_000;

    private final PcMachine machine;
    private final BufferSerial serial;
    private final String prompt;
    /** JVM start (epoch ms), read up front so no class loading lands inside the measured moment. */
    private final long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    private final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private int scanned;
    private long instructions = -1;
    private long nanos = -1;
    private long jvmUptimeMillis = -1;
    private long cpuNanos = -1;

    PromptWatch(PcMachine machine, String prompt) {
        this.machine = machine;
        this.prompt = prompt;
        if (!(machine.devices().serialBackend(0) instanceof BufferSerial b)) {
            throw new IllegalStateException("a boot benchmark needs captured serial output");
        }
        this.serial = b;
    }

    @Override
    public StopReason run(long budget) {
        check();      // output may also appear while the machine idles between slices
        StopReason stop = machine.runCpu(Math.min(budget, STEP));
        check();
        return stop;
    }

    private void check() {
        if (instructions >= 0) {
            return;
        }
        String out = serial.output();
        int at = out.indexOf(prompt, Math.max(0, scanned - prompt.length()));
        scanned = out.length();
        if (at >= 0) {
            nanos = System.nanoTime();
            jvmUptimeMillis = System.currentTimeMillis() - jvmStartMillis;
            cpuNanos = threads.getCurrentThreadCpuTime();
            instructions = machine.instructions();
            if (jx86.machine.StartupTrace.enabled()) {
                jx86.machine.StartupTrace.mark("bench: prompt seen after " + instructions + " instructions");
            }
        }
    }

    @Override
    public boolean wantsControl() {
        return false;
    }

    @Override
    public boolean killed() {
        return false;
    }

    @Override
    public void machineEnded(MachineEvent event, int exitPortValue) {
    }

    /** Guest instructions retired when the prompt was first seen, or -1 if it never appeared. */
    long instructions() {
        return instructions;
    }

    /** {@link System#nanoTime} when the prompt was first seen, or -1. */
    long nanos() {
        return nanos;
    }

    /** The machine thread's CPU time (ns) when the prompt was first seen, or -1. */
    long cpuNanos() {
        return cpuNanos;
    }

    /** Milliseconds since the JVM started when the prompt was first seen, or -1. */
    long jvmUptimeMillis() {
        return jvmUptimeMillis;
    }
}
