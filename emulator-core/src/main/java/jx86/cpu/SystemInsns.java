package jx86.cpu;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;

/**
 * System instructions that involve descriptors, control registers or privilege (SDM Vol. 2 and
 * Vol. 3A chapters 2 and 5): LLDT, LTR, ARPL, LAR, LSL, VERR, VERW, MOV to/from CR and DR, LMSW, CLTS,
 * RDMSR/WRMSR, SYSENTER/SYSEXIT, and the I/O permission check for IN/OUT/INS/OUTS. These methods
 * raise #GP/#UD themselves (CPL checks included).
 *
 * <p>CR0 reserved bits are ignored (ET reads as 1) as the SDM specifies for IA-32; CR4 accepts
 * VME, PVI, TSD, DE, PSE, MCE, PGE, PCE, OSFXSR and OSXMMEXCPT, and any other bit (PAE included:
 * the MMU has no PAE) is #GP(0).
 *
 * <p>The MSRs, their values and write behaviour are the CPU model's: see {@link ModelMsrs}.
 *
 * <p>MOV to DR0-DR7 only stores the registers; the breakpoints they describe are checked by the run
 * loop ({@link Debug}). Not modelled: CR8 and the VME/PVI extensions.
 */
public final class SystemInsns {

    private static final int CR0_DEFINED = Cpu.CR0_PE | Cpu.CR0_MP | Cpu.CR0_EM | Cpu.CR0_TS | Cpu.CR0_ET
            | Cpu.CR0_NE | Cpu.CR0_WP | Cpu.CR0_AM | Cpu.CR0_NW | Cpu.CR0_CD | Cpu.CR0_PG;
    /** VME PVI TSD DE PSE MCE PGE PCE OSFXSR OSXMMEXCPT. */
    static final int CR4_SUPPORTED = 0x7DF;
    private static final int DR7_GD = 1 << 13;
    private static final int DR6_BD = 1 << 13;

    /** Flat 4 GiB code/data access rights used by SYSENTER/SYSEXIT (G, D/B, P, S). */
    private static final int FLAT_CODE0 = 0xC09B;
    private static final int FLAT_DATA0 = 0xC093;
    private static final int FLAT_CODE3 = 0xC0FB;
    private static final int FLAT_DATA3 = 0xC0F3;

    private SystemInsns() {
    }

    // ---- LDTR / TR ----

    public static void lldt(Cpu cpu, int selector) {
        requireProtected(cpu);
        requireCpl0(cpu);
        selector &= 0xFFFF;
        if ((selector & 0xFFFC) == 0) {
            cpu.ldtrSel = selector;
            cpu.ldtrBase = 0;
            cpu.ldtrLimit = 0;
            cpu.ldtrAr = 0;
            return;
        }
        long d = fetchGdtSystem(cpu, selector);
        if (!Descriptor.isSystem(d) || Descriptor.type(d) != Descriptor.LDT) {
            throw CpuFault.gp(selector & 0xFFFC);
        }
        if (!Descriptor.present(d)) {
            throw CpuFault.withCode(Vectors.NP, selector & 0xFFFC);
        }
        cpu.ldtrSel = selector;
        cpu.ldtrBase = Descriptor.base(d);
        cpu.ldtrLimit = Descriptor.limit(d);
        cpu.ldtrAr = Descriptor.ar(d);
    }

    public static void ltr(Cpu cpu, int selector) {
        requireProtected(cpu);
        requireCpl0(cpu);
        selector &= 0xFFFF;
        if ((selector & 0xFFFC) == 0) {
            throw CpuFault.gp(0);
        }
        long d = fetchGdtSystem(cpu, selector);
        int type = Descriptor.type(d);
        if (!Descriptor.isSystem(d) || (type != Descriptor.TSS16_AVAILABLE && type != Descriptor.TSS32_AVAILABLE)) {
            throw CpuFault.gp(selector & 0xFFFC);
        }
        if (!Descriptor.present(d)) {
            throw CpuFault.withCode(Vectors.NP, selector & 0xFFFC);
        }
        DescriptorTables.setBusy(cpu, selector, true);
        cpu.trSel = selector;
        cpu.trBase = Descriptor.base(d);
        cpu.trLimit = Descriptor.limit(d);
        cpu.trAr = Descriptor.ar(d) | 2;
    }

