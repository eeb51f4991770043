package jx86.cpu;

import static jx86.cpu.Cpu.EAX;
import static jx86.cpu.Cpu.ECX;
import static jx86.cpu.Cpu.EDI;
import static jx86.cpu.Cpu.EDX;
import static jx86.cpu.Cpu.ESI;
import static jx86.cpu.Cpu.ZF;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import jx86.bus.IoBus;
import jx86.bus.IoDevice;
import java.util.function.Consumer;
import jx86.arch.CpuFault;
import jx86.arch.Vectors;
import jx86.memory.PhysicalMemory;
import jx86.mmu.TlbEvent;
import org.junit.jupiter.api.Test;

class StringOpsTest {
    private static final int SRC = 0x20000;
    private static final int DST = 0x30000;

    @Test
    void repMovsd_copiesAndAdvances() {
        CpuTestSupport t = CpuTestSupport.flat32();
        for (int i = 0; i < 16; i++) {
            t.poke8(SRC + i, 0x10 + i);
        }
        t.set(ESI, SRC).set(EDI, DST).set(ECX, 4).exec(0xF3, 0xA5);
        assertThat(t.read32(DST)).isEqualTo(0x1312_1110);
        assertThat(t.read32(DST + 12)).isEqualTo(0x1F1E_1D1C);
        assertThat(t.reg(ECX)).isZero();
        assertThat(t.reg(ESI)).isEqualTo(SRC + 16);
        assertThat(t.reg(EDI)).isEqualTo(DST + 16);
    }

    @Test
    void repMovsb_longCountAcrossManyBatches() {
        CpuTestSupport t = CpuTestSupport.flat32();
        for (int i = 0; i < 5000; i++) {
            t.poke8(SRC + i, i * 7);
        }
        t.set(ESI, SRC).set(EDI, DST).set(ECX, 5000).exec(0xF3, 0xA4);
        for (int i = 0; i < 5000; i += 499) {
            assertThat(t.read8(DST + i)).isEqualTo((i * 7) & 0xFF);
        }
        assertThat(t.reg(ECX)).isZero();
    }

    @Test
    void repMovsb_directionFlagSet_copiesBackwards() {
        CpuTestSupport t = CpuTestSupport.flat32().poke8(SRC, 1).poke8(SRC + 1, 2).poke8(SRC + 2, 3);
        t.set(ESI, SRC + 2).set(EDI, DST + 2).set(ECX, 3).exec(0xFD, 0xF3, 0xA4);
        assertThat(t.read8(DST)).isEqualTo(1);
        assertThat(t.read8(DST + 2)).isEqualTo(3);
        assertThat(t.reg(ESI)).isEqualTo(SRC - 1);
        assertThat(t.reg(EDI)).isEqualTo(DST - 1);
    }

