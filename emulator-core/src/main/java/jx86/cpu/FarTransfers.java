package jx86.cpu;

/**
 * Far JMP, far CALL, far RET and IRET in every mode (SDM Vol. 2 JMP/CALL/RET/IRET, Vol. 3A 5.8):
 * real mode, protected mode to conforming and non-conforming code, call gates with parameter copy
 * and privilege change through the TSS stack, task gates and TSS selectors (hardware task switch),
 * returns to an outer level (nulling data segment registers the outer level may not use), IRET to
 * V86 mode and nested-task return.
 *
 * <p>OWNED BY THE PROTECTED-MODE/SYSTEM WORK. Placeholder bodies: real mode only.
 *
 * <p>Calling convention: when these run, {@code cpu.eip} already holds the offset of the NEXT
 * instruction (the return address for CALL). On a fault the caller restores EIP/ESP; these methods
 * must not leave half-changed state they cannot roll back (check before commit).
 */
public final class FarTransfers {
    private FarTransfers() {
    }

    public static void farJump(Cpu cpu, int selector, int offset, boolean operand32) {
        cpu.setSegmentCache(Cpu.CS, selector, (selector & 0xFFFF) << 4, 0xFFFF, cpu.segAr[Cpu.CS]);
        cpu.eip = operand32 ? offset : offset & 0xFFFF;
    }

    public static void farCall(Cpu cpu, int selector, int offset, boolean operand32) {
        throw new UnsupportedOperationException("far call");
    }

    /** RETF [imm16]: {@code popBytes} is the immediate (bytes released after popping CS:EIP). */
    public static void farReturn(Cpu cpu, boolean operand32, int popBytes) {
        throw new UnsupportedOperationException("far return");
    }

    public static void iret(Cpu cpu, boolean operand32) {
        throw new UnsupportedOperationException("iret");
    }
}
