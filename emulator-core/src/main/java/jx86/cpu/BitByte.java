package jx86.cpu;

/**
 * Bit and byte instructions (SDM Vol. 1, 7.3.7): BT, BTS, BTR, BTC (register, immediate and the
 * memory bit-string form whose bit offset may address beyond the operand), BSF, BSR, SETcc; and
 * BSWAP. Undefined flags are left unchanged (BT*: only CF written; BSF/BSR: only ZF written).
 */
final class BitByte {
    private BitByte() {
    }

    /** BT family (ModR/M decoded): op 0 BT, 1 BTS, 2 BTR, 3 BTC; imm selects the 0F BA form. */
    static void bitTest(Cpu c, int op, boolean imm) {
        int size = c.osz;
        int bits = size * 8;
        int bit;
        if (imm) {
            bit = c.fetch8() & (bits - 1);
        } else {
            int offset = Mem.getReg(c, size, c.reg);
            if (size == 2) {
                offset = (short) offset;
            }
            bit = offset & (bits - 1);
            if (c.mod != 3) {
                c.eaOff = Mem.eaPlus(c, (offset >> (size == 4 ? 5 : 4)) * size);
            }
        }
        int v = op == 0 ? Mem.readRm(c, size) : Mem.readRmW(c, size);
        boolean cf = ((v >>> bit) & 1) != 0;
        if (op != 0) {
            int m = 1 << bit;
            int r = op == 1 ? v | m : op == 2 ? v & ~m : v ^ m;
            Mem.writeRmW(c, size, r);
        }
        Flags.update(c, Cpu.CF, cf ? Cpu.CF : 0);
    }

    /** BSF (forward) / BSR (reverse) Gv, Ev: source 0 sets ZF and leaves the destination unchanged. */
    static void bitScan(Cpu c, boolean reverse) {
        int src = Mem.readRm(c, c.osz);
        if (src == 0) {
            Flags.update(c, Cpu.ZF, Cpu.ZF);
            return;
        }
        int index = reverse ? 31 - Integer.numberOfLeadingZeros(src) : Integer.numberOfTrailingZeros(src);
        Mem.setReg(c, c.osz, c.reg, index);
        Flags.update(c, Cpu.ZF, 0);
    }

    /** SETcc Eb (0F 90-9F). */
    static void setcc(Cpu c, int cc) {
        Mem.writeRm(c, 1, Flags.cond(c, cc) ? 1 : 0);
    }

    /** CMOVcc Gv,Ev (0F 40-4F): the source is read (and may fault) whatever the condition. */
    static void cmovcc(Cpu c, int cc) {
        int v = Mem.readRm(c, c.osz);
        if (Flags.cond(c, cc)) {
            Mem.setReg(c, c.osz, c.reg, v);
        }
    }

    /** BSWAP r32; with a 16-bit operand size (undefined) the register's low word becomes 0 as on real parts. */
    static void bswap(Cpu c, int r) {
        if (c.osz == 4) {
            c.regs[r] = Integer.reverseBytes(c.regs[r]);
        } else {
            c.regs[r] &= 0xFFFF_0000;
        }
    }
}
