package jx86.cpu;

/**
 * One decoded-instruction cache block compiled to JVM bytecode ({@link JitCompiler}). {@link #run}
 * is exactly {@code DecodeCache.runBlock(start, blockEnd, eip)} for that block: same return value,
 * same {@code exitEip}, {@code exitSynced} and {@code fault} left in the cache, same effects.
 * The implementations are hidden classes, one per compiled block; the trace runner calls
 * {@link #run} once per block run (the only call that is not monomorphic).
 *
 * <p>An abstract class rather than an interface: with dozens of implementations the call is
 * megamorphic either way, and a virtual call is one load from the class's vtable where an
 * interface call first searches the class's itable for the interface (round 6 in
 * docs/performance.md: the stub was 6.8 % of all samples of a long cpu-bound run, 3.1 % after).
 */
abstract class JitBlock {
    /**
     * Which block of the method's region this instance enters at (0: the block the method was
     * compiled for): one generated class serves each block of its region that had no compiled
     * form of its own, one instance per such block (JitCompiler, round 9). Set once, before the
     * instance is published to the translator's table.
     */
    int entry;

    /** For the generated subclasses (JitCompiler), instantiated reflectively. */
    protected JitBlock() {
    }

    /** The trace runner's call: a chain of compiled blocks begins here (depth 0). */
    final int run(DecodeCache cache, int eip) {
        return run(cache, eip, 0);
    }

    /**
     * The block run as {@code runBlock} would run it. {@code depth} is the number of compiled
     * blocks that chained into this one since the trace runner's call (JitCompiler's chained
     * exits, round 7, off by default): a block exits into its successor's method only below
     * {@link JitCompiler#MAX_CHAIN}, so the Java stack stays bounded however long the guest's loop is.
     */
    abstract int run(DecodeCache cache, int eip, int depth);
}
