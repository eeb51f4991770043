package jx86.cpu;

import jx86.memory.PhysicalMemory;

/**
 * Decoded-instruction cache and trace runner (STYLE.md (b) 4; SDM Vol. 2 chapter 2 for the encoding
 * it pre-decodes). The common one- and two-byte opcodes are decoded once ({@link PreDecoder}) into a
 * handler id with prefixes, operand size, ModR/M, SIB, displacement and immediate resolved; the
 * frequent 32-bit forms get ids of their own that run without the shared decode state.
 * {@link #trace} runs such instructions back to back with the run loop's per-instruction
 * bookkeeping (see docs/performance.md, "How the interpreter is organised for speed").
 * Everything else (LOCK, REPNE and most REP forms, instructions longer than 8 bytes, code not in
 * RAM, an instruction that runs over a page end) takes {@link Exec}'s decoder.
 *
 * <p>Organised in blocks: a block is the straight-line run of instructions from one physical
 * address up to the first jump, call, return or string instruction (a conditional jump ends the
 * run only when taken), at most {@link #MAX_INSNS}, decoded once into consecutive slots. Blocks
 * are direct mapped by a hash of their physical start address plus the default code size (CS.D
 * in protected mode). Invalidation is per page and precise to 64-byte lines: building
 * a block marks the lines it decoded with the memory's {@link jx86.memory.CodeWriteTracker}; a
 * store, string fast path, DMA or loader write that touches a marked line bumps the page's
 * generation, and a block whose recorded generation differs is decoded again before it runs. A
 * store inside a running block ends the block when it made it stale, so a write to the very next
 * instruction is seen. Faults, rollback, TLB counters and virtual time are those of the decoder
 * path (DecodeCacheGuestTest runs guests both ways). Structure of arrays, no allocation per
 * instruction.
 */
final class DecodeCache {
    /**
     * 16,384 blocks (4 MiB of slots). With 4,096, kernel-heavy's code (kernel plus the user
     * programs, several thousand block starts) conflicted in the direct-mapped table: 305,000 blocks
     * decoded again per kernel-heavy:8 run, each also dropping its compiled form; with 16,384,
     * 7,000 (docs/performance.md, "Round 7: the runner's cost per block").
     */
    private static final int BLOCK_BITS = 14;
    private static final int BLOCKS = 1 << BLOCK_BITS;
    /** Most instructions in one block (the count field is 5 bits). */
    static final int MAX_INSNS = 16;
    private static final int HEADER = 4;
    /** Longest cached instruction: the decoder reads at most this many bytes (never past the page end). */
    static final int MAX_LEN = 8;
    private static final int STRIDE = 4;
    private static final int STRIDE_SHIFT = 2;
    static final int CODE32 = 1 << 25;
    static final int VALID = 1 << 26;

    // handler ids
    static final int SLOW = 0;
    static final int ALU_EG = 1;
    static final int ALU_GE = 2;
    static final int ALU_AI = 3;
    static final int GRP1 = 4;
    static final int TEST_EG = 5;
    static final int TEST_AI = 6;
    static final int MOV_EG = 7;
    static final int MOV_GE = 8;
    static final int LEA = 9;
    static final int MOV_RI = 10;
    static final int MOV_EI = 11;
    static final int INC_R = 12;
    static final int DEC_R = 13;
    static final int PUSH_R = 14;
    static final int POP_R = 15;
    static final int PUSH_I = 16;
    static final int JCC = 17;
    static final int JMP = 18;
    static final int CALL = 19;
    static final int RET = 20;
    static final int SHIFT_I = 21;
    static final int SHIFT_CL = 22;
    static final int INCDEC_E = 23;
    static final int CALL_E = 24;
    static final int JMP_E = 25;
    static final int PUSH_E = 26;
    static final int GRP3 = 27;
    static final int TEST_EI = 28;
    static final int MOVZX8 = 29;
    static final int MOVZX16 = 30;
    static final int MOVSX8 = 31;
    static final int MOVSX16 = 32;
    static final int IMUL_GE = 33;
    static final int IMUL_GEI = 34;
    static final int NOP = 35;
    static final int CBW = 36;
    static final int CWD = 37;
    static final int LEAVE = 38;
    static final int SETCC = 39;
    static final int CMOV = 40;
    static final int XCHG_EG = 41;
    static final int XCHG_AX = 42;
    /** MOVS/STOS (A4/A5/AA/AB), aux = 1 with a REP prefix, imm = opcode: one REP batch per step. */
    static final int STRING = 43;
    /**
     * The segment-register and flag forms of kernel entry and exit paths (kbench retires millions
     * of them around every system call and interrupt), through the decoder's helpers:
     * PUSH Sreg (aux = segment), POP ES/DS/FS/GS (aux = segment), MOV ES/DS/FS/GS, r/m16, and
     * PUSHA/POPA/CLD/STD (aux = MISC_*). POP SS and MOV SS are not cached (interrupt shadow).
     */
    static final int PUSH_SEG = 44;
    static final int POP_SEG = 45;
    static final int MOV_SEG = 46;
    static final int MISC = 47;
    static final int MISC_PUSHA = 0;
    static final int MISC_POPA = 1;
    static final int MISC_CLD = 2;
    static final int MISC_STD = 3;

