package jx86.cpu;

/**
 * Lazy evaluation of the six EFLAGS status flags (SDM Vol. 1, 3.4.3.1 and Appendix A).
 *
 * <p>Arithmetic instructions record the operation kind, the operand width (as its sign bit) and
 * the two inputs and the result; a flag is computed only when an instruction or an outside reader
 * ({@link Cpu#getEflags}) asks for it. Carry and overflow are derived from the bit vectors of the
 * inputs and the result, which also covers ADC/SBB (the carry-in is implied by the result).
 * Instructions with irregular flag rules (shifts, multiply, BCD) compute the flags eagerly with
 * {@link #setStatus}.
 */
final class Flags {
    /** The status flags are in {@code cpu.eflags}. */
    static final int NONE = 0;
    static final int ADD = 1;
    static final int SUB = 2;
    static final int LOGIC = 3;
    static final int INC = 4;
    static final int DEC = 5;

    static final int STATUS = Cpu.CF | Cpu.PF | Cpu.AF | Cpu.ZF | Cpu.SF | Cpu.OF;

    private Flags() {
    }

    static int sign(int size) {
        return size == 1 ? 0x80 : size == 2 ? 0x8000 : 0x8000_0000;
    }

    static int mask(int size) {
        return size == 1 ? 0xFF : size == 2 ? 0xFFFF : -1;
    }

    /** Records a lazily evaluated flag-setting operation; {@code a}, {@code b}, {@code res} are masked to size. */
    static void set(Cpu c, int op, int size, int a, int b, int res) {
        c.lfOp = op;
        c.lfA = a;
        c.lfB = b;
        c.lfRes = res;
        c.lfSign = sign(size);
    }

    static boolean cf(Cpu c) {
        int a = c.lfA;
        int b = c.lfB;
        int r = c.lfRes;
        switch (c.lfOp) {
            case ADD:
                return (((a & b) | ((a | b) & ~r)) & c.lfSign) != 0;
            case SUB:
                return (((~a & b) | ((~a | b) & r)) & c.lfSign) != 0;
            case LOGIC:
                return false;
            case INC:
            case DEC:
                return c.lfCf;
            default:
                return (c.eflags & Cpu.CF) != 0;
        }
    }

    static boolean zf(Cpu c) {
        return c.lfOp == NONE ? (c.eflags & Cpu.ZF) != 0 : (c.lfRes & ((c.lfSign << 1) - 1)) == 0;
    }

    static boolean sf(Cpu c) {
        return c.lfOp == NONE ? (c.eflags & Cpu.SF) != 0 : (c.lfRes & c.lfSign) != 0;
    }

    static boolean pf(Cpu c) {
        return c.lfOp == NONE ? (c.eflags & Cpu.PF) != 0 : parity(c.lfRes);
    }

    static boolean of(Cpu c) {
        int a = c.lfA;
        int b = c.lfB;
        int r = c.lfRes;
        switch (c.lfOp) {
            case ADD:
            case INC:
                return (((a ^ r) & (b ^ r)) & c.lfSign) != 0;
            case SUB:
            case DEC:
                return (((a ^ b) & (a ^ r)) & c.lfSign) != 0;
            case LOGIC:
                return false;
            default:
                return (c.eflags & Cpu.OF) != 0;
        }
    }

    static boolean af(Cpu c) {
        switch (c.lfOp) {
            case NONE:
                return (c.eflags & Cpu.AF) != 0;
            case LOGIC:
                return false;
            default:
                return ((c.lfA ^ c.lfB ^ c.lfRes) & 0x10) != 0;
        }
    }

    /** True when the low byte of {@code v} has an even number of one bits (PF = 1). */
    static boolean parity(int v) {
        return (Integer.bitCount(v & 0xFF) & 1) == 0;
    }

    /** SF, ZF and PF for {@code res} of {@code size} bytes. */
    static int szp(int res, int size) {
        int bits = 0;
        if ((res & mask(size)) == 0) {
            bits |= Cpu.ZF;
        }
        if ((res & sign(size)) != 0) {
            bits |= Cpu.SF;
        }
        if (parity(res)) {
            bits |= Cpu.PF;
        }
        return bits;
    }

