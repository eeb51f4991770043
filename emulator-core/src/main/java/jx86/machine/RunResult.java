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
 */
public record RunResult(MachineEvent event, int exitPortValue, String serial, String debugCon,
        long instructions, long cycles) {

    /** The process exit status the CLI uses for this run. */
    public int exitStatus() {
        return event == MachineEvent.EXIT_PORT ? exitPortValue & 0xFF : event.exitStatus();
    }

    /** The one-line report the CLI prints on stderr. */
    public String report() {
        String what = event == MachineEvent.EXIT_PORT
                ? "guest exited with value " + exitPortValue + " through port 0xf4" : event.description();
        return String.format("jx86: %s after %,d instructions (%,d cycles)", what, instructions, cycles);
    }
}
