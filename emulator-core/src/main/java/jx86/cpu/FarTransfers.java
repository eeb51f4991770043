package jx86.cpu;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;

/**
 * Far JMP, far CALL, far RET and IRET in every mode (SDM Vol. 2 JMP/CALL/RET/IRET, Vol. 3A 5.8):
 * real mode, protected mode to conforming and non-conforming code, call gates with parameter copy
 * and privilege change through the TSS stack, task gates and TSS selectors (hardware task switch),
 * returns to an outer level (nulling data segment registers the outer level may not use), IRET to
 * V86 mode and nested-task return (IRET lives in {@link InterruptReturn}).
 *
 * <p>Calling convention: when these run, {@code cpu.eip} already holds the offset of the NEXT
 * instruction (the return address for CALL). On a fault the caller restores EIP/ESP; these methods
 * must not leave half-changed state they cannot roll back (check before commit): every check and
 * every stack write happens before the first segment register, CPL or ESP is changed. A task
 * switch is the exception: faults after its commit point are delivered in the new task (see
 * {@link TaskSwitch}).
 *
 * <p>Not modelled: 16-bit selectors pushed into 32-bit slots are written zero-extended (some
 * processors leave the upper word unchanged).
 */
public final class FarTransfers {
    private FarTransfers() {
    }

    /** Real and V86 mode: #GP(0) unless the target offset lies within the current CS limit. */
    private static void checkRealTarget(Cpu cpu, int offset) {
        if (!Segments.withinLimit(offset, cpu.segLimit[Cpu.CS])) {
            throw CpuFault.gp(0);
        }
    }

    /** Real and V86 mode: CS := selector the real-mode way, EIP := offset. */
    private static void enterRealCs(Cpu cpu, int selector, int offset) {
        Segments.loadRealCs(cpu, selector);
        cpu.eip = offset;
    }

    public static void farJump(Cpu cpu, int selector, int offset, boolean operand32) {
        selector &= 0xFFFF;
        if (!operand32) {
            offset &= 0xFFFF;
        }
        if (!cpu.protectedMode() || cpu.v86Mode()) {
            checkRealTarget(cpu, offset);
            enterRealCs(cpu, selector, offset);
            return;
        }
        long d = fetchTarget(cpu, selector);
        int cpl = cpu.cpl();
        if (!Descriptor.isSystem(d)) {
            checkDirectCode(cpu, selector, d);
            jumpTo(cpu, selector, d, offset, cpl);
            return;
        }
        switch (Descriptor.type(d)) {
            case Descriptor.CALL_GATE16, Descriptor.CALL_GATE32 -> {
                checkGate(cpu, selector, d);
                int target = Descriptor.gateSelector(d);
                long cd = fetchGateTarget(cpu, target);
                int dpl = Descriptor.dpl(cd);
                if (Descriptor.conformingCode(cd) ? dpl > cpl : dpl != cpl) {
                    throw CpuFault.gp(target & 0xFFFC);
                }
                requirePresent(cd, target);
                jumpTo(cpu, target, cd, Descriptor.gateOffset(d), cpl);
            }
            case Descriptor.TASK_GATE -> {
                checkGate(cpu, selector, d);
                TaskSwitch.throughTaskGate(cpu, d, TaskSwitch.JMP, 0);
            }
            case Descriptor.TSS16_AVAILABLE, Descriptor.TSS32_AVAILABLE -> {
                checkTss(cpu, selector, d);
                TaskSwitch.switchTask(cpu, selector, d, TaskSwitch.JMP, 0);
            }
            default -> throw CpuFault.gp(selector & 0xFFFC);
        }
    }

