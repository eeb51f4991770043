package jx86.cpu;

import static jx86.cpu.CpuTestSupport.cat;
import static jx86.cpu.CpuTestSupport.le32;
import static jx86.cpu.KernelPathFormsTest.HANDLERS;
import static jx86.cpu.KernelPathFormsTest.frame;
import static jx86.cpu.KernelPathFormsTest.machine;
import static jx86.cpu.KernelPathFormsTest.onEveryEngine;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;
import jx86.arch.Vectors;
import jx86.mmu.TlbEvent;
import org.junit.jupiter.api.Test;

/**
 * FNSAVE and FRSTOR with the save area in one page of RAM, which {@link X87Port} runs straight on
 * RAM with the D-TLB hits counted at the end (docs/performance.md, "Round 10: TLB flushes and the
 * x87 save"): each program runs on every engine and, on the interpreter, once more with that path
 * off ({@link X87Port#directAreas}), and every run must end in the same state (TLB hits and
 * misses, memory, registers); the areas' contents, the hit counts and the faults are worked out by
 * hand.
 */
class FpuSaveAreaTest {
    private static final int FLD1 = 0xE8;
    private static final int FLDPI = 0xEB;

    private static int[] fnsave(int at) {
        return cat(new int[] {0xDD, 0x35}, le32(at)); // fnsave [at]
    }

    private static int[] frstor(int at) {
        return cat(new int[] {0xDD, 0x25}, le32(at)); // frstor [at]
    }

    private static int[] load(int at) {
        return cat(new int[] {0xA1}, le32(at)); // mov eax, [at]
    }

    /** Runs {@code setup}'s program on every engine and with the direct path off; returns the interpreter's. */
    private static CpuTestSupport onEveryPath(Consumer<CpuTestSupport> setup, String what) {
        CpuTestSupport plain = onEveryEngine(setup, what);
        CpuTestSupport piecewise = machine(Engine.INTERP, t -> {
            setup.accept(t);
            t.cpu.x87Port.directAreas = false;
        });
        assertThat(piecewise.cpu.run(1_000_000)).as(what + ", piecewise").isEqualTo(StopReason.HALTED_FOREVER); // HLT with IF = 0
        piecewise.assertSameStateAs(plain, what + ", piecewise");
        return plain;
    }

    /** The 108-byte image of ST0 = pi, ST1 = 1.0 (TOP 6) after FNINIT's control word, at {@code at}. */
    private static void assertPiAndOne(CpuTestSupport t, int at, String what) {
        assertThat(new int[] {t.read32(at), t.read32(at + 4), t.read32(at + 8)}).as(what + ": CW, SW (TOP 6), TW")
                .containsExactly(0xFFFF_037F, 0xFFFF_3000, 0xFFFF_0FFF);
        assertThat(new int[] {t.read32(at + 28), t.read32(at + 32), t.read16(at + 36)}).as(what + ": ST0 = pi")
                .containsExactly(0x2168_C235, 0xC90F_DAA2, 0x4000);
        assertThat(new int[] {t.read32(at + 38), t.read32(at + 42), t.read16(at + 46)}).as(what + ": ST1 = 1.0")
                .containsExactly(0, 0x8000_0000, 0x3FFF);
    }

