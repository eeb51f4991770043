package jx86.cpu.fpu;

/**
 * What the x87 needs from the integer CPU (implemented in package jx86.cpu): memory operands by
 * segment and offset with the CPU's segment and paging checks, the operand size, EFLAGS for
 * FCOMI/FCMOVcc, AX for FNSTSW AX, the selectors and mode for the FPU pointers and environment
 * layouts, and the error signalling of SDM Vol. 1, 8.7 (#MF or FERR#).
 */
public interface Bus {
    /** Reads 1, 2 or 4 bytes. */
    int read(int seg, int off, int size);

    /** Writes 1, 2 or 4 bytes. */
    void write(int seg, int off, int size, int value);

    /** Faults now unless {@code len} bytes at seg:off may be written (so a store never writes partially). */
    void checkWrite(int seg, int off, int len);

    /** Faults now unless {@code len} bytes at seg:off may be read. */
    void checkRead(int seg, int off, int len);

    /** {@code off + delta} wrapped at the instruction's address size. */
    int offPlus(int off, int delta);

    /** Operand size in bytes (2 or 4): selects the 14/94- or 28/108-byte environment layouts. */
    int operandSize();

    /** True in real and virtual-8086 mode (the environment holds linear instruction/data pointers). */
    boolean realLayout();

    int selector(int seg);

    int segmentBase(int seg);

    /** CS selector and offset of the current instruction. */
    int csSelector();

    int insnOffset();

    void setAx(int value);

    /** EFLAGS as the CPU sees them now (CF, PF, ZF read by FCMOVcc). */
    int eflags();

    /** Sets ZF, PF and CF and clears OF, SF and AF (FCOMI/FUCOMI). */
    void setCompareFlags(boolean zf, boolean pf, boolean cf);

    /**
     * A waiting instruction found an unmasked exception pending (status word ES): raises #MF when
     * CR0.NE = 1, otherwise asserts FERR# (IRQ 13 through the chipset) and lets the instruction run.
     */
    void fpuError();
}
