package jx86.cpu;

import static jx86.cpu.Cpu.EAX;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

class DecodeCacheTest {
    /** Runs again from the start of the test program (the cache keeps what the first run decoded). */
    private static void rerun(CpuTestSupport t) {
        t.cpu.eip = CpuTestSupport.CODE;
        t.cpu.setHalted(false);
        StopReason r = t.cpu.run(1000);
        assertThat(r).isIn(StopReason.HALTED_FOREVER, StopReason.HALTED);
    }

    @Test
    void patchedImmediate_afterFirstRun_isExecuted() {
        CpuTestSupport t = CpuTestSupport.flat32().exec(0xB8, 0x01, 0x00, 0x00, 0x00); // MOV EAX,1
        assertThat(t.reg(EAX)).isEqualTo(1);
        t.poke8(CpuTestSupport.CODE + 1, 0x02);
        rerun(t);
        assertThat(t.reg(EAX)).isEqualTo(2);
    }

    @Test
    void patchedOpcode_afterFirstRun_isExecuted() {
        // ADD EAX,EBX (01 D8), patched to SUB EAX,EBX (29 D8)
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 10).set(Cpu.EBX, 3).exec(0x01, 0xD8);
        assertThat(t.reg(EAX)).isEqualTo(13);
        t.poke8(CpuTestSupport.CODE, 0x29);
        rerun(t);
        assertThat(t.reg(EAX)).isEqualTo(10);
    }

    @Test
    void sameBytes_in16BitCodeSegment_decodeWithWordOperands() {
        // B8 78 56 34 12: MOV EAX,0x12345678 with CS.D = 1; MOV AX,0x5678 then XOR AL,0x12 with CS.D = 0
        CpuTestSupport t = CpuTestSupport.flat32().exec(0xB8, 0x78, 0x56, 0x34, 0x12);
        assertThat(t.reg(EAX)).isEqualTo(0x1234_5678);
        t.set(EAX, 0);
        t.cpu.setSegmentCache(Cpu.CS, 0x08, 0, 0xFFFF_FFFF, 0x809B);
        rerun(t);
        assertThat(t.reg(EAX)).isEqualTo(0x566A);
    }

    @Test
    void cachedInstruction_runningPastLoweredCsLimit_isGeneralProtection() {
        CpuTestSupport t = CpuTestSupport.flat32().exec(0xB8, 0x01, 0x00, 0x00, 0x00);
        t.cpu.setSegmentCache(Cpu.CS, 0x08, 0, CpuTestSupport.CODE + 3, 0x409B);
        t.cpu.eip = CpuTestSupport.CODE;
        t.set(EAX, 7);
        CpuFault f = null;
        try {
            Exec.execute(t.cpu);
        } catch (CpuFault e) {
            f = e;
        }
        assertThat(f).isNotNull();
        assertThat(f.vector).isEqualTo(Vectors.GP);
        assertThat(t.reg(EAX)).isEqualTo(7);
    }

    @Test
    void memoryOperand_effectiveAddressUsesRegistersAtExecution() {
        // MOV [EBX+ESI*4+8],EAX (89 44 B3 08) run twice with different EBX
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0x11).set(Cpu.EBX, 0x20000).set(Cpu.ESI, 1)
                .exec(0x89, 0x44, 0xB3, 0x08);
        assertThat(t.read32(0x2000C)).isEqualTo(0x11);
        t.set(Cpu.EBX, 0x20100).set(EAX, 0x22);
        rerun(t);
        assertThat(t.read32(0x2010C)).isEqualTo(0x22);
        assertThat(t.read32(0x2000C)).isEqualTo(0x11);
    }

    @Test
    void cachedLoad_afterDataSegmentLimitLowered_takesGeneralProtection() {
        // MOV EAX,[0x2000] (8B 05 00 20 00 00): cached by the first run through a flat DS
        CpuTestSupport t = CpuTestSupport.flat32().handler(Vectors.GP, 0x7000).poke32(0x2000, 0x55)
                .exec(0x8B, 0x05, 0x00, 0x20, 0x00, 0x00);
        assertThat(t.reg(EAX)).isEqualTo(0x55);
        assertThat(t.cpu.flatSegs & (1 << Cpu.DS)).isNotZero();
        t.cpu.setSegmentCache(Cpu.DS, 0x10, 0, 0xFFF, 0xC093);
        assertThat(t.cpu.flatSegs & (1 << Cpu.DS)).isZero();
        t.set(EAX, 7);
        rerun(t);
        assertThat(t.cpu.eip).as("in the #GP handler").isEqualTo(0x7001);
        assertThat(t.reg(EAX)).isEqualTo(7);
    }

    @Test
    void flatSegments_onlyBaseZeroFullLimitWritableExpandUpData() {
        Cpu c = CpuTestSupport.flat32().cpu;
        assertThat(c.flatSegs).isEqualTo(0b11_1101); // every data segment, not CS
        c.setSegmentCache(Cpu.ES, 0x10, 0x1000, 0xFFFF_FFFF, 0xC093);
        c.setSegmentCache(Cpu.FS, 0x10, 0, 0xFFFF_FFFF, 0xC091); // read-only
        c.setSegmentCache(Cpu.GS, 0x10, 0, 0xFFFF_FFFF, 0xC097); // expand-down
        c.setSegmentCache(Cpu.SS, 0x10, 0, 0xFFFF_FFFF, 0x4093); // byte-granular 4 GiB: still flat
        assertThat(c.flatSegs).isEqualTo((1 << Cpu.DS) | (1 << Cpu.SS));
    }

    /**
     * A loop with a fused CMP/JNE, DEC/JNZ, a store and taken and not-taken branches, run in slices
     * of every size from 1 to 9: with and without the cache each slice ends after exactly the
     * budgeted instructions, at the same EIP, with the same registers, flags and cycles.
     */
    @Test
    void everySliceSize_endsAtTheSameInstructionWithAndWithoutTheCache() {
        int[] loop = CpuTestSupport.cat(
                new int[] {0xB9, 0x06, 0x00, 0x00, 0x00},                      // mov ecx, 6
                new int[] {0x01, 0xC8},                                          // L: add eax, ecx
                new int[] {0x89, 0x05}, CpuTestSupport.le32(CpuTestSupport.DATA), // mov [DATA], eax
                new int[] {0x83, 0xF9, 0x03},                                    // cmp ecx, 3
                new int[] {0x75, 0x01},                                          // jne +1
                new int[] {0x43},                                                // inc ebx
                new int[] {0x49},                                                // dec ecx
                new int[] {0x75, 0xEF},                                          // jnz L
                new int[] {0xF4});                                               // hlt
        for (int slice = 1; slice <= 9; slice++) {
            CpuTestSupport cached = runInSlices(loop, slice);
            assertThat(cached.reg(Cpu.EBX)).isEqualTo(1);
            assertThat(cached.reg(EAX)).isEqualTo(6 + 5 + 4 + 3 + 2 + 1);
        }
    }

    /**
     * A loop that is one block (add, dec, jnz back to its own start: the trace runs it again
     * without a lookup while the budget lasts), run in slices of every size from 1 to 9 with and
     * without the cache: each slice ends after exactly the budgeted instructions, also when the
     * budget runs out at the loop's end (round 9 made that check part of one combined branch).
     */
    @Test
    void singleBlockLoop_everySliceSize_endsAtTheBudget() {
        int[] loop = CpuTestSupport.cat(
                new int[] {0xB9, 0x14, 0x00, 0x00, 0x00},                      // mov ecx, 20
                new int[] {0x01, 0xC8},                                          // L: add eax, ecx
                new int[] {0x49},                                                // dec ecx
                new int[] {0x75, 0xFB},                                          // jnz L
                new int[] {0xF4});                                               // hlt
        for (int slice = 1; slice <= 9; slice++) {
            CpuTestSupport cached = runInSlices(loop, slice);
            assertThat(cached.reg(EAX)).isEqualTo(20 * 21 / 2);
        }
    }

    /**
     * Runs {@code program} in slices of {@code slice} instructions with and without the cache:
     * after each slice both have run exactly the budgeted instructions (until the HLT), at the
     * same EIP, with the same registers, flags, cycles and I-TLB hits; returns the cached run.
     */
    private static CpuTestSupport runInSlices(int[] program, int slice) {
        CpuTestSupport cached = CpuTestSupport.flat32().code(program);
        CpuTestSupport plain = CpuTestSupport.flat32().code(program);
        plain.cpu.setDecodeCache(false);
        for (int n = 1; n < 100 && !cached.cpu.halted(); n++) {
            cached.cpu.run(slice);
            plain.cpu.run(slice);
            String at = "slice " + slice + ", run " + n;
            assertThat(cached.cpu.instructions).as(at).isEqualTo(plain.cpu.instructions);
            assertThat(cached.cpu.eip).as(at).isEqualTo(plain.cpu.eip);
            assertThat(cached.clock.cycles).as(at).isEqualTo(plain.clock.cycles);
            assertThat(cached.cpu.regs).as(at).containsExactly(plain.cpu.regs);
            assertThat(cached.flags()).as(at).isEqualTo(plain.flags());
            assertThat(cached.mmu.itlb().total(jx86.mmu.TlbEvent.HITS)).as(at)
                    .isEqualTo(plain.mmu.itlb().total(jx86.mmu.TlbEvent.HITS));
            if (!plain.cpu.halted()) {
                assertThat(cached.cpu.instructions).as(at).isEqualTo((long) n * slice);
            }
        }
        assertThat(cached.cpu.halted()).as("slice " + slice).isTrue();
        return cached;
    }

    @Test
    void storeIntoTheNextInstructionOfTheRunningBlock_isSeen() {
        int imm = CpuTestSupport.CODE + 8; // the immediate of MOV AL, 0x11
        CpuTestSupport t = CpuTestSupport.flat32()
                .exec(CpuTestSupport.cat(new int[] {0xC6, 0x05}, CpuTestSupport.le32(imm), // mov byte [imm], 0x42
                        new int[] {0x42, 0xB0, 0x11}));                                    // mov al, 0x11
        assertThat(t.reg(EAX) & 0xFF).isEqualTo(0x42);
        t.poke8(imm, 0x11); // decoded again with 0x11, then rewritten by the block's own store
        t.set(EAX, 0);
        rerun(t);
        assertThat(t.reg(EAX) & 0xFF).isEqualTo(0x42);
    }

    /**
     * A fault that ends in a triple fault (a null ES, then STOSB, with no IDT): the same
     * instructions, cycles and EIP with and without the cache (it used to count one more cycle).
     */
    @Test
    void faultEndingInTripleFault_countsTheSameCyclesWithAndWithoutTheCache() {
        int[] code = {0x31, 0xC0, 0x8E, 0xC0, 0xAA, 0xF4}; // xor eax,eax; mov es,ax; stosb; hlt
        CpuTestSupport cached = CpuTestSupport.flat32().code(code);
        CpuTestSupport plain = CpuTestSupport.flat32().code(code);
        plain.cpu.setDecodeCache(false);
        assertThat(cached.cpu.run(1000)).isEqualTo(StopReason.TRIPLE_FAULT);
        assertThat(plain.cpu.run(1000)).isEqualTo(StopReason.TRIPLE_FAULT);
        assertThat(cached.cpu.instructions).isEqualTo(plain.cpu.instructions).isEqualTo(2);
        assertThat(cached.clock.cycles).isEqualTo(plain.clock.cycles);
        assertThat(cached.cpu.eip).isEqualTo(plain.cpu.eip);
    }

    /**
     * Two subroutines whose physical addresses hash to the same block header, called alternately:
     * every call evicts the other's block (decoded again, its compiled form dropped), and every
     * engine still computes what the interpreter does and what the loop computes by hand.
     */
    @Test
    void twoBlocksOnOneHeader_evictEachOtherAndRunExactly() {
        final int a = 0x3000;
        int found = -1;
        for (int pa = 0x40000; pa < 0x1F_0000; pa++) {
            if (DecodeCache.blockNumber(pa) == DecodeCache.blockNumber(a)) {
                found = pa;
                break;
            }
        }
        assertThat(found).as("an address sharing the header of 0x3000").isNotNegative();
        final int b = found;
        final int n = 20;
        final int call1 = CpuTestSupport.CODE + 5;
        final int call2 = call1 + 5;
        final int[] loop = CpuTestSupport.cat(
                new int[] {0xB9}, CpuTestSupport.le32(n),                       // mov ecx, n
                new int[] {0xE8}, CpuTestSupport.le32(a - (call1 + 5)),         // L: call a
                new int[] {0xE8}, CpuTestSupport.le32(b - (call2 + 5)),         // call b
                new int[] {0x49},                                               // dec ecx
                new int[] {0x0F, 0x85}, CpuTestSupport.le32(call1 - (call2 + 5 + 1 + 6)), // jnz L
                new int[] {0xF4});                                              // hlt
        java.util.function.Function<Engine, CpuTestSupport> run = engine -> {
            CpuTestSupport t = CpuTestSupport.flat32(engine).set(EAX, 0).set(Cpu.EBX, 0).set(Cpu.EDX, 0);
            t.code(loop);
            for (int[] at : new int[][] {
                    {a, 0x83, 0xC0, 0x03, 0x01, 0xC3, 0xC3},        // add eax, 3; add ebx, eax; ret
                    {b, 0x83, 0xF0, 0x55, 0x01, 0xC2, 0xC3}}) {     // xor eax, 0x55; add edx, eax; ret
                for (int k = 1; k < at.length; k++) {
                    t.poke8(at[0] + k - 1, at[k]);
                }
            }
            assertThat(t.cpu.run(100_000)).as(engine + ": stop reason").isIn(StopReason.HALTED_FOREVER, StopReason.HALTED);
            return t;
        };
        CpuTestSupport plain = run.apply(Engine.INTERP);
        int eax = 0;
        int ebx = 0;
        int edx = 0;
        for (int k = 0; k < n; k++) {
            eax += 3;
            ebx += eax;
            eax ^= 0x55;
            edx += eax;
        }
        assertThat(new int[] {plain.reg(EAX), plain.reg(Cpu.EBX), plain.reg(Cpu.EDX)})
                .as("by hand").containsExactly(eax, ebx, edx);
        for (Engine engine : new Engine[] {Engine.CACHE, Engine.JIT}) {
            CpuTestSupport t = run.apply(engine);
            t.assertSameStateAs(plain, engine.toString());
            assertThat(t.cpu.decoded.builds).as(engine + ": blocks decoded (each call evicts the other)")
                    .isGreaterThanOrEqualTo(2L * n);
        }
    }
}
