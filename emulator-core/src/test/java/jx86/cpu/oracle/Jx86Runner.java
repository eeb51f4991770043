package jx86.cpu.oracle;

import jx86.bus.IoBus;
import jx86.clock.VirtualClock;
import jx86.cpu.Cpu;
import jx86.cpu.StopReason;
import jx86.memory.PhysicalMemory;
import jx86.mmu.Mmu;

/**
 * Runs oracle cases on jx86's CPU, set up like the native runner's Linux process: flat 32-bit
 * protected mode at CPL 3 (code 0x23, data 0x2B, FS/GS null, base 0, limit 4 GiB), IF=1, IOPL=0, the window
 * and the code at the same linear addresses. Exceptions go through a real IDT (interrupt gates to
 * ring-0 handler stubs at {@link #HANDLERS} + 16*vector, stack from the TSS), so the vector and the
 * faulting state can be read back from the ring-0 frame.
 *
 * <p>One machine is reused for every case (a 4 MiB PhysicalMemory per case would dominate the run).
 */
final class Jx86Runner {
    private static final int GDT = 0x0012_0000;
    private static final int IDT = 0x0012_0800;
    private static final int TSS = 0x0012_1000;
    static final int HANDLERS = 0x0012_2000;
    private static final int RING0_STACK_TOP = 0x0013_0000;
    private static final int PAGE_DIR = 0x0014_0000;
    private static final int PAGE_TABLE = 0x0014_1000;
    /** The selectors a 32-bit process sees under x86-64 Linux, so MOV r/m,Sreg and PUSH Sreg compare. */
    private static final int CODE_SEL = 0x23;
    private static final int DATA_SEL = 0x2B;
    private static final int TSS_SEL = 0x18;
    private static final int BUDGET = 20_000;

    private final PhysicalMemory mem = new PhysicalMemory(4 << 20);
    private final VirtualClock clock = new VirtualClock();
    private final Mmu mmu = new Mmu(mem, clock);
    private final Cpu cpu = jx86.cpu.ExecutionPath.apply(new Cpu(mmu, new IoBus(), clock));

    Jx86Runner() {
        writeDescriptor(GDT, 0, 0, 0, 0);
        writeDescriptor(GDT + 8, 0, 0xFFFFF, 0x9A, 0xC);   // ring-0 code
        writeDescriptor(GDT + 16, 0, 0xFFFFF, 0x92, 0xC);  // ring-0 data
        writeDescriptor(GDT + 24, TSS, 0x67, 0x8B, 0x0);   // busy 32-bit TSS
        writeDescriptor(GDT + 32, 0, 0xFFFFF, 0xFA, 0xC);  // ring-3 code
        writeDescriptor(GDT + 40, 0, 0xFFFFF, 0xF2, 0xC);  // ring-3 data
        for (int v = 0; v < 32; v++) {
            int handler = HANDLERS + 16 * v;
            mem.write32(IDT + 8 * v, (handler & 0xFFFF) | 0x08 << 16);
            mem.write32(IDT + 8 * v + 4, (handler & 0xFFFF0000) | 0x8E00);
            for (int i = 0; i < 16; i++) {
                mem.write8(handler + i, 0xF4); // HLT: never reached, the runner stops at the handler
            }
        }
        mem.write32(TSS + 4, RING0_STACK_TOP);
        mem.write32(TSS + 8, 0x10);
        mem.write16(TSS + 0x66, 0x68);
        // Page tables mapping what the native process has mapped at these addresses (window and code,
        // user read/write; the page after the window user read-only) plus the supervisor-only system
        // pages; everything else is not present.
        mem.write32(PAGE_DIR, PAGE_TABLE | 0x7);
        for (int page : new int[] {0x100, 0x101, 0x110, 0x111}) {
            mem.write32(PAGE_TABLE + 4 * page, page << 12 | 0x7);
        }
        mem.write32(PAGE_TABLE + 4 * (OracleCase.READ_ONLY_PAGE >>> 12), OracleCase.READ_ONLY_PAGE | 0x5);
        for (int i = 0; i < 4096; i++) {
            mem.write8(OracleCase.READ_ONLY_PAGE + i, OracleCase.readOnlyByte(i));
        }
        for (int page : new int[] {0x120, 0x121, 0x122, 0x12F}) {
            mem.write32(PAGE_TABLE + 4 * page, page << 12 | 0x3);
        }
        paging = probePaging();
    }