    private static long fetchGdtSystem(Cpu cpu, int selector) {
        if ((selector & 4) != 0) {
            throw CpuFault.gp(selector & 0xFFFC);
        }
        return DescriptorTables.fetch(cpu, selector, Vectors.GP, 0);
    }

    /**
     * ARPL r/m16, r16: returns the destination selector with its RPL raised to the source's RPL
     * (ZF set) or unchanged (ZF clear). #UD outside protected mode.
     */
    public static int arpl(Cpu cpu, int dest, int src) {
        requireProtected(cpu);
        boolean adjust = (dest & 3) < (src & 3);
        setZf(cpu, adjust);
        return adjust ? (dest & 0xFFFC) | (src & 3) : dest & 0xFFFF;
    }

    // ---- LAR / LSL / VERR / VERW ----

    /** LAR: returns the access-rights dword (masked 0x00FFFF00) and sets ZF, or returns -1 with ZF cleared. */
    public static long lar(Cpu cpu, int selector) {
        requireProtected(cpu);
        long d = visibleDescriptor(cpu, selector);
        if (d != -1 && Descriptor.isSystem(d)) {
            int t = Descriptor.type(d);
            boolean ok = t == 1 || t == 2 || t == 3 || t == 4 || t == 5 || t == 9 || t == 0xB || t == 0xC;
            if (!ok) {
                d = -1;
            }
        }
        setZf(cpu, d != -1);
        return d == -1 ? -1 : Descriptor.high(d) & 0x00FF_FF00L;
    }

    /** LSL: returns the byte-granular limit and sets ZF, or returns -1 with ZF cleared. */
    public static long lsl(Cpu cpu, int selector) {
        requireProtected(cpu);
        long d = visibleDescriptor(cpu, selector);
        if (d != -1 && Descriptor.isSystem(d)) {
            int t = Descriptor.type(d);
            if (t != 1 && t != 2 && t != 3 && t != 9 && t != 0xB) {
                d = -1;
            }
        }
        setZf(cpu, d != -1);
        return d == -1 ? -1 : Descriptor.limit(d) & 0xFFFF_FFFFL;
    }

    /** VERR / VERW: sets ZF if the segment is readable / writable at the current CPL and RPL. */
    public static void verify(Cpu cpu, int selector, boolean write) {
        requireProtected(cpu);
        long d = visibleDescriptor(cpu, selector);
        boolean ok = d != -1 && !Descriptor.isSystem(d)
                && (write ? Descriptor.writableData(d) : Descriptor.readable(d));
        setZf(cpu, ok);
    }

    /**
     * The descriptor named by {@code selector} if it is in its table and visible at CPL and RPL
     * (conforming code is always visible), else -1. System descriptors are returned unchecked for
     * type; callers filter them. Never faults except through the MMU.
     */
    private static long visibleDescriptor(Cpu cpu, int selector) {
        selector &= 0xFFFF;
        if ((selector & 0xFFFC) == 0 || !DescriptorTables.inLimits(cpu, selector)) {
            return -1;
        }
        long d = DescriptorTables.read(cpu, selector);
        if (!Descriptor.conformingCode(d)) {
            int dpl = Descriptor.dpl(d);
            if (dpl < cpu.cpl() || dpl < (selector & 3)) {
                return -1;
            }
        }
        return d;
    }

    private static void setZf(Cpu cpu, boolean value) {
        int f = cpu.getEflags();
        cpu.setEflags(value ? f | Cpu.ZF : f & ~Cpu.ZF);
    }

