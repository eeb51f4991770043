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
 */
final class JitCompiler {
    private static final int STRIDE = 4;
    private static final String DC = "jx86/cpu/DecodeCache";
    private static final String CPU = "jx86/cpu/Cpu";
    private static final String CLOCK = "jx86/clock/VirtualClock";
    private static final String FAULT = "jx86/arch/CpuFault";
    private static final String NAME = "jx86/cpu/JitCode";

    // locals of the generated run(DecodeCache, int)
    private static final int L_DC = 1;
    private static final int L_EIP = 2;
    private static final int L_CPU = 3;
    private static final int L_REGS = 4;
    private static final int L_CLOCK = 5;
    private static final int L_CUR_EIP = 6;
    private static final int L_CUR_SLOT = 7;
    private static final int L_RET = 8;
    private static final int L_ROOM = 9; // long: 9 and 10
    private static final int L_A = 11;
    private static final int L_B = 12;
    private static final int L_V = 13;
    private static final int L_FAULT = 14;
    private static final int L_SLOTS = 15;
    /** Guest register r lives in local L_R0 + r inside the block (see {@link #loadReg}). */
    private static final int L_R0 = 16;

    /** A full-privilege lookup in DecodeCache: hidden classes defined with it are its nestmates. */
    private final MethodHandles.Lookup lookup;
    /**
     * Whether a taken jump back to the block's own start loops inside the generated method
     * ({@link #backEdge}); {@code -Djx86.jit.loops=false} turns it off (for A/B measurements).
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
    /**
     * The guest registers held in JVM locals at the current point of the straight-line code
     * ({@code loaded}: the local holds the register's value; {@code dirty}: and cpu.regs does not
     * yet). Known at compile time because a block's code only ever branches forward to an exit or
     * back to {@link #top}, where nothing is loaded.
     */
    private final boolean[] loaded = new boolean[8];
    private final boolean[] dirty = new boolean[8];
    /** Whether guest registers are kept in locals ({@code -Djx86.jit.regs=false}: not, for A/B measurements). */
    private final boolean regsInLocals;
    /** Whether a Flags.set overwritten before anything can read it is left out ({@code -Djx86.jit.deadflags=false}: not). */
    private final boolean deadFlags;

    JitCompiler(MethodHandles.Lookup lookup) {
        this.lookup = lookup;
        this.loops = Boolean.parseBoolean(System.getProperty("jx86.jit.loops", "true"));
        this.regsInLocals = Boolean.parseBoolean(System.getProperty("jx86.jit.regs", "true"));
        this.deadFlags = Boolean.parseBoolean(System.getProperty("jx86.jit.deadflags", "true"));
    }

    /** Compiles the {@code count} slots of {@code slots} from {@code start} (one whole block). */
    JitBlock compile(int[] slots, int start, int count) throws ReflectiveOperationException {
        byte[] code = generate(slots, start, count);
        Class<?> c = lookup.defineHiddenClass(code, true, MethodHandles.Lookup.ClassOption.NESTMATE).lookupClass();
        return (JitBlock) c.getDeclaredConstructor().newInstance();
    }

