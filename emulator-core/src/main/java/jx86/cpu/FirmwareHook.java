package jx86.cpu;

/**
 * Built-in BIOS services. The firmware's ROM holds, for each serviced vector n, the 4-byte stub
 * {@code 0F FF n CF} (a reserved opcode, then IRET) at F000:xxxx. In real mode with CS = 0xF000 the
 * CPU executes {@code 0F FF imm8} by calling {@link #biosCall}; anywhere else 0F FF is #UD.
 */
public interface FirmwareHook {
    /** Performs BIOS service {@code vector} on the CPU state (registers, memory, saved FLAGS on the stack). */
    void biosCall(Cpu cpu, int vector);
}
