package jx86.cpu;

import jx86.arch.CpuFault;
import jx86.bus.InterruptController;
import jx86.bus.IoBus;
import jx86.clock.VirtualClock;
import jx86.mmu.Mmu;

/**
 * The IA-32 processor state and its run loop.
 *
 * <p>CONTRACT (shared by the decoder/instruction code and the protected-mode system code): the
 * fields below are the architectural state; the helpers at the bottom are the only way other
 * classes change CPL, EFLAGS or a segment cache, so the MMU and lazy flags stay coherent.
 *
 * <p>Segment registers are indexed in the SDM's encoding order (ES, CS, SS, DS, FS, GS). Each has a
 * visible selector and a hidden descriptor cache: base, limit (byte granular, already scaled by G)
 * and access rights {@code ar} = bits 8..23 of the descriptor's high dword (type, S, DPL, P in bits
 * 0-7; AVL, L, D/B, G in bits 12-15). {@code ar == 0} marks an unusable (null) segment.
 *
 * <p>Run loop (SDM Vol. 3A 6.6, 6.8.3, 17.3.1.4): between instructions the loop runs due timer
 * events, honours {@link #requestStop}, takes an NMI or an INTR (IF = 1) unless the previous
 * instruction was STI (IF 0 to 1), MOV SS or POP SS, and stops on HLT. An instruction that raises
 * {@link CpuFault} is rolled back (EIP and ESP restored; instructions write other registers only
 * after their last possible fault) and the exception is delivered. TF raises a single-step #DB
 * trap after the instruction; DR0-DR3 breakpoints are in {@link Debug}. A fault that cannot be
 * delivered even as #DF enters shutdown ({@link #enterShutdown}): run returns
 * {@link StopReason#TRIPLE_FAULT} until {@link #reset}.
 *
 * <p>The six status flags are evaluated lazily ({@link Flags}); {@link #getEflags} materialises them.
 * The decoder and instruction classes are {@link Exec}, {@link Exec0F} and the per-category classes
 * they dispatch to; they share the per-instruction decode state in the package-private fields.
 */
public final class Cpu {
    public static final int EAX = 0;
    public static final int ECX = 1;
    public static final int EDX = 2;
    public static final int EBX = 3;
    public static final int ESP = 4;
    public static final int EBP = 5;
    public static final int ESI = 6;
    public static final int EDI = 7;

    public static final int ES = 0;
    public static final int CS = 1;
    public static final int SS = 2;
    public static final int DS = 3;
    public static final int FS = 4;
    public static final int GS = 5;

    // EFLAGS bits
    public static final int CF = 1;
    public static final int PF = 1 << 2;
    public static final int AF = 1 << 4;
    public static final int ZF = 1 << 6;
    public static final int SF = 1 << 7;
    public static final int TF = 1 << 8;
    public static final int IF = 1 << 9;
    public static final int DF = 1 << 10;
    public static final int OF = 1 << 11;
    public static final int IOPL_MASK = 3 << 12;
    public static final int NT = 1 << 14;
    public static final int RF = 1 << 16;
    public static final int VM = 1 << 17;
    public static final int AC = 1 << 18;
    public static final int VIF = 1 << 19;
    public static final int VIP = 1 << 20;
    public static final int ID = 1 << 21;

    // CR0 bits
    public static final int CR0_PE = 1;
    public static final int CR0_MP = 1 << 1;
    public static final int CR0_EM = 1 << 2;
    public static final int CR0_TS = 1 << 3;
    public static final int CR0_ET = 1 << 4;
    public static final int CR0_NE = 1 << 5;
    public static final int CR0_WP = 1 << 16;
    public static final int CR0_AM = 1 << 18;
    public static final int CR0_NW = 1 << 29;
    public static final int CR0_CD = 1 << 30;
    public static final int CR0_PG = 1 << 31;

    // CR4 bits
    public static final int CR4_VME = 1;
    public static final int CR4_PVI = 1 << 1;
    public static final int CR4_TSD = 1 << 2;
    public static final int CR4_DE = 1 << 3;
    public static final int CR4_PSE = 1 << 4;
    public static final int CR4_PGE = 1 << 7;

