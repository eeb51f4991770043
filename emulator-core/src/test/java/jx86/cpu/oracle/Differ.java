package jx86.cpu.oracle;

/**
 * Compares the native and jx86 outcome of one case: same exception vector (or both completed),
 * same EIP, same eight GPRs, same window bytes, and the same EFLAGS arithmetic flags and DF except
 * those the SDM leaves undefined at that point of the block (tracked by the generator). EFLAGS
 * bits that a user-mode process cannot control or observe reliably (RF in a fault frame, ID, AC,
 * IF, IOPL) are not compared.
 */
final class Differ {
    static final int COMPARED_FLAGS = Asm.ARITH | Asm.DF;

    private Differ() {
    }

    /** Flags compared for this outcome. */
    static int flagMask(OracleCase c, OracleResult nat) {
        int undef = nat.vector == OracleResult.COMPLETED ? c.undefAtEnd : c.undefAt(nat.eip);
        return COMPARED_FLAGS & ~undef;
    }

    /** Null when the outcomes agree, else a human-readable list of the differences. */
    static String differences(OracleCase c, OracleResult nat, OracleResult jx) {
        StringBuilder d = new StringBuilder();
        if (jx.crash != null) {
            d.append("  jx86 threw ").append(jx.crash).append('\n');
            return d.toString();
        }
        boolean undelivered = jx.vector == OracleResult.UNDELIVERED && nat.vector >= 0;
        if (nat.vector != jx.vector && !undelivered) {
            d.append(String.format("  outcome: native %s, jx86 %s%n", outcome(nat), outcome(jx)));
        }
        if (nat.eip != jx.eip) {
            d.append(String.format("  eip: native %08x, jx86 %08x%n", nat.eip, jx.eip));
        }
        if (nat.vector == 14 && jx.vector == 14) {
            // P, W/R and U/S; the native kernel reports the hardware code and CR2 through the signal
            if ((nat.errorCode & 7) != (jx.errorCode & 7)) {
                d.append(String.format("  #PF error code: native %x, jx86 %x%n", nat.errorCode & 7, jx.errorCode & 7));
            }
            if (nat.faultAddress != jx.faultAddress) {
                d.append(String.format("  cr2: native %08x, jx86 %08x%n", nat.faultAddress, jx.faultAddress));
            }
        }
        if (d.length() > 0) {
            return d.toString();
        }
        for (int r = 0; r < 8; r++) {
            if (nat.regs[r] != jx.regs[r]) {
                d.append(String.format("  %s: native %08x, jx86 %08x%n", Asm.R32[r], nat.regs[r], jx.regs[r]));
            }
        }
        int mask = flagMask(c, nat);
        if (((nat.eflags ^ jx.eflags) & mask) != 0) {
            d.append(String.format("  eflags (compared %s): native %s, jx86 %s%n", flagNames(mask),
                    flagNames(nat.eflags & mask), flagNames(jx.eflags & mask)));
        }
        int shown = 0;
        for (int i = 0; i < OracleCase.WINDOW_SIZE; i++) {
            if (nat.window[i] != jx.window[i]) {
                if (shown++ < 16) {
                    d.append(String.format("  mem[%08x]: native %02x, jx86 %02x (was %02x)%n",
                            OracleCase.WINDOW_ADDRESS + i, nat.window[i] & 0xFF, jx.window[i] & 0xFF,
                            c.window[i] & 0xFF));
                }
            }
        }
        if (shown > 16) {
            d.append("  ... ").append(shown - 16).append(" more differing window bytes\n");
        }
        return d.length() == 0 ? null : d.toString();
    }

    private static String outcome(OracleResult r) {
        return r.vector == OracleResult.COMPLETED ? "completed"
                : r.vector == OracleResult.UNKNOWN_FAULT ? "stopped"
                : r.vector == OracleResult.UNDELIVERED ? "exception (undelivered)" : "exception " + r.vector;
    }

    static String flagNames(int f) {
        StringBuilder sb = new StringBuilder("[");
        String[] names = {"CF", "", "PF", "", "AF", "", "ZF", "SF", "", "", "DF", "OF"};
        for (int i = 0; i < names.length; i++) {
            if (!names[i].isEmpty() && (f & (1 << i)) != 0) {
                sb.append(sb.length() > 1 ? " " : "").append(names[i]);
            }
        }
        return sb.append(']').toString();
    }

    /** Full report of one mismatch: listing, initial state, both outcomes, differences. */
    static String report(OracleCase c, OracleResult nat, OracleResult jx, String diffs) {
        StringBuilder sb = new StringBuilder();
        sb.append("case ").append(c.id).append(":\n").append(c.listing());
        sb.append(" initial:\n").append(c.initialState()).append('\n');
        sb.append(" native:\n").append(nat.describe()).append('\n');
        sb.append(" jx86:\n").append(jx.describe()).append('\n');
        sb.append(" differences:\n").append(diffs);
        return sb.toString();
    }
}
