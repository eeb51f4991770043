package jx86.cpu;

/**
 * The translator's per-CPU state ({@code --engine jit}): how often each decoded-instruction cache
 * block has run, and the compiled form of the hot ones. One entry per cache block, so memory is
 * bounded by the cache (16,384 blocks) and a compiled block lives exactly as long as the decoded
 * block it was made from: {@link DecodeCache} calls {@link #drop} whenever it decodes a block
 * again (another address, another code size, or a write to the page's decoded lines), and an
 * unreferenced hidden class is unloaded by the JVM.
 *
 * <p>A block is compiled when it is hot now: {@link #threshold} runs within {@link #window} whole
 * block runs of the whole trace runner (a rate, not a total). Every compiled block costs HotSpot a
 * class, C1's profiling tiers and a C2 compilation on the same cores as the guest (in kbench,
 * 2-3 times the cache's own compile time); a block that collects its runs slowly over a whole
 * boot (kernel code spread over hundreds of blocks) does not repay that, one in a tight loop does
 * (docs/performance.md, "The translator", round 3).
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
    /**
     * Whole block runs (of all blocks) within which a block must reach the threshold, unless
     * {@code -Djx86.jit.window=N} says otherwise: 5000 of 50,000 means the block is at least a
     * tenth of what the guest runs at the moment. Chosen from the compiled-block counts (which are
     * deterministic) and the process CPU time of whole runs (docs/performance.md): without a
     * window, with 1,000,000, 200,000 and 50,000 the translator compiles 414, 266, 71 and 27
     * blocks of kbench, 53, 32, 32 and 29 of cpu-bound, 11, 6, 5 and 5 of mem-walk.
     */
    static final long DEFAULT_WINDOW = 50_000;
    /** Marks a block whose compilation failed: it stays with the cache's runner. */
    private static final int NEVER = Integer.MIN_VALUE;

    /** Package-private for the chained exits of generated code (JitCompiler's chain tail), which read it directly. */
    final JitBlock[] compiled;
    /** Runs of each block since its window began ({@link #since}), or {@link #NEVER}. */
    private final int[] heat;
    /** The run clock ({@link #runs} + {@link #chains}) when each block's current window began. */
    private final long[] since;
    private final int threshold;
    private final long window;
    private final JitCompiler compiler;
    /** Whole block runs offered to the translator by the trace runner. */
    private long runs;
    /**
     * Whole block runs of compiled blocks that a compiled block chained to (JitCompiler's chain
     * tail counts them), without the trace runner. The windows are measured on runs + chains, so
     * the compile policy sees the same clock with and without chaining.
     */
    long chains;
    /** Blocks compiled and compilations that failed since this translator started (for tests and bench). */
    private long compiledBlocks;
    private long failedBlocks;
    /** Instructions retired in iterations a compiled block looped inside its method (tests check the loop ran). */
    long loopedInstructions;

    /** The cache whose blocks this translator compiles (their headers: {@link JitCompiler}). */
    private final DecodeCache cache;

    Jit(DecodeCache cache, JitCompiler compiler, int blocks, int threshold, long window) {
        this.cache = cache;
        this.compiler = compiler;
        this.compiled = new JitBlock[blocks];
        this.heat = new int[blocks];
        this.since = new long[blocks];
        this.threshold = threshold;
        this.window = window;
    }

    /** The threshold for a new translator: {@code -Djx86.jit.threshold=N}, else {@link #DEFAULT_THRESHOLD}. */
    static int threshold() {
        return Math.max(1, Integer.getInteger("jx86.jit.threshold", DEFAULT_THRESHOLD));
    }

    /** The window for a new translator: {@code -Djx86.jit.window=N}, else {@link #DEFAULT_WINDOW}. */
    static long window() {
        return Math.max(1, Long.getLong("jx86.jit.window", DEFAULT_WINDOW));
    }

    /**
     * The compiled form of block {@code block} (slots {@code start} onwards, {@code count}
     * instructions), compiling it now if this run makes it hot; null while it is not (yet) compiled.
     * Called once for every whole run of a block (trace's unfenced case).
     */
    JitBlock block(int block, int[] slots, int start, int count) {
        final JitBlock b = compiled[block];
        if (b != null) {
            runs++; // the common case at a block boundary: one load, one count
            return b;
        }
        return counted(block, slots, start, count);
    }

    /** {@link #block} for a block that has no compiled form: counts its run, compiles it if that makes it hot. */
    private JitBlock counted(int block, int[] slots, int start, int count) {
        final long now = ++runs + chains;
        final int h = heat[block];
        if (h == NEVER) {
            return null;
        }
        if (h == 0) {
            since[block] = now;
        }
        if (h + 1 < threshold) {
            heat[block] = h + 1;
            return null;
        }
        return hot(block, now, slots, start, count);
    }

    /**
     * The block's heat reached the threshold with this run (number {@code now}): compiles it if
     * the runs lie within the window, else begins a new window. Out of line on purpose, like
     * everything after the counting: it runs once per threshold runs of a block, so HotSpot does
     * not inline it into the trace runner, and the runner's compiled code holds neither the
     * window's branch (a rarely taken branch there is an unstable_if deoptimization of the whole
     * runner when it is taken at last) nor the type profile of the array store of a new compiled
     * block (every new hidden class would fail it: a class_check deoptimization); round 6 in
     * docs/performance.md.
     */
    private JitBlock hot(int block, long now, int[] slots, int start, int count) {
        if (now - since[block] >= window) {
            heat[block] = 1; // hot only over a long time: a new window begins with this run
            since[block] = now;
            return null;
        }
        JitBlock b = null;
        try {
            b = compiler.compile(cache, this, block, slots, start, count);
            compiled[block] = b;
            compiledBlocks++;
            if (compiler.regionSize() > 1) {
                regionMethods++;
                for (int x = 1; x < compiler.regionSize(); x++) {
                    final int n = compiler.entryBlock(x);
                    if (n >= 0) { // a warm block of the region without a method of its own: enters here
                        compiled[n] = compiler.entry(b, x);
                        regionEntries++;
                    }
                }
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
            // A translator bug must not stop the guest: the block keeps running in the cache's runner.
            heat[block] = NEVER;
            failedBlocks++;
        }
        return b;
    }

    /**
     * Part of a region's share of a hot block's runs (JitCompiler, round 9): a block that has run
     * at least threshold / REGION_SHARE times in its current window (and is not compiled) is warm
     * enough to be compiled into the region of a hot block that reaches it, rather than later into
     * a method of its own.
     */
    static final int REGION_SHARE = 8;

    /** True if block {@code block} has no compiled form but is warm: {@link #REGION_SHARE}. */
    boolean isWarm(int block) {
        final int h = heat[block];
        return compiled[block] == null && h >= Math.max(1, threshold / REGION_SHARE)
                && runs + chains - since[block] < window;
    }

    /** True if block {@code block} has a compiled form (of its current decode: {@link #drop}). */
    boolean isCompiled(int block) {
        return compiled[block] != null;
    }

    /** Forgets block {@code block}'s compiled form and heat (the cache decoded it again). */
    void drop(int block) {
        compiled[block] = null;
        heat[block] = 0;
    }

    /** Compiled methods that hold more than their own block (a region, JitCompiler) since this translator started. */
    long regionMethods;
    /** Blocks that run through a region method compiled for another block (its later entries) since this translator started. */
    long regionEntries;

    JitCompiler compiler() {
        return compiler;
    }

    long compiledBlocks() {
        return compiledBlocks;
    }

    long failedBlocks() {
        return failedBlocks;
    }
}
