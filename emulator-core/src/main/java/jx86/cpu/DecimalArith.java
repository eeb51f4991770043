package jx86.cpu;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;

/**
 * Decimal (BCD) arithmetic (SDM Vol. 1, 7.3.5; Vol. 2 DAA, DAS, AAA, AAS, AAM, AAD), following the
 * SDM pseudocode. Undefined flags: OF = 0; for AAA/AAS, SF/ZF/PF follow the resulting AL; for
 * AAM/AAD, CF = AF = OF = 0.
 */
final class DecimalArith {
    private DecimalArith() {
    }

    private static int al(Cpu c) {
        return c.regs[Cpu.EAX] & 0xFF;
    }

    static void daa(Cpu c) {
        int old = al(c);
        boolean oldCf = Flags.cf(c);
        int al = old;
        int flags = 0;
        if ((al & 0x0F) > 9 || Flags.af(c)) {
            al += 6;
            if (oldCf || al > 0xFF) {
                flags |= Cpu.CF;
            }
            flags |= Cpu.AF;
        }
        if (old > 0x99 || oldCf) {
            al += 0x60;
            flags |= Cpu.CF;
        } else {
            flags &= ~Cpu.CF;
        }
        al &= 0xFF;
        Mem.setReg(c, 1, Cpu.EAX, al);
        Flags.setStatus(c, flags | Flags.szp(al, 1));
    }

    static void das(Cpu c) {
        int old = al(c);
        boolean oldCf = Flags.cf(c);
        int al = old;
        int flags = 0;
        if ((al & 0x0F) > 9 || Flags.af(c)) {
            if (oldCf || al < 6) {
                flags |= Cpu.CF;
            }
            al -= 6;
            flags |= Cpu.AF;
        }
        if (old > 0x99 || oldCf) {
            al -= 0x60;
            flags |= Cpu.CF;
        }
        al &= 0xFF;
        Mem.setReg(c, 1, Cpu.EAX, al);
        Flags.setStatus(c, flags | Flags.szp(al, 1));
    }

    static void aaa(Cpu c) {
        int ax = c.regs[Cpu.EAX] & 0xFFFF;
        int flags = 0;
        if ((ax & 0x0F) > 9 || Flags.af(c)) {
            ax += 0x106;
            flags = Cpu.AF | Cpu.CF;
        }
        ax &= 0xFF0F;
        Mem.setReg(c, 2, Cpu.EAX, ax);
        Flags.setStatus(c, flags | Flags.szp(ax, 1));
    }

    static void aas(Cpu c) {
        int ax = c.regs[Cpu.EAX] & 0xFFFF;
        int flags = 0;
        if ((ax & 0x0F) > 9 || Flags.af(c)) {
            ax -= 6;
            ax -= 0x100;
            flags = Cpu.AF | Cpu.CF;
        }
        ax &= 0xFF0F;
        Mem.setReg(c, 2, Cpu.EAX, ax);
        Flags.setStatus(c, flags | Flags.szp(ax, 1));
    }

    static void aam(Cpu c, int base) {
        if (base == 0) {
            throw CpuFault.of(Vectors.DE);
        }
        int al = al(c);
        int ah = al / base;
        al = al % base;
        Mem.setReg(c, 2, Cpu.EAX, (ah << 8) | al);
        Flags.setStatus(c, Flags.szp(al, 1));
    }

    static void aad(Cpu c, int base) {
        int ax = c.regs[Cpu.EAX];
        int al = ((ax & 0xFF) + ((ax >>> 8) & 0xFF) * base) & 0xFF;
        Mem.setReg(c, 2, Cpu.EAX, al);
        Flags.setStatus(c, Flags.szp(al, 1));
    }
}
