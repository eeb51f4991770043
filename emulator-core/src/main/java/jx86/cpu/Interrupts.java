package jx86.cpu;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;

/**
 * Interrupt and exception delivery (SDM Vol. 3A chapter 6): the real-mode IVT, the protected-mode
 * IDT with interrupt, trap and task gates, privilege change to the TSS's SS0:ESP0 (and V86 exits),
 * error codes, double-fault escalation and triple fault.
 *
 * <p>Calling convention: {@code cpu.eip} holds the EIP to push: the faulting instruction's for
 * faults (the run loop has already rolled the instruction back), the next instruction's for traps,
 * INT n/INT3/INTO and external interrupts. Nothing (segment registers, CPL, ESP, EFLAGS) changes
 * until every check and every stack write of the delivery has succeeded.
 *
 * <p>EXT bit (SDM 6.13): set in error codes of faults raised while delivering an external
 * interrupt or a processor exception; clear for INT n / INT3 / INTO.
 *
 * <p>Not modelled: CR4.VME/PVI interrupt redirection in V86 mode (INT n with IOPL < 3 is #GP(0)),
 * and SMI.
 */
public final class Interrupts {
    /** Hardware interrupt from the INTR pin (IF was 1), or NMI: no DPL check, EXT=1 in error codes. */
    public static final int EXTERNAL = 0;
    /** A processor exception (fault or trap): no DPL check, EXT=1 in error codes of nested faults. */
    public static final int EXCEPTION = 1;
    /** INT n: gate DPL must be >= CPL (else #GP(vector*8+2)); in V86 mode IOPL rules apply. */
    public static final int SOFTWARE = 2;
    /** INT3 and INTO: DPL checked like INT n but not subject to V86 IOPL redirection. */
    public static final int SOFTWARE_TRAP = 3;

    private static final int BENIGN = 0;
    private static final int CONTRIBUTORY = 1;
    private static final int PAGE_FAULT = 2;

    private Interrupts() {
    }

    /**
     * Delivers {@code vector}. May itself throw {@link CpuFault} (e.g. #GP for a bad gate, #PF while
     * pushing); callers that deliver an exception use {@link #raiseException} instead, which turns
     * such nested faults into #DF or a triple fault. {@code errorCode} is pushed unless it is -1
     * (protected mode only).
     */
    public static void deliver(Cpu cpu, int vector, int kind, int errorCode) {
        vector &= 0xFF;
        if (cpu.trace != null) {
            cpu.trace.interrupt(cpu, vector, kind, errorCode);
        }
        if (!cpu.protectedMode()) {
            deliverReal(cpu, vector);
            return;
        }
        if (cpu.v86Mode() && kind == SOFTWARE && cpu.iopl() < 3) {
            throw CpuFault.gp(0);
        }
        boolean software = kind == SOFTWARE || kind == SOFTWARE_TRAP;
        int ext = software ? 0 : 1;
        int idtCode = vector * 8 + 2 + ext;
        if (vector * 8 + 7 > (cpu.idtrLimit & 0xFFFF)) {
            throw CpuFault.gp(idtCode);
        }
        int la = cpu.idtrBase + vector * 8;
        long gate = Descriptor.of(cpu.mmu.readSys32(la), cpu.mmu.readSys32(la + 4));
        int type = Descriptor.type(gate);
        boolean validType = type == Descriptor.TASK_GATE || type == Descriptor.INTERRUPT_GATE16
                || type == Descriptor.TRAP_GATE16 || type == Descriptor.INTERRUPT_GATE32
                || type == Descriptor.TRAP_GATE32;
        if (!Descriptor.isSystem(gate) || !validType) {
            throw CpuFault.gp(idtCode);
        }
        if (software && Descriptor.dpl(gate) < cpu.cpl()) {
            throw CpuFault.gp(vector * 8 + 2);
        }
        if (!Descriptor.present(gate)) {
            throw CpuFault.withCode(Vectors.NP, idtCode);
        }
        if (type == Descriptor.TASK_GATE) {
            if (TaskSwitch.throughTaskGate(cpu, gate, TaskSwitch.INT, ext) && errorCode != -1) {
                pushErrorCodeInNewTask(cpu, errorCode);
            }
            return;
        }
        throughGate(cpu, gate, ext, errorCode);
    }

