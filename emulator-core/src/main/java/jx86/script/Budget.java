package jx86.script;

import java.util.Locale;

/**
 * How long a step may wait: an amount of virtual time (from the instruction count, so the same
 * on every host) or a number of guest instructions.
 *
 * @param amount nanoseconds of virtual time, or instructions
 * @param instructions true: {@code amount} counts guest instructions
 */
public record Budget(long amount, boolean instructions) {
    /** The default budget of a step when neither the step nor the script gives one. */
    public static final Budget DEFAULT = ofSeconds(10);

    public Budget {
        if (amount <= 0) {
            throw new IllegalArgumentException("a budget must be positive");
        }
    }

    public static Budget ofSeconds(long seconds) {
        return new Budget(seconds * 1_000_000_000L, false);
    }

    public static Budget ofNanos(long nanos) {
        return new Budget(nanos, false);
    }

    public static Budget ofInstructions(long count) {
        return new Budget(count, true);
    }

    /** {@code 10 s}, {@code 250 ms}, {@code 20,000,000 instructions}: as a script would write it. */
    @Override
    public String toString() {
        if (instructions) {
            return String.format(Locale.ROOT, "%,d instructions", amount);
        }
        return formatNanos(amount);
    }

    /** The largest whole unit that divides {@code nanos} exactly: {@code 2 s}, {@code 1500 ms}, {@code 7 ns}. */
    static String formatNanos(long nanos) {
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + " s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + " ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + " us";
        }
        return nanos + " ns";
    }
}
