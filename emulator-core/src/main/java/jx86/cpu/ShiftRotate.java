package jx86.cpu;

/**
 * Shift and rotate instructions (SDM Vol. 1, 7.3.6; Vol. 2 SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR,
 * SHLD, SHRD). The count is masked to 5 bits; a masked count of 0 changes no flags.
 *
 * <p>Undefined flags, chosen like recent Intel cores: OF for counts above 1 uses the count-1
 * formula; AF = 0 after shifts; SHL/SHR with a count beyond the width give CF = 0; SHLD/SHRD on
 * 16-bit operands with counts 17-31 shift through the concatenation dst:src:dst.
 */
final class ShiftRotate {
    private ShiftRotate() {
    }

    /** Group 2 on r/m (ModR/M decoded): reg 0 ROL, 1 ROR, 2 RCL, 3 RCR, 4/6 SHL, 5 SHR, 7 SAR. */
    static void group2(Cpu c, int size, int count) {
        count &= 0x1F;
        int v = Mem.readRmW(c, size);
        if (count == 0) {
            Mem.writeRmW(c, size, v);
            return;
        }
        Mem.writeRmW(c, size, shift(c, c.reg, size, v, count));
    }

    /**
     * {@link #shift} for a 32-bit operand, with SHL/SAL, SHR and SAR (the frequent ones) in a
     * small method that inlines into the decoded-instruction runner. Count 1-31.
     */
    static int shift32(Cpu c, int op, int v, int count) {
        int r;
        boolean cf;
        boolean of;
        switch (op) {
            case 4:
            case 6:
                r = v << count;
                cf = ((v >>> (32 - count)) & 1) != 0;
                of = (r < 0) != cf;
                break;
            case 5:
                r = v >>> count;
                cf = ((v >>> (count - 1)) & 1) != 0;
                of = v < 0;
                break;
            case 7:
                r = v >> count;
                cf = ((v >> (count - 1)) & 1) != 0;
                of = false;
                break;
            default:
                return shift(c, op, 4, v, count);
        }
        Flags.setStatus(c, Flags.szp(r, 4) | (cf ? Cpu.CF : 0) | (of ? Cpu.OF : 0));
        return r;
    }

    /** Performs the operation with a non-zero masked count, sets the flags, returns the result. */
    static int shift(Cpu c, int op, int size, int v, int count) {
        int bits = size * 8;
        int mask = Flags.mask(size);
        int sign = Flags.sign(size);
        int r;
        boolean cf;
        boolean of;
        switch (op) {
            case 0: { // ROL
                int n = count & (bits - 1);
                r = n == 0 ? v : ((v << n) | (v >>> (bits - n))) & mask;
                cf = (r & 1) != 0;
                of = ((r & sign) != 0) != cf;
                Flags.update(c, Cpu.CF | Cpu.OF, (cf ? Cpu.CF : 0) | (of ? Cpu.OF : 0));
                return r;
            }
            case 1: { // ROR
                int n = count & (bits - 1);
                r = n == 0 ? v : ((v >>> n) | (v << (bits - n))) & mask;
                cf = (r & sign) != 0;
                of = cf != ((r & (sign >>> 1)) != 0);
                Flags.update(c, Cpu.CF | Cpu.OF, (cf ? Cpu.CF : 0) | (of ? Cpu.OF : 0));
                return r;
            }
            case 2: { // RCL through a (bits+1)-bit value
                int n = count % (bits + 1);
                boolean oldCf = Flags.cf(c);
                if (n == 0) {
                    r = v;
                    cf = oldCf;
                } else {
                    long t = (v & 0xFFFF_FFFFL) | (oldCf ? 1L << bits : 0);
                    long tmask = (1L << (bits + 1)) - 1;
                    t = ((t << n) | (t >>> (bits + 1 - n))) & tmask;
                    r = (int) t & mask;
                    cf = ((t >>> bits) & 1) != 0;
                }
                of = ((r & sign) != 0) != cf;
                Flags.update(c, Cpu.CF | Cpu.OF, (cf ? Cpu.CF : 0) | (of ? Cpu.OF : 0));
                return r;
            }
            case 3: { // RCR
                int n = count % (bits + 1);
                boolean oldCf = Flags.cf(c);
                if (n == 0) {
                    r = v;
                    cf = oldCf;
                } else {
                    long t = (v & 0xFFFF_FFFFL) | (oldCf ? 1L << bits : 0);
                    long tmask = (1L << (bits + 1)) - 1;
                    t = ((t >>> n) | (t << (bits + 1 - n))) & tmask;
                    r = (int) t & mask;
                    cf = ((t >>> bits) & 1) != 0;
                }
                of = ((r & sign) != 0) != ((r & (sign >>> 1)) != 0);
                Flags.update(c, Cpu.CF | Cpu.OF, (cf ? Cpu.CF : 0) | (of ? Cpu.OF : 0));
                return r;
            }
            case 5: { // SHR
                long uv = v & 0xFFFF_FFFFL;
                r = (int) (uv >>> count) & mask;
                cf = ((uv >>> (count - 1)) & 1) != 0;
                of = (v & sign) != 0;
                break;
            }
            case 7: { // SAR
                int sv = size == 1 ? (byte) v : size == 2 ? (short) v : v;
                r = (sv >> count) & mask;
                cf = ((sv >> (count - 1)) & 1) != 0;
                of = false;
                break;
            }
            default: { // SHL/SAL (4 and 6)
                long t = (v & 0xFFFF_FFFFL) << count;
                r = (int) t & mask;
                cf = count <= bits && ((t >>> bits) & 1) != 0;
                of = ((r & sign) != 0) != cf;
                break;
            }
        }
        Flags.setStatus(c, Flags.szp(r, size) | (cf ? Cpu.CF : 0) | (of ? Cpu.OF : 0));
        return r;
    }

