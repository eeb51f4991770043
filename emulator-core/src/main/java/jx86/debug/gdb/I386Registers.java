package jx86.debug.gdb;

import java.util.List;
import jx86.cpu.Cpu;

/**
 * The i386 register block of GDB's remote protocol without a target description (GDB's
 * i386 register numbering, gdb/i386-tdep.h): 16 registers of 32 bits, each as 8 hex digits in
 * little-endian byte order, in the order eax ecx edx ebx esp ebp esi edi eip eflags cs ss ds es fs gs.
 * GDB treats the x87/SSE registers that follow in its default description as unavailable.
 *
 * <p>Segment registers are written as selectors: in real and virtual-8086 mode the hidden base
 * follows (selector * 16); in protected mode a changed selector is refused, since loading the
 * descriptor cache is the CPU's business (the GDT is not re-read here).
 */
public final class I386Registers {
    /** Number of registers in the block. */
    public static final int COUNT = 16;
    public static final int EIP = 8;
    public static final int EFLAGS = 9;
    /** Cpu segment indices for GDB registers 10..15 (cs ss ds es fs gs). */
    private static final List<Integer> SEGMENTS = List.of(Cpu.CS, Cpu.SS, Cpu.DS, Cpu.ES, Cpu.FS, Cpu.GS);

    private I386Registers() {
    }

    /** The value of GDB register {@code n} (0..15). */
    public static int read(Cpu cpu, int n) {
        if (n < 8) {
            return cpu.regs[n];
        }
        if (n == EIP) {
            return cpu.eip;
        }
        if (n == EFLAGS) {
            return cpu.getEflags();
        }
        return cpu.segSel[SEGMENTS.get(n - 10)];
    }

    /** Sets GDB register {@code n}; false if the write was refused (a protected-mode selector change). */
    public static boolean write(Cpu cpu, int n, int value) {
        if (n < 8) {
            cpu.regs[n] = value;
        } else if (n == EIP) {
            cpu.eip = value;
        } else if (n == EFLAGS) {
            cpu.setEflags(value);
        } else {
            int seg = SEGMENTS.get(n - 10);
            int sel = value & 0xFFFF;
            if (sel == cpu.segSel[seg]) {
                return true;
            }
            if (cpu.protectedMode() && !cpu.v86Mode()) {
                return false;
            }
            cpu.setSegmentCache(seg, sel, sel << 4, cpu.segLimit[seg], cpu.segAr[seg]);
        }
        return true;
    }

    /** The {@code g} reply: all 16 registers. */
    public static String encode(Cpu cpu) {
        StringBuilder sb = new StringBuilder(COUNT * 8);
        for (int n = 0; n < COUNT; n++) {
            RspCodec.appendLe32(sb, read(cpu, n));
        }
        return sb.toString();
    }

    /**
     * Applies a {@code G} block; a shorter block sets the registers it covers. Refused selector
     * changes are skipped. Throws IllegalArgumentException for malformed hex.
     */
    public static void decode(Cpu cpu, String block) {
        int count = Math.min(COUNT, block.length() / 8);
        int[] values = new int[count];
        for (int n = 0; n < count; n++) {
            values[n] = RspCodec.parseLe32(block, n * 8);   // parse all first: no half-applied block
        }
        for (int n = 0; n < count; n++) {
            write(cpu, n, values[n]);
        }
    }
}