    // ---- control registers ----

    /** MOV CRn, r32 (CPL 0 checked here): validates bits, updates the MMU, mode switches. */
    public static void movToCr(Cpu cpu, int crIndex, int value) {
        requireCpl0(cpu);
        switch (crIndex) {
            case 0 -> writeCr0(cpu, value);
            case 2 -> cpu.cr2 = value;
            case 3 -> {
                cpu.setCr3(value & 0xFFFF_F018);
            }
            case 4 -> {
                if ((value & ~CR4_SUPPORTED) != 0) {
                    throw CpuFault.gp(0);
                }
                cpu.setCr4(value);
            }
            default -> throw CpuFault.ud();
        }
    }

    private static void writeCr0(Cpu cpu, int value) {
        value = (value & CR0_DEFINED) | Cpu.CR0_ET;
        if ((value & Cpu.CR0_PG) != 0 && (value & Cpu.CR0_PE) == 0) {
            throw CpuFault.gp(0);
        }
        if ((value & Cpu.CR0_NW) != 0 && (value & Cpu.CR0_CD) == 0) {
            throw CpuFault.gp(0);
        }
        cpu.setCr0(value);
    }

    public static int movFromCr(Cpu cpu, int crIndex) {
        requireCpl0(cpu);
        return switch (crIndex) {
            case 0 -> cpu.cr0;
            case 2 -> cpu.cr2;
            case 3 -> cpu.cr3;
            case 4 -> cpu.cr4;
            default -> throw CpuFault.ud();
        };
    }

    /** LMSW: loads CR0 bits 0-3 (PE can be set, never cleared). */
    public static void lmsw(Cpu cpu, int value) {
        requireCpl0(cpu);
        int cr0 = (cpu.cr0 & ~0xE) | (value & 0xF) | (cpu.cr0 & Cpu.CR0_PE);
        cpu.setCr0(cr0);
    }

    public static void clts(Cpu cpu) {
        requireCpl0(cpu);
        cpu.setCr0(cpu.cr0 & ~Cpu.CR0_TS);
    }

    // ---- debug registers ----

    public static void movToDr(Cpu cpu, int drIndex, int value) {
        int dr = debugRegister(cpu, drIndex);
        switch (dr) {
            case 6 -> cpu.dr[6] = (value & 0x0000_E00F) | 0xFFFF_0FF0;
            case 7 -> cpu.dr[7] = (value & 0xFFFF_27FF) | 0x400;
            default -> cpu.dr[dr] = value;
        }
    }

    public static int movFromDr(Cpu cpu, int drIndex) {
        return cpu.dr[debugRegister(cpu, drIndex)];
    }

    /** Privilege, DR4/DR5 aliasing and general-detect checks shared by both directions. */
    private static int debugRegister(Cpu cpu, int drIndex) {
        requireCpl0(cpu);
        drIndex &= 7;
        if (drIndex == 4 || drIndex == 5) {
            if ((cpu.cr4 & Cpu.CR4_DE) != 0) {
                throw CpuFault.ud();
            }
            drIndex += 2;
        }
        if ((cpu.dr[7] & DR7_GD) != 0) {
            // General detect: the access faults with DR6.BD set; GD clears so the handler can use DRs.
            cpu.dr[7] &= ~DR7_GD;
            cpu.dr[6] |= DR6_BD;
            throw CpuFault.of(Vectors.DB);
        }
        return drIndex;
    }

    // ---- MSRs ----

    /** RDMSR: ECX selects the MSR ({@link ModelMsrs}), result in EDX:EAX; #GP(0) at CPL != 0. */
    public static void rdmsr(Cpu cpu) {
        requireCpl0(cpu);
        long value = ModelMsrs.read(cpu, cpu.regs[Cpu.ECX]);
        cpu.regs[Cpu.EAX] = (int) value;
        cpu.regs[Cpu.EDX] = (int) (value >>> 32);
    }