    @Test
    void rep_countZero_doesNothing() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EDI, DST).set(ECX, 0).set(EAX, 0x77).exec(0xF3, 0xAA);
        assertThat(t.read8(DST)).isZero();
        assertThat(t.reg(EDI)).isEqualTo(DST);
    }

    @Test
    void repeCmpsb_stopsAtFirstDifference() {
        CpuTestSupport t = CpuTestSupport.flat32();
        byte[] a = "abcdef".getBytes();
        byte[] b = "abcxef".getBytes();
        for (int i = 0; i < 6; i++) {
            t.poke8(SRC + i, a[i]).poke8(DST + i, b[i]);
        }
        t.set(ESI, SRC).set(EDI, DST).set(ECX, 6).exec(0xF3, 0xA6);
        assertThat(t.reg(ECX)).isEqualTo(2);
        assertThat(t.reg(ESI)).isEqualTo(SRC + 4);
        assertThat(t.flags() & ZF).isZero();
    }

    @Test
    void repneScasb_findsByte() {
        CpuTestSupport t = CpuTestSupport.flat32();
        byte[] s = "hello\0".getBytes();
        for (int i = 0; i < s.length; i++) {
            t.poke8(DST + i, s[i]);
        }
        t.set(EDI, DST).set(ECX, -1).set(EAX, 0).exec(0xF2, 0xAE);
        assertThat(t.reg(EDI)).isEqualTo(DST + 6);
        assertThat(t.reg(ECX)).isEqualTo(-7);
        assertThat(t.flags() & ZF).isEqualTo(ZF);
    }

    @Test
    void stosw_addressSize16_usesDiAndCx() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EDI, 0xABCD_0100).set(ECX, 0x5555_0002).set(EAX, 0xBEEF);
        t.exec(0x66, 0x67, 0xF3, 0xAB);
        assertThat(t.read16(0x100)).isEqualTo(0xBEEF);
        assertThat(t.read16(0x102)).isEqualTo(0xBEEF);
        assertThat(t.reg(EDI)).isEqualTo(0xABCD_0104);
        assertThat(t.reg(ECX)).isEqualTo(0x5555_0000);
    }

    @Test
    void lodsb_sourceSegmentOverride() {
        CpuTestSupport t = CpuTestSupport.flat32().poke8(0x50010, 0x42);
        t.cpu.setSegmentCache(Cpu.FS, 0x18, 0x50000, 0xFFFF, 0xC093);
        t.set(ESI, 0x10).exec(0x64, 0xAC);
        assertThat(t.reg(EAX) & 0xFF).isEqualTo(0x42);
        assertThat(t.reg(ESI)).isEqualTo(0x11);
    }

    @Test
    void movsb_realMode_siWrapsAt64k() {
        CpuTestSupport t = CpuTestSupport.real().poke8(0xFFFF, 0x99).set(ESI, 0xFFFF).set(EDI, 0x500);
        t.exec(0xA4);
        assertThat(t.read8(0x500)).isEqualTo(0x99);
        assertThat(t.reg(ESI)).isZero();
        assertThat(t.reg(EDI)).isEqualTo(0x501);
    }

    @Test
    void repOutsb_andInsb_realMode() {
        CpuTestSupport t = CpuTestSupport.real();
        List<Integer> written = new ArrayList<>();
        t.io.register(0x300, 1, "test", IoBus.W8, new IoDevice() {
            @Override
            public int ioRead(int port, int size) {
                return 0x5A;
            }

            @Override
            public void ioWrite(int port, int size, int value) {
                written.add(value);
            }
        });
        t.poke8(0x600, 1).poke8(0x601, 2).poke8(0x602, 3);
        t.set(EDX, 0x300).set(ESI, 0x600).set(ECX, 3).set(EDI, 0x700);
        t.exec(0xF3, 0x6E, 0xB1, 0x02, 0xF3, 0x6C); // rep outsb; mov cl,2; rep insb
        assertThat(written).containsExactly(1, 2, 3);
        assertThat(t.read8(0x700)).isEqualTo(0x5A);
        assertThat(t.read8(0x701)).isEqualTo(0x5A);
        assertThat(t.read8(0x702)).isZero();
    }

    @Test
    void repMovsd_faultMidway_leavesCompletedIterationsCommitted() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.setSegmentCache(Cpu.ES, 0x18, 0, DST + 7, 0xC093); // third dword crosses the limit
        t.set(ESI, SRC).set(EDI, DST).set(ECX, 5);
        jx86.arch.CpuFault f = t.fault(0xF3, 0xA5);
        assertThat(f.vector).isEqualTo(jx86.arch.Vectors.GP);
        assertThat(t.reg(ECX)).isEqualTo(3);
        assertThat(t.reg(EDI)).isEqualTo(DST + 8);
        assertThat(t.reg(ESI)).isEqualTo(SRC + 8);
        assertThat(t.cpu.eip).isEqualTo(CpuTestSupport.CODE);
    }

    @Test
    void ins_destinationFault_doesNotReadThePort() {
        CpuTestSupport t = CpuTestSupport.real();
        int[] reads = {0};
        t.io.register(0x300, 1, "test", IoBus.W8, new IoDevice() {
            @Override
            public int ioRead(int port, int size) {
                reads[0]++;
                return 0;
            }

            @Override
            public void ioWrite(int port, int size, int value) {
            }
        });
        t.set(EDX, 0x300).set(EDI, 0xFFFF);
        assertThat(t.fault(0x6D).vector).isEqualTo(jx86.arch.Vectors.GP); // insw at ES:FFFF
        assertThat(reads[0]).isZero();
    }

    // ---- page-chunk fast path for REP MOVS / REP STOS: same outcome as the element loop ----

    private static final int PAGE_DIR = 0x10_0000;
    private static final int PAGE_TABLE = 0x10_1000;
    private static final int P = 1;
    private static final int RW = 2;
    private static final int US = 4;

    /** flat32 plus paging: the first 1 MiB identity-mapped with 4 KiB pages, present, writable, user. */
    private static CpuTestSupport paged() {
        CpuTestSupport t = CpuTestSupport.flat32();
        for (int i = 0; i < 1024; i++) {
            t.poke32(PAGE_DIR + 4 * i, 0);
            t.poke32(PAGE_TABLE + 4 * i, i < 256 ? (i << 12) | P | RW | US : 0);
        }
        t.poke32(PAGE_DIR, PAGE_TABLE | P | RW | US);
        t.cpu.setCr0(t.cpu.cr0 | 0x8000_0000);
        t.mmu.setCr3(PAGE_DIR);
        t.mmu.setCr0(t.cpu.cr0);
        return t;
    }

    private static void setPte(CpuTestSupport t, int la, int flags) {
        t.poke32(PAGE_TABLE + 4 * (la >>> 12), (la & 0xFFFF_F000) | flags);
    }

    /**
     * Runs "rep op" at CODE as the run loop does (one step per batch, one cycle per step, timer
     * events between steps) with the fast path on or off; returns the steps (instructions).
     */
    private static long runRep(CpuTestSupport t, int op, int size, boolean fast) {
        Cpu c = t.cpu;
        long steps = 0;
        do {
            c.insnEip = c.eip;
            c.ip = c.eip + 2;
            c.asz32 = true;
            c.osz = 4;
            c.segOvr = -1;
            c.rep = 0xF3;
            StringOps.run(c, op, size, fast);
            c.eip = c.ip;
            c.clock.cycles++;
            if (c.clock.cycles >= c.clock.nextEventAt) {
                c.clock.runDueEvents();
            }
            steps++;
        } while (c.eip == CpuTestSupport.CODE);
        return steps;
    }

    /** Everything observable after a run: registers, steps, cycles, fault, D-TLB counters, memory, LRU probe. */
    private static String outcome(Consumer<CpuTestSupport> setup, int op, int size, boolean fast) {
        CpuTestSupport t = paged();
        setup.accept(t);
        StringBuilder sb = new StringBuilder();
        try {
            long steps = runRep(t, op, size, fast);
            sb.append("steps=").append(steps);
        } catch (CpuFault f) {
            sb.append("fault=").append(f.vector).append('/').append(f.errorCode).append('@')
                    .append(Integer.toHexString(f.linearAddress));
        }
        for (int r = 0; r < 8; r++) {
            sb.append(" r").append(r).append('=').append(Integer.toHexString(t.reg(r)));
        }
        sb.append(" cycles=").append(t.clock.cycles);
        for (TlbEvent ev : TlbEvent.values()) {
            sb.append(' ').append(ev).append('=').append(t.mmu.dtlb().total(ev));
        }
        sb.append(" mem=").append(java.util.Arrays.hashCode(t.mem.dump(0x20000, 0x20000)));
        sb.append(" rom=").append(java.util.Arrays.hashCode(t.mem.dump(0xF0000, 0x2000)));
        // LRU probe: three new pages into the set of the last source page; which survive?
        int srcPage = t.reg(ESI) >>> 12;
        int dstPage = t.reg(EDI) >>> 12;
        for (int m = 0; m < 3; m++) {
            t.mmu.read8(((srcPage & 0xF) + 0xC0 + 0x10 * m) << 12);
        }
        sb.append(" srcHeld=").append(t.mmu.dtlb().holds(srcPage << 12))
                .append(" dstHeld=").append(t.mmu.dtlb().holds(dstPage << 12));
        return sb.toString();
    }

    private static void assertSameAsElementLoop(Consumer<CpuTestSupport> setup, int op, int size) {
        String slow = outcome(setup, op, size, false);
        assertThat(outcome(setup, op, size, true)).isEqualTo(slow);
    }

    private static Consumer<CpuTestSupport> pattern(int esi, int edi, int ecx) {
        return t -> {
            for (int i = 0; i < 0x8000; i++) {
                t.poke8(SRC + i, i * 13 + (i >>> 8));
            }
            t.set(ESI, esi).set(EDI, edi).set(ECX, ecx).set(EAX, 0x8765_4321);
        };
    }

    @Test
    void fastPath_repMovsbAcrossPages_matchesElementLoop() {
        assertSameAsElementLoop(pattern(SRC + 0xF7D, DST + 0x123, 5000), 0xA4, 1);
    }

    @Test
    void fastPath_repMovsbPagesInOneTlbSet_leavesDestinationMostRecentlyUsed() {
        // Source and destination end in pages 0x21 and 0x31, one D-TLB set: the probe's third
        // new page evicts the least recently used of them, the source.
        Consumer<CpuTestSupport> setup = pattern(SRC + 0x7D, DST + 0x7D, 4500);
        assertThat(outcome(setup, 0xA4, 1, true)).endsWith(" srcHeld=false dstHeld=true");
        assertSameAsElementLoop(setup, 0xA4, 1);
    }

    @Test
    void fastPath_repMovsdMisalignedAndStraddling_matchesElementLoop() {
        assertSameAsElementLoop(pattern(SRC + 2, DST + 0xFFE, 3000), 0xA5, 4);
        assertSameAsElementLoop(pattern(SRC + 0xFFD, DST + 0x401, 1500), 0xA5, 4);
    }

    @Test
    void fastPath_repMovswAndStosw_matchesElementLoop() {
        assertSameAsElementLoop(pattern(SRC + 1, DST + 0x7FF, 2100), 0xA5, 2);
        assertSameAsElementLoop(pattern(SRC, DST + 0xFFF, 2100), 0xAB, 2);
    }

    @Test
    void fastPath_repStosbAndStosd_matchesElementLoop() {
        assertSameAsElementLoop(pattern(0, DST + 0x10, 5000), 0xAA, 1);
        assertSameAsElementLoop(pattern(0, DST + 0xFF1, 2000), 0xAB, 4);
    }

    @Test
    void fastPath_overlappingMovs_matchesElementLoop() {
        assertSameAsElementLoop(pattern(SRC + 0x10, SRC + 0x11, 6000), 0xA4, 1);
        assertSameAsElementLoop(pattern(SRC + 0x10, SRC + 0x12, 1000), 0xA5, 4);
        assertSameAsElementLoop(pattern(SRC + 0x10, SRC + 0x0E, 1000), 0xA5, 4);
    }

    @Test
    void fastPath_timerEventsCutBatches_matchesElementLoop() {
        Consumer<CpuTestSupport> setup = pattern(SRC + 0x30, DST + 0x50, 4000).andThen(t -> {
            jx86.clock.VirtualClock.Timer[] timer = new jx86.clock.VirtualClock.Timer[1];
            timer[0] = t.clock.newTimer("tick", () -> timer[0].setDelay(37));
            timer[0].setDelay(37);
        });
        assertSameAsElementLoop(setup, 0xA4, 1);
        assertSameAsElementLoop(setup, 0xAB, 4);
    }

    @Test
    void fastPath_pagingOff_matchesElementLoop() {
        Consumer<CpuTestSupport> setup = pattern(SRC + 0x3, DST + 0x9, 3000).andThen(t -> t.mmu.setCr0(t.cpu.cr0 & ~0x8000_0000));
        assertSameAsElementLoop(setup, 0xA5, 4);
        assertSameAsElementLoop(setup, 0xAA, 1);
    }

    @Test
    void fastPath_segmentLimitCutsTheCopy_matchesElementLoop() {
        Consumer<CpuTestSupport> setup = pattern(SRC, DST + 0x100, 500)
                .andThen(t -> t.cpu.setSegmentCache(Cpu.ES, 0x18, 0, DST + 0x1FF, 0xC093));
        assertThat(outcome(setup, 0xA4, 1, true)).startsWith("fault=13/0@0 ").contains(" r1=f4 ").contains(" r7=30200 "); // 256 bytes fit below the limit
        assertSameAsElementLoop(setup, 0xA4, 1);
    }

    @Test
    void fastPath_destinationPageNotPresent_faultsAtItsFirstElement() {
        Consumer<CpuTestSupport> setup = pattern(0, DST + 0xF00, 100).andThen(t -> setPte(t, DST + 0x1000, 0));
        String fast = outcome(setup, 0xAB, 4, true);
        // 0x100 bytes = 64 dwords fit before the page; the 65th faults (not present, write, CPL 0).
        assertThat(fast).startsWith("fault=14/2@31000 ").contains(" r1=24 ").contains(" r7=31000 ");
        assertThat(fast).isEqualTo(outcome(setup, 0xAB, 4, false));
    }

    @Test
    void fastPath_readOnlyDestinationAtCpl3_faultsAtItsFirstElement() {
        Consumer<CpuTestSupport> setup = pattern(SRC + 0x20, DST + 0xFF0, 40).andThen(t -> {
            setPte(t, DST + 0x1000, P | US);
            t.cpu.setCpl(3);
        });
        String fast = outcome(setup, 0xA4, 1, true);
        // 16 bytes copied, then the write to the read-only page faults: P | W | U = 7.
        assertThat(fast).startsWith("fault=14/7@31000 ").contains(" r1=18 ").contains(" r6=20030 ")
                .contains(" r7=31000 ");
        assertThat(fast).isEqualTo(outcome(setup, 0xA4, 1, false));
        CpuTestSupport t = paged();
        setup.accept(t);
        assertThat(catchFault(t, 0xA4, 1).vector).isEqualTo(Vectors.PF);
        assertThat(t.read8(DST + 0xFFF)).isEqualTo(t.read8(SRC + 0x2F));
        assertThat(t.read8(DST + 0x1000)).isZero();
    }

    private static CpuFault catchFault(CpuTestSupport t, int op, int size) {
        try {
            runRep(t, op, size, true);
        } catch (CpuFault f) {
            return f;
        }
        throw new AssertionError("no fault");
    }

    @Test
    void fastPath_romDestination_isNotWritten() {
        Consumer<CpuTestSupport> setup = pattern(0, 0xF0000, 3000).andThen(t -> {
            for (int i = 0; i < 0x2000; i++) {
                t.mem.poke8(0xF0000 + i, 0x5A);
            }
        });
        CpuTestSupport t = paged();
        setup.accept(t);
        runRep(t, 0xAA, 1, true);
        assertThat(t.read8(0xF0000)).isEqualTo(0x5A);
        assertThat(t.read8(0xF0BB7)).isEqualTo(0x5A);
        assertThat(t.reg(EDI)).isEqualTo(0xF0000 + 3000);
        assertSameAsElementLoop(setup, 0xAA, 1);
        assertSameAsElementLoop(pattern(SRC, 0xF0FF0, 3000), 0xA5, 4);
    }

    @Test
    void fastPath_overlappingMovsbOneAbove_replicatesTheFirstByte() {
        CpuTestSupport t = paged().poke8(SRC, 0xAB).poke8(SRC + 1, 0x01);
        t.set(ESI, SRC).set(EDI, SRC + 1).set(ECX, 5000).exec(0xF3, 0xA4);
        for (int i = 0; i <= 5000; i += 97) {
            assertThat(t.read8(SRC + i)).isEqualTo(0xAB);
        }
        assertThat(t.read8(SRC + 5000)).isEqualTo(0xAB);
        assertThat(t.read8(SRC + 5001)).isZero();
    }

    @Test
    void fastPath_repMovsdThroughTheCpu_countsOneHitPerAccessAfterTheMisses() {
        CpuTestSupport t = paged();
        for (int i = 0; i < 4000; i++) {
            t.poke8(SRC + i, i);
        }
        t.mmu.resetCounters();
        t.set(ESI, SRC).set(EDI, DST).set(ECX, 1000).exec(0xF3, 0xA5);
        assertThat(t.read32(DST + 3996)).isEqualTo(t.read32(SRC + 3996));
        // One page each: the first read and the first write miss, the other 1998 accesses hit.
        assertThat(t.mmu.dtlb().total(TlbEvent.MISSES)).isEqualTo(2);
        assertThat(t.mmu.dtlb().total(TlbEvent.HITS)).isEqualTo(1998);
        // 1000 iterations in batches of 64 are 16 instructions, plus HLT.
        assertThat(t.cpu.instructions).isEqualTo(17);
    }

    @Test
    void fastPath_storeIntoCodePage_notifiesTheTracker() {
        CpuTestSupport t = paged();
        java.util.Set<Integer> pages = new java.util.HashSet<>();
        t.mem.codeWrites().markCodePage(DST >>> 12);
        t.mem.codeWrites().setListener(pages::add);
        t.set(EDI, DST).set(ECX, 200).set(EAX, 0x90).exec(0xF3, 0xAA);
        assertThat(pages).containsExactly(DST >>> 12);
        assertThat(t.read8(DST + 199)).isEqualTo(0x90);
    }

    @Test
    void fastPathDisabled_isTheElementLoop() {
        assertThat(StringOps.FAST_PATH).isTrue();
        CpuTestSupport t = CpuTestSupport.flat32().set(EDI, DST).set(ECX, 3).set(EAX, 0x11);
        runRep(t, 0xAA, 1, false);
        assertThat(t.read32(DST)).isEqualTo(0x0011_1111);
        assertThat(PhysicalMemory.KIND_RAM).isEqualTo(t.mem.kindOf(DST));
    }
}
