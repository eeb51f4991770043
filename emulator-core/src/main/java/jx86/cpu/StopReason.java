package jx86.cpu;

/** Why {@link Cpu#run} returned. */
public enum StopReason {
    /** The instruction budget given to run() was used up; call again to continue. */
    BUDGET,
    /** Triple fault: the processor entered shutdown; every later run() returns this until Cpu.reset(). */
    TRIPLE_FAULT,
    /** HLT with interrupts disabled and no NMI possible: the machine can never continue. */
    HALTED_FOREVER,
    /** HLT with interrupts enabled: the run loop should advance time to the next event. */
    HALTED,
    /** Someone (exit port, reset, debugger, --timeout) asked the CPU to stop via {@link Cpu#requestStop}. */
    REQUESTED,
}