    /** WRMSR: EDX:EAX to the MSR ECX selects ({@link ModelMsrs}); #GP(0) at CPL != 0. */
    public static void wrmsr(Cpu cpu) {
        requireCpl0(cpu);
        long value = (long) cpu.regs[Cpu.EDX] << 32 | cpu.regs[Cpu.EAX] & 0xFFFF_FFFFL;
        ModelMsrs.write(cpu, cpu.regs[Cpu.ECX], value);
    }

    // ---- fast system calls (SDM Vol. 2 SYSENTER, SYSEXIT) ----

    public static void sysenter(Cpu cpu) {
        int cs = cpu.sysenterCs & 0xFFFC;
        if (!cpu.protectedMode() || cs == 0) {
            throw CpuFault.gp(0);
        }
        cpu.setEflags(cpu.getEflags() & ~(Cpu.VM | Cpu.IF | Cpu.RF));
        cpu.setSegmentCache(Cpu.CS, cs, 0, 0xFFFF_FFFF, FLAT_CODE0);
        cpu.setSegmentCache(Cpu.SS, cs + 8, 0, 0xFFFF_FFFF, FLAT_DATA0);
        cpu.setCpl(0);
        cpu.regs[Cpu.ESP] = cpu.sysenterEsp;
        cpu.eip = cpu.sysenterEip;
    }

    public static void sysexit(Cpu cpu) {
        int cs = cpu.sysenterCs & 0xFFFC;
        if (!cpu.protectedMode() || cpu.v86Mode() || cpu.cpl() != 0 || cs == 0) {
            throw CpuFault.gp(0);
        }
        cpu.setSegmentCache(Cpu.CS, (cs + 16) | 3, 0, 0xFFFF_FFFF, FLAT_CODE3);
        cpu.setSegmentCache(Cpu.SS, (cs + 24) | 3, 0, 0xFFFF_FFFF, FLAT_DATA3);
        cpu.setCpl(3);
        cpu.regs[Cpu.ESP] = cpu.regs[Cpu.ECX];
        cpu.eip = cpu.regs[Cpu.EDX];
    }

    // ---- I/O permission (SDM Vol. 1 18.5) ----

    /**
     * Checks that the current task may access {@code size} bytes of ports at {@code port}: always in
     * real mode; in protected mode if CPL <= IOPL, else through the TSS I/O permission bitmap; in
     * V86 mode always through the bitmap. Throws #GP(0) when denied.
     */
    public static void checkIoPermission(Cpu cpu, int port, int size) {
        if (!cpu.protectedMode() || (!cpu.v86Mode() && cpu.cpl() <= cpu.iopl())) {
            return;
        }
        port &= 0xFFFF;
        long limit = cpu.trLimit & 0xFFFF_FFFFL;
        if (!PrivilegedStack.tss32(cpu) || (cpu.trAr & 0x80) == 0 || limit < 0x67) {
            throw CpuFault.gp(0);
        }
        int mapBase = cpu.mmu.readSys16(cpu.trBase + 0x66);
        long first = mapBase + (port >>> 3);
        if (first + 1 > limit) {
            throw CpuFault.gp(0);
        }
        int bits = cpu.mmu.readSys16(cpu.trBase + (int) first);
        int mask = ((1 << size) - 1) << (port & 7);
        if ((bits & mask) != 0) {
            throw CpuFault.gp(0);
        }
    }

    // ---- shared ----

    private static void requireCpl0(Cpu cpu) {
        if (cpu.protectedMode() && (cpu.v86Mode() || cpu.cpl() != 0)) {
            throw CpuFault.gp(0);
        }
    }

    /** LLDT, LTR, LAR, LSL, VERR and VERW are #UD outside protected mode. */
    private static void requireProtected(Cpu cpu) {
        if (!cpu.protectedMode() || cpu.v86Mode()) {
            throw CpuFault.ud();
        }
    }
}