    // Specialised forms (32-bit operand size; operands taken straight from the entry, no decode
    // state set on the CPU). ids >= FAST.
    static final int FAST = 48;
    // 48 and 52 were the unsplit ALU forms (now ALU_RR32_OP and ALU_RI32_OP below)
    /** MOV r32, r32: imm = dst | src << 3. */
    static final int MOV_RR32 = 49;
    /** MOV r32, m32 (8B with a memory operand). */
    static final int LOAD32 = 50;
    /** MOV m32, r32 (89 with a memory operand). */
    static final int STORE32 = 51;
    static final int INC_R32 = 53;
    static final int DEC_R32 = 54;
    /** Jcc / JMP with a 32-bit operand size: imm = displacement. */
    static final int JCC32 = 55;
    static final int JMP32 = 56;
    /** Group 2 shift/rotate of r32 by an immediate: aux = operation, dst in the displacement field. */
    static final int SHIFT_RI32 = 57;
    /** MOVZX r32, r/m8. */
    static final int MOVZX8_32 = 58;
    /** IMUL r32, r32, imm: displacement field = source register. */
    static final int IMUL_RRI32 = 59;
    /** LEA r32 with a 32-bit address size. */
    static final int LEA32 = 60;
    /** MOV r32, imm32: aux = register. */
    static final int MOV_RI32 = 61;
    /** Group 3 NOT/NEG/MUL/IMUL/DIV/IDIV on r32: aux = operation, displacement field = register. */
    static final int GRP3_R32 = 62;
    /** TEST r32, imm32: displacement field = register. */
    static final int TEST_RI32 = 63;
    /** op r8, r8 (byte register encodings): aux = ALU op, imm = dst | src << 3. */
    static final int ALU_RR8 = 80;
    /**
     * op r32, r32 (imm = dst | src << 3) and op r32, imm (displacement field = dst register),
     * one id per ALU operation (base + Alu op) so an instruction takes one dispatch, not two.
     */
    static final int ALU_RR32_OP = 64;
    static final int ALU_RI32_OP = 72;
    /**
     * Compare-and-branch pairs (set by {@link #build} when a JCC32 follows in the next slot): the
     * CMP r32, imm / CMP r32, r32 / TEST r32, imm and the Jcc run in one dispatch when both fit in
     * the step budget, else the first runs alone and the Jcc keeps its own slot.
     */
    static final int CMP_RI32_JCC = 88;
    static final int CMP_RR32_JCC = 89;
    static final int TEST_RI32_JCC = 90;
    /**
     * Kernel code's frequent tests and compares that had no form of their own (run through
     * {@link #fastRare}, with the flags {@link Alu} sets): TEST r32, r32 and TEST r8, r8
     * (imm = a | b << 3, byte registers AL..BH), TEST AL, imm8, and CMP m8, imm8 / CMP m32, imm.
     */
    static final int TEST_RR32 = 91;
    static final int TEST_RR8 = 92;
    static final int TEST_AL8 = 93;
    static final int CMP_MI8 = 94;
    static final int CMP_MI32 = 95;
    /**
     * The kernel's entry and exit: INT imm8 (aux = SYSTEM_INT, imm = vector) and IRET
     * (aux = SYSTEM_IRET). Such an instruction is always a block of its own (build ends the block
     * before it), and {@link #trace} runs it as the trace's last step ({@link #system}) through
     * the decoder's handlers: it changes CS, CPL, EFLAGS and the fetch translation, which no other
     * cached instruction may, so the run loop must look at the next boundary afresh.
     */
    static final int SYSTEM = 96;
    static final int SYSTEM_INT = 0;
    static final int SYSTEM_IRET = 1;
    /**
     * The near stack forms with a 32-bit operand size, run by {@link StackFast} (a flat 32-bit
     * stack and a D-TLB fast-array hit on RAM take a few array operations, everything else the
     * decoder's helpers): PUSH r32 and POP r32 (aux = register), PUSH imm (imm = value), CALL rel32
     * (imm = displacement), RET / RET imm16 (imm = bytes released) and LEAVE.
     */
    static final int PUSH_R32 = 97;
    static final int POP_R32 = 98;
    static final int PUSH_I32 = 99;
    static final int CALL32 = 100;
    static final int RET32 = 101;
    static final int LEAVE32 = 102;
    /**
     * The kernel's next most frequent forms after those (run by {@link #fastRare}; kbench ran them
     * through {@link #generic}, docs/performance.md, "Round 8: the cache runner"): PUSH m32 and
     * PUSHA/POPA with a 32-bit operand size ({@link StackFast}), CDQ, op AL, imm8 (aux = ALU op,
     * imm = value) and MOV m8, r8.
     */
    static final int PUSH_M32 = 103;
    static final int PUSHA32 = 104;
    static final int POPA32 = 105;
    static final int CDQ = 106;
    static final int ALU_AL8 = 107;
    static final int STORE8 = 108;
    /**
     * The rest of the kernel's instructions that took the decoder (kbench: docs/performance.md,
     * "Round 9: the forms that left the fast paths"; run by {@link #fastRare}): PUSHF with a 32-bit
     * operand size; SHLD/SHRD r32, r32, imm8 and r32, r32, CL (aux = 1 for SHLD, displacement
     * field = destination register, ModR/M reg = source); MOV r32, CRn (ModR/M rm = register,
     * reg = CRn; its only effect is the register, so it needs no block end).
     */
    static final int PUSHF32 = 109;
    static final int DSHIFT_I32 = 110;
    static final int DSHIFT_CL32 = 111;
    static final int MOV_FROM_CR = 112;
    /** Bit of a block header's info word: the block is one INT n or IRET (trace tests it, no slot read). */
    private static final int SYSTEM_BLOCK = 1 << 5;
    /** Header info bit: the block is empty (its first instruction is not cached). */
    private static final int EMPTY_BLOCK = 1 << 6;
    /** Not in a header: trace's stop word for a block that starts the fetch page (end() moves it). */
    private static final int MOVE_PAGE = 1 << 7;

    /** Bit of a slot's id word: the instruction may touch memory (or runs through the helpers). */
    static final int IMPURE = 1 << 27;

    /**
     * The instruction slots, {@link #STRIDE} ints (16 bytes) each, {@link #MAX_INSNS} slots per
     * block, so a block's instructions lie next to each other:
     * [0] handler id (bits 0-7), length (8-11), aux (12-15), size (16-18), osz (19-21),
     * segOvr+1 (22-24), code32 (25), valid (26), IMPURE (27); [1] rm (0-2), reg (3-5), mod (6-7),
     * eaSeg (8-10), base (11-14, 8 = none), index (15-18), scale (19-20), asz32 (21), ModR/M
     * present (22); [2] displacement; [3] immediate.
     */
    private final int[] e = new int[BLOCKS * MAX_INSNS * STRIDE];

    /**
     * Block headers, {@link #HEADER} ints each, direct mapped by a hash of the block's physical
     * start address: [0] that address; [1] instruction count (bits 0-4), {@link #SYSTEM_BLOCK},
     * length in bytes (8-15), code32 and valid bits as in the slots; [2] the page's {@link CodeWriteTracker} generation
     * when the block was decoded (a different generation now: some line of the page was written).
     */
    private final int[] h = new int[BLOCKS * HEADER];

    // The running trace's state for runBlock, and what runBlock hands back.
    private Cpu cpu;
    private int[] gens;
    private int events;
    private int[] regs;
    private jx86.clock.VirtualClock clock;
    private int blockPage;
    private int blockGen;
    private int blockEnd;
    private int budgetFence;
    private int exitEip;
    private int exitSynced;
    private jx86.arch.CpuFault fault;
    /**
     * For a compiled block that loops back to its own start inside its method (JitCompiler): the
     * steps it may still take before trace's budget is used up (0: it may not loop, the boundary
     * is not quiet), set by trace before each call; and the instructions it retired in the whole
     * iterations it looped, which trace adds to its counts after the call.
     */
    private int loopRoom;
    private int looped;

    /** INT n and IRET run by {@link #system} (tests check that the path is taken). */
    long systemRuns;
    /** Blocks decoded (tests check that a block really was evicted by another that hashed to its header). */
    long builds;

    /** Fills slots on a miss (its scratch state is per cache, not per instruction). */
    private final PreDecoder decoder = new PreDecoder();
    /** The translator ({@code --engine jit}): compiled forms of hot blocks; null on the other engines. */
    private Jit jit;

    DecodeCache() {
    }

    /**
     * Turns the translator on (a new one, nothing compiled yet; a block is compiled on the
     * {@code threshold}-th of its runs within {@link Jit#window()} block runs) or, with 0, off.
     */
    void translate(int threshold) {
        translate(threshold, new JitCompiler(java.lang.invoke.MethodHandles.lookup()));
    }

    /** {@link #translate(int)} with a given compiler (tests give one that cannot define classes). */
    void translate(int threshold, JitCompiler compiler) {
        jit = threshold > 0 ? new Jit(this, compiler, BLOCKS, threshold, Jit.window()) : null;
    }