    /** The class file of the compiled block. */
    byte[] generate(int[] slots, int start, int count) {
        this.e = slots;
        this.start = start;
        this.count = count;
        this.offsets = new int[count + 1];
        for (int k = 0; k < count; k++) {
            offsets[k + 1] = offsets[k] + ((slots[start + k * STRIDE] >>> 8) & 15);
        }
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object"; // frames only ever merge equal types here
            }
        };
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, NAME, null, "java/lang/Object",
                new String[] {"jx86/cpu/JitBlock"});
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        mv = cw.visitMethod(ACC_PUBLIC, "run", "(L" + DC + ";I)I", null, null);
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
        field(L_DC, "e", "[I", L_SLOTS);
        mv.visitVarInsn(ILOAD, L_EIP);
        mv.visitVarInsn(ISTORE, L_CUR_EIP);
        push(start);
        mv.visitVarInsn(ISTORE, L_CUR_SLOT);
        top = new Label();
        mv.visitLabel(tryStart);
        mv.visitLabel(top);
        forgetRegs();
        setExitSynced(0);
        synced = 0;
        int k = 0;
        while (k < count) {
            k = slot(k);
        }
        if (k == count) { // the block ran to its end (k > count: it ended in a jump)
            writeBack();
            mv.visitVarInsn(ALOAD, L_DC);
            eipPlus(offsets[count]);
            mv.visitFieldInsn(PUTFIELD, DC, "exitEip", "I");
            push(slotIndex(count));
            mv.visitInsn(IRETURN);
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
    }

    /**
     * Emits slot {@code k} and returns the next slot to emit: k + 1, k + 2 after a fused
     * compare-and-branch, or count + 1 when the code has returned for good (an unconditional jump).
     */
    private int slot(int k) {
        final int i = slotIndex(k);
        final int o = e[i];
        final int id = o & 0xFF;
        final boolean impure = (o & DecodeCache.IMPURE) != 0;
        final boolean handler = id < DecodeCache.FAST;
        if (!handler && !inline(id)) {
            return fallback(k, impure); // an id this translator does not know: runBlock runs it
        }
        if (impure) {
            flush(); // it may fault or run a helper that reads cpu.regs: they must be exact
            syncTo(k);
            setExitSynced(k);
        }
        // The faulting instruction's EIP and slot, for the handler.
        eipPlus(offsets[k]);
        mv.visitVarInsn(ISTORE, L_CUR_EIP);
        push(i);
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
                if (!flagsDead(k)) {
                    mv.visitVarInsn(ALOAD, L_CPU);
                    push(4);
                    loadReg(disp);
                    push(imm);
                    mv.visitInsn(IAND);
                    mv.visitMethodInsn(INVOKESTATIC, "jx86/cpu/Alu", "logicFlags", "(L" + CPU + ";II)V", false);
                }
                break;
            case DecodeCache.GRP3_R32: {
                // fastRare's GRP3_R32 with the register and operation fixed
                final int op = aux & 7;
                if (op < 4) {
                    storeReg(disp, () -> {
                        mv.visitVarInsn(ALOAD, L_CPU);
                        push(op);
                        push(4);
                        loadReg(disp);
                        mv.visitMethodInsn(INVOKESTATIC, "jx86/cpu/Alu", "notNeg", "(L" + CPU + ";III)I", false);
                    });
                } else {
                    // MUL/IMUL/DIV/IDIV read and write EAX and EDX in cpu.regs and may raise #DE
                    mv.visitVarInsn(ALOAD, L_CPU);
                    push(op);
                    push(4);
                    loadReg(disp);
                    flush();
                    mv.visitMethodInsn(INVOKESTATIC, "jx86/cpu/Alu", "mulDiv", "(L" + CPU + ";III)V", false);
                    loaded[Cpu.EAX] = false;
                    loaded[Cpu.EDX] = false;
                }
                break;
            }
            case DecodeCache.ALU_RR8: {
                // fastRare's ALU_RR8: op r8, r8 (AL..BH) through Alu.arith with the size 1
                final int op = aux & 7;
                final int dst = imm & 7;
                final int src = imm >>> 3;
                final Runnable value = () -> {
                    mv.visitVarInsn(ALOAD, L_CPU);
                    push(op);
                    push(1);
                    loadReg8(dst);
                    loadReg8(src);
                    mv.visitMethodInsn(INVOKESTATIC, "jx86/cpu/Alu", "arith", "(L" + CPU + ";IIII)I", false);
                };
                if (op == Alu.CMP) {
                    value.run();
                    mv.visitInsn(POP);
                } else {
                    storeReg8(dst, value);
                }
                break;
            }
            case DecodeCache.JCC32:
                jcc(k, aux, next + imm);
                break;
            case DecodeCache.JMP32:
                // Always a block's last instruction (DecodeCache.endsBlock).
                writeBack();
                mv.visitVarInsn(ALOAD, L_DC);
                mv.visitVarInsn(ALOAD, L_CPU);
                eipPlus(next + imm);
                mv.visitMethodInsn(INVOKESTATIC, DC, "jump", "(L" + CPU + ";I)I", false);
                mv.visitFieldInsn(PUTFIELD, DC, "exitEip", "I");
                if (next + imm == 0) {
                    backEdge(k);
                }
                push(slotIndex(k + 1));
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
                int j = slotIndex(k + 1);
                eipPlus(offsets[k + 1]);
                mv.visitVarInsn(ISTORE, L_CUR_EIP);
                push(j);
                mv.visitVarInsn(ISTORE, L_CUR_SLOT);
                jcc(k + 1, (e[j] >>> 12) & 15, offsets[k + 2] + e[j + 3]);
                return k + 2;
            }
            default:
                aluForm(k, id, disp, imm);
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
        final int i = slotIndex(k);
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
        forgetRegs(); // the handler may have written any register (flushed before the call)
        if (k + 1 == count) {
            // runBlock: exitEip = the EIP the handler returned; the block's end
            mv.visitVarInsn(ISTORE, L_RET);
            mv.visitVarInsn(ALOAD, L_DC);
            mv.visitVarInsn(ILOAD, L_RET);
            mv.visitFieldInsn(PUTFIELD, DC, "exitEip", "I");
            push(slotIndex(count));
            mv.visitInsn(IRETURN);
            return count + 1;
        }
        mv.visitInsn(POP); // not the last: the next instruction's EIP
        if (impure) {
            afterImpure(k + 1);
        }
        return k + 1;
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
            case DecodeCache.GRP3_R32:
            case DecodeCache.ALU_RR8:
                return true;
            default:
                return id >= DecodeCache.ALU_RR32_OP && id < DecodeCache.ALU_RI32_OP + 8;
        }
    }

    /** op r32, r32 and op r32, imm32 (ids ALU_RR32_OP + op and ALU_RI32_OP + op), as runBlock. */
    private void aluForm(int k, int id, int disp, int imm) {
        final boolean rr = id < DecodeCache.ALU_RI32_OP;
        final int op = id - (rr ? DecodeCache.ALU_RR32_OP : DecodeCache.ALU_RI32_OP);
        final int d = rr ? imm & 7 : disp;
        final Runnable src = rr ? () -> loadReg(imm >>> 3) : () -> push(imm);
        // runBlock's inline set (ADD, SUB, CMP, AND for both; OR, XOR register-register), and OR,
        // XOR with an immediate too: Alu.arith's or/xor are the same Flags.set(LOGIC) and result.
        boolean inlineOp = op == Alu.ADD || op == Alu.SUB || op == Alu.CMP || op == Alu.AND
                || op == Alu.OR || op == Alu.XOR;
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
        if (flagsDead(k)) {
            if (op != Alu.CMP) {
                storeReg(d, () -> {
                    mv.visitVarInsn(ILOAD, L_A);
                    mv.visitVarInsn(ILOAD, L_B);
                    mv.visitInsn(insn);
                });
            }
            return;
        }
        setFlags(kind, insn);
        if (op != Alu.CMP) {
            storeReg(d, () -> mv.visitVarInsn(ILOAD, L_V));
        }
    }

    /**
     * True if the flags slot {@code k} sets are overwritten, whole, before anything can read them:
     * the next slots up to another full {@link Flags#set} form (an inline ALU form, TEST, a fused
     * compare) only move registers (MOV r,r; MOV r,imm; LEA), which cannot fault, leave the
     * block, read flags or call anything. Flags.set writes every lazy-flag field (lfOp, lfA, lfB,
     * lfRes, lfSign) and nothing else, so leaving out the first one leaves the CPU exactly as
     * running both does; a block that is compiled always runs whole (trace's fence), so no
     * interrupt or step limit can stop between the two.
     */
    private boolean flagsDead(int k) {
        if (!deadFlags) {
            return false;
        }
        for (int j = k + 1; j < count; j++) {
            int id = e[slotIndex(j)] & 0xFF;
            if (id == DecodeCache.MOV_RR32 || id == DecodeCache.MOV_RI32 || id == DecodeCache.LEA32) {
                continue;
            }
            return setsAllFlags(id);
        }
        return false;
    }

    /** The inline forms whose only flag effect is one Flags.set with no flag read before it. */
    private static boolean setsAllFlags(int id) {
        if (id >= DecodeCache.ALU_RR32_OP && id < DecodeCache.ALU_RI32_OP + 8) {
            int op = (id - DecodeCache.ALU_RR32_OP) & 7;
            return op != Alu.ADC && op != Alu.SBB;
        }
        return id == DecodeCache.TEST_RI32 || id == DecodeCache.CMP_RI32_JCC || id == DecodeCache.CMP_RR32_JCC
                || id == DecodeCache.TEST_RI32_JCC;
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
        writeBack(); // leaving the block (or a #GP from the jump): cpu.regs exact
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitVarInsn(ALOAD, L_CPU);
        eipPlus(target);
        mv.visitMethodInsn(INVOKESTATIC, DC, "jump", "(L" + CPU + ";I)I", false);
        mv.visitFieldInsn(PUTFIELD, DC, "exitEip", "I");
        if (target == 0) {
            backEdge(k);
        }
        push(slotIndex(k + 1));
        mv.visitInsn(IRETURN);
        mv.visitLabel(notTaken);
    }

    /**
     * A taken jump in slot {@code k} back to the block's own start (exitEip already set): run the
     * block again here, without returning to trace, when trace would run it again compiled. The
     * iteration is finished as trace finishes a block run (the clock gets its cycles, the k + 1
     * instructions are counted in {@code looped}); then trace's checks before the next run, in
     * its terms: steps left ({@code loopRoom}, 0 unless the boundary is quiet) and cycles to the
     * next timer event both at least the block's length (else trace would fence the block and
     * run it in runBlock), the CPU's events unchanged, the block's page not written. If one
     * fails, the code returns as the plain jump does and trace decides. Falls through to that return.
     */
    private void backEdge(int k) {
        if (!loops) {
            return;
        }
        final int saved = synced; // this is the taken path: the code after it goes on unsynced
        syncTo(k + 1);
        setExitSynced(k + 1);
        Label exit = new Label();
        pushCyclesToNextEvent();
        mv.visitLdcInsn((long) count);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFLT, exit);
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitFieldInsn(GETFIELD, DC, "loopRoom", "I");
        push(k + 1);
        mv.visitInsn(ISUB);
        push(count);
        mv.visitJumpInsn(IF_ICMPLT, exit);
        exitIfEventsOrCodeChanged(exit);
        addField("loopRoom", -(k + 1));
        addField("looped", k + 1);
        mv.visitJumpInsn(GOTO, top);
        mv.visitLabel(exit);
        synced = saved;
    }

    /** Pushes clock.nextEventAt - clock.cycles (a long): the cycles left before the next timer event. */
    private void pushCyclesToNextEvent() {
        mv.visitVarInsn(ALOAD, L_CLOCK);
        mv.visitFieldInsn(GETFIELD, CLOCK, "nextEventAt", "J");
        mv.visitVarInsn(ALOAD, L_CLOCK);
        mv.visitFieldInsn(GETFIELD, CLOCK, "cycles", "J");
        mv.visitInsn(LSUB);
    }

    /** Jumps to {@code exit} when the CPU's events changed or the running block's page was written (runBlock's checks). */
    private void exitIfEventsOrCodeChanged(Label exit) {
        mv.visitVarInsn(ALOAD, L_CPU);
        mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "events", "()I", false);
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitFieldInsn(GETFIELD, DC, "events", "I");
        mv.visitJumpInsn(IF_ICMPNE, exit);
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitFieldInsn(GETFIELD, DC, "gens", "[I");
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitFieldInsn(GETFIELD, DC, "blockPage", "I");
        mv.visitInsn(IALOAD);
        mv.visitVarInsn(ALOAD, L_DC);
        mv.visitFieldInsn(GETFIELD, DC, "blockGen", "I");
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
        final int i = slotIndex(k);
        syncTo(k); // runBlock starts with exitSynced = i
        flush();
        mv.visitVarInsn(ALOAD, L_DC);
        push(i);
        push(i + STRIDE);
        eipPlus(offsets[k]);
        mv.visitMethodInsn(INVOKEVIRTUAL, DC, "runBlock", "(III)I", false);
        if (k + 1 == count) {
            mv.visitInsn(IRETURN);
            return count + 1;
        }
        Label ok = new Label();
        mv.visitVarInsn(ISTORE, L_RET);
        mv.visitVarInsn(ILOAD, L_RET);
        push(~(i + STRIDE));
        mv.visitJumpInsn(IF_ICMPEQ, ok);
        mv.visitVarInsn(ILOAD, L_RET);
        mv.visitInsn(IRETURN);
        mv.visitLabel(ok);
        forgetRegs(); // runBlock ran the slot on cpu.regs
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
        final int i = slotIndex(k);
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
        writeBack();
        mv.visitVarInsn(ALOAD, L_DC);
        push(i);
        push(i);
        mv.visitVarInsn(LLOAD, L_ROOM);
        mv.visitInsn(L2I);
        push(2);
        mv.visitInsn(ISHL);
        mv.visitInsn(IADD);
        eipPlus(offsets[k]);
        mv.visitMethodInsn(INVOKEVIRTUAL, DC, "runBlock", "(III)I", false);
        mv.visitInsn(IRETURN);
        mv.visitLabel(exit);
        writeBack();
        mv.visitVarInsn(ALOAD, L_DC);
        eipPlus(offsets[k]);
        mv.visitFieldInsn(PUTFIELD, DC, "exitEip", "I");
        push(~i);
        mv.visitInsn(IRETURN);
        mv.visitLabel(go);
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
        push(slotIndex(k));
        mv.visitFieldInsn(PUTFIELD, DC, "exitSynced", "I");
    }

    /** r[reg] = value: into the register's local (written back by {@link #flush}/{@link #writeBack}). */
    private void storeReg(int reg, Runnable value) {
        if (!regsInLocals) {
            mv.visitVarInsn(ALOAD, L_REGS);
            push(reg);
            value.run();
            mv.visitInsn(IASTORE);
            return;
        }
        value.run();
        mv.visitVarInsn(ISTORE, L_R0 + reg);
        loaded[reg] = true;
        dirty[reg] = true;
    }

    /** Pushes r[reg]: from its local, loading it from cpu.regs on its first use. */
    private void loadReg(int reg) {
        if (regsInLocals && loaded[reg]) {
            mv.visitVarInsn(ILOAD, L_R0 + reg);
            return;
        }
        mv.visitVarInsn(ALOAD, L_REGS);
        push(reg);
        mv.visitInsn(IALOAD);
        if (regsInLocals) {
            mv.visitInsn(DUP);
            mv.visitVarInsn(ISTORE, L_R0 + reg);
            loaded[reg] = true;
        }
    }

    /** Pushes byte register r (AL, CL, DL, BL, AH, CH, DH, BH), as Mem.getReg with the size 1. */
    private void loadReg8(int r) {
        loadReg(r & 3);
        if (r >= 4) {
            push(8);
            mv.visitInsn(IUSHR);
        }
        push(0xFF);
        mv.visitInsn(IAND);
    }

    /** Byte register r = value (the register's other bits kept), as Mem.setReg with the size 1. */
    private void storeReg8(int r, Runnable value) {
        storeReg(r & 3, () -> {
            loadReg(r & 3);
            push(r < 4 ? 0xFFFF_FF00 : 0xFFFF_00FF);
            mv.visitInsn(IAND);
            value.run();
            push(0xFF);
            mv.visitInsn(IAND);
            if (r >= 4) {
                push(8);
                mv.visitInsn(ISHL);
            }
            mv.visitInsn(IOR);
        });
    }

    /**
     * Stores the register locals that cpu.regs does not hold yet (on a path that leaves the block
     * or before a call that may fault or read cpu.regs); the compile-time state is unchanged, so
     * this serves exit paths that branch off the straight-line code.
     */
    private void writeBack() {
        for (int r = 0; r < 8; r++) {
            if (dirty[r]) {
                mv.visitVarInsn(ALOAD, L_REGS);
                push(r);
                mv.visitVarInsn(ILOAD, L_R0 + r);
                mv.visitInsn(IASTORE);
            }
        }
    }

    /** {@link #writeBack} on the straight-line path: from here on cpu.regs is exact (the locals stay valid). */
    private void flush() {
        writeBack();
        java.util.Arrays.fill(dirty, false);
    }

    /** Nothing held in locals (at the top of an iteration, after a handler that may write any register). */
    private void forgetRegs() {
        java.util.Arrays.fill(loaded, false);
        java.util.Arrays.fill(dirty, false);
    }

    /** DecodeCache.load(c, seg, ea, size). */
    private void load(int od, int disp, int size) {
        mv.visitVarInsn(ALOAD, L_CPU);
        push((od >>> 8) & 7);
        ea(od, disp);
        push(size);
        mv.visitMethodInsn(INVOKESTATIC, DC, "load", "(L" + CPU + ";III)I", false);
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

    /** eip + delta (the block's EIP is the argument; everything else is an offset from it). */
    private void eipPlus(int delta) {
        mv.visitVarInsn(ILOAD, L_EIP);
        if (delta != 0) {
            push(delta);
            mv.visitInsn(IADD);
        }
    }

    private int slotIndex(int k) {
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
