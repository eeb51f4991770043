package jx86.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import jx86.arch.CpuFault;
import jx86.bus.IoBus;
import jx86.clock.VirtualClock;
import jx86.memory.PhysicalMemory;
import jx86.mmu.Mmu;
import jx86.mmu.TlbEvent;

/**
 * A bare CPU (2 MiB RAM unless told, no devices) in a flat 32-bit protected-mode-like state or in real mode,
 * set up directly through the segment caches so the tests do not depend on the system code.
 * Test programs are hand-assembled bytes placed at {@link #CODE}; {@link #exec} appends HLT and
 * runs to it.
 */
final class CpuTestSupport {
    static final int CODE = 0x1000;
    static final int DATA = 0x20000;
    static final int STACK_TOP = 0x9000;
    static final int STATUS = Cpu.CF | Cpu.PF | Cpu.AF | Cpu.ZF | Cpu.SF | Cpu.OF;

    final PhysicalMemory mem;
    final VirtualClock clock = new VirtualClock();
    final Mmu mmu;
    final IoBus io = new IoBus();
    final Cpu cpu;
    private int codeEnd;

    private CpuTestSupport(long ramBytes) {
        mem = new PhysicalMemory(ramBytes);
        mmu = new Mmu(mem, clock);
        cpu = ExecutionPath.apply(new Cpu(mmu, io, clock));
    }

    /**
     * A flat 32-bit CPU on {@code engine}; on the translator every block is compiled on its first
     * run (threshold 1), so a test compares really compiled code with the other engines.
     */
    static CpuTestSupport flat32(Engine engine) {
        return flat32(engine, 2 << 20);
    }

    /** {@link #flat32(Engine)} with {@code ramBytes} of RAM. */
    static CpuTestSupport flat32(Engine engine, long ramBytes) {
        CpuTestSupport t = flat32(ramBytes);
        t.cpu.setEngine(engine);
        if (engine == Engine.JIT) {
            t.cpu.decoded.translate(1);
        }
        return t;
    }

    static CpuTestSupport flat32() {
        return flat32(2 << 20);
    }

    private static CpuTestSupport flat32(long ramBytes) {
        CpuTestSupport t = new CpuTestSupport(ramBytes);
        Cpu c = t.cpu;
        c.setCr0(Cpu.CR0_PE | Cpu.CR0_ET);
        t.mmu.setCr0(c.cr0);
        for (int s = 0; s < 6; s++) {
            c.setSegmentCache(s, 0x10, 0, 0xFFFF_FFFF, 0xC093);
        }
        c.setSegmentCache(Cpu.CS, 0x08, 0, 0xFFFF_FFFF, 0xC09B);
        c.regs[Cpu.ESP] = STACK_TOP;
        c.eip = CODE;
        c.setEflags(2);
        return t;
    }

    /** Real mode with every segment register 0 (CS:IP = 0000:1000, SS:SP = 0000:9000). */
    static CpuTestSupport real() {
        CpuTestSupport t = new CpuTestSupport(2 << 20);
        Cpu c = t.cpu;
        for (int s = 0; s < 6; s++) {
            c.setSegmentCache(s, 0, 0, 0xFFFF, 0x93);
        }
        c.setSegmentCache(Cpu.CS, 0, 0, 0xFFFF, 0x9B);
        c.regs[Cpu.EDX] = 0;
        c.regs[Cpu.ESP] = STACK_TOP;
        c.eip = CODE;
        return t;
    }

    /** GDT (null, flat code 0x08, flat data 0x10) and IDT used by {@link #handler} in protected mode. */
    static final int GDT = 0x500;
    static final int IDT = 0x600;

    /**
     * Installs a handler for {@code vector} that is a single HLT at {@code at}: in real mode an IVT
     * entry 0000:at, in protected mode a 32-bit interrupt gate to 0x08:at in a small IDT (with a GDT
     * holding the flat code and data descriptors the flat32 caches describe).
     */
    CpuTestSupport handler(int vector, int at) {
        mem.poke8(at, 0xF4);
        if (!cpu.protectedMode()) {
            mem.poke16(vector * 4, at);
            mem.poke16(vector * 4 + 2, 0);
            return this;
        }
        mem.poke32(GDT, 0);
        mem.poke32(GDT + 4, 0);
        mem.poke32(GDT + 8, 0x0000_FFFF);
        mem.poke32(GDT + 12, 0x00CF_9B00);
        mem.poke32(GDT + 16, 0x0000_FFFF);
        mem.poke32(GDT + 20, 0x00CF_9300);
        cpu.gdtrBase = GDT;
        cpu.gdtrLimit = 3 * 8 - 1;
        cpu.idtrBase = IDT;
        cpu.idtrLimit = 256 * 8 - 1;
        mem.poke32(IDT + vector * 8, (0x08 << 16) | (at & 0xFFFF));
        mem.poke32(IDT + vector * 8 + 4, (at & 0xFFFF_0000) | 0x8E00);
        return this;
    }

    /** Places code at CS:EIP (and after any code placed before). */
    CpuTestSupport code(int... bytes) {
        int at = codeEnd == 0 ? cpu.segBase[Cpu.CS] + cpu.eip : codeEnd;
        for (int i = 0; i < bytes.length; i++) {
            mem.poke8(at + i, bytes[i]);
        }
        codeEnd = at + bytes.length;
        return this;
    }