    /** For the translator's regions (JitCompiler): word {@code w} of block number {@code n}'s header. */
    int headerWord(int n, int w) {
        return h[headerIndex(n) + w];
    }

    /** The index in {@link #h} of block number {@code n}'s header. */
    static int headerIndex(int n) {
        return n * HEADER;
    }

    /** The index in {@link #e} of block number {@code n}'s first slot. */
    static int firstSlot(int n) {
        return n * (MAX_INSNS * STRIDE);
    }

    /** For the translator's regions: the number of the block a block starting at physical {@code pa} occupies. */
    static int blockNumber(int pa) {
        return blockOf(pa) / HEADER;
    }

    /** The translator, or null when it is off (tests read its counters). */
    Jit translator() {
        return jit;
    }

    /**
     * Runs cached instructions back to back from CS:EIP, at most {@code budget}, and returns how
     * many run-loop steps it took (0: the first instruction is not cached; the caller then runs it
     * through {@link Exec}). Each instruction gets exactly the run loop's bookkeeping: the I-TLB
     * access of its first byte, one retired instruction and one cycle, rollback and delivery of a
     * fault (which ends the trace). The trace stops before an instruction when a timer event is
     * due or the CPU's pending events change, after a write to a line holding decoded code of the
     * running block's page, when EIP leaves the translated fetch page (for a page that is not an
     * I-TLB hit), or at an instruction the cache does not hold (one that runs over the page end
     * is not held); callers enter only with TF, RF, debug
     * registers and the interrupt shadow clear, and no cached instruction can change those, the
     * mode, CS or the fetch translation.
     */
    int trace(Cpu c, int budget) {
        if (knownSlow(c)) {
            return 0;
        }
        final jx86.clock.VirtualClock clk = c.clock;
        final PhysicalMemory m = c.memory();
        final int[] gens = m.codeWrites().generations();
        final int[] h = this.h;
        final boolean pm = (c.cr0 & Cpu.CR0_PE) != 0 && (c.eflags & Cpu.VM) == 0;
        final boolean code32 = pm && (c.segAr[Cpu.CS] & 0x4000) != 0;
        final int want = VALID | (code32 ? CODE32 : 0);
        final int csBase = c.segBase[Cpu.CS];
        final int csLimit = c.segLimit[Cpu.CS];
        boolean valid = c.fetchRam() && c.fetchEpoch() == c.mmu.fetchEpoch();
        int page = valid ? c.fetchPage() : 1; // 1: no page (page numbers are 4 KiB aligned)
        int phys = c.fetchPhys();
        c.pm = pm;
        c.code32 = code32;
        c.rep = 0;
        c.lock = false;
        // The run loop has just passed the boundary before the first instruction. Later
        // boundaries are passed here only while they would do nothing: no event the boundary acts
        // on (e.g. INTR while IF = 0 is inert; cached instructions cannot change IF) and no change.
        final int events = c.events();
        final boolean quiet = c.boundaryQuiet();
        final int loud = quiet ? 0 : 1;
        this.cpu = c;
        this.regs = c.regs;
        this.clock = clk;
        this.events = events;
        this.gens = gens;
        final Jit jit = this.jit;
        int done = 0;
        int hits = 0; // I-TLB hits of instructions on the current page not yet given to the MMU
        int eip = c.eip;
        int stop = 0; // the header word of an empty or INT n / IRET block the trace stops at
        blocks:
        while (true) {
            // The budget used up and a timer event due as one branch: C2 turns a branch it never
            // saw taken into a trap that discards the compiled trace, and the budget runs out in
            // a trace only some 300 times per kernel-heavy:8 run, timer events 13,000 times.
            int over = used(done, budget, clk);
            if (done > 0) {
                over |= loud | (c.events() ^ events);
            }
            if (over != 0) {
                break;
            }
            final int la = csBase + eip;
            boolean newPage = false;
            if ((la & ~0xFFF) != page) {
                // Another page: continue only if its fetch translation is an I-TLB hit on RAM,
                // and count it (below) only once the instruction is known to run here.
                if (Integer.compareUnsigned(eip, csLimit) > 0) {
                    break;
                }
                int frame = c.peekFetchFrame(la);
                if (frame == -1) {
                    break;
                }
                newPage = true;
                page = la & ~0xFFF;
                phys = frame;
            }
            final int pa = phys | (la & 0xFFF);
            final int b = blockOf(pa);
            final int gen = gens[pa >>> 12];
            int info = h[b + 1];
            // The three compares as one branch: a code write (the generation) is rare, and C2
            // turns a branch it never saw taken into a trap that discards the compiled trace.
            if (((h[b] ^ pa) | ((info & (VALID | CODE32)) ^ want) | (h[b + 2] ^ gen)) != 0) {
                info = build(b, pa, want, m, gen);
            }
            if ((info & (EMPTY_BLOCK | SYSTEM_BLOCK)) != 0) {
                // One branch for both, so that C2 has seen it taken (empty blocks end traces from
                // the start); end() tells them apart and runs an INT n / IRET.
                stop = newPage ? info | MOVE_PAGE : info;
                break;
            }
            final int count = info & 31;
            final int last = eip + ((info >>> 8) & 0xFF) - 1; // the block's last byte
            if (pastLimit(eip, last, csLimit)) {
                break;
            }
            if (newPage) {
                movePage(c, la, phys, hits);
                hits = -1; // moveFetchPage counted the first instruction's fetch
            }
            final int start = firstSlot(b / HEADER);
            final int end = start + count * STRIDE;
            final int blockEip = eip;
            while (true) {
                // The block may run without checks up to the fence (see runBlock); the step
                // budget bounds it, and so do the cycles to the next timer event.
                final int budgetEnd = budget - done >= count ? end : start + (budget - done) * STRIDE;
                int fence = budgetEnd;
                if (!quiet) {
                    fence = start + STRIDE;
                } else if (clk.nextEventAt - clk.cycles < count) {
                    fence = Math.min(fence, start + (int) (clk.nextEventAt - clk.cycles) * STRIDE);
                }
                // A block that runs whole and unfenced may run compiled (same effects, JitBlock).
                final JitBlock compiled = fence == end && jit != null ? jit.block(b / HEADER, e, start, count) : null;
                final int ret;
                if (compiled != null) {
                    // The compiled block knows its page, generation and end (JitCompiler: it
                    // gives them to runBlock itself when it calls it), so none is stored here.
                    loopRoom = quiet ? budget - done : 0;
                    looped = 0;
                    ret = compiled.run(this, eip);
                    done += looped; // whole iterations the compiled loop ran (their cycles are on the clock)
                    hits += looped;
                    jit.loopedInstructions += looped;
                } else {
                    blockPage = pa >>> 12;
                    blockGen = gen;
                    blockEnd = end;
                    budgetFence = budgetEnd;
                    ret = runBlock(start, fence, eip);
                }
                final int at = ret >= 0 ? ret : ~ret;
                final int ran = (at - start) >>> STRIDE_SHIFT;
                eip = exitEip;
                clk.cycles += (at - exitSynced) >>> STRIDE_SHIFT;
                done += ran;
                hits += ran;
                if (ret < 0) {
                    break blocks; // a fault too (end() delivers it)
                }
                // A loop that is this one block (a taken Jcc back to its start): run it again
                // without the lookup when the boundary checks the loop top would make still pass
                // (a store into the block's lines or an event ends it as at any block end). All
                // of them as one branch, taken whenever the block went elsewhere (most block
                // ends), so that C2 has seen it taken: the rare ones alone (budget used up,
                // events, a code write) were a branch of their own, which trapped in most runs
                // (docs/performance.md, round 10). The loop top reads the same fields again.
                if (((eip ^ blockEip) | loud | used(done, budget, clk) | (c.events() ^ events)
                        | (gens[pa >>> 12] ^ gen)) != 0) {
                    continue blocks;
                }
            }
        }
        return end(c, eip, hits, done, stop, phys);
    }

