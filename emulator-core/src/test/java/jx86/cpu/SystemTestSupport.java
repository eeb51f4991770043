package jx86.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.CpuFault;
import jx86.bus.IoBus;
import jx86.clock.VirtualClock;
import jx86.memory.PhysicalMemory;
import jx86.mmu.Mmu;

/** A CPU in protected mode with a small GDT, IDT and TSS, plus descriptor encoders for tests. */
final class SystemTestSupport {
    static final int GDT = 0x1000;
    static final int IDT = 0x2000;
    static final int TSS = 0x3000;
    static final int LDT = 0x4000;

    /** GDT selectors. */
    static final int CODE0 = 0x08;
    static final int DATA0 = 0x10;
    static final int CODE3 = 0x18 | 3;
    static final int DATA3 = 0x20 | 3;
    static final int TSS_SEL = 0x28;

    /** Access rights (cache format): flat 32-bit code/data at DPL 0 and 3. */
    static final int AR_CODE0 = 0xC09B;
    static final int AR_DATA0 = 0xC093;
    static final int AR_CODE3 = 0xC0FB;
    static final int AR_DATA3 = 0xC0F3;

    final PhysicalMemory mem = new PhysicalMemory(4 << 20);
    final VirtualClock clock = new VirtualClock();
    final Mmu mmu = new Mmu(mem, clock);
    final Cpu cpu = ExecutionPath.apply(new Cpu(mmu, new IoBus(), clock));

    /** Code/data descriptor; {@code ar} as in a segment cache (G and D/B in bits 15/14). */
    static long seg(int base, int rawLimit, int ar) {
        int lo = (base << 16) | (rawLimit & 0xFFFF);
        int hi = ((base >>> 16) & 0xFF) | ((ar & 0xF0FF) << 8) | (rawLimit & 0xF_0000) | (base & 0xFF00_0000);
        return Descriptor.of(lo, hi);
    }

    /** Gate descriptor (present). */
    static long gate(int type, int dpl, int selector, int offset, int params) {
        int lo = (selector << 16) | (offset & 0xFFFF);
        int hi = (offset & 0xFFFF_0000) | 0x8000 | (dpl << 13) | (type << 8) | (params & 0x1F);
        return Descriptor.of(lo, hi);
    }

    /** System descriptor (TSS, LDT) with the given type and DPL, present. */
    static long system(int base, int limit, int type, int dpl) {
        return seg(base, limit, 0x80 | (dpl << 5) | type);
    }

    void setGdt(int index, long d) {
        mem.write32(GDT + index * 8, Descriptor.low(d));
        mem.write32(GDT + index * 8 + 4, Descriptor.high(d));
    }

    void setIdt(int vector, long d) {
        mem.write32(IDT + vector * 8, Descriptor.low(d));
        mem.write32(IDT + vector * 8 + 4, Descriptor.high(d));
    }

    /** Enters protected mode at CPL 0 with flat CS/SS/DS/ES, TR loaded with a 32-bit TSS. */
    SystemTestSupport protectedMode() {
        setGdt(1, seg(0, 0xFFFFF, AR_CODE0));
        setGdt(2, seg(0, 0xFFFFF, AR_DATA0));
        setGdt(3, seg(0, 0xFFFFF, AR_CODE3));
        setGdt(4, seg(0, 0xFFFFF, AR_DATA3));
        setGdt(5, system(TSS, 0x67 + 0x2000 + 1, Descriptor.TSS32_BUSY, 0));
        cpu.gdtrBase = GDT;
        cpu.gdtrLimit = 32 * 8 - 1;
        cpu.idtrBase = IDT;
        cpu.idtrLimit = 256 * 8 - 1;
        cpu.setCr0(cpu.cr0 | Cpu.CR0_PE);
        mmu.setCr0(cpu.cr0);
        cpu.setSegmentCache(Cpu.CS, CODE0, 0, 0xFFFF_FFFF, AR_CODE0);
        cpu.setSegmentCache(Cpu.SS, DATA0, 0, 0xFFFF_FFFF, AR_DATA0);
        cpu.setSegmentCache(Cpu.DS, DATA0, 0, 0xFFFF_FFFF, AR_DATA0);
        cpu.setSegmentCache(Cpu.ES, DATA0, 0, 0xFFFF_FFFF, AR_DATA0);
        cpu.setSegmentCache(Cpu.FS, 0, 0, 0, 0);
        cpu.setSegmentCache(Cpu.GS, 0, 0, 0, 0);
        cpu.trSel = TSS_SEL;
        cpu.trBase = TSS;
        cpu.trLimit = 0x67 + 0x2000 + 1;
        cpu.trAr = 0x8B;
        cpu.ldtrSel = 0;
        cpu.ldtrAr = 0;
        cpu.setCpl(0);
        cpu.regs[Cpu.ESP] = 0x9000;
        // Ring-0 stack in the TSS: SS0:ESP0 = DATA0:0x8000.
        mem.write32(TSS + 4, 0x8000);
        mem.write16(TSS + 8, DATA0);
        return this;
    }

    /** Switches the current state to ring 3 with flat user CS/SS/DS/ES. */
    SystemTestSupport ring3() {
        cpu.setSegmentCache(Cpu.CS, CODE3, 0, 0xFFFF_FFFF, AR_CODE3);
        cpu.setSegmentCache(Cpu.SS, DATA3, 0, 0xFFFF_FFFF, AR_DATA3);
        cpu.setSegmentCache(Cpu.DS, DATA3, 0, 0xFFFF_FFFF, AR_DATA3);
        cpu.setSegmentCache(Cpu.ES, DATA3, 0, 0xFFFF_FFFF, AR_DATA3);
        cpu.setCpl(3);
        return this;
    }

    /** Runs {@code action}, asserting it raises exactly {@code vector} with {@code errorCode}. */
    static CpuFault assertFault(Runnable action, int vector, int errorCode) {
        CpuFault f = null;
        try {
            action.run();
        } catch (CpuFault e) {
            f = e;
        }
        assertThat(f).as("expected a CpuFault").isNotNull();
        assertThat(f.vector).as("vector").isEqualTo(vector);
        assertThat(f.errorCode).as("error code").isEqualTo(errorCode);
        return f;
    }

    int read32(int la) {
        return mem.read32(la);
    }
}
