package jx86.cpu;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;

/**
 * Miscellaneous instructions (SDM Vol. 1, 7.3.15-7.3.17): BOUND, ARPL, HLT, WAIT, and the x87
 * escape opcodes D8-DF.
 *
 * <p>No FPU is implemented (CPUID.1:EDX.FPU = 0). With CR0.EM or CR0.TS set an escape opcode raises
 * #NM (so an OS can emulate the FPU). With both clear it behaves like a 386 without a coprocessor:
 * the instruction (including its memory operand bytes) is decoded and ignored, so FNINIT/FNSTSW/
 * FNSTCW leave their destinations unchanged and FPU detection code concludes there is no FPU.
 */
final class Misc {
    private Misc() {
    }

    /** BOUND r, m: #BR when the signed index is outside [lower, upper]. */
    static void bound(Cpu c) {
        int size = c.osz;
        int lower = Mem.read(c, c.eaSeg, c.eaOff, size);
        int upper = Mem.read(c, c.eaSeg, Mem.eaPlus(c, size), size);
        int index = Mem.getReg(c, size, c.reg);
        if (size == 2) {
            lower = (short) lower;
            upper = (short) upper;
            index = (short) index;
        }
        if (index < lower || index > upper) {
            throw CpuFault.of(Vectors.BR);
        }
    }

    /** ARPL r/m16, r16 (protected mode only: the decoder raised #UD elsewhere). */
    static void arpl(Cpu c) {
        int dest = Mem.readRmW(c, 2);
        int src = Mem.getReg(c, 2, c.reg);
        if ((dest & 3) < (src & 3)) {
            Mem.writeRmW(c, 2, (dest & ~3) | (src & 3));
            Flags.update(c, Cpu.ZF, Cpu.ZF);
        } else {
            Flags.update(c, Cpu.ZF, 0);
        }
    }

    /** HLT (CPL 0: the decoder raised #GP(0) elsewhere). */
    static void hlt(Cpu c) {
        c.setHalted(true);
    }

    /** NOP (90), the multi-byte NOP and hint rows (0F 18-1F), INVD/WBINVD (no caches modelled). */
    static void nop(Cpu c) {
    }

    /** UD2 (0F 0B) and UD1 (0F B9 /r): defined to raise #UD. */
    static void ud(Cpu c) {
        throw CpuFault.ud();
    }
}
