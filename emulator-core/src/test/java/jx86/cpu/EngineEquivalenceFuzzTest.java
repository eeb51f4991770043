package jx86.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import jx86.mmu.TlbEvent;
import org.junit.jupiter.api.Test;

/**
 * The plain interpreter, the decoded-instruction cache and the translator are one machine: a seeded
 * set of fuzzed protected-mode programs (random bytes biased towards common opcodes, so that they
 * loop, store, fault and take exceptions through an IDT whose handlers halt) runs under every engine
 * (the translator compiling every block on its first run) and
 * ends with the same stop reason, instructions, cycles, EIP, registers, flags, I-TLB and D-TLB
 * hits and memory. {@code -Djx86.fuzz.runs=N} runs more programs (the CI default is 300).
 */
class EngineEquivalenceFuzzTest {
    private static final int RUNS = Integer.getInteger("jx86.fuzz.runs", 300);
    private static final int HANDLERS = 0x3000;          // vector v halts at HANDLERS + v
    private static final int[] COMMON = {
        0x01, 0x03, 0x05, 0x09, 0x21, 0x29, 0x31, 0x39, 0x3B, 0x40, 0x41, 0x43, 0x48, 0x49, 0x4B,
        0x50, 0x53, 0x58, 0x5B, 0x66, 0x74, 0x75, 0x7C, 0x83, 0x85, 0x88, 0x89, 0x8A, 0x8B, 0x8D,
        0xA4, 0xA5, 0xAA, 0xAB, 0xB0, 0xB8, 0xB9, 0xC1, 0xC3, 0xD1, 0xE2, 0xEB, 0xF3, 0xF7, 0xFE,
        0xFF, 0x0F, 0xB6, 0xAF, 0xE8, 0x0E, 0x8E, 0xCD, 0x00, 0xF8,
    };

    @Test
    void fuzzedProgramsEndIdenticallyUnderEveryEngine() {
        int halted = 0;
        int tripleFaults = 0;
        long compiled = 0;
        for (int seed = 1; seed <= RUNS; seed++) {
            CpuTestSupport plain = program(seed, Engine.INTERP);
            StopReason b = runToEnd(plain);
            for (Engine engine : new Engine[] {Engine.CACHE, Engine.JIT}) {
                CpuTestSupport other = program(seed, engine);
                StopReason a = runToEnd(other);
                String at = "seed " + seed + ", " + engine.cliName();
                assertThat(a).as(at).isEqualTo(b);
                assertThat(other.cpu.instructions).as(at).isEqualTo(plain.cpu.instructions);
                assertThat(other.clock.cycles).as(at).isEqualTo(plain.clock.cycles);
                assertThat(other.cpu.eip).as(at).isEqualTo(plain.cpu.eip);
                assertThat(other.cpu.regs).as(at).containsExactly(plain.cpu.regs);
                assertThat(other.cpu.getEflags()).as(at).isEqualTo(plain.cpu.getEflags());
                assertThat(other.mmu.itlb().total(TlbEvent.HITS)).as(at).isEqualTo(plain.mmu.itlb().total(TlbEvent.HITS));
                assertThat(other.mmu.dtlb().total(TlbEvent.HITS)).as(at).isEqualTo(plain.mmu.dtlb().total(TlbEvent.HITS));
                assertThat(memoryHash(other)).as(at).isEqualTo(memoryHash(plain));
                if (engine == Engine.JIT) {
                    assertThat(other.cpu.decoded.translator().failedBlocks()).as(at + ": failed compilations").isZero();
                    compiled += other.cpu.decoded.translator().compiledBlocks();
                }
            }
            halted += b == StopReason.HALTED_FOREVER ? 1 : 0;
            tripleFaults += b == StopReason.TRIPLE_FAULT ? 1 : 0;
        }
        // the generator reaches both kinds of ending, so both are compared; the translator really ran
        assertThat(halted).isPositive();
        assertThat(tripleFaults).isPositive();
        assertThat(compiled).isGreaterThan(RUNS);
    }

    /** A program for {@code seed}; a quarter of the seeds run with no IDT, so faults shut down. */
    private static CpuTestSupport program(int seed, Engine engine) {
        SplittableRandom rnd = new SplittableRandom(seed);
        CpuTestSupport t = CpuTestSupport.flat32(engine);
        if (seed % 4 != 0) {
            for (int v = 0; v < 32; v++) {
                t.handler(v, HANDLERS + v);
            }
        }
        int[] code = new int[64 + rnd.nextInt(192)];
        for (int i = 0; i < code.length; i++) {
            code[i] = rnd.nextInt(2) == 0 ? COMMON[rnd.nextInt(COMMON.length)] : rnd.nextInt(256);
        }
        t.code(code);
        t.code(0xF4);
        for (int r = 0; r < 8; r++) {
            if (r != Cpu.ESP) {
                t.set(r, rnd.nextInt(4) == 0 ? rnd.nextInt() : CpuTestSupport.DATA + rnd.nextInt(0x1000));
            }
        }
        t.set(Cpu.ECX, rnd.nextInt(40));
        return t;
    }

    private static StopReason runToEnd(CpuTestSupport t) {
        StopReason r = StopReason.BUDGET;
        for (int slice = 0; slice < 20 && r == StopReason.BUDGET; slice++) {
            r = t.cpu.run(5_000);
        }
        return r;
    }

    /** FNV-1a over the low 256 KiB (code, tables, stack and data all live there). */
    private static long memoryHash(CpuTestSupport t) {
        long h = 0xcbf29ce484222325L;
        for (int a = 0; a < 0x40000; a += 4) {
            h = (h ^ t.read32(a)) * 0x100000001b3L;
        }
        return h;
    }
}
