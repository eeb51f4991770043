package jx86.cpu;

/**
 * The translator's per-CPU state ({@code --engine jit}): how often each decoded-instruction cache
 * block has run, and the compiled form of the hot ones. One entry per cache block, so memory is
 * bounded by the cache (4096 blocks) and a compiled block lives exactly as long as the decoded
 * block it was made from: {@link DecodeCache} calls {@link #drop} whenever it decodes a block
 * again (another address, another code size, or a write to the page's decoded lines), and an
 * unreferenced hidden class is unloaded by the JVM.
 */
final class Jit {
    /**
     * Runs of a block before it is compiled, unless {@code -Djx86.jit.threshold=N} says otherwise
     * (the CPU tests use 1, so every block they run is compiled). A generated method runs in
     * HotSpot's bytecode interpreter and then in C1's profiling tiers until it has been invoked
     * several thousand times more, and there it is slower than the cache's C2-compiled runner; so
     * only blocks that keep running are worth it (measured in docs/performance.md: at 256 kbench,
     * whose hot code is spread over many blocks, ran slower than on the cache).
     */
    static final int DEFAULT_THRESHOLD = 5000;
    /** Marks a block whose compilation failed: it stays with the cache's runner. */
    private static final int NEVER = Integer.MIN_VALUE;

    private final JitBlock[] compiled;
    private final int[] heat;
    private final int threshold;
    private final JitCompiler compiler;
    /** Blocks compiled and compilations that failed since this translator started (for tests and bench). */
    private long compiledBlocks;
    private long failedBlocks;
    /** Instructions retired in iterations a compiled block looped inside its method (tests check the loop ran). */
    long loopedInstructions;

    Jit(JitCompiler compiler, int blocks, int threshold) {
        this.compiler = compiler;
        this.compiled = new JitBlock[blocks];
        this.heat = new int[blocks];
        this.threshold = threshold;
    }

    /** The threshold for a new translator: {@code -Djx86.jit.threshold=N}, else {@link #DEFAULT_THRESHOLD}. */
    static int threshold() {
        return Math.max(1, Integer.getInteger("jx86.jit.threshold", DEFAULT_THRESHOLD));
    }

    /**
     * The compiled form of block {@code block} (slots {@code start} onwards, {@code count}
     * instructions), compiling it now if this run makes it hot; null while it is not (yet) compiled.
     */
    JitBlock block(int block, int[] slots, int start, int count) {
        JitBlock b = compiled[block];
        if (b != null || ++heat[block] < threshold) {
            return b;
        }
        try {
            b = compiler.compile(slots, start, count);
            compiled[block] = b;
            compiledBlocks++;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
            // A translator bug must not stop the guest: the block keeps running in the cache's runner.
            heat[block] = NEVER;
            failedBlocks++;
        }
        return b;
    }

    /** Forgets block {@code block}'s compiled form and heat (the cache decoded it again). */
    void drop(int block) {
        compiled[block] = null;
        heat[block] = 0;
    }

    long compiledBlocks() {
        return compiledBlocks;
    }

    long failedBlocks() {
        return failedBlocks;
    }
}
