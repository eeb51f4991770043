package jx86.cpu;

import java.util.Locale;

/**
 * How the CPU executes guest code ({@code --engine}). Every engine gives the same architectural
 * results, instruction counts, virtual time and TLB counters; they differ only in host speed.
 */
public enum Engine {
    /** The plain interpreter: every instruction decoded again ({@link Exec}). */
    INTERP,
    /** The decoded-instruction cache ({@link DecodeCache}): blocks decoded once, run from slots. */
    CACHE,
    /** Hot blocks translated to JVM bytecode; everything else as {@link #CACHE}. */
    JIT;

    /** The name on the command line: interp, cache, jit. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a command-line name; null when it is none of them. */
    public static Engine parse(String s) {
        for (Engine e : values()) {
            if (e.cliName().equals(s)) {
                return e;
            }
        }
        return null;
    }
}