    /** Writes the lazily held flags into {@code cpu.eflags} and returns the full EFLAGS. */
    static int materialize(Cpu c) {
        if (c.lfOp != NONE) {
            int bits = 0;
            if (cf(c)) {
                bits |= Cpu.CF;
            }
            if (pf(c)) {
                bits |= Cpu.PF;
            }
            if (af(c)) {
                bits |= Cpu.AF;
            }
            if (zf(c)) {
                bits |= Cpu.ZF;
            }
            if (sf(c)) {
                bits |= Cpu.SF;
            }
            if (of(c)) {
                bits |= Cpu.OF;
            }
            c.eflags = (c.eflags & ~STATUS) | bits;
            c.lfOp = NONE;
        }
        return c.eflags;
    }

    /** Replaces all six status flags with {@code bits}. */
    static void setStatus(Cpu c, int bits) {
        c.lfOp = NONE;
        c.eflags = (c.eflags & ~STATUS) | (bits & STATUS);
    }

    /** Replaces the status flags selected by {@code which} with those in {@code bits}, keeping the others. */
    static void update(Cpu c, int which, int bits) {
        materialize(c);
        c.eflags = (c.eflags & ~which) | (bits & which);
    }

    /**
     * Evaluates condition code {@code cc} (0-15, the low nibble of Jcc/SETcc/CMOVcc). After SUB/CMP
     * and the logical operations (what most conditional branches follow) and for ZF after INC/DEC
     * the condition is computed from the operands without evaluating single flags; this method and
     * those two helpers stay small enough for HotSpot to inline into the trace runner. The formulas
     * are those of {@link #cf}, {@link #of}, {@link #zf}, {@link #sf} and {@link #pf}.
     */
    static boolean cond(Cpu c, int cc) {
        int op = c.lfOp;
        if (op == SUB) {
            return condSub(c, cc);
        }
        if (op == LOGIC) {
            return condLogic(c, cc);
        }
        if ((op == DEC || op == INC) && (cc >> 1) == 2) {
            return (c.lfRes == 0) != ((cc & 1) != 0); // lfRes is masked to the operand size
        }
        return condSlow(c, cc);
    }

    // condSub and condLogic test only the flags their condition reads, each once: a flag computed
    // for every condition (OF was) is a branch of its own in the compiled caller (the trace runner
    // inlines them), and C2 turns a branch it never saw go both ways, such as OF = 1 before the
    // first signed overflow, into a trap that discards the caller (docs/performance.md, round 9).

    private static boolean condSub(Cpu c, int cc) {
        int a = c.lfA;
        int b = c.lfB;
        int r = c.lfRes;
        int sign = c.lfSign;
        int zero = r & ((sign << 1) - 1); // 0: ZF
        int borrow = (~a & b) | ((~a | b) & r); // its sign bit: CF
        int over = (a ^ b) & (a ^ r); // its sign bit: OF
        boolean v;
        switch (cc >> 1) {
            case 0:
                v = (over & sign) != 0;
                break;
            case 1:
                v = (borrow & sign) != 0;
                break;
            case 2:
                v = zero == 0;
                break;
            case 3:
                v = zero == 0 || (borrow & sign) != 0;
                break;
            case 4:
                v = (r & sign) != 0;
                break;
            case 5:
                v = parity(r);
                break;
            case 6:
                v = ((r ^ over) & sign) != 0; // SF != OF
                break;
            default:
                v = zero == 0 || ((r ^ over) & sign) != 0;
                break;
        }
        return v != ((cc & 1) != 0);
    }

    private static boolean condLogic(Cpu c, int cc) {
        int r = c.lfRes;
        int sign = c.lfSign;
        int zero = r & ((sign << 1) - 1); // 0: ZF
        boolean v;
        switch (cc >> 1) {
            case 0: // OF = 0
            case 1: // CF = 0
                v = false;
                break;
            case 2:
            case 3:
                v = zero == 0;
                break;
            case 5:
                v = parity(r);
                break;
            case 7:
                v = zero == 0 || (r & sign) != 0;
                break;
            default: // 4 (S), 6 (SF != OF = SF)
                v = (r & sign) != 0;
                break;
        }
        return v != ((cc & 1) != 0);
    }

    private static boolean condSlow(Cpu c, int cc) {
        boolean r;
        switch (cc >> 1) {
            case 0:
                r = of(c);
                break;
            case 1:
                r = cf(c);
                break;
            case 2:
                r = zf(c);
                break;
            case 3:
                r = cf(c) || zf(c);
                break;
            case 4:
                r = sf(c);
                break;
            case 5:
                r = pf(c);
                break;
            case 6:
                r = sf(c) != of(c);
                break;
            default:
                r = zf(c) || sf(c) != of(c);
                break;
        }
        return r != ((cc & 1) != 0);
    }
}