    /**
     * Non-zero when a trace that has taken {@code done} steps of {@code budget} must stop for the
     * budget or a timer event that is due ({@code cycles >= nextEventAt}), without a branch:
     * (budget - 1 - done) >> 31 is -1 once done reaches budget, and the cycles' difference is
     * negative once the event is due (both stay far from overflow).
     */
    private static int used(int done, int budget, jx86.clock.VirtualClock clk) {
        return ((budget - 1 - done) >> 31) | (int) ((clk.nextEventAt - 1 - clk.cycles) >>> 63);
    }

    /**
     * Ends a trace at EIP {@code eip} after {@code done} steps with {@code hits} I-TLB hits of the
     * fetch page not yet booked, and returns its steps. Normally it books them and the retired
     * instructions. After a fault in the last block ({@link #fault} set) it books the faulting
     * instruction's fetch too and delivers the fault as {@code Cpu.step} does. At an INT n or IRET
     * block ({@code stop}: that block's header word, with {@link #MOVE_PAGE} when the block starts
     * a new fetch page at frame {@code phys}) it runs that instruction as the trace's last step,
     * exactly as the run loop's {@code Cpu.step} runs it through {@link Exec} (same handler, same
     * rollback of EIP and ESP on a fault, RF cleared unless the instruction kept it, one cycle).
     * The trace's fetches are booked first, with this instruction's own (an I-TLB hit on the fetch
     * page; the page change counts it), so the TLB sees them in the decoder's order before a CPL
     * change settles them. The trace runs only with TF and the debug registers off, so the
     * single-step and data-breakpoint parts of {@code Cpu.step} have nothing to do.
     *
     * <p>All of the trace's ends are this one method on purpose: at over 325 bytes of bytecode it
     * is above HotSpot's FreqInlineSize, so C2 keeps it a call and the branches to a fault or an
     * INT n / IRET are not in the compiled trace. There such a branch, never taken while C2
     * profiled the trace (a boot has neither), was an uncommon trap that discarded the whole
     * compiled trace the first time it was taken (docs/performance.md, round 9).
     */
    private int end(Cpu c, int eip, int hits, int done, int stop, int phys) {
        c.eip = eip;
        if (fault != null) {
            final jx86.arch.CpuFault f = fault;
            fault = null;
            retire(c, hits + 1, done); // the faulting instruction was fetched, not retired
            return raise(c, f, done + 1);
        }
        final int last = eip + ((stop >>> 8) & 0xFF) - 1; // the block's last byte (trace's checks)
        if ((stop & SYSTEM_BLOCK) == 0 || pastLimit(eip, last, c.segLimit[Cpu.CS])) {
            retire(c, hits, done);
            return done;
        }
        final int la = c.segBase[Cpu.CS] + eip;
        if ((stop & MOVE_PAGE) != 0) {
            movePage(c, la, phys, hits);
            hits = -1; // moveFetchPage counted the INT n / IRET's fetch
        }
        systemRuns++;
        final int s = firstSlot(blockNumber(phys | (la & 0xFFF)));
        final int o = e[s];
        retire(c, hits + 1, done);
        final int esp = c.regs[Cpu.ESP];
        c.insnEip = eip;
        c.ip = eip + ((o >>> 8) & 15);
        c.osz = (o >>> 19) & 7;
        c.asz32 = (e[s + 1] & (1 << 21)) != 0;
        c.segOvr = ((o >>> 22) & 7) - 1;
        c.keepRf = false;
        c.suppressSingleStep = false;
        try {
            if (((o >>> 12) & 15) == SYSTEM_INT) {
                ControlTransfer.intN(c, e[s + 3]);
            } else {
                ControlTransfer.iret(c);
            }
            c.eip = c.ip;
        } catch (jx86.arch.CpuFault f) {
            c.eip = eip;
            c.regs[Cpu.ESP] = esp;
            return raise(c, f, done + 1);
        }
        c.instructions++;
        if (!c.keepRf) {
            c.eflags &= ~Cpu.RF;
        }
        c.clock.cycles++;
        return done + 1;
    }

    /** True when a block at {@code eip} whose last byte is at {@code last} does not lie within the CS limit. */
    private static boolean pastLimit(int eip, int last, int csLimit) {
        return Integer.compareUnsigned(last, csLimit) > 0 || Integer.compareUnsigned(last, eip) < 0;
    }

    /**
     * The trace's fetch page change to linear address {@code la} in frame {@code phys}: the old
     * page's {@code hits} are booked first, then {@code Cpu.moveFetchPage} counts the fetch of the
     * first instruction on the new page.
     */
    private static void movePage(Cpu c, int la, int phys, int hits) {
        c.mmu.repeatFetchHits(hits);
        c.moveFetchPage(la, phys);
    }

    /**
     * Delivers fault {@code f} of the trace's last step and returns the trace's {@code steps}: as
     * in {@code Cpu.step}, a fault that ends in shutdown advances no cycle.
     */
    private static int raise(Cpu c, jx86.arch.CpuFault f, int steps) {
        if (!Interrupts.raiseException(c, f)) {
            c.enterShutdown();
            return steps;
        }
        c.clock.cycles++;
        return steps;
    }