    /** General registers EAX..EDI in encoding order. */
    public final int[] regs = new int[8];
    /** Offset of the current instruction within CS (committed only when an instruction completes). */
    public int eip;

    public final int[] segSel = new int[6];
    public final int[] segBase = new int[6];
    public final int[] segLimit = new int[6];
    public final int[] segAr = new int[6];

    public int cr0 = CR0_ET;
    public int cr2;
    public int cr3;
    public int cr4;
    public final int[] dr = new int[8];

    public int gdtrBase;
    public int gdtrLimit;
    public int idtrBase;
    public int idtrLimit;
    public int ldtrSel;
    public int ldtrBase;
    public int ldtrLimit;
    public int ldtrAr;
    public int trSel;
    public int trBase;
    public int trLimit;
    public int trAr;

    /** SYSENTER MSRs (0x174-0x176). */
    public int sysenterCs;
    public int sysenterEsp;
    public int sysenterEip;
    /** The other stored MSRs, one slot per MSR the model has ({@link ModelMsrs}). */
    final long[] msrValues = new long[ModelMsrs.slots()];

    /** Current privilege level; change it only through {@link #setCpl}. */
    private int cpl;
    /**
     * EFLAGS; the six status flags are stale while {@link #lfOp} != {@link Flags#NONE} (lazy flags,
     * see {@link Flags}). Others read and write it through {@link #getEflags}/{@link #setEflags}.
     */
    int eflags = 2;

    // ---- lazy status flags (see Flags) ----
    int lfOp;
    int lfA;
    int lfB;
    int lfRes;
    int lfSign = 0x80;
    boolean lfCf;

    /** Instructions retired (a batch of REP string iterations counts as one); never reset. */
    public long instructions;

    // ---- per-instruction decode state (see Exec) ----
    /** Offset of the next instruction byte to fetch; becomes {@link #eip} when the instruction completes. */
    int ip;
    /** Offset of the first byte (first prefix) of the current instruction. */
    int insnEip;
    boolean code32;
    /** Operand size in bytes (2 or 4) after the 0x66 prefix. */
    int osz;
    boolean asz32;
    /** Segment override prefix, or -1. */
    int segOvr;
    /** 0, 0xF2 (REPNE) or 0xF3 (REP/REPE). */
    int rep;
    boolean lock;
    int mod;
    int reg;
    int rm;
    int eaSeg;
    int eaOff;
    /** The SIB byte of the last 32-bit ModR/M decode named ESP as base (POP r/m moves such an address). */
    boolean eaEspBase;
    /** The decoder's per-opcode facts, derived from the opcode table ({@link OpTable#decodeFacts}). */
    final int[] decodeFacts = OpTable.decodeFacts();
    /** Linear address of a read-modify-write memory operand, between readRmW and writeRmW. */
    int eaLa;
    /** Protected mode and not V86 (segment type checks apply). */
    boolean pm;
    /** Linear page of the last fetch translation ({@code -1}: none), kept across instructions. */
    private int fetchPage = -1;
    /** {@link Mmu#fetchEpoch} when {@link #fetchPage} was translated. */
    private int fetchEpoch;
    /** The current instruction has counted its I-TLB access (translated or repeated). */
    private boolean fetchCounted;

    private int fetchPhys;
    /** The fetch page is plain RAM (read it directly rather than through the memory map). */
    private boolean fetchRam;
    /** Bytes after {@link #ip} that may be read from RAM at {@link #fetchNext} without checks. */
    private int fetchAvail;
    private int fetchNext;
    private final jx86.memory.PhysicalMemory mem;
    /** Decoded-instruction cache and trace runner (one per CPU: no static state). */
    final DecodeCache decoded = new DecodeCache();
    /** The -d execution log, or null (the usual case: then {@link #run} never looks at it again). */
    CpuTrace trace;
    /** Run cached instructions through {@link #decoded} (off: every instruction is decoded by Exec). */
    private Engine engine = Engine.CACHE;

