package jx86.cpu.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The x87 against the host CPU's x87 (docs/cpu-oracle.md, "x87"): random blocks from
 * {@link FpuBlockGenerator} run natively and on jx86; the FNSAVE image at the end (control, status
 * and tag words, pointers, all eight 80-bit registers), every stored value, the GPRs (FNSTSW AX),
 * EFLAGS (FCOMI) and the #MF outcome must be identical. {@code -Djx86.fpu.blocks=N} (default 2000)
 * and {@code -Djx86.fpu.seed=S}; {@code -Djx86.fpu.case=N} prints one case.
 */
class FpuOracleTest {
    private static final int DEFAULT_BLOCKS = 2000;
    private static final long DEFAULT_SEED = 0x87_0087L;

    @Test
    void singleCase_printedOnRequest() throws IOException {
        String which = System.getProperty("jx86.fpu.case");
        assumeTrue(which != null, "set -Djx86.fpu.case=N to print one case");
        NativeRunner nat = NativeRunner.forRequest("FPU oracle");
        long seed = Long.getLong("jx86.fpu.seed", DEFAULT_SEED);
        OracleCase c = new FpuBlockGenerator(seed).generate(Long.parseLong(which));
        OracleResult n = nat.run(List.of(c)).get(0);
        Jx86Runner jx = new Jx86Runner();
        // -Djx86.fpu.warm=K: run the K cases before it on the same jx86 CPU first (state carried over)
        for (long k = Math.max(0, c.id - Long.getLong("jx86.fpu.warm", 0)); k < c.id; k++) {
            jx.run(new FpuBlockGenerator(seed).generate(k), (k & 1) == 1);
        }
        OracleResult j = jx.run(c, (c.id & 1) == 1);
        String d = Differ.differences(c, n, j);
        System.out.println(Differ.report(c, n, j, d == null ? "  none\n" : d) + fpuState("native", n) + fpuState("jx86", j));
        assertThat(d).as("differences").isNull();
    }

    /**
     * {@code -Djx86.fpu.probe=HEX}: runs hand-written code (after the usual prologue, before FNSAVE)
     * with {@code -Djx86.fpu.data=HEX} at the operand slots (0x100200...), and prints both states.
     */
    @Test
    void probe_printedOnRequest() throws IOException {
        String code = System.getProperty("jx86.fpu.probe");
        assumeTrue(code != null, "set -Djx86.fpu.probe=HEX to run a hand-written block");
        NativeRunner nat = NativeRunner.forRequest("FPU oracle");
        OracleCase c = FpuBlockGenerator.probe(hex(code), hex(System.getProperty("jx86.fpu.data", "")));
        OracleResult n = nat.run(List.of(c)).get(0);
        OracleResult j = new Jx86Runner().run(c, false);
        String d = Differ.differences(c, n, j);
        System.out.println(Differ.report(c, n, j, d == null ? "  none\n" : d) + fpuState("native", n) + fpuState("jx86", j));
    }

