package jx86.cpu;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandles;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Compiles one decoded-instruction cache block to JVM bytecode (docs/performance.md, "The
 * translator"). The generated {@link JitBlock#run} is {@code DecodeCache.runBlock} unrolled for
 * that block with the block's slots as constants: register numbers, immediates, displacements and
 * the effective-address sums are fixed in the code, and the per-instruction dispatch is gone.
 *
 * <p>It writes no semantics of its own. The frequent register forms become the same few
 * operations runBlock performs inline (array loads and stores of {@code Cpu.regs}, one integer
 * operation, the same {@link Flags#set}, {@link Alu}, {@link ShiftRotate} and
 * {@code DecodeCache.load/store32/jump} calls in the same order); every other instruction is a
 * direct call of the cache handler runBlock calls for it ({@code generic}, {@code fastRare}), and
 * an id this class does not know is run by {@code runBlock} for that one slot. The bookkeeping is
 * runBlock's: the clock made exact before an
 * instruction that may touch memory, the event, timer and code-generation checks after it, the
 * same {@code exitEip}/{@code exitSynced}/{@code fault} on every exit. Where runBlock would shrink
 * its fence (a timer event due inside the rest of the block) the rest is handed to runBlock.
 *
 * <p>The classes are hidden classes defined with a lookup of {@link DecodeCache} as its
 * nestmates, so the code reaches the runner's private state and the package's helpers directly.
 *
 * <p>With {@code -Djx86.jit.region=N} (off by default, docs/performance.md rounds 5 and 9) a method
 * also holds up to N - 1 compiled or warm blocks that its direct jumps reach on the same page, and
 * a taken jump to one of them continues in the method after trace's checks ({@link #chainTo});
 * a warm block gets no method of its own but enters this one ({@link #entries}). With
 * {@code -Djx86.jit.chain=true} (off by default, round 7) a method's exits to another block on its
 * page call that block's compiled method instead of returning to trace, after the same checks
 * ({@link #chainTail}); the depth of such calls is bounded ({@link #MAX_CHAIN}).
 */
final class JitCompiler {
    private static final int STRIDE = 4;
    /** The largest region a method may hold (see {@link #regionSize}). */
    static final int MAX_REGION = 4;
    /**
     * Blocks per method unless {@code -Djx86.jit.region=N} says otherwise: 1, regions off. Round 5
     * (docs/performance.md) measured them: a loop over two blocks runs 2.3x faster once compiled,
     * but the larger methods cost C2 more time and inlining, and no class of {@code bench
     * --compare} got measurably faster on the shared host, the warm-up bound in-process bench slower.
     */
    static final int DEFAULT_REGION = 1;
    /**
     * Class files above this size are generated again as a single block: HotSpot does not compile
     * methods over 8000 bytecode bytes (HugeMethodLimit), and C2's time grows with the size.
     */
    private static final int MAX_CLASS_BYTES = 6000;
    private static final String DC = "jx86/cpu/DecodeCache";
    private static final String CPU = "jx86/cpu/Cpu";
    private static final String CLOCK = "jx86/clock/VirtualClock";
    private static final String FAULT = "jx86/arch/CpuFault";
    private static final String NAME = "jx86/cpu/JitCode";
    private static final String BLOCK = "jx86/cpu/JitBlock";
    private static final String JIT = "jx86/cpu/Jit";

    // locals of the generated run(DecodeCache, int, int)
    private static final int L_DC = 1;
    private static final int L_EIP = 2;
    private static final int L_DEPTH = 3;
    private static final int L_CPU = 4;
    private static final int L_REGS = 5;
    private static final int L_CLOCK = 6;
    private static final int L_CUR_EIP = 7;
    private static final int L_CUR_SLOT = 8;
    private static final int L_RET = 9;
    private static final int L_ROOM = 10; // long: 10 and 11
    private static final int L_A = 12;
    private static final int L_B = 13;
    private static final int L_V = 14;
    private static final int L_FAULT = 15;
    private static final int L_SLOTS = 16;
    // a chained exit's successor: its header info word, instruction count, last byte, steps left, compiled form
    private static final int L_INFO = 17;
    private static final int L_CNT = 18;
    private static final int L_LAST = 19;
    private static final int L_LEFT = 20;
    private static final int L_NEXT = 21;
    private static final int L_TGT = 22;
    private static final int L_DONE = 23;
    private static final int L_PB = 24;
    private static final int L_N = 25;
    private static final int L_H = 26;
    // a region method with several entries (round 9): the entered block's first slot
    private static final int L_BASE = 27;

    /** A full-privilege lookup in DecodeCache: hidden classes defined with it are its nestmates. */
    private final MethodHandles.Lookup lookup;
    /**
     * Whether a taken jump back to the block's own start loops inside the generated method
     * ({@link #chainTo}); {@code -Djx86.jit.loops=false} turns it off (for A/B measurements).
     */
    private final boolean loops;

    // The block being compiled.
    private MethodVisitor mv;
    private int[] e;
    private int start;
    private int count;
    private int[] offsets;
    /** The slot up to which the clock has been given its cycles (runBlock's exitSynced, as a slot number). */
    private int synced;
    /** The top of one iteration of the block (where a back edge continues). */
    private Label top;
    /** The first slot of the block the method was compiled for: the slot numbers it returns count from there. */
    private int vbase;
    /** The EIP of the block being emitted minus that of the method's own block (0 but in a region's later blocks). */
    private int delta;
    /**
     * The region: the method's own block (index 0) and up to {@link #maxRegion} - 1 compiled blocks
     * on the same page that its jumps reach directly, each with its first slot, instruction
     * count, slot offsets, EIP delta, header words when compiled and label ({@link #chainTo}).
     */
    private int regionSize;
    private final int[] rStart = new int[MAX_REGION];
    private final int[] rCount = new int[MAX_REGION];
    private final int[][] rOffsets = new int[MAX_REGION][];
    private final int[] rDelta = new int[MAX_REGION];
    private final int[] rHeader = new int[MAX_REGION];
    private final int[] rInfo = new int[MAX_REGION];
    /** Each region block's number in the cache, and whether it enters the method (warm, no method of its own). */
    private final int[] rBlock = new int[MAX_REGION];
    private final boolean[] rEntry = new boolean[MAX_REGION];
    /**
     * Whether the method has entries besides its own block (round 9): then the slot numbers it
     * returns count from the entered block's first slot (trace's), held in a local, and every
     * edge into a region block checks that block's header, as trace would before it.
     */
    private boolean multi;
    /** The physical address and page generation of the method's own block (every region block shares the page). */
    private int regionPa;
    private int regionGen;
    /**
     * The physical page number and code-write generation of the method's block (from its header
     * when compiled): constants of the generated code, which trace therefore need not store for
     * it at every block boundary (runBlock's blockPage and blockGen). The compiled form lives
     * only as long as that decode of the block (Jit.drop), and a region's blocks and a chained
     * successor share the page and its generation, so they hold for every block the method runs.
     */
    private int codePage;
    private int codeGen;
    private final Label[] rLabel = new Label[MAX_REGION];
    /** Most blocks in one compiled method ({@code -Djx86.jit.region=N}, 1: one block per method, as before round 5). */
    private final int maxRegion;
    /**
     * Whether a block's exits to its own page call their successor's compiled method
     * ({@link #chainCall}); off unless {@code -Djx86.jit.chain=true}: round 7 (docs/performance.md)
     * measured no gain once compiled and a loss while the generated methods warm up. Never
     * together with regions.
     */
    private final boolean chain;
    /** Most chained calls below one trace runner call ({@code -Djx86.jit.chainDepth=N}, at most {@link #MAX_CHAIN}). */
    private final int maxChain;
    /** Chained exits of the block being compiled: its physical address and code size (want bits); chainOn false: none. */
    private boolean chainOn;
    private int chainPa;
    private int chainWant;
    /** The method's chain tail ({@link #chainTail}), made by the first chained exit; null: none yet. */
    private Label tail;

    JitCompiler(MethodHandles.Lookup lookup) {
        this(lookup, Integer.getInteger("jx86.jit.region", DEFAULT_REGION));
    }

    /** A compiler like {@code base} (its lookup) whose methods hold up to {@code maxRegion} blocks. */
    JitCompiler(JitCompiler base, int maxRegion) {
        this(base.lookup, maxRegion, Boolean.getBoolean("jx86.jit.chain"));
    }

    /** A compiler like {@code base} (its lookup) with one block per method and chained exits on or off. */
    JitCompiler(JitCompiler base, boolean chain) {
        this(base.lookup, 1, chain);
    }

    private JitCompiler(MethodHandles.Lookup lookup, int maxRegion) {
        this(lookup, maxRegion, Boolean.getBoolean("jx86.jit.chain"));
    }

    private JitCompiler(MethodHandles.Lookup lookup, int maxRegion, boolean chain) {
        this.lookup = lookup;
        this.loops = Boolean.parseBoolean(System.getProperty("jx86.jit.loops", "true"));
        this.maxRegion = Math.max(1, Math.min(MAX_REGION, maxRegion));
        this.chain = chain;
        this.maxChain = Math.max(1, Math.min(MAX_CHAIN, Integer.getInteger("jx86.jit.chainDepth", MAX_CHAIN)));
    }

    /**
     * Compiles block number {@code block} of {@code cache} (slots {@code start} onwards,
     * {@code count} instructions) with the compiled blocks of {@code jit} its jumps reach on the
     * same page (a region, {@link #chainTo}).
     */
    JitBlock compile(DecodeCache cache, Jit jit, int block, int[] slots, int start, int count)
            throws ReflectiveOperationException {
        codePage = cache.headerWord(block, 0) >>> 12;
        codeGen = cache.headerWord(block, 2);
        byte[] code = generate(slots, start, count, cache, jit, block, maxRegion);
        if (code.length > MAX_CLASS_BYTES && regionSize > 1) {
            code = generate(slots, start, count, null, null, 0, 1);
        }
        return define(code);
    }

    /** The number of blocks the last compiled method holds (1 without a region). */
    int regionSize() {
        return regionSize;
    }

    /** The cache block number of block {@code x} of the last compiled region if it enters the method there, else -1. */
    int entryBlock(int x) {
        return rEntry[x] ? rBlock[x] : -1;
    }

    /** Another instance of {@code head}'s generated class, entering it at region block {@code x}. */
    JitBlock entry(JitBlock head, int x) throws ReflectiveOperationException {
        final JitBlock b = head.getClass().getDeclaredConstructor().newInstance();
        b.entry = x;
        return b;
    }

    private JitBlock define(byte[] code) throws ReflectiveOperationException {
        Class<?> c = lookup.defineHiddenClass(code, true, MethodHandles.Lookup.ClassOption.NESTMATE).lookupClass();
        return (JitBlock) c.getDeclaredConstructor().newInstance();
    }

    private static int[] offsets(int[] slots, int start, int count) {
        int[] off = new int[count + 1];
        for (int k = 0; k < count; k++) {
            off[k + 1] = off[k] + ((slots[start + k * STRIDE] >>> 8) & 15);
        }
        return off;
    }

    /**
     * Finds the region of the block at {@code start}: breadth first over the targets of its direct
     * jumps and its fall-through end (and then theirs), every block that is decoded at that
     * address now, from the same page generation and code size, and compiled (so it is hot too)
     * or warm ({@link Jit#isWarm}: it gets no method of its own, it enters this one), up to
     * {@code max} blocks.
     */
    private void findRegion(int[] slots, int start, int count, DecodeCache cache, Jit jit, int block, int max) {
        regionSize = 1;
        rStart[0] = start;
        rCount[0] = count;
        rOffsets[0] = offsets(slots, start, count);
        rDelta[0] = 0;
        rEntry[0] = false;
        if (cache == null || max < 2 || !loops) {
            return;
        }
        rBlock[0] = block;
        rHeader[0] = DecodeCache.headerIndex(block);
        rInfo[0] = cache.headerWord(block, 1);
        final int pa = cache.headerWord(block, 0);
        final int want = cache.headerWord(block, 1) & (DecodeCache.VALID | DecodeCache.CODE32);
        final int gen = cache.headerWord(block, 2);
        regionPa = pa;
        regionGen = gen;
        for (int x = 0; x < regionSize; x++) {
            for (int t : targets(slots, rStart[x], rCount[x], rOffsets[x])) {
                final int to = rDelta[x] + t;
                final int off = (pa & 0xFFF) + to;
                if (to == 0 || regionIndex(to) >= 0 || regionSize == max || off < 0 || off > 0xFF8) {
                    continue; // the block's own start, known already, full, or another page
                }
                final int n = DecodeCache.blockNumber(pa + to);
                final int info = cache.headerWord(n, 1);
                if (cache.headerWord(n, 0) != pa + to || (info & (DecodeCache.VALID | DecodeCache.CODE32)) != want
                        || cache.headerWord(n, 2) != gen || (info & 31) == 0) {
                    continue;
                }
                final boolean warm = jit.isWarm(n);
                if (!warm && !jit.isCompiled(n)) {
                    continue;
                }
                final int r = regionSize++;
                rBlock[r] = n;
                rEntry[r] = warm;
                rStart[r] = DecodeCache.firstSlot(n);
                rCount[r] = info & 31;
                rOffsets[r] = offsets(slots, rStart[r], rCount[r]);
                rDelta[r] = to;
                rHeader[r] = DecodeCache.headerIndex(n);
                rInfo[r] = info;
            }
        }
    }

    /** The EIP offsets (from the block's start) the block's direct jumps and fall-through end lead to. */
    private static java.util.List<Integer> targets(int[] slots, int start, int count, int[] off) {
        java.util.List<Integer> to = new java.util.ArrayList<>();
        for (int k = 0; k < count; k++) {
            final int o = slots[start + k * STRIDE];
            final int id = o & 0xFF;
            if (id == DecodeCache.JCC32 || id == DecodeCache.JMP32) {
                to.add(off[k + 1] + slots[start + k * STRIDE + 3]);
            }
            if (k + 1 == count && id >= DecodeCache.FAST && id != DecodeCache.JMP32 && inline(id)) {
                to.add(off[count]); // runs to its end and goes on with the next instruction
            }
        }
        return to;
    }

    /** The region block that starts {@code to} bytes after the method's own block, or -1. */
    private int regionIndex(int to) {
        for (int x = 0; x < regionSize; x++) {
            if (rDelta[x] == to) {
                return x;
            }
        }
        return -1;
    }

    private byte[] generate(int[] slots, int start, int count, DecodeCache cache, Jit jit, int block, int max) {
        this.e = slots;
        this.vbase = start;
        findRegion(slots, start, count, cache, jit, block, max);
        multi = false;
        for (int x = 1; x < regionSize; x++) {
            multi |= rEntry[x];
        }
        chainOn = chain && loops && cache != null && regionSize == 1 && maxRegion == 1;
        tail = null;
        if (chainOn) {
            chainPa = cache.headerWord(block, 0);
            chainWant = cache.headerWord(block, 1) & (DecodeCache.VALID | DecodeCache.CODE32);
        }
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object"; // frames only ever merge equal types here
            }
        };
        cw.visit(V17, ACC_FINAL | ACC_SUPER, NAME, null, BLOCK, null);
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, BLOCK, "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        mv = cw.visitMethod(0, "run", "(L" + DC + ";II)I", null, null);
        mv.visitCode();
        body();
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        mv = null;
        e = null;
        return cw.toByteArray();
    }

    private void body() {
        Label tryStart = new Label();
        Label tryEnd = new Label();
        Label handler = new Label();
        mv.visitTryCatchBlock(tryStart, tryEnd, handler, FAULT);
        field(L_DC, "cpu", "L" + CPU + ";", L_CPU);
        field(L_DC, "regs", "[I", L_REGS);
        field(L_DC, "clock", "L" + CLOCK + ";", L_CLOCK);
        if (callsHandler()) { // one field load less at every entry of the other methods
            field(L_DC, "e", "[I", L_SLOTS);
        }
        mv.visitVarInsn(ILOAD, L_EIP);
        mv.visitVarInsn(ISTORE, L_CUR_EIP);
        push(vbase);
        mv.visitVarInsn(ISTORE, L_CUR_SLOT);
        top = new Label();
        for (int x = 0; x < regionSize; x++) {
            rLabel[x] = x == 0 ? top : new Label();
        }
        if (multi) {
            entries();
        }
        mv.visitLabel(tryStart);
        for (int x = 0; x < regionSize; x++) {
            start = rStart[x];
            count = rCount[x];
            offsets = rOffsets[x];
            delta = rDelta[x];
            mv.visitLabel(rLabel[x]);
            setExitSynced(0);
            synced = 0;
            int k = 0;
            while (k < count) {
                k = slot(k);
            }
            if (k == count) { // the block ran to its end (k > count: it ended in a jump)
                mv.visitVarInsn(ALOAD, L_DC);
                eipPlus(offsets[count]);
                mv.visitFieldInsn(PUTFIELD, DC, "exitEip", "I");
                edge(count - 1, offsets[count]);
                chainCall(count - 1, offsets[count]);
                pushSlot(count);
                mv.visitInsn(IRETURN);
            }
        }
        mv.visitLabel(tryEnd);
        // A fault in an inline form: as runBlock's catch (the fallback forms catch their own).
        mv.visitLabel(handler);
        mv.visitVarInsn(ASTORE, L_FAULT);
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitVarInsn(ALOAD, L_FAULT);
        mv.visitFieldInsn(PUTFIELD, DC, "fault", "L" + FAULT + ";");
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitVarInsn(ILOAD, L_CUR_EIP);
        mv.visitFieldInsn(PUTFIELD, DC, "exitEip", "I");
        mv.visitVarInsn(ILOAD, L_CUR_SLOT);
        push(-1);
        mv.visitInsn(IXOR);
        mv.visitInsn(IRETURN);
        if (tail != null) {
            chainTail();
        }
    }

    /**
     * The entry of a method with several ({@link #multi}): by the instance's {@code entry}, the
     * entered block's first slot (what trace subtracts) into L_BASE and the method's own block's
     * EIP into L_EIP (the code addresses every block from it), then on to that block.
     */
    private void entries() {
        final Label[] arm = new Label[regionSize];
        for (int x = 0; x < regionSize; x++) {
            arm[x] = new Label();
        }
        mv.visitVarInsn(ALOAD, 0);
        mv.visitFieldInsn(GETFIELD, BLOCK, "entry", "I");
        mv.visitTableSwitchInsn(0, regionSize - 1, arm[0], arm);
        for (int x = 1; x < regionSize; x++) {
            mv.visitLabel(arm[x]);
            push(rStart[x]);
            mv.visitVarInsn(ISTORE, L_BASE);
            mv.visitVarInsn(ILOAD, L_EIP);
            push(rDelta[x]);
            mv.visitInsn(ISUB);
            mv.visitVarInsn(ISTORE, L_EIP);
            mv.visitJumpInsn(GOTO, rLabel[x]);
        }
        mv.visitLabel(arm[0]); // the method's own block: falls through to it
        push(rStart[0]);
        mv.visitVarInsn(ISTORE, L_BASE);
    }

    /**
     * Emits slot {@code k} and returns the next slot to emit: k + 1, k + 2 after a fused
     * compare-and-branch, or count + 1 when the code has returned for good (an unconditional jump).
     */
    private int slot(int k) {
        final int i = real(k);
        final int o = e[i];
        final int id = o & 0xFF;
        final boolean impure = (o & DecodeCache.IMPURE) != 0;
        final boolean handler = handlerForm(id);
        if (!handler && !inline(id)) {
            return fallback(k, impure); // an id this translator does not know: runBlock runs it
        }
        if (impure) {
            syncTo(k);
            setExitSynced(k);
        }
        // The faulting instruction's EIP and slot, for the handler.
        eipPlus(offsets[k]);
        mv.visitVarInsn(ISTORE, L_CUR_EIP);
        pushSlot(k);
        mv.visitVarInsn(ISTORE, L_CUR_SLOT);
        final int od = e[i + 1];
        final int disp = e[i + 2];
        final int imm = e[i + 3];
        final int aux = (o >>> 12) & 15;
        final int next = offsets[k + 1];
        if (handler) {
            return viaHandler(k, id, impure);
        }
        switch (id) {
            case DecodeCache.MOV_RI32:
                storeReg(aux, () -> push(imm));
                break;
            case DecodeCache.MOV_RR32:
                storeReg(imm & 7, () -> loadReg(imm >>> 3));
                break;
            case DecodeCache.LEA32:
                storeReg((od >>> 3) & 7, () -> ea(od, disp));
                break;
            case DecodeCache.LOAD32:
                storeReg((od >>> 3) & 7, () -> load(od, disp, 4));
                break;
            case DecodeCache.STORE32:
                mv.visitVarInsn(ALOAD, L_CPU);
                push((od >>> 8) & 7);
                ea(od, disp);
                loadReg((od >>> 3) & 7);
                mv.visitMethodInsn(INVOKESTATIC, DC, "store32", "(L" + CPU + ";III)V", false);
                break;
            case DecodeCache.MOVZX8_32:
                storeReg((od >>> 3) & 7, () -> {
                    if (((od >>> 6) & 3) == 3) {
                        int s = od & 7;
                        loadReg(s < 4 ? s : s - 4);
                        if (s >= 4) {
                            push(8);
                            mv.visitInsn(IUSHR);
                        }
                        push(0xFF);
                        mv.visitInsn(IAND);
                    } else {
                        load(od, disp, 1);
                    }
                });
                break;
            case DecodeCache.INC_R32:
            case DecodeCache.DEC_R32:
                storeReg(aux, () -> {
                    mv.visitVarInsn(ALOAD, L_CPU);
                    push(4);
                    loadReg(aux);
                    mv.visitMethodInsn(INVOKESTATIC, "jx86/cpu/Alu", id == DecodeCache.INC_R32 ? "inc" : "dec",
                            "(L" + CPU + ";II)I", false);
                });
                break;
            case DecodeCache.SHIFT_RI32:
                if ((imm & 0x1F) != 0) {
                    storeReg(disp, () -> {
                        mv.visitVarInsn(ALOAD, L_CPU);
                        push(aux);
                        loadReg(disp);
                        push(imm & 0x1F);
                        mv.visitMethodInsn(INVOKESTATIC, "jx86/cpu/ShiftRotate", "shift32", "(L" + CPU + ";III)I", false);
                    });
                }
                break;
            case DecodeCache.IMUL_RRI32:
                storeReg((od >>> 3) & 7, () -> {
                    mv.visitVarInsn(ALOAD, L_CPU);
                    push(4);
                    loadReg(disp);
                    push(imm);
                    mv.visitMethodInsn(INVOKESTATIC, "jx86/cpu/Alu", "imul", "(L" + CPU + ";III)I", false);
                });
                break;
            case DecodeCache.TEST_RI32:
                mv.visitVarInsn(ALOAD, L_CPU);
                push(4);
                loadReg(disp);
                push(imm);
                mv.visitInsn(IAND);
                mv.visitMethodInsn(INVOKESTATIC, "jx86/cpu/Alu", "logicFlags", "(L" + CPU + ";II)V", false);
                break;
            case DecodeCache.JCC32:
                jcc(k, aux, next + imm);
                break;
            case DecodeCache.JMP32:
                // Always a block's last instruction (DecodeCache.endsBlock).
                mv.visitVarInsn(ALOAD, L_DC);
                mv.visitVarInsn(ALOAD, L_CPU);
                eipPlus(next + imm);
                mv.visitMethodInsn(INVOKESTATIC, DC, "jump", "(L" + CPU + ";I)I", false);
                mv.visitFieldInsn(PUTFIELD, DC, "exitEip", "I");
                edge(k, next + imm);
                chainCall(k, next + imm);
                pushSlot(k + 1);
                mv.visitInsn(IRETURN);
                return count + 1;
            case DecodeCache.CMP_RI32_JCC:
            case DecodeCache.CMP_RR32_JCC:
            case DecodeCache.TEST_RI32_JCC: {
                // The compare retires, then the Jcc of the next slot runs on the flags it set
                // (runBlock's fused pair; the fence is the block end here, so never split).
                if (id == DecodeCache.CMP_RR32_JCC) {
                    operands(() -> loadReg(imm & 7), () -> loadReg(imm >>> 3));
                } else {
                    operands(() -> loadReg(disp), () -> push(imm));
                }
                if (id == DecodeCache.TEST_RI32_JCC) {
                    mv.visitVarInsn(ALOAD, L_CPU);
                    push(Flags.LOGIC);
                    push(4);
                    push(0);
                    push(0);
                    mv.visitVarInsn(ILOAD, L_A);
                    mv.visitVarInsn(ILOAD, L_B);
                    mv.visitInsn(IAND);
                    flagsSet();
                } else {
                    setFlags(Flags.SUB, ISUB);
                }
                int j = real(k + 1);
                eipPlus(offsets[k + 1]);
                mv.visitVarInsn(ISTORE, L_CUR_EIP);
                pushSlot(k + 1);
                mv.visitVarInsn(ISTORE, L_CUR_SLOT);
                jcc(k + 1, (e[j] >>> 12) & 15, offsets[k + 2] + e[j + 3]);
                return k + 2;
            }
            default:
                aluForm(id, disp, imm);
                break;
        }
        if (impure && k + 1 < count) {
            afterImpure(k + 1);
        }
        return k + 1;
    }

    /**
     * Slot {@code k} through the cache's handler that runBlock calls for it: {@code generic} (the
     * shared instruction helpers, ESP restored on a fault) or {@code fastRare}. A fault reaches the
     * handler of the generated method, as it reaches runBlock's. Only a block's last instruction
     * may move EIP elsewhere (a jump, call, return, or a REP batch that is not finished).
     */
    private int viaHandler(int k, int id, boolean impure) {
        final int i = real(k); // the handlers read the slot's fields from the cache at run time
        final int o = e[i];
        if (id < DecodeCache.FAST) {
            mv.visitVarInsn(ALOAD, L_CPU);
            mv.visitVarInsn(ALOAD, L_SLOTS);
            push(i);
            push(o);
            push(id);
            eipPlus(offsets[k]);
            eipPlus(offsets[k + 1]);
            mv.visitMethodInsn(INVOKESTATIC, DC, "generic", "(L" + CPU + ";[IIIIII)I", false);
        } else {
            mv.visitVarInsn(ALOAD, L_CPU);
            mv.visitVarInsn(ALOAD, L_REGS);
            mv.visitVarInsn(ALOAD, L_SLOTS);
            push(i);
            push(o);
            push(id);
            eipPlus(offsets[k + 1]);
            mv.visitMethodInsn(INVOKESTATIC, DC, "fastRare", "(L" + CPU + ";[I[IIIII)I", false);
        }
        if (k + 1 == count) {
            // runBlock: exitEip = the EIP the handler returned; the block's end
            mv.visitVarInsn(ISTORE, L_RET);
            mv.visitVarInsn(ALOAD, L_DC);
            mv.visitVarInsn(ILOAD, L_RET);
            mv.visitFieldInsn(PUTFIELD, DC, "exitEip", "I");
            if (chainOn) {
                chainDynamic(k); // a call, return, indirect jump, or the next instruction
            }
            pushSlot(count);
            mv.visitInsn(IRETURN);
            return count + 1;
        }
        mv.visitInsn(POP); // not the last: the next instruction's EIP
        if (impure) {
            afterImpure(k + 1);
        }
        return k + 1;
    }

    /** True for the ids compiled as a call of the cache's handler ({@link #viaHandler}). */
    private static boolean handlerForm(int id) {
        return id < DecodeCache.FAST || DecodeCache.viaFastRare(id);
    }

    /** True if a slot of the method's blocks runs through a handler, which reads the cache's slots. */
    private boolean callsHandler() {
        for (int x = 0; x < regionSize; x++) {
            for (int k = 0; k < rCount[x]; k++) {
                if (handlerForm(e[rStart[x] + k * STRIDE] & 0xFF)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True for the ids compiled inline; the others run through runBlock slot by slot. */
    private static boolean inline(int id) {
        switch (id) {
            case DecodeCache.MOV_RI32:
            case DecodeCache.MOV_RR32:
            case DecodeCache.LEA32:
            case DecodeCache.LOAD32:
            case DecodeCache.STORE32:
            case DecodeCache.MOVZX8_32:
            case DecodeCache.INC_R32:
            case DecodeCache.DEC_R32:
            case DecodeCache.SHIFT_RI32:
            case DecodeCache.IMUL_RRI32:
            case DecodeCache.TEST_RI32:
            case DecodeCache.JCC32:
            case DecodeCache.JMP32:
            case DecodeCache.CMP_RI32_JCC:
            case DecodeCache.CMP_RR32_JCC:
            case DecodeCache.TEST_RI32_JCC:
                return true;
            default:
                return id >= DecodeCache.ALU_RR32_OP && id < DecodeCache.ALU_RI32_OP + 8;
        }
    }

    /** op r32, r32 and op r32, imm32 (ids ALU_RR32_OP + op and ALU_RI32_OP + op), as runBlock. */
    private void aluForm(int id, int disp, int imm) {
        final boolean rr = id < DecodeCache.ALU_RI32_OP;
        final int op = id - (rr ? DecodeCache.ALU_RR32_OP : DecodeCache.ALU_RI32_OP);
        final int d = rr ? imm & 7 : disp;
        final Runnable src = rr ? () -> loadReg(imm >>> 3) : () -> push(imm);
        // runBlock's inline set: ADD, SUB, CMP, AND for both; OR, XOR only register-register.
        boolean inlineOp = op == Alu.ADD || op == Alu.SUB || op == Alu.CMP || op == Alu.AND
                || (rr && (op == Alu.OR || op == Alu.XOR));
        if (!inlineOp) {
            storeReg(d, () -> {
                mv.visitVarInsn(ALOAD, L_CPU);
                push(op);
                push(4);
                loadReg(d);
                src.run();
                mv.visitMethodInsn(INVOKESTATIC, "jx86/cpu/Alu", "arith", "(L" + CPU + ";IIII)I", false);
            });
            return;
        }
        operands(() -> loadReg(d), src);
        int kind;
        int insn;
        switch (op) {
            case Alu.ADD:
                kind = Flags.ADD;
                insn = IADD;
                break;
            case Alu.SUB:
            case Alu.CMP:
                kind = Flags.SUB;
                insn = ISUB;
                break;
            case Alu.AND:
                kind = Flags.LOGIC;
                insn = IAND;
                break;
            case Alu.OR:
                kind = Flags.LOGIC;
                insn = IOR;
                break;
            default:
                kind = Flags.LOGIC;
                insn = IXOR;
                break;
        }
        setFlags(kind, insn);
        if (op != Alu.CMP) {
            mv.visitVarInsn(ALOAD, L_REGS);
            push(d);
            mv.visitVarInsn(ILOAD, L_V);
            mv.visitInsn(IASTORE);
        }
    }

    /** Loads the two operands into locals A and B. */
    private void operands(Runnable a, Runnable b) {
        a.run();
        mv.visitVarInsn(ISTORE, L_A);
        b.run();
        mv.visitVarInsn(ISTORE, L_B);
    }

    /** V = A insn B; Flags.set(c, kind, 4, A, B, V). */
    private void setFlags(int kind, int insn) {
        mv.visitVarInsn(ILOAD, L_A);
        mv.visitVarInsn(ILOAD, L_B);
        mv.visitInsn(insn);
        mv.visitVarInsn(ISTORE, L_V);
        mv.visitVarInsn(ALOAD, L_CPU);
        push(kind);
        push(4);
        mv.visitVarInsn(ILOAD, L_A);
        mv.visitVarInsn(ILOAD, L_B);
        mv.visitVarInsn(ILOAD, L_V);
        flagsSet();
    }

    private void flagsSet() {
        mv.visitMethodInsn(INVOKESTATIC, "jx86/cpu/Flags", "set", "(L" + CPU + ";IIIII)V", false);
    }

    /**
     * A Jcc in slot {@code k} with its target {@code target} bytes from the block's EIP: taken, it
     * leaves the block (runBlock returns the slot after it with exitEip the target); not taken, the
     * code goes on with the next slot.
     */
    private void jcc(int k, int cc, int target) {
        Label notTaken = new Label();
        mv.visitVarInsn(ALOAD, L_CPU);
        push(cc);
        mv.visitMethodInsn(INVOKESTATIC, "jx86/cpu/Flags", "cond", "(L" + CPU + ";I)Z", false);
        mv.visitJumpInsn(IFEQ, notTaken);
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitVarInsn(ALOAD, L_CPU);
        eipPlus(target);
        mv.visitMethodInsn(INVOKESTATIC, DC, "jump", "(L" + CPU + ";I)I", false);
        mv.visitFieldInsn(PUTFIELD, DC, "exitEip", "I");
        edge(k, target);
        chainCall(k, target);
        pushSlot(k + 1);
        mv.visitInsn(IRETURN);
        mv.visitLabel(notTaken);
    }

    /**
     * A taken jump (or the fall-through end) in slot {@code k} to {@code target} bytes from the
     * current block's EIP, with exitEip already set: continues in the method when the target is
     * the method's own block or another block of its region ({@link #chainTo}); otherwise (and when
     * a check fails) the code falls through to the return that leaves the block.
     */
    private void edge(int k, int target) {
        final int x = regionIndex(delta + target);
        if (x >= 0) {
            chainTo(k, x);
        }
    }

    /**
     * A taken jump in slot {@code k} to region block {@code x} (exitEip already set; x = 0: back to
     * the method's own start, round 2's loop): run that block here, without returning to trace,
     * when trace would run it next, whole and compiled. The block run is finished as trace
     * finishes one (the clock gets its cycles, the k + 1 instructions are counted in
     * {@code looped}); then trace's checks before the next block, in its terms: steps left
     * ({@code loopRoom}, 0 unless the boundary is quiet) and cycles to the next timer event both at
     * least the target block's length (else trace would fence it and run it in runBlock), the
     * CPU's events unchanged, the page's generation unchanged (no store into decoded code of this
     * page, so the target's bytes are those it was compiled from); for another block also that
     * the cache still holds its decoded slots (the handlers read them) and that its last byte is
     * within the CS limit (trace's check; for x = 0 trace made it when it entered). The region's
     * blocks all lie on the method's page, so the I-TLB hits of the chained instructions are
     * those trace counts for its retired instructions. If a check fails, the code returns as the
     * plain jump does and trace decides.
     */
    private void chainTo(int k, int x) {
        if (!loops) {
            return;
        }
        final int saved = synced; // this is the taken path: the code after it goes on unsynced
        final int n = rCount[x];
        syncTo(k + 1);
        setExitSynced(k + 1);
        Label exit = new Label();
        pushCyclesToNextEvent();
        mv.visitLdcInsn((long) n);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFLT, exit);
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitFieldInsn(GETFIELD, DC, "loopRoom", "I");
        push(k + 1);
        mv.visitInsn(ISUB);
        push(n);
        mv.visitJumpInsn(IF_ICMPLT, exit);
        exitIfEventsOrCodeChanged(exit);
        if (x > 0 || multi) { // (x = 0 in a method with one entry: trace checked it when it entered)
            headerIs(rHeader[x], regionPa + rDelta[x], exit);
            headerIs(rHeader[x] + 1, rInfo[x], exit);
            headerIs(rHeader[x] + 2, regionGen, exit);
            final int last = rDelta[x] + ((rInfo[x] >>> 8) & 0xFF) - 1;
            exitUnlessWithinCsLimit(() -> eipPlus(last - delta), () -> eipPlus(rDelta[x] - delta), exit);
        }
        addField("loopRoom", -(k + 1));
        addField("looped", k + 1);
        mv.visitJumpInsn(GOTO, rLabel[x]);
        mv.visitLabel(exit);
        synced = saved;
    }

    /** Most compiled blocks one trace runner call runs chained (each a Java frame on the stack). */
    static final int MAX_CHAIN = 32;

    /** True if an exit {@code target} bytes from the block's EIP may chain: another block on the same page. */
    private boolean chainable(int target) {
        final int off = (chainPa & 0xFFF) + target;
        return chainOn && target != 0 && off >= 0 && off <= 0xFFF;
    }

    /**
     * A taken exit in slot {@code k} to {@code target} bytes from the block's EIP (exitEip set,
     * the clock synced or not) that may chain ({@link #chainable}): gives the clock the block's
     * cycles and jumps to the method's one chain tail ({@link #chainTail}) with the target and
     * the block's k + 1 retired instructions in locals. Without chaining the code goes on to the
     * plain exit's return.
     */
    private void chainCall(int k, int target) {
        if (!chainable(target)) {
            return;
        }
        final int saved = synced; // this is the taken path: the code after it goes on unsynced
        syncTo(k + 1);
        setExitSynced(k + 1);
        push(target);
        mv.visitVarInsn(ISTORE, L_TGT);
        push(k + 1);
        mv.visitVarInsn(ISTORE, L_DONE);
        gotoChainTail();
        synced = saved;
    }

    /**
     * The exit of a block whose last instruction ran through a handler (slot {@code k}; its
     * answer, the next EIP, in L_RET and exitEip): chains like {@link #chainCall} when that EIP
     * lies on the block's page, which is known only now (a RET, an indirect CALL or JMP, a CALL
     * or a REP batch, or the next instruction after a block cut short).
     */
    private void chainDynamic(int k) {
        final Label exit = new Label();
        final int saved = synced;
        mv.visitVarInsn(ILOAD, L_RET);
        mv.visitVarInsn(ILOAD, L_EIP);
        mv.visitInsn(ISUB);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ISTORE, L_TGT);
        push(chainPa & 0xFFF);
        mv.visitInsn(IADD);
        push(0xFFF);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "compareUnsigned", "(II)I", false);
        mv.visitJumpInsn(IFGT, exit); // another page: trace's I-TLB look-up decides
        syncTo(k + 1);
        setExitSynced(k + 1);
        push(k + 1);
        mv.visitVarInsn(ISTORE, L_DONE);
        gotoChainTail();
        mv.visitLabel(exit);
        synced = saved;
    }

    /** Jumps to the method's chain tail ({@link #chainTail}), made by the first exit that needs it. */
    private void gotoChainTail() {
        if (tail == null) {
            tail = new Label();
        }
        mv.visitJumpInsn(GOTO, tail);
    }

    /**
     * Trace's check before a block whose last byte is {@code pushLast} and whose first is
     * {@code pushStart} (each pushes its EIP): jumps to {@code exit} when the last byte lies past
     * the CS limit or the block wraps past 4 GiB.
     */
    private void exitUnlessWithinCsLimit(Runnable pushLast, Runnable pushStart, Label exit) {
        pushLast.run();
        mv.visitVarInsn(ALOAD, L_CPU);
        mv.visitFieldInsn(GETFIELD, CPU, "segLimit", "[I");
        push(Cpu.CS);
        mv.visitInsn(IALOAD);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "compareUnsigned", "(II)I", false);
        mv.visitJumpInsn(IFGT, exit);
        pushLast.run();
        pushStart.run();
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "compareUnsigned", "(II)I", false);
        mv.visitJumpInsn(IFLT, exit);
    }

    /**
     * The method's chain tail (one per method, so each exit costs a few bytes): the block ran
     * {@code L_DONE} instructions and leaves for the EIP {@code L_TGT} bytes after its own, on
     * its own page; if the successor block is compiled, call its method here instead of
     * returning to trace, when trace would run exactly that compiled method next. The run of this
     * block is finished as trace finishes one (the clock has its cycles, the instructions go to
     * {@code looped} and are taken from {@code loopRoom}, the translator's run clock ticks
     * ({@code Jit.chains}) as {@code Jit.block} would tick it); then trace's checks before a block, on the successor's
     * header as it is now: the cache holds a block at its physical address, of this code size,
     * decoded from the page's generation at this block's start, not empty; this block's page
     * unwritten and the CPU's events unchanged (runBlock's checks); steps left and cycles to the
     * next timer event at least its length (else trace would fence it and run it in runBlock);
     * its last byte within the CS limit without a wrap; its compiled form present; and fewer
     * than {@link #MAX_CHAIN} chained calls below this one. The successor lies on this block's
     * page, so it is an I-TLB hit on trace's fetch page and its instructions' hits are those
     * trace counts for retired instructions; the slot numbers and exitSynced it leaves (in its
     * own slots) are moved into this block's, which is all trace subtracts them from. If a check
     * fails the code returns as the plain exit does (exitEip and exitSynced are set).
     */
    private void chainTail() {
        final Label fail = new Label();
        mv.visitLabel(tail);
        mv.visitVarInsn(ILOAD, L_DEPTH);
        push(maxChain);
        mv.visitJumpInsn(IF_ICMPGE, fail);
        // n = the successor's block number, pb its physical address
        push(chainPa);
        mv.visitVarInsn(ILOAD, L_TGT);
        mv.visitInsn(IADD);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ISTORE, L_PB);
        mv.visitMethodInsn(INVOKESTATIC, DC, "blockNumber", "(I)I", false);
        mv.visitVarInsn(ISTORE, L_N);
        // its header: that address, this code size, not empty, decoded from this block's generation
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitFieldInsn(GETFIELD, DC, "h", "[I");
        mv.visitVarInsn(ASTORE, L_H);
        headerWord(0);
        mv.visitVarInsn(ILOAD, L_PB);
        mv.visitJumpInsn(IF_ICMPNE, fail);
        headerWord(1);
        mv.visitVarInsn(ISTORE, L_INFO);
        mv.visitVarInsn(ILOAD, L_INFO);
        push(DecodeCache.VALID | DecodeCache.CODE32);
        mv.visitInsn(IAND);
        push(chainWant);
        mv.visitJumpInsn(IF_ICMPNE, fail);
        mv.visitVarInsn(ILOAD, L_INFO);
        push(31);
        mv.visitInsn(IAND);
        mv.visitVarInsn(ISTORE, L_CNT);
        mv.visitVarInsn(ILOAD, L_CNT);
        mv.visitJumpInsn(IFEQ, fail);
        headerWord(2);
        push(codeGen);
        mv.visitJumpInsn(IF_ICMPNE, fail);
        exitIfEventsOrCodeChanged(fail);
        // steps left in the slice after this block's, and cycles to the next timer event
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitFieldInsn(GETFIELD, DC, "loopRoom", "I");
        mv.visitVarInsn(ILOAD, L_DONE);
        mv.visitInsn(ISUB);
        mv.visitVarInsn(ISTORE, L_LEFT);
        mv.visitVarInsn(ILOAD, L_LEFT);
        mv.visitVarInsn(ILOAD, L_CNT);
        mv.visitJumpInsn(IF_ICMPLT, fail);
        pushCyclesToNextEvent();
        mv.visitVarInsn(ILOAD, L_CNT);
        mv.visitInsn(I2L);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFLT, fail);
        // trace: the block's last byte within the CS limit, and no wrap past 4 GiB
        mv.visitVarInsn(ILOAD, L_EIP);
        mv.visitVarInsn(ILOAD, L_TGT);
        mv.visitInsn(IADD);
        mv.visitVarInsn(ISTORE, L_TGT); // from here: the successor's EIP
        mv.visitVarInsn(ILOAD, L_TGT);
        mv.visitVarInsn(ILOAD, L_INFO);
        push(8);
        mv.visitInsn(IUSHR);
        push(0xFF);
        mv.visitInsn(IAND);
        mv.visitInsn(IADD);
        push(1);
        mv.visitInsn(ISUB);
        mv.visitVarInsn(ISTORE, L_LAST);
        exitUnlessWithinCsLimit(() -> mv.visitVarInsn(ILOAD, L_LAST), () -> mv.visitVarInsn(ILOAD, L_TGT), fail);
        // its compiled form (Jit.drop clears it whenever the block is decoded again)
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitFieldInsn(GETFIELD, DC, "jit", "L" + JIT + ";");
        mv.visitFieldInsn(GETFIELD, JIT, "compiled", "[L" + BLOCK + ";");
        mv.visitVarInsn(ILOAD, L_N);
        mv.visitInsn(AALOAD);
        mv.visitVarInsn(ASTORE, L_NEXT);
        mv.visitVarInsn(ALOAD, L_NEXT);
        mv.visitJumpInsn(IFNULL, fail);
        // this block's run is over: as trace books it, then the successor's run as trace begins it
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitVarInsn(ILOAD, L_LEFT);
        mv.visitFieldInsn(PUTFIELD, DC, "loopRoom", "I");
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitInsn(DUP);
        mv.visitFieldInsn(GETFIELD, DC, "looped", "I");
        mv.visitVarInsn(ILOAD, L_DONE);
        mv.visitInsn(IADD);
        mv.visitFieldInsn(PUTFIELD, DC, "looped", "I");
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitFieldInsn(GETFIELD, DC, "jit", "L" + JIT + ";");
        mv.visitInsn(DUP);
        mv.visitFieldInsn(GETFIELD, JIT, "chains", "J");
        mv.visitInsn(LCONST_1);
        mv.visitInsn(LADD);
        mv.visitFieldInsn(PUTFIELD, JIT, "chains", "J");
        // its first slot (L_N from here; its method gives runBlock its own end when it calls it)
        mv.visitVarInsn(ILOAD, L_N);
        push(Integer.numberOfTrailingZeros(DecodeCache.firstSlot(1))); // firstSlot(n) = n << this
        mv.visitInsn(ISHL);
        mv.visitVarInsn(ISTORE, L_N);
        mv.visitVarInsn(ALOAD, L_NEXT);
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitVarInsn(ILOAD, L_TGT);
        mv.visitVarInsn(ILOAD, L_DEPTH);
        push(1);
        mv.visitInsn(IADD);
        mv.visitMethodInsn(INVOKEVIRTUAL, BLOCK, "run", "(L" + DC + ";II)I", false);
        mv.visitVarInsn(ISTORE, L_RET);
        // the successor's slot numbers, d = its first slot - this block's, moved into this block's
        mv.visitVarInsn(ILOAD, L_N);
        push(vbase);
        mv.visitInsn(ISUB);
        mv.visitVarInsn(ISTORE, L_N);
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitInsn(DUP);
        mv.visitFieldInsn(GETFIELD, DC, "exitSynced", "I");
        mv.visitVarInsn(ILOAD, L_N);
        mv.visitInsn(ISUB);
        mv.visitFieldInsn(PUTFIELD, DC, "exitSynced", "I");
        Label neg = new Label();
        mv.visitVarInsn(ILOAD, L_RET);
        mv.visitJumpInsn(IFLT, neg);
        mv.visitVarInsn(ILOAD, L_RET);
        mv.visitVarInsn(ILOAD, L_N);
        mv.visitInsn(ISUB);
        mv.visitInsn(IRETURN);
        mv.visitLabel(neg);
        mv.visitVarInsn(ILOAD, L_RET);
        mv.visitVarInsn(ILOAD, L_N);
        mv.visitInsn(IADD); // ~(~ret - d)
        mv.visitInsn(IRETURN);
        // no chain: the plain exit's return (the slot after the block's last instruction run)
        mv.visitLabel(fail);
        push(vbase);
        mv.visitVarInsn(ILOAD, L_DONE);
        push(2);
        mv.visitInsn(ISHL);
        mv.visitInsn(IADD);
        mv.visitInsn(IRETURN);
    }

    /** Pushes word {@code w} of the successor's header (L_H the header array, L_N its block number). */
    private void headerWord(int w) {
        mv.visitVarInsn(ALOAD, L_H);
        mv.visitVarInsn(ILOAD, L_N);
        push(2);
        mv.visitInsn(ISHL);
        if (w != 0) {
            push(w);
            mv.visitInsn(IADD);
        }
        mv.visitInsn(IALOAD);
    }

    /** Jumps to {@code exit} unless the cache's header word {@code index} is {@code value}. */
    private void headerIs(int index, int value, Label exit) {
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitFieldInsn(GETFIELD, DC, "h", "[I");
        push(index);
        mv.visitInsn(IALOAD);
        push(value);
        mv.visitJumpInsn(IF_ICMPNE, exit);
    }

    /** Pushes clock.nextEventAt - clock.cycles (a long): the cycles left before the next timer event. */
    private void pushCyclesToNextEvent() {
        mv.visitVarInsn(ALOAD, L_CLOCK);
        mv.visitFieldInsn(GETFIELD, CLOCK, "nextEventAt", "J");
        mv.visitVarInsn(ALOAD, L_CLOCK);
        mv.visitFieldInsn(GETFIELD, CLOCK, "cycles", "J");
        mv.visitInsn(LSUB);
    }

    /** Jumps to {@code exit} when the CPU's events changed or the method's page was written (runBlock's checks). */
    private void exitIfEventsOrCodeChanged(Label exit) {
        mv.visitVarInsn(ALOAD, L_CPU);
        mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "events", "()I", false);
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitFieldInsn(GETFIELD, DC, "events", "I");
        mv.visitJumpInsn(IF_ICMPNE, exit);
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitFieldInsn(GETFIELD, DC, "gens", "[I");
        push(codePage);
        mv.visitInsn(IALOAD);
        push(codeGen);
        mv.visitJumpInsn(IF_ICMPNE, exit);
    }

    /** this cache's int field {@code name} += {@code delta}. */
    private void addField(String name, int delta) {
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitInsn(DUP);
        mv.visitFieldInsn(GETFIELD, DC, name, "I");
        push(delta);
        mv.visitInsn(IADD);
        mv.visitFieldInsn(PUTFIELD, DC, name, "I");
    }

    /**
     * Slot {@code k} through runBlock (fence: the next slot), so the cache's own handler runs it
     * with runBlock's fault handling. It returns ~next after an ordinary instruction that is not
     * the block's last; anything else (a fault, a taken jump, the block's end) is also this
     * code's result.
     */
    private int fallback(int k, boolean impure) {
        final int i = real(k);
        syncTo(k); // runBlock starts with exitSynced = i
        mv.visitVarInsn(ALOAD, L_DC);
        push(i);
        push(i + STRIDE);
        eipPlus(offsets[k]);
        runBlock();
        if (k + 1 == count) {
            returnRunBlock();
            return count + 1;
        }
        Label ok = new Label();
        mv.visitVarInsn(ISTORE, L_RET);
        mv.visitVarInsn(ILOAD, L_RET);
        push(~(i + STRIDE));
        mv.visitJumpInsn(IF_ICMPEQ, ok);
        mv.visitVarInsn(ILOAD, L_RET);
        returnRunBlock();
        mv.visitLabel(ok);
        if (multi || start != vbase) {
            fixExitSynced(); // runBlock left it in this block's own slot numbers
        }
        if (impure) {
            afterImpure(k + 1);
        }
        return k + 1;
    }

    /**
     * runBlock's checks after an instruction that may have touched memory, before slot {@code k}
     * (not the block's end): the clock made exact; leave the block if a timer event is due, the
     * CPU's events changed or the block's page was written; if the next timer event falls inside
     * the rest of the block, runBlock runs the rest with the fence it would have set.
     */
    private void afterImpure(int k) {
        final int i = real(k);
        syncTo(k);
        setExitSynced(k);
        Label exit = new Label();
        Label go = new Label();
        mv.visitVarInsn(ALOAD, L_CLOCK);
        mv.visitFieldInsn(GETFIELD, CLOCK, "cycles", "J");
        mv.visitVarInsn(ALOAD, L_CLOCK);
        mv.visitFieldInsn(GETFIELD, CLOCK, "nextEventAt", "J");
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFGE, exit);
        exitIfEventsOrCodeChanged(exit);
        pushCyclesToNextEvent();
        mv.visitVarInsn(LSTORE, L_ROOM);
        mv.visitVarInsn(LLOAD, L_ROOM);
        mv.visitLdcInsn((long) (count - k));
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFGE, go);
        // return runBlock(i, i + room * STRIDE, eip): the timer event falls inside the rest
        mv.visitVarInsn(ALOAD, L_DC);
        push(i);
        push(i);
        mv.visitVarInsn(LLOAD, L_ROOM);
        mv.visitInsn(L2I);
        push(2);
        mv.visitInsn(ISHL);
        mv.visitInsn(IADD);
        eipPlus(offsets[k]);
        runBlock();
        returnRunBlock();
        mv.visitLabel(exit);
        mv.visitVarInsn(ALOAD, L_DC);
        eipPlus(offsets[k]);
        mv.visitFieldInsn(PUTFIELD, DC, "exitEip", "I");
        if (multi) {
            pushSlot(k);
            push(-1);
            mv.visitInsn(IXOR);
        } else {
            push(~slotIndex(k));
        }
        mv.visitInsn(IRETURN);
        mv.visitLabel(go);
    }

    /**
     * Calls runBlock(i, fence, eip) (arguments pushed) for slots of the current block, after
     * giving it the state trace gives it before its own calls, as constants: the block's page,
     * generation and end, and the end as the budget's fence too (trace runs a compiled block only
     * when the whole block fits the budget, and a chain or a region's jump checked the same).
     */
    private void runBlock() {
        putConstant("blockPage", codePage);
        putConstant("blockGen", codeGen);
        putConstant("blockEnd", start + count * STRIDE);
        putConstant("budgetFence", start + count * STRIDE);
        mv.visitMethodInsn(INVOKEVIRTUAL, DC, "runBlock", "(III)I", false);
    }

    /** this cache's int field {@code name} = {@code value}. */
    private void putConstant(String name, int value) {
        mv.visitVarInsn(ALOAD, L_DC);
        push(value);
        mv.visitFieldInsn(PUTFIELD, DC, name, "I");
    }

    /**
     * Returns runBlock's result (on the stack) in the method's slot numbers: a region's later
     * block has its slots elsewhere in the cache, so its slot numbers and exitSynced are moved by
     * the difference (trace only ever subtracts them from the first slot of the block it entered:
     * the method's own, or with several entries the entered one, {@link #pushShift}).
     */
    private void returnRunBlock() {
        if (multi || start != vbase) {
            Label neg = new Label();
            mv.visitInsn(DUP);
            mv.visitJumpInsn(IFLT, neg);
            pushShift();
            mv.visitInsn(ISUB);
            fixExitSynced();
            mv.visitInsn(IRETURN);
            mv.visitLabel(neg);
            pushShift();
            mv.visitInsn(IADD); // ~(~ret - shift)
            fixExitSynced();
        }
        mv.visitInsn(IRETURN);
    }

    /**
     * Pushes the current block's first slot minus the first slot the method's slot numbers count
     * from: a constant, or in a method with several entries ({@link #multi}) the entered block's.
     */
    private void pushShift() {
        if (!multi) {
            push(start - vbase);
            return;
        }
        push(start);
        mv.visitVarInsn(ILOAD, L_BASE);
        mv.visitInsn(ISUB);
    }

    /** exitSynced -= the shift ({@link #pushShift}). */
    private void fixExitSynced() {
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitInsn(DUP);
        mv.visitFieldInsn(GETFIELD, DC, "exitSynced", "I");
        pushShift();
        mv.visitInsn(ISUB);
        mv.visitFieldInsn(PUTFIELD, DC, "exitSynced", "I");
    }

    /** Gives the clock the cycles of the slots since the last sync, up to slot {@code k}. */
    private void syncTo(int k) {
        if (k != synced) {
            mv.visitVarInsn(ALOAD, L_CLOCK);
            mv.visitInsn(DUP);
            mv.visitFieldInsn(GETFIELD, CLOCK, "cycles", "J");
            mv.visitLdcInsn((long) (k - synced));
            mv.visitInsn(LADD);
            mv.visitFieldInsn(PUTFIELD, CLOCK, "cycles", "J");
            synced = k;
        }
    }

    private void setExitSynced(int k) {
        mv.visitVarInsn(ALOAD, L_DC);
        pushSlot(k);
        mv.visitFieldInsn(PUTFIELD, DC, "exitSynced", "I");
    }

    /** r[reg] = value. */
    private void storeReg(int reg, Runnable value) {
        mv.visitVarInsn(ALOAD, L_REGS);
        push(reg);
        value.run();
        mv.visitInsn(IASTORE);
    }

    private void loadReg(int reg) {
        mv.visitVarInsn(ALOAD, L_REGS);
        push(reg);
        mv.visitInsn(IALOAD);
    }

    /** DecodeCache.load32 or load8 (c, seg, ea): the helpers whose D-TLB hit C2 always inlines. */
    private void load(int od, int disp, int size) {
        mv.visitVarInsn(ALOAD, L_CPU);
        push((od >>> 8) & 7);
        ea(od, disp);
        mv.visitMethodInsn(INVOKESTATIC, DC, size == 4 ? "load32" : "load8", "(L" + CPU + ";II)I", false);
    }

    /** The effective address of the slot's memory operand (DecodeCache.ea with the fields fixed). */
    private void ea(int od, int disp) {
        push(disp);
        int base = (od >>> 11) & 15;
        if (base < 8) {
            loadReg(base);
            mv.visitInsn(IADD);
        }
        int index = (od >>> 15) & 15;
        if (index < 8) {
            loadReg(index);
            int scale = (od >>> 19) & 3;
            if (scale != 0) {
                push(scale);
                mv.visitInsn(ISHL);
            }
            mv.visitInsn(IADD);
        }
        if ((od & (1 << 21)) == 0) {
            push(0xFFFF);
            mv.visitInsn(IAND);
        }
    }

    /**
     * The EIP {@code d} bytes after the current block's start (the method's block's EIP is the
     * argument; everything else is an offset from it, a region's blocks lying on the same page).
     */
    private void eipPlus(int d) {
        mv.visitVarInsn(ILOAD, L_EIP);
        if (d + delta != 0) {
            push(d + delta);
            mv.visitInsn(IADD);
        }
    }

    /**
     * The slot number slot {@code k} of the current block has in what the method returns and in
     * exitSynced: counted from the method's own first slot, so that trace's arithmetic (retired
     * instructions = returned slot - first slot) holds in a region's later blocks too.
     */
    private int slotIndex(int k) {
        return vbase + k * STRIDE;
    }

    /** Pushes {@link #slotIndex}, or in a method with several entries the entered block's first slot + k slots. */
    private void pushSlot(int k) {
        if (!multi) {
            push(slotIndex(k));
            return;
        }
        mv.visitVarInsn(ILOAD, L_BASE);
        if (k != 0) {
            push(k * STRIDE);
            mv.visitInsn(IADD);
        }
    }

    /** Where slot {@code k} of the current block is in the cache (its decoded fields, for the handlers and runBlock). */
    private int real(int k) {
        return start + k * STRIDE;
    }

    private void field(int owner, String name, String desc, int local) {
        mv.visitVarInsn(ALOAD, owner);
        mv.visitFieldInsn(GETFIELD, DC, name, desc);
        mv.visitVarInsn(ASTORE, local);
    }

    private void push(int v) {
        if (v >= -1 && v <= 5) {
            mv.visitInsn(ICONST_0 + v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            mv.visitIntInsn(BIPUSH, v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            mv.visitIntInsn(SIPUSH, v);
        } else {
            mv.visitLdcInsn(v);
        }
    }
}