    /**
     * Saves and restores in one page (hit), across a page end (the piecewise path), after a CR3
     * load (the first check misses, the rest is direct) and with a 16-bit operand size (94 bytes);
     * between them, loads that fill the save area's D-TLB set, so that a save whose hits did not
     * stamp the page would lose it to the eviction and miss once more.
     */
    @Test
    void saveAndRestore_sameStateOnEveryPathAndEngine() {
        CpuTestSupport t = onEveryPath(s -> {
            s.identityPaging(0x300000);
            s.code(cat(
                    load(0x3000), load(0x13000),                 // pages 3 and 0x13: D-TLB set 3
                    new int[] {0xDB, 0xE3, 0xD9, FLD1, 0xD9, FLDPI}, // fninit (every exception masked)
                    new int[] {0xBB}, le32(0x3000),              // mov ebx, 0x3000
                    new int[] {0xDD, 0x33},                      // fnsave [ebx]: page 3 now newer than 0x13
                    load(0x23000), load(0x33000), load(0x43000), // set 3 full: 0x43 evicts 0x13
                    load(0x3000),                                // a hit
                    new int[] {0xD9, 0xEE, 0xDD, 0x23},          // fldz; frstor [ebx]
                    fnsave(0x3FC0), frstor(0x3FC0),              // 0x3FC0..0x402B: two pages
                    new int[] {0x0F, 0x20, 0xD8, 0x0F, 0x22, 0xD8}, // mov eax, cr3; mov cr3, eax
                    fnsave(0x3200), frstor(0x3200),
                    new int[] {0x66}, fnsave(0x3400),            // 16-bit operand size: 14-byte environment
                    new int[] {0xF4}));
        }, "FNSAVE/FRSTOR");
        assertPiAndOne(t, 0x3000, "in one page");
        assertPiAndOne(t, 0x3FC0, "across the page end");
        assertPiAndOne(t, 0x3200, "after the CR3 load");
        assertThat(new int[] {t.read16(0x3400), t.read16(0x3402), t.read16(0x3404)}).as("94 bytes: CW, SW, TW")
                .containsExactly(0x037F, 0x3000, 0x0FFF);
        assertThat(new int[] {t.read32(0x3400 + 14), t.read32(0x3400 + 18), t.read16(0x3400 + 22)})
                .as("94 bytes: ST0 = pi").containsExactly(0x2168_C235, 0xC90F_DAA2, 0x4000);
        // pages 3, 0x13, 0x23, 0x33, 0x43, 4 (the area across the page end), 3 after the CR3 load
        assertThat(t.mmu.dtlb().total(TlbEvent.MISSES)).as("D-TLB misses").isEqualTo(7);
    }

    /**
     * The D-TLB hits of each form, worked out from the accesses the x87 makes: a check per 4-byte
     * piece of the area, then the environment's 7 fields and 3 accesses per register (FNSAVE, 108
     * bytes: 27 + 7 + 24 = 58; FRSTOR: 27 + 7 + 8 x (3 + 2 + 2 + 1) = 98, as each register is
     * checked, then its significand as 8 bytes, read as two words, and its exponent; FNSAVE with a
     * 16-bit operand size, 94 bytes: 24 + 7 + 24 = 55).
     */
    @Test
    void hitCounts_asTheSingleAccesses() {
        int[] touch = load(0x3000);
        CpuTestSupport without = onEveryPath(s -> {
            s.identityPaging(0x300000);
            s.code(cat(touch, new int[] {0xF4}));
        }, "touch only");
        CpuTestSupport with = onEveryPath(s -> {
            s.identityPaging(0x300000);
            s.code(cat(touch, fnsave(0x3000), frstor(0x3000), new int[] {0x66}, fnsave(0x3000), new int[] {0xF4}));
        }, "FNSAVE, FRSTOR, FNSAVE o16");
        assertThat(with.mmu.dtlb().total(TlbEvent.HITS) - without.mmu.dtlb().total(TlbEvent.HITS))
                .isEqualTo(58 + 98 + 55);
        assertThat(with.mmu.dtlb().total(TlbEvent.MISSES)).isEqualTo(without.mmu.dtlb().total(TlbEvent.MISSES));
    }

    /**
     * FNSAVE into an absent page after a CR3 load (the first check, made before the direct path
     * decides, faults): #PF with CR2 at the area, error code 2 (supervisor, write, not present), the
     * saved EIP at the FNSAVE, nothing written, the FPU not reinitialised (a second FNSAVE, to a
     * present page, still saves pi).
     */
    @Test
    void saveIntoAnAbsentPage_pageFaultBeforeAnyWrite() {
        int at = CpuTestSupport.CODE + 6;
        CpuTestSupport t = onEveryPath(s -> {
            s.identityPaging(0x5000);
            s.code(cat(
                    new int[] {0xDB, 0xE3, 0xD9, FLDPI, 0xD9, FLD1}, // 1000 fninit; ST0 = 1.0, ST1 = pi
                    fnsave(0x5000),                                 // 1006
                    new int[] {0xF4}));
        }, "FNSAVE into an absent page");
        assertThat(t.cpu.eip).isEqualTo(HANDLERS + Vectors.PF + 1);
        assertThat(t.cpu.cr2).isEqualTo(0x5000);
        assertThat(frame(t)).as("error code, EIP, CS").containsExactly(2, at, 0x08);
        assertThat(t.cpu.fpu.st(1).se()).as("ST1 still pi: the FPU was not reinitialised").isEqualTo(0x4000);
    }
}
