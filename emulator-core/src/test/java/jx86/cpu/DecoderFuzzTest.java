package jx86.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import jx86.arch.CpuFault;
import org.junit.jupiter.api.Test;

/**
 * Random instruction bytes in random real-mode, 16-bit and 32-bit protected-mode states: nothing but
 * architectural faults may come out of the decoder and the run loop.
 */
class DecoderFuzzTest {
    private static final int ROUNDS = 400;
    private static final int STEPS = 50;

    private static CpuTestSupport randomMachine(Random rnd, int kind) {
        CpuTestSupport t = kind == 0 ? CpuTestSupport.real() : CpuTestSupport.flat32();
        if (kind == 2) {
            t.cpu.setSegmentCache(Cpu.CS, 0x08, 0, 0xFFFF, 0x009B); // 16-bit protected-mode code
        }
        for (int r = 0; r < 8; r++) {
            t.cpu.regs[r] = rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextInt(0x40000);
        }
        t.cpu.regs[Cpu.ESP] = 0x8000 + rnd.nextInt(0x100);
        t.cpu.setEflags((rnd.nextInt() & 0x8D5) | (rnd.nextBoolean() ? Cpu.DF : 0) | 2);
        byte[] code = new byte[256];
        rnd.nextBytes(code);
        t.mem.load(CpuTestSupport.CODE, code);
        return t;
    }

    @Test
    void randomBytes_onlyArchitecturalFaultsEscapeExecute() {
        Random rnd = new Random(0x1A86);
        int executed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            CpuTestSupport t = randomMachine(rnd, round % 3);
            for (int step = 0; step < STEPS; step++) {
                Cpu c = t.cpu;
                int start = c.eip;
                try {
                    Exec.execute(c);
                } catch (CpuFault expected) {
                    c.eip = start + 1;
                } catch (UnsupportedOperationException placeholder) {
                    // TODO(integrator): remove once Segments/FarTransfers/Interrupts/SystemInsns land.
                    c.eip = start + 1;
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
    void randomBytes_runLoopThrowsNothingButPlaceholders() {
        Random rnd = new Random(0x5EED);
        for (int round = 0; round < ROUNDS / 4; round++) {
            CpuTestSupport t = randomMachine(rnd, round % 3);
            try {
                StopReason r = t.cpu.run(STEPS);
                assertThat(r).isNotNull();
            } catch (UnsupportedOperationException placeholder) {
                // TODO(integrator): remove once the protected-mode/system placeholders are implemented.
            }
        }
    }
}
