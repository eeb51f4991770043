package jx86.machine;

/**
 * The outcome of a machine run: what ended it, what the guest printed, how far it got.
 *
 * @param event         what ended the run
 * @param exitPortValue the value written to port 0xF4 (meaningful for {@link MachineEvent#EXIT_PORT})
 * @param serial        COM1 output when the serial back-end captures it (tests, scripts), else ""
 * @param debugCon      port 0xE9 output
 * @param instructions  guest instructions retired
 * @param cycles        virtual cycles elapsed (instructions plus cost-model penalties and idle time)
 * @param qemuExit      the exit port is in QEMU's isa-debug-exit mode: the status is (v << 1) | 1
 */
public record RunResult(MachineEvent event, int exitPortValue, String serial, String debugCon,
        long instructions, long cycles, boolean qemuExit) {

    /** A result with jx86's own exit-port status (v itself). */
    public RunResult(MachineEvent event, int exitPortValue, String serial, String debugCon, long instructions,
            long cycles) {
        this(event, exitPortValue, serial, debugCon, instructions, cycles, false);
    }

    /** The process exit status the CLI uses for this run. */
    public int exitStatus() {
        if (event != MachineEvent.EXIT_PORT) {
            return event.exitStatus();
        }
        return (qemuExit ? exitPortValue << 1 | 1 : exitPortValue) & 0xFF;
    }

    /** The one-line report the CLI prints on stderr. */
    public String report() {
        String what = event == MachineEvent.EXIT_PORT
                ? "guest exited with value " + exitPortValue + " through port 0xf4" : event.description();
        return String.format("jx86: %s after %,d instructions (%,d cycles)", what, instructions, cycles);
    }
}