    /** Places {@code bytes} followed by HLT and runs until the CPU halts. */
    CpuTestSupport exec(int... bytes) {
        code(bytes);
        code(0xF4);
        StopReason r = cpu.run(5_000_000);
        assertThat(r).as("stop reason").isIn(StopReason.HALTED_FOREVER, StopReason.HALTED);
        return this;
    }

    /** Places {@code bytes} and executes instructions until one faults; returns the fault. */
    CpuFault fault(int... bytes) {
        code(bytes);
        code(0xF4);
        for (int i = 0; i < 10_000; i++) {
            if (cpu.halted()) {
                fail("no fault before HLT");
            }
            try {
                Exec.execute(cpu);
            } catch (CpuFault f) {
                return f;
            }
        }
        fail("no fault");
        return null;
    }

    int reg(int r) {
        return cpu.regs[r];
    }

    CpuTestSupport set(int r, int v) {
        cpu.regs[r] = v;
        return this;
    }

    /** The six status flags. */
    int flags() {
        return cpu.getEflags() & STATUS;
    }

    /** Sets the six status flags (others kept). */
    CpuTestSupport flags(int status) {
        cpu.setEflags((cpu.getEflags() & ~STATUS) | status);
        return this;
    }

    int read32(int addr) {
        return mem.read32(addr);
    }

    int read16(int addr) {
        return mem.read16(addr);
    }

    int read8(int addr) {
        return mem.read8(addr);
    }

    CpuTestSupport poke32(int addr, int v) {
        mem.poke32(addr, v);
        return this;
    }

    CpuTestSupport poke16(int addr, int v) {
        mem.poke16(addr, v);
        return this;
    }

    CpuTestSupport poke8(int addr, int v) {
        mem.poke8(addr, v);
        return this;
    }

    /** Little-endian bytes of a 32-bit immediate, for building code. */
    static int[] le32(int v) {
        return new int[] {v & 0xFF, (v >>> 8) & 0xFF, (v >>> 16) & 0xFF, v >>> 24};
    }

    static int[] cat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int i = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }

    /**
     * Asserts that this machine ended in the same state as {@code plain} (the reference engine):
     * instructions, cycles, EIP, registers, EFLAGS, CR2, segment registers, both TLBs' hits and
     * misses and the low 256 KiB of memory.
     */
    void assertSameStateAs(CpuTestSupport plain, String at) {
        CpuTestSupport a = this;
        assertThat(a.cpu.instructions).as(at + ": instructions").isEqualTo(plain.cpu.instructions);
        assertThat(a.clock.cycles).as(at + ": cycles").isEqualTo(plain.clock.cycles);
        assertThat(a.cpu.eip).as(at + ": EIP").isEqualTo(plain.cpu.eip);
        assertThat(a.cpu.regs).as(at + ": registers").containsExactly(plain.cpu.regs);
        assertThat(a.cpu.getEflags()).as(at + ": EFLAGS").isEqualTo(plain.cpu.getEflags());
        assertThat(a.cpu.cr2).as(at + ": CR2").isEqualTo(plain.cpu.cr2);
        assertThat(a.cpu.segSel).as(at + ": selectors").containsExactly(plain.cpu.segSel);
        assertThat(a.cpu.segBase).as(at + ": segment bases").containsExactly(plain.cpu.segBase);
        assertThat(a.cpu.segAr).as(at + ": access rights").containsExactly(plain.cpu.segAr);
        for (TlbEvent ev : new TlbEvent[] {TlbEvent.HITS, TlbEvent.MISSES}) {
            assertThat(a.mmu.itlb().total(ev)).as(at + ": I-TLB " + ev).isEqualTo(plain.mmu.itlb().total(ev));
            assertThat(a.mmu.dtlb().total(ev)).as(at + ": D-TLB " + ev).isEqualTo(plain.mmu.dtlb().total(ev));
        }
        for (int addr = 0; addr < 0x40000; addr += 4) {
            if (a.read32(addr) != plain.read32(addr)) {
                assertThat(a.read32(addr)).as(at + ": memory at 0x" + Integer.toHexString(addr)).isEqualTo(plain.read32(addr));
            }
        }
    }

    /** The page table {@link #identityPaging} builds for the low 4 MiB. */
    static final int PAGE_TABLE = 0x11000;

    /** Address of the PTE of the identity-mapped page at {@code la} (after {@link #identityPaging}). */
    static int pte(int la) {
        return PAGE_TABLE + 4 * (la >>> 12);
    }

    /**
     * After {@link #identityPaging}: the page at {@code la} present but read-only, with CR0.WP set so
     * that ring 0 is refused too (the page must not be in the TLB yet).
     */
    void readOnlyPage(int la) {
        mem.poke32(pte(la), (la & ~0xFFF) | 1);
        cpu.setCr0(cpu.cr0 | Cpu.CR0_WP);
        mmu.setCr0(cpu.cr0);
    }

    /**
     * Paging on: the low 4 MiB identity-mapped (page directory at 0x10000, its table at 0x11000),
     * writable, with page {@code absent} not present.
     */
    void identityPaging(int absent) {
        int pd = 0x10000;
        int pt = PAGE_TABLE;
        mem.poke32(pd, pt | 3);
        for (int i = 0; i < 1024; i++) {
            mem.poke32(pt + 4 * i, (i << 12) | 3);
        }
        mem.poke32(pt + 4 * (absent >>> 12), 0);
        cpu.setCr3(pd);
        mmu.setCr3(pd);
        cpu.setCr0(cpu.cr0 | Cpu.CR0_PG);
        mmu.setCr0(cpu.cr0);
    }
}