    /** Interrupt or trap gate (SDM Vol. 2 INT n, INTER-/INTRA-PRIVILEGE-LEVEL-INTERRUPT). */
    private static void throughGate(Cpu cpu, long gate, int ext, int errorCode) {
        int target = Descriptor.gateSelector(gate);
        if ((target & 0xFFFC) == 0) {
            throw CpuFault.gp(ext);
        }
        long cd = DescriptorTables.fetch(cpu, target, Vectors.GP, ext);
        int cpl = cpu.cpl();
        int dpl = Descriptor.dpl(cd);
        if (!Descriptor.isCode(cd) || dpl > cpl) {
            throw CpuFault.gp((target & 0xFFFC) | ext);
        }
        if (!Descriptor.present(cd)) {
            throw CpuFault.withCode(Vectors.NP, (target & 0xFFFC) | ext);
        }
        int offset = Descriptor.gateOffset(gate);
        int size = Descriptor.gate32(gate) ? 4 : 2;
        boolean v86 = cpu.v86Mode();
        int oldFlags = cpu.getEflags();
        int newFlags = oldFlags & ~(Cpu.TF | Cpu.NT | Cpu.RF | Cpu.VM);
        if ((Descriptor.type(gate) & 1) == 0) {
            newFlags &= ~Cpu.IF; // interrupt gate
        }
        int slots = errorCode != -1 ? 1 : 0;
        if (!Descriptor.conformingCode(cd) && dpl < cpl) {
            if (v86 && dpl != 0) {
                throw CpuFault.gp((target & 0xFFFC) | ext);
            }
            long stack = PrivilegedStack.innerStack(cpu, dpl, ext);
            int newSs = (int) (stack >>> 32);
            int newEsp = (int) stack;
            long sd = PrivilegedStack.checkSs(cpu, newSs, dpl, ext);
            slots += v86 ? 9 : 5;
            int frame = slots * size;
            int ssBase = Descriptor.base(sd);
            int ssAr = Descriptor.ar(sd);
            int frameLa = StackAccess.address(ssBase, Descriptor.limit(sd), ssAr, newEsp, -frame, frame,
                    (newSs & 0xFFFC) | ext);
            if (!Segments.withinLimit(offset, Descriptor.limit(cd))) {
                throw CpuFault.gp(ext);
            }
            cpu.setCpl(dpl);
            try {
                cpu.mmu.checkWrite(frameLa, frame);
                int disp = 0;
                if (v86) {
                    disp = push(cpu, ssBase, ssAr, newEsp, disp, size, cpu.segSel[Cpu.GS]);
                    disp = push(cpu, ssBase, ssAr, newEsp, disp, size, cpu.segSel[Cpu.FS]);
                    disp = push(cpu, ssBase, ssAr, newEsp, disp, size, cpu.segSel[Cpu.DS]);
                    disp = push(cpu, ssBase, ssAr, newEsp, disp, size, cpu.segSel[Cpu.ES]);
                }
                disp = push(cpu, ssBase, ssAr, newEsp, disp, size, cpu.segSel[Cpu.SS]);
                disp = push(cpu, ssBase, ssAr, newEsp, disp, size, cpu.regs[Cpu.ESP]);
                pushReturnFrame(cpu, ssBase, ssAr, newEsp, disp, size, oldFlags, errorCode);
            } catch (CpuFault f) {
                cpu.setCpl(cpl);
                throw f;
            }
            if (v86) {
                for (int seg = Cpu.ES; seg <= Cpu.GS; seg++) {
                    if (seg != Cpu.CS && seg != Cpu.SS) {
                        cpu.setSegmentCache(seg, 0, 0, 0, 0);
                    }
                }
            }
            Segments.loadSs(cpu, newSs, sd);
            Segments.loadCs(cpu, target, cd, dpl);
            cpu.regs[Cpu.ESP] = StackAccess.adjust(ssAr, newEsp, -frame);
        } else {
            if (v86) {
                throw CpuFault.gp((target & 0xFFFC) | ext);
            }
            slots += 3;
            int frame = slots * size;
            int ssBase = cpu.segBase[Cpu.SS];
            int ssAr = StackAccess.currentAr(cpu);
            int esp = cpu.regs[Cpu.ESP];
            StackAccess.checkRoom(cpu, ssBase, cpu.segLimit[Cpu.SS], ssAr, esp, frame, ext);
            if (!Segments.withinLimit(offset, Descriptor.limit(cd))) {
                throw CpuFault.gp(ext);
            }
            pushReturnFrame(cpu, ssBase, ssAr, esp, 0, size, oldFlags, errorCode);
            Segments.loadCs(cpu, target, cd, cpl);
            cpu.regs[Cpu.ESP] = StackAccess.adjust(ssAr, esp, -frame);
        }
        cpu.setEflags(newFlags);
        cpu.eip = offset;
    }

    private static int push(Cpu cpu, int base, int ar, int esp, int disp, int size, int value) {
        disp -= size;
        StackAccess.put(cpu, base, ar, esp, disp, size, value);
        return disp;
    }

