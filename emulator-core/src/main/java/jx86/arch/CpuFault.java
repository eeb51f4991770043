package jx86.arch;

/**
 * An architectural exception raised while executing an instruction (#GP, #PF, #UD ...).
 *
 * <p>Thrown from anywhere inside an instruction (decoder, MMU, segment checks) and caught by the
 * CPU's run loop only, which rolls the instruction back and delivers the vector to the guest. It
 * carries no stack trace: it is control flow for the guest, never a bug report for us. Any other
 * Java exception escaping an instruction is an emulator bug.
 */
public final class CpuFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Sentinel for {@link #errorCode} when the vector pushes none. */
    public static final int NO_ERROR_CODE = -1;

    public final int vector;
    /** Error code pushed on the handler's stack, or {@link #NO_ERROR_CODE}. */
    public final int errorCode;
    /** Faulting linear address for #PF (goes to CR2); 0 otherwise. */
    public final int linearAddress;

    private CpuFault(int vector, int errorCode, int linearAddress) {
        super(null, null, false, false);
        this.vector = vector;
        this.errorCode = errorCode;
        this.linearAddress = linearAddress;
    }

    public boolean hasErrorCode() {
        return errorCode != NO_ERROR_CODE;
    }

    /** A fault without an error code (#DE, #DB, #BP, #OF, #BR, #UD, #NM, #MF). */
    public static CpuFault of(int vector) {
        return new CpuFault(vector, NO_ERROR_CODE, 0);
    }

    /** A fault with an error code (#DF, #TS, #NP, #SS, #GP, #AC). */
    public static CpuFault withCode(int vector, int errorCode) {
        return new CpuFault(vector, errorCode & 0xFFFF_FFFF, 0);
    }

    public static CpuFault gp(int errorCode) {
        return withCode(Vectors.GP, errorCode);
    }

    public static CpuFault ud() {
        return of(Vectors.UD);
    }

    /** #PF with the SDM error code bits (P, W/R, U/S, RSVD, I/D) and the faulting address for CR2. */
    public static CpuFault pageFault(int errorCode, int linearAddress) {
        return new CpuFault(Vectors.PF, errorCode, linearAddress);
    }

    @Override
    public String toString() {
        return "CpuFault[" + Vectors.name(vector)
                + (hasErrorCode() ? " err=0x" + Integer.toHexString(errorCode) : "")
                + (vector == Vectors.PF ? " cr2=0x" + Integer.toHexString(linearAddress) : "") + "]";
    }
}