    /**
     * Runs the slots of one block from slot {@code i} (EIP {@code eip}) and returns the slot after
     * the last instruction run: {@code >= 0} to go on with the next block (its EIP in
     * {@link #exitEip}), or {@code ~slot} to end the trace there; a fault leaves {@link #fault} set
     * and returns {@code ~slot} of the faulting instruction. Kept apart from {@link #trace} so
     * that the hot values of this loop get the host's registers.
     *
     * <p>Bookkeeping by slot: the caller counts (slot - start) / STRIDE retired instructions, each
     * one step, one I-TLB hit and one cycle; the clock has been given the cycles up to slot
     * {@link #exitSynced}. Up to {@code fence}, instructions that cannot touch memory need no
     * checks between them: they cannot change events or code, and nothing reads the clock while
     * they run. Before an instruction that may touch memory (an MMIO device may read the clock)
     * the clock is made exact, and after it the checks run and the fence is set again.
     */
    private int runBlock(int i, int fence, int eip) {
        exitSynced = i;
        try {
            while (true) {
                // Loop state is only i, eip and fence; the rest is read from fields in every
                // iteration, which is cheaper than what keeping it in locals costs around calls.
                final Cpu c = cpu;
                final int[] e = this.e;
                final int[] r = regs;
                final jx86.clock.VirtualClock clk = clock;
                final int o = e[i];
                final int id = o & 0xFF;
                final int next = eip + ((o >>> 8) & 15);
                if ((o & IMPURE) != 0) {
                    clk.cycles += (i - exitSynced) >>> STRIDE_SHIFT;
                    exitSynced = i;
                }
                // The specialised forms run inline here (no call per instruction); the rare ones
                // through fastRare, everything else through the shared helpers (generic).
                int to;
                if (id < FAST) {
                    to = generic(c, e, i, o, id, eip, next);
                } else {
                    switch (id) {
                        // The 32-bit register forms of Alu.add/sub/xor/and/or, written out here on
                        // purpose: calling those methods (same code after inlining) made C2's
                        // compilation of this method slower in some runs (bench A/B, docs/cpu.md).
                        // EngineEquivalenceFuzzTest and the CPU tests on both paths compare them.
                        case ALU_RR32_OP + Alu.ADD: {
                            int x = e[i + 3];
                            int a = r[x & 7];
                            int v = a + r[x >>> 3];
                            Flags.set(c, Flags.ADD, 4, a, r[x >>> 3], v);
                            r[x & 7] = v;
                            to = next;
                            break;
                        }
                        case ALU_RR32_OP + Alu.SUB: {
                            int x = e[i + 3];
                            int a = r[x & 7];
                            int v = a - r[x >>> 3];
                            Flags.set(c, Flags.SUB, 4, a, r[x >>> 3], v);
                            r[x & 7] = v;
                            to = next;
                            break;
                        }
                        case ALU_RR32_OP + Alu.CMP: {
                            int x = e[i + 3];
                            int a = r[x & 7];
                            int bb = r[x >>> 3];
                            Flags.set(c, Flags.SUB, 4, a, bb, a - bb);
                            to = next;
                            break;
                        }
                        case ALU_RR32_OP + Alu.XOR: {
                            int x = e[i + 3];
                            int a = r[x & 7];
                            int bb = r[x >>> 3];
                            int v = a ^ bb;
                            Flags.set(c, Flags.LOGIC, 4, a, bb, v);
                            r[x & 7] = v;
                            to = next;
                            break;
                        }
                        case ALU_RR32_OP + Alu.AND: {
                            int x = e[i + 3];
                            int a = r[x & 7];
                            int bb = r[x >>> 3];
                            int v = a & bb;
                            Flags.set(c, Flags.LOGIC, 4, a, bb, v);
                            r[x & 7] = v;
                            to = next;
                            break;
                        }
                        case ALU_RR32_OP + Alu.OR: {
                            int x = e[i + 3];
                            int a = r[x & 7];
                            int bb = r[x >>> 3];
                            int v = a | bb;
                            Flags.set(c, Flags.LOGIC, 4, a, bb, v);
                            r[x & 7] = v;
                            to = next;
                            break;
                        }
                        case ALU_RR32_OP + Alu.ADC:
                        case ALU_RR32_OP + Alu.SBB: {
                            int x = e[i + 3];
                            r[x & 7] = Alu.arith(c, id - ALU_RR32_OP, 4, r[x & 7], r[x >>> 3]);
                            to = next;
                            break;
                        }
                        case ALU_RI32_OP + Alu.ADD: {
                            int d = e[i + 2];
                            int a = r[d];
                            int bb = e[i + 3];
                            int v = a + bb;
                            Flags.set(c, Flags.ADD, 4, a, bb, v);
                            r[d] = v;
                            to = next;
                            break;
                        }
                        case ALU_RI32_OP + Alu.SUB: {
                            int d = e[i + 2];
                            int a = r[d];
                            int bb = e[i + 3];
                            int v = a - bb;
                            Flags.set(c, Flags.SUB, 4, a, bb, v);
                            r[d] = v;
                            to = next;
                            break;
                        }
                        case ALU_RI32_OP + Alu.CMP: {
                            int a = r[e[i + 2]];
                            int bb = e[i + 3];
                            Flags.set(c, Flags.SUB, 4, a, bb, a - bb);
                            to = next;
                            break;
                        }
                        case ALU_RI32_OP + Alu.AND: {
                            int d = e[i + 2];
                            int a = r[d];
                            int bb = e[i + 3];
                            int v = a & bb;
                            Flags.set(c, Flags.LOGIC, 4, a, bb, v);
                            r[d] = v;
                            to = next;
                            break;
                        }
                        case ALU_RI32_OP + Alu.OR:
                        case ALU_RI32_OP + Alu.XOR:
                        case ALU_RI32_OP + Alu.ADC:
                        case ALU_RI32_OP + Alu.SBB: {
                            int d = e[i + 2];
                            r[d] = Alu.arith(c, id - ALU_RI32_OP, 4, r[d], e[i + 3]);
                            to = next;
                            break;
                        }
                        case MOV_RI32:
                            r[(o >>> 12) & 15] = e[i + 3];
                            to = next;
                            break;
                        case LEA32: {
                            int od = e[i + 1];
                            r[(od >>> 3) & 7] = ea(r, e, i, od);
                            to = next;
                            break;
                        }
                        case MOV_RR32: {
                            int x = e[i + 3];
                            r[x & 7] = r[x >>> 3];
                            to = next;
                            break;
                        }
                        case LOAD32: {
                            int od = e[i + 1];
                            r[(od >>> 3) & 7] = load(c, (od >>> 8) & 7, ea(r, e, i, od), 4);
                            to = next;
                            break;
                        }
                        case STORE32: {
                            int od = e[i + 1];
                            store32(c, (od >>> 8) & 7, ea(r, e, i, od), r[(od >>> 3) & 7]);
                            to = next;
                            break;
                        }
                        case JCC32:
                            if (!Flags.cond(c, (o >>> 12) & 15)) {
                                to = next;
                                break;
                            }
                            exitEip = jump(c, next + e[i + 3]);
                            return i + STRIDE;
                        case CMP_RI32_JCC:
                        case CMP_RR32_JCC:
                        case TEST_RI32_JCC: {
                            int a;
                            int bb;
                            if (id == CMP_RR32_JCC) {
                                int x = e[i + 3];
                                a = r[x & 7];
                                bb = r[x >>> 3];
                            } else {
                                a = r[e[i + 2]];
                                bb = e[i + 3];
                            }
                            boolean test = id == TEST_RI32_JCC;
                            if (test) {
                                Flags.set(c, Flags.LOGIC, 4, 0, 0, a & bb); // as Alu.logicFlags
                            } else {
                                Flags.set(c, Flags.SUB, 4, a, bb, a - bb);
                            }
                            if (i + STRIDE >= fence) {
                                to = next; // the Jcc runs as its own step, after the checks
                                break;
                            }
                            // The compare retires; the Jcc in the next slot runs now.
                            eip = next;
                            i += STRIDE;
                            final int oj = e[i];
                            final int nextJ = eip + ((oj >>> 8) & 15);
                            if (!Flags.cond(c, (oj >>> 12) & 15)) { // of the flags just set
                                to = nextJ;
                                break;
                            }
                            exitEip = jump(c, nextJ + e[i + 3]);
                            return i + STRIDE;
                        }
                        case JMP32:
                            to = jump(c, next + e[i + 3]);
                            break;
                        case INC_R32: {
                            int d = (o >>> 12) & 15;
                            r[d] = Alu.inc(c, 4, r[d]);
                            to = next;
                            break;
                        }
                        case DEC_R32: {
                            int d = (o >>> 12) & 15;
                            r[d] = Alu.dec(c, 4, r[d]);
                            to = next;
                            break;
                        }
                        case SHIFT_RI32: {
                            int d = e[i + 2];
                            int count = e[i + 3] & 0x1F;
                            if (count != 0) {
                                r[d] = ShiftRotate.shift32(c, (o >>> 12) & 15, r[d], count);
                            }
                            to = next;
                            break;
                        }
                        case MOVZX8_32: {
                            int od = e[i + 1];
                            int v;
                            if (((od >>> 6) & 3) == 3) {
                                v = Mem.getReg(c, 1, od & 7);
                            } else {
                                v = load(c, (od >>> 8) & 7, ea(r, e, i, od), 1);
                            }
                            r[(od >>> 3) & 7] = v;
                            to = next;
                            break;
                        }
                        case IMUL_RRI32: {
                            int od = e[i + 1];
                            r[(od >>> 3) & 7] = Alu.imul(c, 4, r[e[i + 2]], e[i + 3]);
                            to = next;
                            break;
                        }
                        case SYSTEM:
                            // Only trace runs it (a block of its own); reached here (a translated
                            // region running slot by slot) the trace ends before it, and the
                            // next trace runs it.
                            exitEip = eip;
                            return ~i;
                        default:
                            to = fastRare(c, r, e, i, o, id, next);
                            break;
                    }
                }
                eip = to;
                i += STRIDE;
                // Taken Jcc leave above; other control transfers and REP batches only ever end a
                // block (build), so the next slot is the instruction at the new EIP.
                if (i >= fence) {
                    exitEip = eip;
                    return i == blockEnd ? i : ~i;
                }
                if ((o & IMPURE) != 0) {
                    // A memory access may have added cycles, changed events or the next timer
                    // event (MMIO), or written this block's code.
                    clk.cycles++;
                    exitSynced = i;
                    if (clk.cycles >= clk.nextEventAt || c.events() != events
                            || gens[blockPage] != blockGen) {
                        exitEip = eip;
                        return ~i;
                    }
                    long room = clk.nextEventAt - clk.cycles;
                    int limit = budgetFence;
                    fence = room >= (limit - i) / STRIDE ? limit : i + (int) room * STRIDE;
                }
            }
        } catch (jx86.arch.CpuFault f) {
            fault = f;
            exitEip = eip;
            return ~i;
        }
    }

