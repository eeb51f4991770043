package jx86.machine;

/**
 * Why a machine run ended. Each has a distinct process exit status for the CLI (docs/machine.md);
 * the guest's own exit-port value is passed through unchanged.
 */
public enum MachineEvent {
    /** The guest wrote a value to the exit port 0xF4 (QEMU isa-debug-exit compatible). */
    EXIT_PORT(-1, "guest wrote to the exit port"),
    /** Triple fault: the processor shut down. */
    TRIPLE_FAULT(70, "triple fault: the processor shut down"),
    /** HLT with interrupts disabled and no NMI source: nothing can ever wake the CPU. */
    HALTED_FOREVER(71, "halted with interrupts disabled"),
    /** --max-instructions reached. */
    INSTRUCTION_LIMIT(72, "instruction limit reached"),
    /** --timeout (wall clock) reached. */
    TIMEOUT(73, "wall-clock timeout reached"),
    /** The guest reset the CPU (8042 command 0xFE, port 0x92 bit 0). */
    RESET(74, "the guest reset the machine"),
    /** The attached debugger ended the run (GDB's {@code kill}). */
    KILLED(75, "killed by the debugger"),
    /** A harness stopped the run (jx86.harness.Harness#stop, possibly from another thread). */
    STOPPED(77, "stopped by the harness"),
    /** A harness's virtual-time limit was reached (jx86.harness). */
    TIME_LIMIT(78, "virtual time limit reached"),
    /**
     * With {@code --exit-on-eof}: the serial input ended, the guest took all of it and then stayed
     * idle for the grace period ({@link MachineConfig#exitOnEof}).
     */
    INPUT_ENDED(76, "input ended and the guest went idle");

    private final int exitStatus;
    private final String description;

    MachineEvent(int exitStatus, String description) {
        this.exitStatus = exitStatus;
        this.description = description;
    }

    /** The CLI's exit status for this event; EXIT_PORT uses the value the guest wrote instead. */
    public int exitStatus() {
        return exitStatus;
    }

    public String description() {
        return description;
    }
}