    public static void farCall(Cpu cpu, int selector, int offset, boolean operand32) {
        selector &= 0xFFFF;
        if (!operand32) {
            offset &= 0xFFFF;
        }
        int size = operand32 ? 4 : 2;
        if (!cpu.protectedMode() || cpu.v86Mode()) {
            checkRealTarget(cpu, offset);
            pushReturnAddress(cpu, size);
            enterRealCs(cpu, selector, offset);
            return;
        }
        long d = fetchTarget(cpu, selector);
        int cpl = cpu.cpl();
        if (!Descriptor.isSystem(d)) {
            checkDirectCode(cpu, selector, d);
            if (!Segments.withinLimit(offset, Descriptor.limit(d))) {
                throw CpuFault.gp(0);
            }
            pushReturnAddress(cpu, size);
            Segments.loadCs(cpu, selector, d, cpl);
            cpu.eip = offset;
            return;
        }
        switch (Descriptor.type(d)) {
            case Descriptor.CALL_GATE16, Descriptor.CALL_GATE32 -> callGate(cpu, selector, d);
            case Descriptor.TASK_GATE -> {
                checkGate(cpu, selector, d);
                TaskSwitch.throughTaskGate(cpu, d, TaskSwitch.CALL, 0);
            }
            case Descriptor.TSS16_AVAILABLE, Descriptor.TSS32_AVAILABLE -> {
                checkTss(cpu, selector, d);
                TaskSwitch.switchTask(cpu, selector, d, TaskSwitch.CALL, 0);
            }
            default -> throw CpuFault.gp(selector & 0xFFFC);
        }
    }

    /** RETF [imm16]: {@code popBytes} is the immediate (bytes released after popping CS:EIP). */
    public static void farReturn(Cpu cpu, boolean operand32, int popBytes) {
        int size = operand32 ? 4 : 2;
        int esp = cpu.regs[Cpu.ESP];
        int ssAr = StackAccess.currentAr(cpu);
        int newEip = StackAccess.readCurrent(cpu, esp, 0, size);
        int csSel = StackAccess.readCurrent(cpu, esp, size, size) & 0xFFFF;
        if (!operand32) {
            newEip &= 0xFFFF;
        }
        if (!cpu.protectedMode() || cpu.v86Mode()) {
            checkRealTarget(cpu, newEip);
            enterRealCs(cpu, csSel, newEip);
            cpu.regs[Cpu.ESP] = StackAccess.adjust(ssAr, esp, 2 * size + popBytes);
            return;
        }
        long cd = checkReturnCs(cpu, csSel);
        int rpl = csSel & 3;
        if (rpl == cpu.cpl()) {
            if (!Segments.withinLimit(newEip, Descriptor.limit(cd))) {
                throw CpuFault.gp(0);
            }
            Segments.loadCs(cpu, csSel, cd, rpl);
            cpu.eip = newEip;
            cpu.regs[Cpu.ESP] = StackAccess.adjust(ssAr, esp, 2 * size + popBytes);
            return;
        }
        int outerEsp = StackAccess.readCurrent(cpu, esp, 2 * size + popBytes, size);
        int outerSs = StackAccess.readCurrent(cpu, esp, 3 * size + popBytes, size) & 0xFFFF;
        long sd = checkReturnSs(cpu, outerSs, rpl);
        if (!Segments.withinLimit(newEip, Descriptor.limit(cd))) {
            throw CpuFault.gp(0);
        }
        Segments.loadCs(cpu, csSel, cd, rpl);
        Segments.loadSs(cpu, outerSs, sd);
        cpu.eip = newEip;
        int newSsAr = Descriptor.ar(sd);
        if (!operand32) {
            outerEsp = (esp & 0xFFFF_0000) | (outerEsp & 0xFFFF);
        }
        cpu.regs[Cpu.ESP] = StackAccess.adjust(newSsAr, outerEsp, popBytes);
        Segments.nullInaccessibleDataSegments(cpu);
    }

    public static void iret(Cpu cpu, boolean operand32) {
        InterruptReturn.iret(cpu, operand32);
    }

    // ---- call gates ----