    /** Set by STI (IF 0 to 1), MOV SS and POP SS: blocks interrupts before the next instruction. */
    boolean inhibitInterrupts;
    /** Set by instructions that must not be followed by a single-step trap (INT n, MOV SS). */
    boolean suppressSingleStep;
    /**
     * Value of {@link #instructions} once a MOV SS / POP SS has retired: while it still equals the
     * count, the next instruction is in the SS shadow (no instruction breakpoint before it, debug
     * traps held until after it). Compared rather than cleared, so the trace runner, which counts
     * the instructions it runs, needs no code for it.
     */
    long ssShadowAt = -1;
    /** DR6.Bn bits of data breakpoints hit by MOV SS / POP SS, reported after the next instruction. */
    private int heldDebugBits;
    /** Set by IRET: the RF value it loaded must survive this instruction. */
    boolean keepRf;
    /** DR7 enables any breakpoint: memory accesses check data breakpoints (see Debug). */
    boolean debugActive;
    /** DR6.Bn bits of data breakpoints hit by the current instruction. */
    int dataBreakHits;
    /** Scratch for POPA (no allocation per instruction). */
    final int[] popaScratch = new int[8];
    /** NMIs are blocked from NMI delivery until the next IRET. */
    boolean nmiBlocked;

    public final Mmu mmu;
    /** The x87 FPU (package jx86.cpu.fpu) and its hook into this core (X87Port). */
    public final jx86.cpu.fpu.X87 fpu = new jx86.cpu.fpu.X87();
    final X87Port x87Port = new X87Port(this);

    /** Connects FERR# (legacy x87 error reporting with CR0.NE = 0): the machine routes it to IRQ 13. */
    public void setFerrListener(java.util.function.Consumer<Boolean> listener) {
        x87Port.ferr = listener;
    }

    /** A write to port F0h: clears the FERR# latch (the chipset's IGNNE#/IRQ 13 acknowledge). */
    public void clearFerr() {
        x87Port.clearFerr();
    }
    public final IoBus io;
    public final VirtualClock clock;
    private InterruptController interruptController;
    private FirmwareHook firmware;
    /** Level of the INTR pin, driven by the interrupt controller. */
    private boolean intr;
    private boolean nmiPending;
    private boolean halted;
    private boolean stopRequested;
    /** Shutdown (triple fault) entered; sticky until {@link #reset}. */
    private boolean shutdown;
    /**
     * Non-zero while any of shutdown, stop request, NMI, INTR or HLT is set: the run loop tests
     * this one word (plus the interrupt shadow) between instructions and takes the slow path only
     * when it is set. Kept in step by {@link #updateEvents} wherever those fields change.
     */
    private int events;

    public Cpu(Mmu mmu, IoBus io, VirtualClock clock) {
        this.mmu = mmu;
        this.io = io;
        this.clock = clock;
        this.mem = mmu.memory();
        reset();
    }

    /** Power-on / RESET state (SDM Vol. 3A, 9.1.1): real mode at F000:FFF0. */
    public void reset() {
        java.util.Arrays.fill(regs, 0);
        regs[EDX] = CpuModel.SIGNATURE; // the CPU signature after RESET, as CPUID.1:EAX
        eip = 0xFFF0;
        for (int s = 0; s < 6; s++) {
            setSegmentCache(s, 0, 0, 0xFFFF, 0x93);
        }
        setSegmentCache(CS, 0xF000, 0xFFFF0000, 0xFFFF, 0x9B);
        cr0 = CR0_ET | CR0_CD | CR0_NW;
        fpu.powerOn();
        cr2 = 0;
        cr3 = 0;
        cr4 = 0;
        java.util.Arrays.fill(dr, 0);
        dr[6] = 0xFFFF0FF0;
        dr[7] = 0x400;
        gdtrBase = 0;
        gdtrLimit = 0xFFFF;
        idtrBase = 0;
        idtrLimit = 0xFFFF;
        ldtrSel = 0;
        ldtrBase = 0;
        ldtrLimit = 0xFFFF;
        ldtrAr = 0x82;
        trSel = 0;
        trBase = 0;
        trLimit = 0xFFFF;
        trAr = 0x8B;
        sysenterCs = 0;
        sysenterEsp = 0;
        sysenterEip = 0;
        ModelMsrs.reset(msrValues);
        eflags = 2;
        lfOp = Flags.NONE;
        inhibitInterrupts = false;
        ssShadowAt = -1;
        heldDebugBits = 0;
        nmiBlocked = false;
        fetchPage = -1;
        setCpl(0);
        setCr0(cr0);
        setCr3(0);
        setCr4(0);
        halted = false;
        nmiPending = false;
        stopRequested = false;
        shutdown = false;
        updateEvents();
        if (trace != null) {
            trace.reset(this);
        }
    }