    /** The header index of the block that starts at physical {@code pa} (Fibonacci hashing). */
    private static int blockOf(int pa) {
        return ((pa * 0x9E37_79B1) >>> (32 - BLOCK_BITS)) * HEADER;
    }

    /**
     * Decodes the block at {@code pa} (header {@code b}): straight-line instructions up to and
     * including the first one that can move EIP elsewhere (jumps, calls, returns, a string
     * instruction), stopping before an instruction the cache does not hold (one that runs over the
     * page end included), at most {@link #MAX_INSNS}. Marks the lines it decoded (and, for an empty
     * block, the bytes it looked at) with the code-write tracker; returns the header's info word.
     */
    private int build(int b, int pa, int want, PhysicalMemory m, int gen) {
        builds++;
        final int base = firstSlot(b / HEADER);
        final int offset = pa & 0xFFF;
        int count = 0;
        int bytes = 0;
        long lines = 0;
        while (count < MAX_INSNS && offset + bytes < 0x1000) {
            int o = decoder.fill(e, m, base + count * STRIDE, pa + bytes, want);
            int id = o & 0xFF;
            if (id == SLOW) {
                break;
            }
            if (id == SYSTEM && count > 0) {
                break; // INT n / IRET: a block of its own (trace runs it)
            }
            int len = (o >>> 8) & 15;
            if (impure(id, e[base + count * STRIDE + 1])) {
                e[base + count * STRIDE] = o | IMPURE;
            }
            lines |= jx86.memory.CodeWriteTracker.lineMask(offset + bytes, len);
            bytes += len;
            count++;
            if (endsBlock(id)) {
                break;
            }
        }
        if (count == 0) {
            lines = jx86.memory.CodeWriteTracker.lineMask(offset, MAX_LEN);
        }
        for (int k = 0; k + 1 < count; k++) {
            int s = base + k * STRIDE;
            if ((e[s + STRIDE] & 0xFF) == JCC32) {
                int id = e[s] & 0xFF;
                int fused = id == ALU_RI32_OP + Alu.CMP ? CMP_RI32_JCC
                        : id == ALU_RR32_OP + Alu.CMP ? CMP_RR32_JCC : id == TEST_RI32 ? TEST_RI32_JCC : -1;
                if (fused != -1) {
                    e[s] = (e[s] & ~0xFF) | fused;
                }
            }
        }
        m.codeWrites().markCodeLines(pa >>> 12, lines);
        if (jit != null) {
            jit.drop(b / HEADER); // a compiled form belongs to the decoded block it was made from
        }
        int info = want | count | bytes << 8;
        if (count == 1 && (e[base] & 0xFF) == SYSTEM) {
            info |= SYSTEM_BLOCK;
        } else if (count == 0) {
            info |= EMPTY_BLOCK;
        }
        h[b] = pa;
        h[b + 1] = info;
        h[b + 2] = gen;
        return info;
    }

    /**
     * True for the ids after which EIP may not be the next instruction's address (a taken JCC32
     * leaves its block in the trace runner, so it may sit inside one).
     */
    private static boolean endsBlock(int id) {
        switch (id) {
            case JCC:
            case JMP:
            case CALL:
            case RET:
            case CALL_E:
            case JMP_E:
            case STRING:
            case JMP32:
            case SYSTEM:
            case CALL32:
            case RET32:
                return true;
            default:
                return false;
        }
    }

    /** True for the ids that may touch memory: the helpers' forms and the specialised memory forms. */
    private static boolean impure(int id, int operands) {
        return id < FAST || id == LOAD32 || id == STORE32 || id == CMP_MI8 || id == CMP_MI32 || id == SYSTEM
                || (id >= PUSH_R32 && id <= POPA32) || id == STORE8 || id == PUSHF32
                || (id == MOVZX8_32 && ((operands >>> 6) & 3) != 3);
    }

    /**
     * True for the specialised ids runBlock runs through {@link #fastRare} (the translator calls
     * fastRare for the same ids).
     */
    static boolean viaFastRare(int id) {
        return id == GRP3_R32 || id == ALU_RR8 || id >= TEST_RR32 && id <= CMP_MI32 || id >= PUSH_R32 && id <= MOV_FROM_CR;
    }