    private static void callGate(Cpu cpu, int selector, long gate) {
        checkGate(cpu, selector, gate);
        int cpl = cpu.cpl();
        int target = Descriptor.gateSelector(gate);
        long cd = fetchGateTarget(cpu, target);
        int dpl = Descriptor.dpl(cd);
        if (dpl > cpl) {
            throw CpuFault.gp(target & 0xFFFC);
        }
        requirePresent(cd, target);
        int offset = Descriptor.gateOffset(gate);
        int size = Descriptor.gate32(gate) ? 4 : 2;
        if (Descriptor.conformingCode(cd) || dpl == cpl) {
            if (!Segments.withinLimit(offset, Descriptor.limit(cd))) {
                throw CpuFault.gp(0);
            }
            pushReturnAddress(cpu, size);
            Segments.loadCs(cpu, target, cd, cpl);
            cpu.eip = offset;
            return;
        }
        long stack = PrivilegedStack.innerStack(cpu, dpl, 0);
        int newSs = (int) (stack >>> 32);
        int newEsp = (int) stack;
        long sd = PrivilegedStack.checkSs(cpu, newSs, dpl, 0);
        int params = Descriptor.gateParamCount(gate);
        int frame = (4 + params) * size;
        int ssBase = Descriptor.base(sd);
        int ssAr = Descriptor.ar(sd);
        int frameLa = StackAccess.address(ssBase, Descriptor.limit(sd), ssAr, newEsp, -frame, frame, newSs & 0xFFFC);
        if (!Segments.withinLimit(offset, Descriptor.limit(cd))) {
            throw CpuFault.gp(0);
        }
        int oldEsp = cpu.regs[Cpu.ESP];
        int oldSs = cpu.segSel[Cpu.SS];
        // The parameters must be readable on the caller's stack before anything is written.
        if (params > 0) {
            int la = StackAccess.address(cpu.segBase[Cpu.SS], cpu.segLimit[Cpu.SS], StackAccess.currentAr(cpu),
                    oldEsp, 0, params * size, 0);
            cpu.mmu.checkRead(la, params * size);
        }
        cpu.setCpl(dpl);
        try {
            cpu.mmu.checkWrite(frameLa, frame);
            StackAccess.put(cpu, ssBase, ssAr, newEsp, -size, size, oldSs);
            StackAccess.put(cpu, ssBase, ssAr, newEsp, -2 * size, size, oldEsp);
            for (int i = params - 1; i >= 0; i--) {
                int value = StackAccess.readCurrent(cpu, oldEsp, i * size, size);
                StackAccess.put(cpu, ssBase, ssAr, newEsp, -(3 + (params - 1 - i)) * size, size, value);
            }
            StackAccess.put(cpu, ssBase, ssAr, newEsp, -frame + size, size, cpu.segSel[Cpu.CS]);
            StackAccess.put(cpu, ssBase, ssAr, newEsp, -frame, size, cpu.eip);
        } catch (CpuFault f) {
            cpu.setCpl(cpl);
            throw f;
        }
        Segments.loadSs(cpu, newSs, sd);
        Segments.loadCs(cpu, target, cd, dpl);
        cpu.regs[Cpu.ESP] = StackAccess.adjust(ssAr, newEsp, -frame);
        cpu.eip = offset;
    }

    // ---- shared checks ----

    /** Descriptor of a far-transfer target: null selector #GP(0), outside its table #GP(sel). */
    private static long fetchTarget(Cpu cpu, int selector) {
        if ((selector & 0xFFFC) == 0) {
            throw CpuFault.gp(0);
        }
        return DescriptorTables.fetch(cpu, selector, Vectors.GP, 0);
    }

    /** Direct JMP/CALL to a code segment: privilege and presence checks. */
    private static void checkDirectCode(Cpu cpu, int selector, long d) {
        if (!Descriptor.isCode(d)) {
            throw CpuFault.gp(selector & 0xFFFC);
        }
        int cpl = cpu.cpl();
        int dpl = Descriptor.dpl(d);
        boolean ok = Descriptor.conformingCode(d) ? dpl <= cpl : (selector & 3) <= cpl && dpl == cpl;
        if (!ok) {
            throw CpuFault.gp(selector & 0xFFFC);
        }
        requirePresent(d, selector);
    }

