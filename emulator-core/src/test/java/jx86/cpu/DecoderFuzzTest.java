package jx86.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import jx86.arch.CpuFault;
import org.junit.jupiter.api.Test;

/**
 * Random instruction bytes in random real-mode, 16-bit and 32-bit protected-mode states: nothing but
 * architectural faults may come out of the decoder and the run loop. For a deeper local run, pass
 * {@code -DargLine="-DfuzzRounds=15000 -DfuzzSeed=77"} to Maven (the defaults keep CI fast).
 */
class DecoderFuzzTest {
    private static final int ROUNDS = Integer.getInteger("fuzzRounds", Math.max(400, Integer.getInteger("jx86.fuzz.runs", 300)));
    private static final int STEPS = 50;

    /** Kinds: 0 real mode, 1 flat 32-bit, 2 16-bit protected mode, 3 V86 mode, 4 32-bit with paging. */
    private static final int KINDS = 5;

    private static CpuTestSupport randomMachine(Random rnd, int kind) {
        CpuTestSupport t = kind == 0 ? CpuTestSupport.real() : CpuTestSupport.flat32();
        if (kind == 2) {
            t.cpu.setSegmentCache(Cpu.CS, 0x08, 0, 0xFFFF, 0x009B); // 16-bit protected-mode code
        }
        if (kind == 4) {
            randomPaging(rnd, t);
        }
        for (int r = 0; r < 8; r++) {
            t.cpu.regs[r] = rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextInt(0x40000);
        }
        t.cpu.regs[Cpu.ESP] = 0x8000 + rnd.nextInt(0x100);
        t.cpu.setEflags((rnd.nextInt() & 0x8D5) | (rnd.nextBoolean() ? Cpu.DF : 0) | 2);
        if (kind == 3) {
            // V86 mode at CPL 3 with a random IOPL; CS:IP = 0000:1000 as in real mode.
            for (int s = 0; s < 6; s++) {
                t.cpu.setSegmentCache(s, 0, 0, 0xFFFF, s == Cpu.CS ? 0xFB : 0xF3);
            }
            t.cpu.setEflags(t.cpu.getEflags() | Cpu.VM | (rnd.nextInt(4) << 12));
            t.cpu.setCpl(3);
        }
        byte[] code = new byte[256];
        rnd.nextBytes(code);
        t.mem.load(CpuTestSupport.CODE, code);
        return t;
    }

    /** Identity-maps the low 4 MiB with random user/writable bits and about one page in 16 absent. */
    private static void randomPaging(Random rnd, CpuTestSupport t) {
        int pd = 0x10000;
        int pt = 0x11000;
        t.mem.poke32(pd, pt | 7);
        for (int i = 0; i < 1024; i++) {
            int flags = rnd.nextInt(16) == 0 ? 0 : 1 | (rnd.nextInt(8) == 0 ? 0 : 2) | (rnd.nextBoolean() ? 4 : 0);
            t.mem.poke32(pt + 4 * i, (i << 12) | flags);
        }
        t.mem.poke32(pt + 4 * 1, 0x1000 | 3); // the code page stays present
        t.cpu.setCr3(pd);
        t.mmu.setCr3(pd);
        t.cpu.setCr0(t.cpu.cr0 | Cpu.CR0_PG);
        t.mmu.setCr0(t.cpu.cr0);
    }

    @Test
    void randomBytes_onlyArchitecturalFaultsEscapeExecute() {
        Random rnd = new Random(Long.getLong("fuzzSeed", 0x1A86));
        int executed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            CpuTestSupport t = randomMachine(rnd, round % KINDS);
            for (int step = 0; step < STEPS; step++) {
                Cpu c = t.cpu;
                int start = c.eip;
                try {
                    Exec.execute(c);
                } catch (CpuFault expected) {
                    c.eip = start + 1;
                } catch (RuntimeException | Error escaped) {
                    throw new AssertionError("round " + round + " step " + step + " at EIP "
                            + Integer.toHexString(start), escaped);
                }
                c.setHalted(false);
                if (Integer.compareUnsigned(c.eip - CpuTestSupport.CODE, 250) > 0) {
                    c.eip = CpuTestSupport.CODE + rnd.nextInt(200);
                }
                executed++;
            }
        }
        assertThat(executed).isEqualTo(ROUNDS * STEPS);
    }

    @Test
    void randomBytes_noJavaExceptionEscapesRun() {
        Random rnd = new Random(Long.getLong("fuzzSeed", 0x5EED));
        int budgetsUsed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            CpuTestSupport t = randomMachine(rnd, round % KINDS);
            if (round % 2 == 1) {
                // Give every vector a handler so deliveries succeed and execution goes on from there.
                for (int v = 0; v < 256; v++) {
                    t.handler(v, 0x100 + 0x10 * (v & 0x0F) + 0x3000);
                }
                for (int v = 0; v < 16; v++) {
                    t.mem.poke8(0x3100 + 0x10 * v, 0xCF); // iret back into the random code
                }
            }
            StopReason r;
            try {
                r = t.cpu.run(STEPS);
            } catch (RuntimeException | Error escaped) {
                throw new AssertionError("round " + round + ": Java exception escaped run()", escaped);
            }
            assertThat(r).isNotNull();
            if (r == StopReason.BUDGET) {
                budgetsUsed++;
            }
        }
        assertThat(budgetsUsed).as("some rounds ran their whole budget").isPositive();
    }
}