    /**
     * Early out for an instruction the cache already holds as not cacheable (port I/O, far
     * transfers, ...): no trace set-up before the decoder runs it. Only while the page's decoded
     * lines are unwritten, so a rewritten instruction is looked at again.
     */
    private boolean knownSlow(Cpu c) {
        int la = c.segBase[Cpu.CS] + c.eip;
        if ((la & ~0xFFF) != c.fetchPage() || !c.fetchRam()) {
            return false;
        }
        int pa = c.fetchPhys() | (la & 0xFFF);
        int b = blockOf(pa);
        return h[b] == pa && (h[b + 1] & 31) == 0 && (h[b + 1] & VALID) != 0
                && h[b + 2] == c.memory().codeWrites().generations()[pa >>> 12];
    }

    /**
     * Runs a not specialised entry through the handlers {@link Exec} calls too (the row's handler in
     * {@link OpTable}), which read the decode state set here; restores ESP if it faults (the
     * handlers may move ESP before a later access). The first group of ids is dispatched in this
     * method on purpose: it keeps the method above HotSpot's inlining size (FreqInlineSize, 325
     * bytes; it is 530), so this rare path stays a call and the trace runner's inlining budget goes
     * to the specialised forms.
     */
    private static int generic(Cpu c, int[] e, int i, int o, int id, int eip, int next) {
        final int esp = c.regs[Cpu.ESP];
        c.eip = eip;
        c.insnEip = eip;
        c.ip = next;
        c.osz = (o >>> 19) & 7;
        int od = e[i + 1];
        c.asz32 = (od & (1 << 21)) != 0;
        c.segOvr = ((o >>> 22) & 7) - 1;
        if ((od & (1 << 22)) != 0) {
            int mod = (od >>> 6) & 3;
            c.mod = mod;
            c.reg = (od >>> 3) & 7;
            c.rm = od & 7;
            if (mod != 3) {
                c.eaOff = ea(c.regs, e, i, od);
                c.eaSeg = (od >>> 8) & 7;
            }
        }
        final int size = (o >>> 16) & 7;
        final int aux = (o >>> 12) & 15;
        final int imm = e[i + 3];
        try {
            if (id >= SHIFT_I) {
                execB(c, id, size, aux, imm);
                return c.ip;
            }
            switch (id) {
                case ALU_EG:
                    Alu.aluEG(c, aux, size);
                    break;
                case ALU_GE:
                    Alu.aluGE(c, aux, size);
                    break;
                case ALU_AI:
                    Alu.aluAI(c, aux, size, imm);
                    break;
                case GRP1:
                    Alu.group1(c, size, imm);
                    break;
                case TEST_EG:
                    Alu.testEG(c, size);
                    break;
                case TEST_AI:
                    Alu.testAI(c, size, imm);
                    break;
                case MOV_EG:
                    DataTransfer.movEG(c, size);
                    break;
                case MOV_GE:
                    DataTransfer.movGE(c, size);
                    break;
                case LEA:
                    DataTransfer.lea(c);
                    break;
                case MOV_RI:
                    Mem.setReg(c, size, aux, imm);
                    break;
                case MOV_EI:
                    DataTransfer.movEI(c, size, imm);
                    break;
                case INC_R:
                    Alu.incReg(c, aux);
                    break;
                case DEC_R:
                    Alu.decReg(c, aux);
                    break;
                case PUSH_R:
                    DataTransfer.pushReg(c, aux);
                    break;
                case POP_R:
                    DataTransfer.popReg(c, aux);
                    break;
                case PUSH_I:
                    Mem.push(c, size, imm);
                    break;
                case JCC:
                    ControlTransfer.jcc(c, aux, imm);
                    break;
                case JMP:
                    ControlTransfer.branch(c, c.ip + imm);
                    break;
                case CALL:
                    ControlTransfer.callNear(c, c.ip + imm);
                    break;
                case RET:
                    ControlTransfer.retNear(c, imm);
                    break;
                default:
                    throw jx86.arch.CpuFault.ud(); // unreachable: ids come from decode
            }
        } catch (jx86.arch.CpuFault fault) {
            c.regs[Cpu.ESP] = esp;
            throw fault;
        }
        return c.ip;
    }

    /** Books the trace's fetches (I-TLB hits, folded in lazily) and retired instructions. */
    private static void retire(Cpu c, int fetched, int retired) {
        c.mmu.repeatFetchHits(fetched);
        c.instructions += retired;
    }


    /**
     * Less frequent specialised forms (a call, so runBlock stays small enough to compile well): the
     * near stack forms and the register tests here, the rest in {@link #fastRareMore}. Two methods
     * on purpose: C2 inlines at most DesiredMethodLimit (8,000) bytes of bytecode into one
     * compiled method, and the stack forms bring the MMU's hit paths with them; as one method it
     * used up that budget before it reached the TEST forms, so {@code Alu.testValue} stayed a call
     * and ran in HotSpot's bytecode interpreter for most of a kernel-heavy run while its own C2
     * compilation waited in the queue (8.6 % of the guest thread's samples; docs/performance.md,
     * round 10). Each part stays above FreqInlineSize (CpuMethodSizeTest), so neither is inlined
     * into its caller and each gets its own budget.
     */
    private static int fastRare(Cpu c, int[] r, int[] e, int i, int o, int id, int next) {
        switch (id) {
            // The stack forms (StackFast) run here, out of runBlock: with six cases in runBlock,
            // HotSpot inlined them there with the MMU's hit path and the RAM store, and a
            // stack-heavy loop ran slower than with this call (docs/performance.md, round 7).
            case PUSH_R32:
                StackFast.push32(c, r, r[(o >>> 12) & 15]);
                return next;
            case POP_R32:
                StackFast.popReg(c, r, (o >>> 12) & 15);
                return next;
            case PUSH_I32:
                StackFast.push32(c, r, e[i + 3]);
                return next;
            case CALL32:
                return StackFast.call(c, r, next, next + e[i + 3]);
            case RET32:
                return StackFast.ret(c, r, e[i + 3]);
            case LEAVE32:
                StackFast.leave(c, r);
                return next;
            case TEST_RI32:
                Alu.testValue(c, 4, r[e[i + 2]], e[i + 3]);
                return next;
            case TEST_RR32: {
                int x = e[i + 3];
                Alu.testValue(c, 4, r[x & 7], r[x >>> 3]);
                return next;
            }
            case TEST_RR8: {
                int x = e[i + 3];
                Alu.testValue(c, 1, Mem.getReg(c, 1, x & 7), Mem.getReg(c, 1, x >>> 3));
                return next;
            }
            case TEST_AL8:
                Alu.testValue(c, 1, r[Cpu.EAX] & 0xFF, e[i + 3]);
                return next;
            case CDQ:
                r[Cpu.EDX] = r[Cpu.EAX] >> 31;
                return next;
            default:
                return fastRareMore(c, r, e, i, o, id, next);
        }
    }