    // ---- control registers: Cpu owns CR0/CR3/CR4; these setters are the only writers and tell the MMU ----

    /** Loads CR0 (no checks: callers apply the MOV/LMSW/CLTS rules) and hands it to the MMU. */
    public void setCr0(int value) {
        cr0 = value;
        mmu.setCr0(value);
        if (trace != null) {
            trace.controlRegister(this, 0, value);
        }
    }

    /** Loads CR3 (the page-directory base; the MMU flushes its non-global TLB entries). */
    public void setCr3(int value) {
        cr3 = value;
        mmu.setCr3(value);
        if (trace != null) {
            trace.controlRegister(this, 3, value);
        }
    }

    /** Loads CR4 (no reserved-bit check: MOV CR4 does it). */
    public void setCr4(int value) {
        cr4 = value;
        mmu.setCr4(value);
        if (trace != null) {
            trace.controlRegister(this, 4, value);
        }
    }

    private void updateEvents() {
        events = (shutdown ? 1 : 0) | (stopRequested ? 2 : 0) | (nmiPending ? 4 : 0) | (intr ? 8 : 0)
                | (halted ? 16 : 0);
    }

    // ---- wiring ----

    public void setInterruptController(InterruptController controller) {
        this.interruptController = controller;
    }

    public InterruptController interruptController() {
        return interruptController;
    }

    /**
     * Turns the decoded-instruction cache on (default) or off. Both give the same architectural
     * results, TLB counters and virtual time; off is slower and exists for comparison and diagnosis.
     */
    public void setDecodeCache(boolean enabled) {
        setEngine(enabled ? Engine.CACHE : Engine.INTERP);
    }

    /** Selects the execution engine ({@code --engine}); all give the same results and virtual time. */
    public void setEngine(Engine value) {
        if ((value == Engine.JIT) != (engine == Engine.JIT)) {
            decoded.translate(value == Engine.JIT ? Jit.threshold() : 0);
        }
        engine = value;
        Progress.start(this); // -Djx86.progress=MS only (docs/performance.md, round 10)
    }

    public Engine engine() {
        return engine;
    }

    /** Blocks the translator has compiled since {@code --engine jit} was selected (0 on the other engines). */
    public long translatedBlocks() {
        Jit jit = decoded.translator();
        return jit == null ? 0 : jit.compiledBlocks();
    }

    /** Attaches a QEMU-style execution log (null: none); logs the current state as a reset if asked. */
    public void setTrace(CpuTrace value) {
        trace = value;
        if (value != null) {
            value.reset(this);
        }
    }

    /**
     * {@code --cpu strict}: a "classically virtualizable" IA-32 (Popek and Goldberg). The
     * instructions that are sensitive but do not trap on a real IA-32 (PUSHF, POPF, IRET to the
     * same ring, SGDT, SIDT, SLDT, STR, SMSW, LAR, LSL, VERR, VERW, MOV from and PUSH of a segment
     * register) raise #GP(0) at CPL > 0 in protected mode. None of them is one of the decode
     * cache's specialised forms, so the check costs nothing on the hot path.
     */
    boolean strict;

    public void setStrict(boolean enabled) {
        strict = enabled;
    }

    public boolean strict() {
        return strict;
    }

    /** Raises #GP(0) for a sensitive instruction at CPL > 0 on the strict CPU. */
    void strictCheck() {
        if (strict && pm && cpl() > 0) {
            throw CpuFault.gp(0);
        }
    }

    public void setFirmware(FirmwareHook hook) {
        this.firmware = hook;
    }

    public FirmwareHook firmware() {
        return firmware;
    }

    /** Driven by the interrupt controller's output. */
    public void setIntr(boolean level) {
        intr = level;
        updateEvents();
    }