    /** EFLAGS, CS, EIP and the optional error code. */
    private static void pushReturnFrame(Cpu cpu, int base, int ar, int esp, int disp, int size, int flags,
            int errorCode) {
        disp = push(cpu, base, ar, esp, disp, size, flags);
        disp = push(cpu, base, ar, esp, disp, size, cpu.segSel[Cpu.CS]);
        disp = push(cpu, base, ar, esp, disp, size, cpu.eip);
        if (errorCode != -1) {
            push(cpu, base, ar, esp, disp, size, errorCode);
        }
    }

    /** After a task switch for an exception, its error code goes on the new task's stack. */
    private static void pushErrorCodeInNewTask(Cpu cpu, int errorCode) {
        int size = PrivilegedStack.tss32(cpu) ? 4 : 2;
        int ar = StackAccess.currentAr(cpu);
        int esp = cpu.regs[Cpu.ESP];
        int base = cpu.segBase[Cpu.SS];
        StackAccess.checkRoom(cpu, base, cpu.segLimit[Cpu.SS], ar, esp, size, 0);
        StackAccess.put(cpu, base, ar, esp, -size, size, errorCode);
        cpu.regs[Cpu.ESP] = StackAccess.adjust(ar, esp, -size);
    }

    /** Real mode (SDM Vol. 2 INT n, REAL-ADDRESS-MODE): IVT entry, push FLAGS/CS/IP, clear IF TF AC. */
    private static void deliverReal(Cpu cpu, int vector) {
        if (vector * 4 + 3 > (cpu.idtrLimit & 0xFFFF)) {
            throw CpuFault.gp(0);
        }
        int ip = cpu.mmu.readSys16(cpu.idtrBase + vector * 4);
        int cs = cpu.mmu.readSys16(cpu.idtrBase + vector * 4 + 2);
        int ssBase = cpu.segBase[Cpu.SS];
        int ar = StackAccess.currentAr(cpu);
        int esp = cpu.regs[Cpu.ESP];
        StackAccess.checkRoom(cpu, ssBase, cpu.segLimit[Cpu.SS], ar, esp, 6, 0);
        int flags = cpu.getEflags();
        pushReturnFrame(cpu, ssBase, ar, esp, 0, 2, flags, -1);
        cpu.regs[Cpu.ESP] = StackAccess.adjust(ar, esp, -6);
        cpu.setEflags(flags & ~(Cpu.IF | Cpu.TF | Cpu.AC | Cpu.RF));
        Segments.loadRealCs(cpu, cs);
        cpu.eip = ip;
    }

    /**
     * Delivers exception {@code fault} raised by the current instruction, applying the SDM Table
     * 6-5 rules for faults during delivery (contributory + contributory = #DF, #PF + #PF/contributory
     * = #DF, anything during #DF = shutdown). Sets CR2 for #PF. Returns false when the processor
     * entered shutdown (triple fault); the run loop then stops with {@link StopReason#TRIPLE_FAULT}.
     */
    public static boolean raiseException(Cpu cpu, CpuFault fault) {
        int vector = fault.vector;
        int code = fault.errorCode;
        int linear = fault.linearAddress;
        // Each round either succeeds or moves one class up (benign -> other -> #DF -> shutdown).
        for (int round = 0; round < 8; round++) {
            if (vector == Vectors.PF) {
                cpu.cr2 = linear;
            }
            int pushed = pushesErrorCode(vector) ? (code == CpuFault.NO_ERROR_CODE ? 0 : code) : -1;
            try {
                deliver(cpu, vector, EXCEPTION, pushed);
                return true;
            } catch (CpuFault nested) {
                if (vector == Vectors.DF) {
                    return false;
                }
                if (isDoubleFault(vector, nested.vector)) {
                    vector = Vectors.DF;
                    code = 0;
                    linear = 0;
                } else {
                    vector = nested.vector;
                    code = nested.errorCode;
                    linear = nested.linearAddress;
                }
            }
        }
        return false;
    }

    /** Exceptions that push an error code (SDM Table 6-1). */
    static boolean pushesErrorCode(int vector) {
        return vector == Vectors.DF || vector == Vectors.TS || vector == Vectors.NP || vector == Vectors.SS
                || vector == Vectors.GP || vector == Vectors.PF || vector == Vectors.AC;
    }

    /** SDM Table 6-5: does {@code second}, raised while delivering {@code first}, make a #DF? */
    static boolean isDoubleFault(int first, int second) {
        int a = classOf(first);
        int b = classOf(second);
        return (a == CONTRIBUTORY && b == CONTRIBUTORY) || (a == PAGE_FAULT && b != BENIGN);
    }

    private static int classOf(int vector) {
        switch (vector) {
            case Vectors.DE, Vectors.TS, Vectors.NP, Vectors.SS, Vectors.GP:
                return CONTRIBUTORY;
            case Vectors.PF:
                return PAGE_FAULT;
            default:
                return BENIGN;
        }
    }
}