    /** The rest of {@link #fastRare}'s forms: memory operands, PUSHA/POPA, multiplies and shifts, byte ALU. */
    private static int fastRareMore(Cpu c, int[] r, int[] e, int i, int o, int id, int next) {
        switch (id) {
            case GRP3_R32: {
                int d = e[i + 2];
                int op = (o >>> 12) & 7;
                if (op < 4) {
                    r[d] = Alu.notNeg(c, op, 4, r[d]);
                } else {
                    Alu.mulDiv(c, op, 4, r[d]);
                }
                return next;
            }
            case PUSH_M32: { // the operand is read before ESP moves (and with ESP as it was)
                int od = e[i + 1];
                StackFast.push32(c, r, load(c, (od >>> 8) & 7, ea(r, e, i, od), 4));
                return next;
            }
            case PUSHA32:
                StackFast.pusha(c, r);
                return next;
            case POPA32:
                StackFast.popa(c, r);
                return next;
            case ALU_AL8:
                Alu.aluAI(c, (o >>> 12) & 7, 1, e[i + 3]);
                return next;
            case STORE8: {
                int od = e[i + 1];
                store(c, (od >>> 8) & 7, ea(r, e, i, od), 1, Mem.getReg(c, 1, (od >>> 3) & 7));
                return next;
            }
            case PUSHF32:
                StackFast.push32(c, r, FlagControl.pushfValue(c));
                return next;
            case DSHIFT_I32:
            case DSHIFT_CL32: {
                int d = e[i + 2];
                int count = id == DSHIFT_I32 ? e[i + 3] : r[Cpu.ECX];
                r[d] = ShiftRotate.doubleShift32(c, ((o >>> 12) & 1) != 0, r[d], r[(e[i + 1] >>> 3) & 7], count);
                return next;
            }
            case MOV_FROM_CR: {
                int od = e[i + 1];
                r[od & 7] = SystemInsns.movFromCr(c, (od >>> 3) & 7);
                return next;
            }
            case CMP_MI8:
            case CMP_MI32: {
                int od = e[i + 1];
                int size = id == CMP_MI8 ? 1 : 4;
                int a = load(c, (od >>> 8) & 7, ea(r, e, i, od), size);
                Alu.arith(c, Alu.CMP, size, a, e[i + 3]);
                return next;
            }
            default: { // ALU_RR8: byte registers AL..BH, imm = dst | src << 3
                int x = e[i + 3];
                int op = (o >>> 12) & 7;
                int v = Alu.arith(c, op, 1, Mem.getReg(c, 1, x & 7), Mem.getReg(c, 1, x >>> 3));
                if (op != Alu.CMP) {
                    Mem.setReg(c, 1, x & 7, v);
                }
                return next;
            }
        }
    }

    /**
     * {@link Mem#read} of 1 or 4 bytes for the specialised forms (the trace never runs with debug
     * registers active). Same checks, counts and faults.
     */
    private static int load(Cpu c, int seg, int off, int size) {
        return size == 4 ? load32(c, seg, off) : load8(c, seg, off);
    }

    // The loads and stores the compiled blocks call (JitCompiler): each, and each method its hit
    // path calls, within 35 bytes of bytecode, so that C2 inlines the D-TLB hit into every block
    // however cold its profile calls the site; the miss is a call (see Mmu's data accesses).

    private static int load32(Cpu c, int seg, int off) {
        return c.mmu.read32(Mem.laRead(c, seg, off, 4));
    }

    private static int load8(Cpu c, int seg, int off) {
        return c.mmu.read8(Mem.laRead(c, seg, off, 1));
    }

    private static void store32(Cpu c, int seg, int off, int v) {
        c.mmu.write32(Mem.laWrite(c, seg, off, 4), v);
    }

    /** {@link Mem#write} of 1 or 4 bytes ({@code v} in range) for the specialised forms, as {@link #load}. */
    private static void store(Cpu c, int seg, int off, int size, int v) {
        if (size == 4) {
            store32(c, seg, off, v);
        } else {
            c.mmu.write8(Mem.laWrite(c, seg, off, 1), v);
        }
    }

    /** Effective address of the entry's memory operand (base + index * scale + displacement). */
    private static int ea(int[] r, int[] e, int i, int od) {
        int off = e[i + 2];
        int base = (od >>> 11) & 15;
        if (base < 8) {
            off += r[base];
        }
        int index = (od >>> 15) & 15;
        if (index < 8) {
            off += r[index] << ((od >>> 19) & 3);
        }
        return (od & (1 << 21)) != 0 ? off : off & 0xFFFF;
    }

    /** A near jump within CS with a 32-bit operand size (ControlTransfer.branch for osz = 4). */
    private static int jump(Cpu c, int target) {
        return ControlTransfer.checkTarget(c, target);
    }

    private static void misc(Cpu c, int aux) {
        switch (aux) {
            case MISC_PUSHA:
                DataTransfer.pusha(c);
                return;
            case MISC_POPA:
                DataTransfer.popa(c);
                return;
            case MISC_CLD:
                FlagControl.cld(c);
                return;
            default:
                FlagControl.std(c);
                return;
        }
    }

    private static void execB(Cpu c, int id, int size, int aux, int imm) {
        switch (id) {
            case SHIFT_I:
                ShiftRotate.group2(c, size, imm);
                return;
            case SHIFT_CL:
                ShiftRotate.group2(c, size, c.regs[Cpu.ECX]);
                return;
            case INCDEC_E:
                Alu.incDecRm(c, size);
                return;
            case CALL_E:
                ControlTransfer.callIndirect(c);
                return;
            case JMP_E:
                ControlTransfer.jmpIndirect(c);
                return;
            case PUSH_E:
                DataTransfer.pushRm(c);
                return;
            case GRP3:
                Alu.group3(c, size);
                return;
            case TEST_EI:
                Alu.testEI(c, size, imm);
                return;
            case MOVZX8:
                DataTransfer.movzx(c, 1);
                return;
            case MOVZX16:
                DataTransfer.movzx(c, 2);
                return;
            case MOVSX8:
                DataTransfer.movsx(c, 1);
                return;
            case MOVSX16:
                DataTransfer.movsx(c, 2);
                return;
            case IMUL_GE:
                Alu.imulGE(c);
                return;
            case IMUL_GEI:
                Alu.imulGEI(c, imm);
                return;
            case NOP:
                Misc.nop(c);
                return;
            case CBW:
                DataTransfer.cbw(c);
                return;
            case CWD:
                DataTransfer.cwd(c);
                return;
            case LEAVE:
                ControlTransfer.leave(c);
                return;
            case SETCC:
                BitByte.setcc(c, aux);
                return;
            case CMOV:
                BitByte.cmovcc(c, aux);
                return;
            case XCHG_EG:
                DataTransfer.xchg(c, size);
                return;
            case XCHG_AX:
                DataTransfer.xchgAx(c, aux);
                return;
            case PUSH_SEG:
                DataTransfer.pushSeg(c, aux);
                return;
            case POP_SEG:
                DataTransfer.popSeg(c, aux);
                return;
            case MOV_SEG:
                DataTransfer.movToSeg(c);
                return;
            case MISC:
                misc(c, aux);
                return;
            case STRING:
                // A REP batch that is not finished sets c.ip back to this instruction (StringOps),
                // so the trace runs the next batch as its next step, as the run loop would.
                c.rep = aux != 0 ? 0xF3 : 0;
                StringOps.dispatch(c, imm, size);
                c.rep = 0;
                return;
            default:
                throw jx86.arch.CpuFault.ud(); // unreachable: ids come from decode
        }
    }
}
