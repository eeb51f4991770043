package jx86.cpu;

/**
 * One decoded-instruction cache block compiled to JVM bytecode ({@link JitCompiler}). {@link #run}
 * is exactly {@code DecodeCache.runBlock(start, blockEnd, eip)} for that block: same return value,
 * same {@code exitEip}, {@code exitSynced} and {@code fault} left in the cache, same effects.
 * The implementations are hidden classes, one per compiled block; the trace runner calls this
 * interface once per block run (the only call that is not monomorphic).
 */
interface JitBlock {
    int run(DecodeCache cache, int eip);
}