    private static byte[] hex(String s) {
        s = s.replaceAll("[^0-9a-fA-F]", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /**
     * When the host process is switched out in the middle of a block, the Linux kernel saves and
     * restores the x87 with XSAVE, which on AMD processors does not keep the last instruction and
     * operand pointers and opcode unless an exception is pending: the FNSAVE image then holds
     * zeros there. In such a block (ES clear on both sides, a pointer group zero natively but not
     * on jx86) that group is taken from jx86's image, so only the rest is compared; the blocks are
     * counted and printed. Some hosts keep FIP and FDP across the switch and lose only the opcode
     * (seen once in 100,000 blocks: FOP 0 natively, FIP intact); a zero opcode beside the same
     * non-zero FIP on both sides is treated the same way.
     */
    static boolean hostLostPointers(OracleResult n, OracleResult j) {
        if (n.vector != OracleResult.COMPLETED || j.vector != OracleResult.COMPLETED) {
            return false;
        }
        int b = FpuBlockGenerator.SAVE;
        if ((u16(n.window, b + 4) & 0x80) != 0 || (u16(j.window, b + 4) & 0x80) != 0) {
            return false;
        }
        boolean lost = false;
        // the instruction pointer group (FIP, FCS and FOP), then the operand pointer group (FDP, FDS):
        // later register-form instructions set FIP again but not FDP
        for (int at : new int[] {b + 12, b + 20}) {
            boolean zero = u32(n.window, at) == 0 && u16(n.window, at + 4) == 0;
            if (zero && u32(j.window, at) != 0) {
                System.arraycopy(j.window, at, n.window, at, 6);
                lost = true;
            }
        }
        int fop = b + 18;   // bits 16-26 of the FCS/FOP dword
        if ((u16(n.window, fop) & 0x7FF) == 0 && (u16(j.window, fop) & 0x7FF) != 0
                && u32(n.window, b + 12) != 0 && u32(n.window, b + 12) == u32(j.window, b + 12)) {
            System.arraycopy(j.window, fop, n.window, fop, 2);
            lost = true;
        }
        return lost;
    }

    /** The FNSAVE image at the end of a completed block, decoded. */
    static String fpuState(String who, OracleResult r) {
        byte[] w = r.window;
        int b = FpuBlockGenerator.SAVE;
        StringBuilder sb = new StringBuilder(String.format(" %s FPU: cw=%04x sw=%04x tw=%04x fip=%08x fcs/op=%08x fdp=%08x fds=%08x%n",
                who, u16(w, b), u16(w, b + 4), u16(w, b + 8), u32(w, b + 12), u32(w, b + 16), u32(w, b + 20),
                u32(w, b + 24)));
        for (int i = 0; i < 8; i++) {
            int o = b + 28 + 10 * i;
            sb.append(String.format("   st%d=%04x:%08x%08x%n", i, u16(w, o + 8), u32(w, o + 4), u32(w, o)));
        }
        return sb.toString();
    }

    private static int u16(byte[] w, int o) {
        return (w[o] & 0xFF) | (w[o + 1] & 0xFF) << 8;
    }

    private static int u32(byte[] w, int o) {
        return u16(w, o) | u16(w, o + 2) << 16;
    }

    @Test
    void randomX87Blocks_matchHostFpu() throws IOException {
        NativeRunner nat = NativeRunner.required();
        int blocks = Integer.getInteger("jx86.fpu.blocks", DEFAULT_BLOCKS);
        long seed = Long.getLong("jx86.fpu.seed", DEFAULT_SEED);
        FpuBlockGenerator gen = new FpuBlockGenerator(seed);
        Jx86Runner jx = new Jx86Runner();
        Map<String, Integer> coverage = new TreeMap<>();
        List<String> reports = new ArrayList<>();
        int mismatches = 0;
        int faults = 0;
        int lostPointers = 0;
        for (long first = 0; first < blocks; first += OracleSweep.BATCH) {
            List<OracleCase> cases = new ArrayList<>();
            for (long i = first; i < Math.min(blocks, first + OracleSweep.BATCH); i++) {
                OracleCase c = gen.generate(i);
                cases.add(c);
                c.insns.forEach(insn -> coverage.merge(insn.key(), 1, Integer::sum));
            }
            List<OracleResult> natives = nat.run(cases);
            for (int i = 0; i < cases.size(); i++) {
                OracleCase c = cases.get(i);
                OracleResult n = natives.get(i);
                if (n.vector != OracleResult.COMPLETED) {
                    faults++;
                }
                OracleResult j = jx.run(c, (c.id & 1) == 1);
                if (hostLostPointers(n, j)) {
                    lostPointers++;
                }
                String d = Differ.differences(c, n, j);
                if (d != null) {
                    mismatches++;
                    if (reports.size() < 10) {
                        reports.add(Differ.report(c, n, j, d) + fpuState("native", n) + fpuState("jx86", j));
                    }
                }
            }
        }
        System.out.println("x87 coverage: " + coverage);
        System.out.printf("FPU oracle: seed %#x, %d blocks, %d match, %d mismatch, %d native faults (#MF),"
                + " %d with the host's x87 pointers lost%n", seed, blocks, blocks - mismatches, mismatches, faults,
                lostPointers);
        reports.forEach(System.out::println);
        assertThat(mismatches).as("x87 blocks whose jx86 outcome differs from the host; first reports:%n%s",
                String.join("\n", reports.subList(0, Math.min(3, reports.size())))).isZero();
    }
}