    /** SHLD/SHRD r/m, reg, count (ModR/M decoded). */
    static void doubleShift(Cpu c, boolean left, int count) {
        int size = c.osz;
        count &= 0x1F;
        int dst = Mem.readRmW(c, size);
        if (count == 0) {
            Mem.writeRmW(c, size, dst);
            return;
        }
        long rs = doubleShifted(size, left, dst, Mem.getReg(c, size, c.reg), count);
        Mem.writeRmW(c, size, (int) rs);
        Flags.setStatus(c, (int) (rs >>> 32));
    }

    /**
     * SHLD/SHRD r32, r32 (the decoded-instruction cache's register form): {@code dst} shifted by
     * {@code count} (masked to 5 bits; 0 changes nothing) with bits from {@code src}; sets the flags
     * as {@link #doubleShift} and returns the result.
     */
    static int doubleShift32(Cpu c, boolean left, int dst, int src, int count) {
        count &= 0x1F;
        if (count == 0) {
            return dst;
        }
        long rs = doubleShifted(4, left, dst, src, count);
        Flags.setStatus(c, (int) (rs >>> 32));
        return (int) rs;
    }

    /**
     * The SHLD/SHRD result of {@code dst} by {@code count} (1-31) with bits from {@code src} in the
     * low 32 bits, its status flags (SZP, CF, OF) in the high 32; no state is touched, so a caller
     * stores the result before the flags (a faulting memory write leaves the flags).
     */
    private static long doubleShifted(int size, boolean left, int dst, int src, int count) {
        int r;
        boolean cf;
        if (size == 4) {
            long d = dst & 0xFFFF_FFFFL;
            long s = src & 0xFFFF_FFFFL;
            if (left) {
                long t = (d << 32) | s;
                r = (int) ((t << count) >>> 32);
                cf = ((t >>> (64 - count)) & 1) != 0;
            } else {
                long t = (s << 32) | d;
                r = (int) (t >>> count);
                cf = ((t >>> (count - 1)) & 1) != 0;
            }
        } else {
            long d = dst & 0xFFFF;
            long s = src & 0xFFFF;
            if (left) {
                long t = (d << 32) | (s << 16) | d;
                r = (int) ((t << count) >>> 32) & 0xFFFF;
                cf = ((t >>> (48 - count)) & 1) != 0;
            } else {
                long t = (d << 32) | (s << 16) | d;
                r = (int) (t >>> count) & 0xFFFF;
                cf = ((t >>> (count - 1)) & 1) != 0;
            }
        }
        int sign = Flags.sign(size);
        boolean of = ((r ^ dst) & sign) != 0;
        int status = Flags.szp(r, size) | (cf ? Cpu.CF : 0) | (of ? Cpu.OF : 0);
        return (r & 0xFFFF_FFFFL) | (long) status << 32;
    }
}
