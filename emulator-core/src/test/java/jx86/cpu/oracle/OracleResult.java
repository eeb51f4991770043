package jx86.cpu.oracle;

/**
 * Final state of one block on one side: either it ran to its end ({@link #vector} == -1) or it
 * raised an exception, in which case {@link #eip}, the registers and EFLAGS are those of the
 * faulting instruction and the window holds what was written before it.
 */
final class OracleResult {
    static final int COMPLETED = -1;
    /** jx86 only: the processor shut down (triple fault) or ran out of its instruction budget. */
    static final int UNKNOWN_FAULT = -2;
    /** jx86 only: an exception was raised but exception delivery is not implemented yet. */
    static final int UNDELIVERED = -3;

    final int vector;
    final int eip;
    final int[] regs;
    final int eflags;
    final byte[] window;
    /** jx86 only: a Java exception escaped the CPU (an emulator bug), else null. */
    final String crash;
    /** For #PF: the error code and the faulting linear address (CR2); 0 otherwise. */
    int errorCode;
    int faultAddress;

    OracleResult(int vector, int eip, int[] regs, int eflags, byte[] window, String crash) {
        this.vector = vector;
        this.eip = eip;
        this.regs = regs;
        this.eflags = eflags;
        this.window = window;
        this.crash = crash;
    }

    String describe() {
        StringBuilder sb = new StringBuilder();
        if (crash != null) {
            return "  CRASH " + crash;
        }
        sb.append(vector == COMPLETED ? "  completed" : vector == UNKNOWN_FAULT ? "  stopped (triple fault/budget)"
                : vector == UNDELIVERED ? "  exception (not delivered: Interrupts is a placeholder)"
                : "  exception vector " + vector);
        sb.append(String.format(" eip=%08x", eip));
        if (vector == 14) {
            sb.append(String.format(" error code=%x cr2=%08x", errorCode, faultAddress));
        }
        sb.append(String.format("%n  "));
        for (int r = 0; r < 8; r++) {
            sb.append(Asm.R32[r]).append('=').append(String.format("%08x ", regs[r]));
        }
        sb.append(String.format("eflags=%08x", eflags));
        return sb.toString();
    }
}
