package jx86.cpu;

import jx86.arch.CpuFault;

/**
 * Decoding of the system instructions (SDM Vol. 2; Vol. 3A 2.8): descriptor-table register loads
 * and stores, SMSW, INVLPG, CPUID, RDTSC, RDPMC and the forwarding of LLDT/LTR/LAR/LSL/VERR/VERW,
 * MOV CR/DR, LMSW, CLTS, MSRs and SYSENTER/SYSEXIT to {@link SystemInsns}. Also the firmware hook
 * {@code 0F FF imm8} (see {@link FirmwareHook}).
 */
final class SystemOps {
    private SystemOps() {
    }

    /**
     * 0F 00: SLDT, STR, LLDT, LTR, VERR, VERW. The decoder applied the rows' rules (protected mode
     * only, /6 and /7 #UD, CPL 0 for LLDT/LTR).
     */
    static void group6(Cpu c) {
        switch (c.reg) {
            case 0:
            case 1: {
                c.strictCheck();
                int sel = c.reg == 0 ? c.ldtrSel : c.trSel;
                if (c.mod == 3) {
                    Mem.setReg(c, c.osz, c.rm, sel);
                } else {
                    Mem.write(c, c.eaSeg, c.eaOff, 2, sel);
                }
                return;
            }
            case 2:
                SystemInsns.lldt(c, Mem.readRm(c, 2));
                return;
            case 3:
                SystemInsns.ltr(c, Mem.readRm(c, 2));
                return;
            case 4:
            case 5:
                c.strictCheck();
                SystemInsns.verify(c, Mem.readRm(c, 2), c.reg == 5);
                return;
            default:
                throw CpuFault.ud();
        }
    }

    /**
     * 0F 01: SGDT, SIDT, LGDT, LIDT, SMSW, LMSW, INVLPG. The decoder applied the rows' rules (memory
     * operand for all but SMSW/LMSW, CPL 0 for LGDT, LIDT, LMSW and INVLPG, /5 #UD).
     */
    static void group7(Cpu c) {
        switch (c.reg) {
            case 0:
            case 1: {
                c.strictCheck();
                boolean gdt = c.reg == 0;
                int la = Mem.laWrite(c, c.eaSeg, c.eaOff, 6);
                c.mmu.checkWrite(la, 6);
                c.mmu.write16(la, gdt ? c.gdtrLimit : c.idtrLimit);
                c.mmu.write32(la + 2, gdt ? c.gdtrBase : c.idtrBase);
                return;
            }
            case 2:
            case 3: {
                int la = Mem.laRead(c, c.eaSeg, c.eaOff, 6);
                int limit = c.mmu.read16(la);
                int base = c.mmu.read32(la + 2);
                if (c.osz == 2) {
                    base &= 0x00FF_FFFF;
                }
                if (c.reg == 2) {
                    c.gdtrLimit = limit;
                    c.gdtrBase = base;
                } else {
                    c.idtrLimit = limit;
                    c.idtrBase = base;
                }
                return;
            }
            case 4:
                c.strictCheck();
                if (c.mod == 3) {
                    Mem.setReg(c, c.osz, c.rm, c.cr0);
                } else {
                    Mem.write(c, c.eaSeg, c.eaOff, 2, c.cr0);
                }
                return;
            case 6:
                SystemInsns.lmsw(c, Mem.readRm(c, 2));
                return;
            case 7:
                c.mmu.invlpg(c.segBase[c.eaSeg] + c.eaOff);
                if (c.trace != null) {
                    c.trace.invlpg(c.segBase[c.eaSeg] + c.eaOff);
                }
                return;
            default:
                throw CpuFault.ud();
        }
    }

    /** LAR (0F 02) / LSL (0F 03) Gv, Ew: the destination is written only when ZF is set. */
    static void larLsl(Cpu c, boolean lar) {
        c.strictCheck();
        int sel = Mem.readRm(c, 2);
        long r = lar ? SystemInsns.lar(c, sel) : SystemInsns.lsl(c, sel);
        if (r != -1L) {
            Mem.setReg(c, c.osz, c.reg, (int) r);
        }
    }

    /** RDTSC: the time-stamp counter is the virtual cycle count; #GP(0) with CR4.TSD outside CPL 0. */
    static void rdtsc(Cpu c) {
        if ((c.cr4 & Cpu.CR4_TSD) != 0 && c.cpl() != 0) {
            throw CpuFault.gp(0);
        }
        long t = c.clock.cycles;
        c.regs[Cpu.EAX] = (int) t;
        c.regs[Cpu.EDX] = (int) (t >>> 32);
    }

    /** RDPMC: the P6's PERFCTR0/1 ({@link ModelMsrs}); CR4.PCE (bit 8) allows it outside CPL 0. */
    static void rdpmc(Cpu c) {
        if ((c.cr4 & (1 << 8)) == 0 && c.cpl() != 0 || Integer.compareUnsigned(c.regs[Cpu.ECX], 1) > 0) {
            throw CpuFault.gp(0);
        }
        long value = ModelMsrs.counter(c, c.regs[Cpu.ECX]);
        c.regs[Cpu.EAX] = (int) value;
        c.regs[Cpu.EDX] = (int) (value >>> 32) & 0xFF;  // 40-bit counters
    }

    /** SYSENTER (0F 34). */
    static void sysenter(Cpu c) {
        c.eip = c.ip;
        SystemInsns.sysenter(c);
        c.ip = c.eip;
    }

    /** SYSEXIT (0F 35). */
    static void sysexit(Cpu c) {
        c.eip = c.ip;
        SystemInsns.sysexit(c);
        c.ip = c.eip;
    }

    /** CPUID: leaf 0 (max leaf 1, "GenuineIntel") and leaf 1; every other leaf reads as zeros. */
    static void cpuid(Cpu c) {
        int[] r = c.regs;
        int leaf = r[Cpu.EAX];
        if (leaf == 0) {
            r[Cpu.EAX] = 1;
            r[Cpu.EBX] = 0x756E_6547; // "Genu"
            r[Cpu.EDX] = 0x4965_6E69; // "ineI"
            r[Cpu.ECX] = 0x6C65_746E; // "ntel"
        } else if (leaf == 1) {
            r[Cpu.EAX] = CpuModel.SIGNATURE;
            r[Cpu.EBX] = 0;
            r[Cpu.ECX] = 0;
            r[Cpu.EDX] = CpuModel.FEATURES_EDX;
        } else {
            r[Cpu.EAX] = 0;
            r[Cpu.EBX] = 0;
            r[Cpu.ECX] = 0;
            r[Cpu.EDX] = 0;
        }
    }

    /** The firmware row's mode rule: real-mode code in segment F000 with a hook installed (else #UD). */
    static boolean firmwareAllowed(Cpu c) {
        return c.firmware() != null && !c.protectedMode() && c.segSel[Cpu.CS] == 0xF000;
    }

    /** 0F FF imm8: a built-in BIOS service (the decoder checked {@link #firmwareAllowed}). */
    static void firmwareCall(Cpu c) {
        int vector = c.fetch8();
        c.eip = c.ip;
        c.firmware().biosCall(c, vector);
        c.ip = c.eip;
    }
}
