package jx86.cpu;

/**
 * System instructions that involve descriptors, control registers or privilege (SDM Vol. 2 and
 * Vol. 3A chapters 2 and 5): LLDT, LTR, LAR, LSL, VERR, VERW, ARPL, MOV to/from CR and DR, LMSW,
 * CLTS, RDMSR/WRMSR, SYSENTER/SYSEXIT, and the I/O permission check for IN/OUT/INS/OUTS.
 *
 * <p>OWNED BY THE PROTECTED-MODE/SYSTEM WORK. Placeholder bodies. The decoder checks CPL for the
 * privileged ones only where noted; these methods raise #GP/#UD themselves.
 */
public final class SystemInsns {
    private SystemInsns() {
    }

    public static void lldt(Cpu cpu, int selector) {
        throw new UnsupportedOperationException("lldt");
    }

    public static void ltr(Cpu cpu, int selector) {
        throw new UnsupportedOperationException("ltr");
    }

    /** LAR: returns the access-rights dword (masked 0x00FxFF00) and sets ZF, or returns -1 with ZF cleared. */
    public static long lar(Cpu cpu, int selector) {
        throw new UnsupportedOperationException("lar");
    }

    /** LSL: returns the byte-granular limit and sets ZF, or returns -1 with ZF cleared. */
    public static long lsl(Cpu cpu, int selector) {
        throw new UnsupportedOperationException("lsl");
    }

    /** VERR / VERW: sets ZF if the segment is readable / writable at the current CPL and RPL. */
    public static void verify(Cpu cpu, int selector, boolean write) {
        throw new UnsupportedOperationException("verr/verw");
    }

    /** MOV CRn, r32 (CPL 0 checked here): validates bits, updates the MMU, mode switches. */
    public static void movToCr(Cpu cpu, int crIndex, int value) {
        throw new UnsupportedOperationException("mov cr");
    }

    public static int movFromCr(Cpu cpu, int crIndex) {
        throw new UnsupportedOperationException("mov from cr");
    }

    public static void movToDr(Cpu cpu, int drIndex, int value) {
        throw new UnsupportedOperationException("mov dr");
    }

    public static int movFromDr(Cpu cpu, int drIndex) {
        throw new UnsupportedOperationException("mov from dr");
    }

    /** LMSW: loads CR0 bits 0-3 (PE can be set, never cleared). */
    public static void lmsw(Cpu cpu, int value) {
        throw new UnsupportedOperationException("lmsw");
    }

    public static void clts(Cpu cpu) {
        throw new UnsupportedOperationException("clts");
    }

    /** RDMSR: ECX selects the MSR, result in EDX:EAX; #GP(0) for unimplemented MSRs or CPL != 0. */
    public static void rdmsr(Cpu cpu) {
        throw new UnsupportedOperationException("rdmsr");
    }

    public static void wrmsr(Cpu cpu) {
        throw new UnsupportedOperationException("wrmsr");
    }

    public static void sysenter(Cpu cpu) {
        throw new UnsupportedOperationException("sysenter");
    }

    public static void sysexit(Cpu cpu) {
        throw new UnsupportedOperationException("sysexit");
    }

    /**
     * Checks that the current task may access {@code size} bytes of ports at {@code port}: always in
     * real mode; in protected mode if CPL <= IOPL, else through the TSS I/O permission bitmap; in
     * V86 mode always through the bitmap. Throws #GP(0) when denied.
     */
    public static void checkIoPermission(Cpu cpu, int port, int size) {
        if (!cpu.protectedMode()) {
            return;
        }
        throw new UnsupportedOperationException("I/O permission check");
    }
}