    private static void jumpTo(Cpu cpu, int selector, long d, int offset, int cpl) {
        if (!Segments.withinLimit(offset, Descriptor.limit(d))) {
            throw CpuFault.gp(0);
        }
        Segments.loadCs(cpu, selector, d, cpl);
        cpu.eip = offset;
    }

    /** Call or task gate: DPL >= max(CPL, RPL) else #GP(gate), present else #NP(gate). */
    private static void checkGate(Cpu cpu, int selector, long gate) {
        int dpl = Descriptor.dpl(gate);
        if (dpl < cpu.cpl() || dpl < (selector & 3)) {
            throw CpuFault.gp(selector & 0xFFFC);
        }
        if (!Descriptor.present(gate)) {
            throw CpuFault.withCode(Vectors.NP, selector & 0xFFFC);
        }
    }

    /** TSS descriptor as a JMP/CALL target: privilege, GDT only, presence. */
    private static void checkTss(Cpu cpu, int selector, long d) {
        int dpl = Descriptor.dpl(d);
        if (dpl < cpu.cpl() || dpl < (selector & 3) || (selector & 4) != 0) {
            throw CpuFault.gp(selector & 0xFFFC);
        }
        if (!Descriptor.present(d)) {
            throw CpuFault.withCode(Vectors.NP, selector & 0xFFFC);
        }
    }

    /** The code segment named by a call gate. */
    private static long fetchGateTarget(Cpu cpu, int target) {
        if ((target & 0xFFFC) == 0) {
            throw CpuFault.gp(0);
        }
        long cd = DescriptorTables.fetch(cpu, target, Vectors.GP, 0);
        if (!Descriptor.isCode(cd)) {
            throw CpuFault.gp(target & 0xFFFC);
        }
        return cd;
    }

    private static void requirePresent(long d, int selector) {
        if (!Descriptor.present(d)) {
            throw CpuFault.withCode(Vectors.NP, selector & 0xFFFC);
        }
    }

    /** Pushes CS then EIP on the current stack (#SS(0) if they do not fit). */
    private static void pushReturnAddress(Cpu cpu, int size) {
        int esp = cpu.regs[Cpu.ESP];
        int ar = StackAccess.currentAr(cpu);
        int base = cpu.segBase[Cpu.SS];
        StackAccess.checkRoom(cpu, base, cpu.segLimit[Cpu.SS], ar, esp, 2 * size, 0);
        StackAccess.put(cpu, base, ar, esp, -size, size, cpu.segSel[Cpu.CS]);
        StackAccess.put(cpu, base, ar, esp, -2 * size, size, cpu.eip);
        cpu.regs[Cpu.ESP] = StackAccess.adjust(ar, esp, -2 * size);
    }

    /** CS popped by RETF/IRET in protected mode (SDM Vol. 2 RET, IRET). */
    static long checkReturnCs(Cpu cpu, int csSel) {
        if ((csSel & 0xFFFC) == 0) {
            throw CpuFault.gp(0);
        }
        long cd = DescriptorTables.fetch(cpu, csSel, Vectors.GP, 0);
        int rpl = csSel & 3;
        int dpl = Descriptor.dpl(cd);
        if (!Descriptor.isCode(cd) || rpl < cpu.cpl()
                || (Descriptor.conformingCode(cd) ? dpl > rpl : dpl != rpl)) {
            throw CpuFault.gp(csSel & 0xFFFC);
        }
        requirePresent(cd, csSel);
        return cd;
    }

    /** SS popped on a return to the outer level {@code rpl}. */
    static long checkReturnSs(Cpu cpu, int ssSel, int rpl) {
        if ((ssSel & 0xFFFC) == 0) {
            throw CpuFault.gp(0);
        }
        long sd = DescriptorTables.fetch(cpu, ssSel, Vectors.GP, 0);
        if ((ssSel & 3) != rpl || !Descriptor.writableData(sd) || Descriptor.dpl(sd) != rpl) {
            throw CpuFault.gp(ssSel & 0xFFFC);
        }
        if (!Descriptor.present(sd)) {
            throw CpuFault.withCode(Vectors.SS, ssSel & 0xFFFC);
        }
        return sd;
    }
}