    /** True when jx86's MMU implements paging (the placeholder MMU maps linear = physical). */
    private final boolean paging;

    boolean pagingActive() {
        return paging;
    }

    private boolean probePaging() {
        cpu.reset();
        cpu.setCr0(cpu.cr0 | Cpu.CR0_PE | Cpu.CR0_PG);
        cpu.setCr3(PAGE_DIR);
        mmu.setCr3(PAGE_DIR);
        mmu.setCr0(cpu.cr0);
        boolean active = mmu.peekTranslate(0x0030_0000) == -1 && mmu.peekTranslate(OracleCase.WINDOW_ADDRESS)
                == OracleCase.WINDOW_ADDRESS;
        cpu.reset();
        return active;
    }

    private void writeDescriptor(int at, int base, int limit, int access, int flags) {
        mem.write32(at, (limit & 0xFFFF) | (base & 0xFFFF) << 16);
        mem.write32(at + 4, (base >>> 16 & 0xFF) | access << 8 | (limit >>> 16 & 0xF) << 16 | flags << 20
                | (base & 0xFF000000));
    }

    /** Runs {@code c} one instruction per {@code Cpu.run(1)} call (the stepping mode). */
    OracleResult run(OracleCase c) {
        return run(c, false);
    }

    /**
     * Runs {@code c}. Stepping mode calls {@code run(1)} and stops when EIP reaches the end of the
     * block. Batch mode makes one {@code run(BUDGET)} call (exercising the run loop's own
     * instruction sequencing): a HLT after the block raises #GP at CPL 3, whose delivery ends the
     * run at the ring-0 stub (HLT with IF=0); a #GP at the end address therefore means "completed".
     */
    OracleResult run(OracleCase c, boolean batch) {
        for (int i = 0; i < c.code.length; i++) {
            mem.write8(c.codeAddress + i, c.code[i]);
        }
        int end = c.codeAddress + c.code.length;
        mem.write8(end, 0xF4);
        mem.load(OracleCase.WINDOW_ADDRESS, c.window);
        OracleResult r = execute(c, end, batch);
        // Without exception delivery the vector is unknown: with TF set, the exception at the end is
        // the single-step trap after the last instruction, not the HLT's #GP.
        boolean hltGp = r.vector == 13 || (r.vector == OracleResult.UNDELIVERED && (r.eflags & Cpu.TF) == 0);
        if (hltGp && r.eip == end && batch && r.crash == null) {
            return new OracleResult(OracleResult.COMPLETED, end, r.regs, r.eflags, r.window, null);
        }
        return r;
    }