    public boolean intr() {
        return intr;
    }

    public void raiseNmi() {
        nmiPending = true;
        updateEvents();
    }

    public boolean nmiPending() {
        return nmiPending;
    }

    public void clearNmi() {
        nmiPending = false;
        updateEvents();
    }

    public boolean halted() {
        return halted;
    }

    public void setHalted(boolean value) {
        halted = value;
        updateEvents();
    }

    /** Makes {@link #run} return {@link StopReason#REQUESTED} at the next instruction boundary. */
    public void requestStop() {
        stopRequested = true;
        updateEvents();
    }

    /**
     * Enters the shutdown state (SDM Vol. 3A 6.15, interrupt 8: a fault while delivering #DF, or a
     * triple fault found outside the run loop's own delivery, e.g. by a task switch): the current
     * {@link #run} returns {@link StopReason#TRIPLE_FAULT} at the end of the instruction, and every
     * later call returns it at once until {@link #reset}. NMI and INIT do not leave shutdown here.
     */
    public void enterShutdown() {
        shutdown = true;
        updateEvents();
    }

    /** True after a triple fault, until {@link #reset}. */
    public boolean inShutdown() {
        return shutdown;
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    public void clearStopRequest() {
        stopRequested = false;
        updateEvents();
    }

    // ---- coherent state changes ----

    public int cpl() {
        return cpl;
    }

    public void setCpl(int value) {
        cpl = value & 3;
        mmu.setCpl(cpl);
    }

    public int getEflags() {
        return Flags.materialize(this);
    }

    /** Sets every EFLAGS bit as given (reserved bit 1 forced on); privilege rules are the caller's. */
    public void setEflags(int value) {
        eflags = (value & 0x003F_7FD5) | 2;
        lfOp = Flags.NONE;
    }

    public boolean protectedMode() {
        return (cr0 & CR0_PE) != 0;
    }

    public boolean v86Mode() {
        return (eflags & VM) != 0;
    }

    public int iopl() {
        return (eflags >>> 12) & 3;
    }

    /** Loads a segment register's selector and hidden cache directly (no checks). */
    public void setSegmentCache(int seg, int selector, int base, int limit, int ar) {
        segSel[seg] = selector & 0xFFFF;
        segBase[seg] = base;
        segLimit[seg] = limit;
        segAr[seg] = ar;
        // Flat: a present, writable (so also readable), expand-up data segment with base 0 and a
        // 4 GiB limit. Its accesses pass every segment check in every mode (short of wrapping).
        boolean flat = base == 0 && limit == -1 && (ar & 0x9A) == 0x92 && (ar & 0x04) == 0;
        flatSegs = flat ? flatSegs | 1 << seg : flatSegs & ~(1 << seg);
    }

    /**
     * Bit {@code s} set when segment register {@code s} is flat (see {@link #setSegmentCache}),
     * so the decoded-instruction forms may use the offset as the linear address. The segment
     * caches must only be written through {@link #setSegmentCache}.
     */
    int flatSegs;

    /** True when the code segment's default operand and address size is 32 bits (CS.D). */
    public boolean codeSize32() {
        return protectedMode() && !v86Mode() && (segAr[CS] & 0x4000) != 0;
    }

    /** True when the stack uses ESP rather than SP (SS.B). */
    public boolean stackSize32() {
        return protectedMode() && !v86Mode() && (segAr[SS] & 0x4000) != 0;
    }

    /**
     * Executes instructions until {@code maxInstructions} steps have run or a stop condition occurs.
     * A step is one instruction, one batch of REP iterations, or one faulting instruction whose
     * exception is delivered; each advances {@code clock.cycles} by one per instruction or REP
     * iteration, so virtual time also advances in a guest stuck in a fault loop. Never throws for
     * anything the guest does.
     */
    public StopReason run(long maxInstructions) {
        if (trace != null) {
            return runTraced(maxInstructions);
        }
        final VirtualClock clk = clock;
        for (long n = 0; n < maxInstructions; n++) {
            if (clk.cycles >= clk.nextEventAt) {
                if (shutdown) {
                    return StopReason.TRIPLE_FAULT;
                }
                clk.runDueEvents();
            }
            if (events != 0 || inhibitInterrupts) {
                StopReason stop = boundary();
                if (stop != null) {
                    return stop;
                }
            }
            if (engine != Engine.INTERP && (eflags & (TF | RF)) == 0 && !debugActive && (dr[7] & 0xFF) == 0) {
                int steps = decoded.trace(this, (int) Math.min(maxInstructions - n, 1 << 30));
                if (steps > 0) {
                    n += steps - 1; // the trace advanced the clock for each of its steps
                    if (shutdown) {
                        return StopReason.TRIPLE_FAULT;
                    }
                    continue;
                }
            }
            if (!step()) {
                shutdown = true;
                updateEvents();
                return StopReason.TRIPLE_FAULT;
            }
            clk.cycles++;
            if (shutdown) {
                return StopReason.TRIPLE_FAULT;
            }
        }
        return StopReason.BUDGET;
    }

    /** {@link #run} with the execution log: the plain interpreter, the trace asked before each step. */
    private StopReason runTraced(long maxInstructions) {
        final VirtualClock clk = clock;
        final CpuTrace t = trace;
        for (long n = 0; n < maxInstructions; n++) {
            if (clk.cycles >= clk.nextEventAt) {
                if (shutdown) {
                    return StopReason.TRIPLE_FAULT;
                }
                clk.runDueEvents();
            }
            if (events != 0 || inhibitInterrupts) {
                StopReason stop = boundary();
                if (stop != null) {
                    if (stop == StopReason.TRIPLE_FAULT) {
                        t.tripleFault(this);
                    }
                    return stop;
                }
            }
            t.beforeInstruction(this);
            if (!step()) {
                shutdown = true;
                updateEvents();
                t.tripleFault(this);
                return StopReason.TRIPLE_FAULT;
            }
            clk.cycles++;
            if (shutdown) {
                t.tripleFault(this);
                return StopReason.TRIPLE_FAULT;
            }
        }
        return StopReason.BUDGET;
    }

    /**
     * The slow part of an instruction boundary, taken only when {@link #events} or the interrupt
     * shadow is set: shutdown, stop requests, NMI and INTR delivery, HLT. Returns why the run
     * loop must stop, or null to execute the next instruction.
     */
    private StopReason boundary() {
        if (shutdown) {
            return StopReason.TRIPLE_FAULT;
        }
        if (stopRequested) {
            return StopReason.REQUESTED;
        }
        boolean inhibited = inhibitInterrupts;
        inhibitInterrupts = false;
        if (!inhibited) {
            if (nmiPending && !nmiBlocked) {
                nmiPending = false;
                updateEvents();
                nmiBlocked = true;
                halted = false;
                updateEvents();
                if (!deliverExternal(2)) {
                    shutdown = true;
                    updateEvents();
                    return StopReason.TRIPLE_FAULT;
                }
            } else if (intr && (eflags & IF) != 0 && interruptController != null) {
                halted = false;
                updateEvents();
                if (!deliverExternal(interruptController.acknowledge())) {
                    shutdown = true;
                    updateEvents();
                    return StopReason.TRIPLE_FAULT;
                }
            }
        }
        if (shutdown) {
            return StopReason.TRIPLE_FAULT;
        }
        if (halted) {
            return (eflags & IF) == 0 && !nmiPending ? StopReason.HALTED_FOREVER : StopReason.HALTED;
        }
        return null;
    }

    private boolean deliverExternal(int vector) {
        int savedEsp = regs[ESP];
        try {
            Interrupts.deliver(this, vector, Interrupts.EXTERNAL, -1);
            return true;
        } catch (CpuFault fault) {
            regs[ESP] = savedEsp;
            return Interrupts.raiseException(this, fault);
        }
    }

    /** Executes one instruction (or one REP iteration); false on triple fault. */
    private boolean step() {
        final int startEip = eip;
        final int startEsp = regs[ESP];
        final boolean singleStep = (eflags & TF) != 0;
        suppressSingleStep = false;
        keepRf = false;
        boolean debug = (dr[7] & 0xFF) != 0;
        debugActive = debug;
        final boolean ssShadowed = ssShadowAt == instructions;
        if (debug) {
            dataBreakHits = 0;
            if ((eflags & RF) == 0 && !ssShadowed) {
                int hits = Debug.instructionHits(this, segBase[CS] + startEip);
                if (hits != 0) {
                    dr[6] |= hits;
                    return Interrupts.raiseException(this, CpuFault.of(jx86.arch.Vectors.DB));
                }
            }
        }
        try {
            Exec.execute(this);
        } catch (CpuFault fault) {
            eip = startEip;
            regs[ESP] = startEsp;
            heldDebugBits = 0; // a fault in the SS shadow discards the held traps (see docs/cpu.md)
            return Interrupts.raiseException(this, fault);
        }
        instructions++;
        if (!keepRf) {
            eflags &= ~RF;
        }
        int trapBits = debug ? dataBreakHits : 0;
        if (ssShadowAt == instructions) {
            heldDebugBits = trapBits; // MOV SS / POP SS: its data breakpoints wait one instruction
            trapBits = 0;
        } else if (heldDebugBits != 0) {
            trapBits |= heldDebugBits;
            heldDebugBits = 0;
        }
        if (singleStep && !suppressSingleStep) {
            trapBits |= 0x4000; // DR6.BS
        }
        if (trapBits != 0) {
            dr[6] |= trapBits;
            return Interrupts.raiseException(this, CpuFault.of(jx86.arch.Vectors.DB));
        }
        return true;
    }

    // ---- instruction fetch (used by the decoder and the trace runner) ----

    int events() {
        return events;
    }

    /** True when {@link #boundary} (outside an interrupt shadow) would neither deliver nor stop. */
    boolean boundaryQuiet() {
        return events == 0 || (!shutdown && !stopRequested && !halted && (!nmiPending || nmiBlocked)
                && !(intr && (eflags & IF) != 0 && interruptController != null));
    }

    jx86.memory.PhysicalMemory memory() {
        return mem;
    }

    boolean fetchRam() {
        return fetchRam;
    }

    int fetchEpoch() {
        return fetchEpoch;
    }

    int fetchPage() {
        return fetchPage;
    }

    int fetchPhys() {
        return fetchPhys;
    }

    /**
     * For the trace runner: the physical frame of an instruction fetch at linear {@code la} if
     * that fetch would hit the I-TLB (so cannot miss or fault) and lands in RAM, else -1. Counts
     * and changes nothing; {@link #moveFetchPage} then makes it the fetch page.
     */
    int peekFetchFrame(int la) {
        int frame = mmu.peekFetchHit(la);
        if (frame == -1) {
            return -1;
        }
        frame &= mem.a20Mask();
        return mem.kindOf(frame) == jx86.memory.PhysicalMemory.KIND_RAM ? frame : -1;
    }

    /**
     * Translates the fetch at linear {@code la} (counted as the first fetch of an instruction; may
     * fault) and makes its page the fetch page. The trace runner calls it only after
     * {@link #peekFetchFrame} said the fetch hits.
     */
    void moveFetchPage(int la) {
        int frame = mmu.translateFetch(la) & mem.a20Mask() & ~0xFFF;
        setFetchPage(la, frame, mem.kindOf(frame) == jx86.memory.PhysicalMemory.KIND_RAM);
    }

    /**
     * {@link #moveFetchPage} for the trace runner, after {@link #peekFetchFrame} returned
     * {@code frame} for {@code la} (and nothing ran in between): the translation counts the same,
     * but its frame and that it is RAM are known, so they are not looked up again.
     */
    void moveFetchPage(int la, int frame) {
        mmu.translateFetch(la);
        setFetchPage(la, frame, true);
    }

    /** The fetch window's page: linear {@code la}'s page is physical {@code frame}, RAM or not. */
    private void setFetchPage(int la, int frame, boolean ram) {
        fetchPhys = frame;
        fetchRam = ram;
        fetchPage = la & ~0xFFF;
        fetchEpoch = mmu.fetchEpoch();
    }

    /**
     * Forgets the fetch window (the bytes already proven fetchable for this instruction), so the
     * next fetch re-checks limits and page. Called at the start of every instruction and whenever
     * {@link #ip} moves backwards.
     */
    void resetFetchWindow() {
        fetchAvail = 0;
    }

    /**
     * Opens the fetch of a new instruction at CS:{@link #eip}. Common case: the instruction starts
     * in the RAM page the previous fetch translated and the translation is still valid (same
     * {@link Mmu#fetchEpoch}): the I-TLB hit the first byte would cost is counted without a
     * lookup and the window covers up to 15 bytes within the page and the CS limit. Otherwise the
     * first {@link #fetch8} takes the checked path.
     */
    void beginFetch() {
        fetchCounted = false;
        fetchAvail = 0;
        int off = eip;
        int la = segBase[CS] + off;
        if ((la & ~0xFFF) == fetchPage && fetchRam && fetchEpoch == mmu.fetchEpoch()) {
            long inLimit = (segLimit[CS] & 0xFFFF_FFFFL) - (off & 0xFFFF_FFFFL) + 1;
            if (inLimit > 0) {
                mmu.repeatFetchHits(1);
                fetchCounted = true;
                fetchAvail = (int) Math.min(Math.min(0x1000 - (la & 0xFFF), 15), inLimit);
                fetchNext = fetchPhys | (la & 0xFFF);
            }
        }
    }

    /**
     * Fetches the next instruction byte at CS:ip with the CS limit and 15-byte checks. Fast path:
     * the first byte fetched in a RAM page opens a window of the following bytes that pass every
     * check (same page, within the CS limit, within 15 bytes of the instruction start); those are
     * read straight from RAM. RAM is read on every fetch, so stores and DMA are always seen.
     */
    int fetch8() {
        if (fetchAvail > 0) {
            fetchAvail--;
            ip++;
            return mem.ramRead8(fetchNext++);
        }
        return fetch8Slow();
    }

    private int fetch8Slow() {
        int off = ip;
        if (off - insnEip >= 15 || Integer.compareUnsigned(off, segLimit[CS]) > 0) {
            throw CpuFault.gp(0);
        }
        ip = off + 1;
        int la = segBase[CS] + off;
        int page = la & ~0xFFF;
        // The I-TLB is consulted once per instruction per page, as on the first fetch of each
        // instruction; a page already translated by an earlier instruction is reused while the
        // MMU's fetch epoch says the translation (and its rights) cannot have changed.
        if (page != fetchPage || (!fetchCounted && fetchEpoch != mmu.fetchEpoch())) {
            moveFetchPage(la);
            fetchCounted = true;
        } else if (!fetchCounted) {
            mmu.repeatFetchHits(1);
            fetchCounted = true;
        }
        int pa = fetchPhys | (la & 0xFFF);
        if (!fetchRam) {
            return mem.read8(pa);
        }
        long toLimit = (segLimit[CS] & 0xFFFF_FFFFL) - (off & 0xFFFF_FFFFL);
        int avail = Math.min(0xFFF - (la & 0xFFF), 14 - (off - insnEip));
        fetchAvail = (int) Math.min(avail, toLimit);
        fetchNext = pa + 1;
        return mem.ramRead8(pa);
    }

    int fetch16() {
        if (fetchAvail >= 2) {
            fetchAvail -= 2;
            ip += 2;
            int v = mem.ramRead16(fetchNext);
            fetchNext += 2;
            return v;
        }
        int lo = fetch8();
        return lo | (fetch8() << 8);
    }

    int fetch32() {
        if (fetchAvail >= 4) {
            fetchAvail -= 4;
            ip += 4;
            int v = mem.ramRead32(fetchNext);
            fetchNext += 4;
            return v;
        }
        int lo = fetch16();
        return lo | (fetch16() << 16);
    }

    /** Fetches an immediate of {@code size} bytes, zero-extended. */
    int fetchImm(int size) {
        return size == 1 ? fetch8() : size == 2 ? fetch16() : fetch32();
    }

    /** Fetches an immediate of {@code size} bytes, sign-extended to 32 bits. */
    int fetchSigned(int size) {
        return size == 1 ? (byte) fetch8() : size == 2 ? (short) fetch16() : fetch32();
    }
}
