package jx86.cpu;

import jx86.arch.CpuFault;

/**
 * Interrupt and exception delivery (SDM Vol. 3A chapter 6): the real-mode IVT, the protected-mode
 * IDT with interrupt, trap and task gates, privilege change to the TSS's SS0:ESP0 (and V86 exits),
 * error codes, double-fault escalation and triple fault.
 *
 * <p>OWNED BY THE PROTECTED-MODE/SYSTEM WORK. Placeholder body.
 *
 * <p>Calling convention: {@code cpu.eip} holds the EIP to push: the faulting instruction's for
 * faults (the run loop has already rolled the instruction back), the next instruction's for traps,
 * INT n/INT3/INTO and external interrupts.
 */
public final class Interrupts {
    /** Hardware interrupt from the INTR pin (IF was 1), or NMI: no DPL check, EXT=1 in error codes. */
    public static final int EXTERNAL = 0;
    /** A processor exception (fault or trap): no DPL check, EXT=0. */
    public static final int EXCEPTION = 1;
    /** INT n: gate DPL must be >= CPL (else #GP(vector*8+2)); in V86 mode IOPL rules apply. */
    public static final int SOFTWARE = 2;
    /** INT3 and INTO: DPL checked like INT n but not subject to V86 IOPL redirection. */
    public static final int SOFTWARE_TRAP = 3;

    private Interrupts() {
    }

    /**
     * Delivers {@code vector}. May itself throw {@link CpuFault} (e.g. #GP for a bad gate, #PF while
     * pushing); callers that deliver an exception use {@link #raiseException} instead, which turns
     * such nested faults into #DF or a triple fault.
     */
    public static void deliver(Cpu cpu, int vector, int kind, int errorCode) {
        throw new UnsupportedOperationException("interrupt delivery");
    }

    /**
     * Delivers exception {@code fault} raised by the current instruction, applying the SDM Table
     * 6-5 rules for faults during delivery (contributory + contributory = #DF, #PF + #PF/contributory
     * = #DF, anything during #DF = shutdown). Sets CR2 for #PF. Returns false when the processor
     * entered shutdown (triple fault); the run loop then stops with {@link StopReason#TRIPLE_FAULT}.
     */
    public static boolean raiseException(Cpu cpu, CpuFault fault) {
        throw new UnsupportedOperationException("exception delivery");
    }
}