    private OracleResult execute(OracleCase c, int end, boolean batch) {
        try {
            cpu.reset();
            enterUserMode(c);
            if (batch) {
                StopReason why = cpu.run(BUDGET);
                if (cpu.segSel[Cpu.CS] == 0x08) {
                    return faulted();
                }
                return new OracleResult(OracleResult.UNKNOWN_FAULT, cpu.eip, cpu.regs.clone(), cpu.getEflags(),
                        window(), why == StopReason.TRIPLE_FAULT ? null : "batch run ended with " + why + " at eip "
                        + Integer.toHexString(cpu.eip));
            }
            for (int step = 0; step < BUDGET; step++) {
                if (cpu.segSel[Cpu.CS] == 0x08) {
                    return faulted();
                }
                if (cpu.eip == end) {
                    return new OracleResult(OracleResult.COMPLETED, end, cpu.regs.clone(), cpu.getEflags(),
                            window(), null);
                }
                StopReason why = cpu.run(1);
                if (why == StopReason.TRIPLE_FAULT) {
                    break;
                }
            }
            return new OracleResult(OracleResult.UNKNOWN_FAULT, cpu.eip, cpu.regs.clone(), cpu.getEflags(), window(),
                    null);
        } catch (UnsupportedOperationException e) {
            if ("exception delivery".equals(e.getMessage())) {
                // Interrupts.raiseException is still a placeholder: the instruction was rolled back,
                // so the faulting state is in the CPU; only the vector is unknown.
                return new OracleResult(OracleResult.UNDELIVERED, cpu.eip, cpu.regs.clone(), cpu.getEflags(),
                        window(), null);
            }
            return new OracleResult(OracleResult.UNKNOWN_FAULT, cpu.eip, cpu.regs.clone(), cpu.getEflags(), window(),
                    e.toString());
        } catch (RuntimeException | StackOverflowError e) {
            return new OracleResult(OracleResult.UNKNOWN_FAULT, cpu.eip, cpu.regs.clone(), cpu.getEflags(), window(),
                    e.toString());
        }
    }

    private void enterUserMode(OracleCase c) {
        cpu.setCr0(cpu.cr0 | Cpu.CR0_PE | Cpu.CR0_NE); // NE as Linux runs: x87 errors are #MF (vector 16)
        if (paging) {
            cpu.setCr0(cpu.cr0 | Cpu.CR0_PG);
            cpu.setCr3(PAGE_DIR);
            mmu.setCr3(PAGE_DIR);
        }
        mmu.setCr0(cpu.cr0);
        cpu.gdtrBase = GDT;
        cpu.gdtrLimit = 6 * 8 - 1;
        cpu.idtrBase = IDT;
        cpu.idtrLimit = 32 * 8 - 1;
        cpu.trSel = TSS_SEL;
        cpu.trBase = TSS;
        cpu.trLimit = 0x67;
        cpu.trAr = 0x8B;
        cpu.setSegmentCache(Cpu.CS, CODE_SEL, 0, 0xFFFF_FFFF, 0xC0FB);
        for (int s : new int[] {Cpu.ES, Cpu.SS, Cpu.DS}) {
            cpu.setSegmentCache(s, DATA_SEL, 0, 0xFFFF_FFFF, 0xC0F3);
        }
        // FS and GS hold the null selector, as in the native process (no FS/GS overrides are generated)
        cpu.setSegmentCache(Cpu.FS, 0, 0, 0, 0);
        cpu.setSegmentCache(Cpu.GS, 0, 0, 0, 0);
        cpu.setCpl(3);
        System.arraycopy(c.regs, 0, cpu.regs, 0, 8);
        cpu.eip = c.codeAddress;
        cpu.setEflags(c.eflags | Cpu.IF);
    }

    /** Reads the interrupted state from the ring-0 frame: [error code] EIP CS EFLAGS ESP SS. */
    private OracleResult faulted() {
        int vector = (cpu.eip - HANDLERS) >> 4;
        int sp = cpu.regs[Cpu.ESP];
        boolean hasCode = vector == 8 || (vector >= 10 && vector <= 14) || vector == 17;
        if (hasCode) {
            sp += 4;
        }
        int[] regs = cpu.regs.clone();
        int eip = mem.read32(sp);
        int eflags = mem.read32(sp + 8);
        regs[Cpu.ESP] = mem.read32(sp + 12);
        OracleResult r = new OracleResult(vector, eip, regs, eflags, window(), null);
        if (vector == 14) {
            r.errorCode = mem.read32(sp - 4);
            r.faultAddress = cpu.cr2;
        }
        return r;
    }

    private byte[] window() {
        return mem.dump(OracleCase.WINDOW_ADDRESS, OracleCase.WINDOW_SIZE);
    }
}
