package jx86.cpu.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Differential test of jx86's CPU against the host CPU (see docs/cpu-oracle.md). The normal run
 * checks a bounded sample; the long sweep is {@code -Djx86.oracle.blocks=100000}, another seed
 * {@code -Djx86.oracle.seed=N}. Skips when the host cannot build/run the 32-bit native runner.
 */
class DifferentialOracleTest {
    private static final int DEFAULT_BLOCKS = 3000;
    private static final long DEFAULT_SEED = 0x5EED_1A86L;

    /** {@code -Djx86.oracle.case=N}: prints case N of the seed with both outcomes, matching or not. */
    @Test
    void singleCase_printedOnRequest() throws IOException {
        String which = System.getProperty("jx86.oracle.case");
        assumeTrue(which != null, "set -Djx86.oracle.case=N to print one case");
        NativeRunner nat = NativeRunner.forRequest("CPU oracle");
        long seed = Long.getLong("jx86.oracle.seed", DEFAULT_SEED);
        Jx86Runner jx = new Jx86Runner();
        OracleCase c = new BlockGenerator(seed, jx.pagingActive()).generate(Long.parseLong(which));
        OracleResult n = nat.run(List.of(c)).get(0);
        OracleResult j = jx.run(c, (c.id & 1) == 1);
        String d = Differ.differences(c, n, j);
        System.out.println(Differ.report(c, n, j, d == null ? "  none\n" : d));
        assertThat(d).as("differences").isNull();
    }

    @Test
    void generatedBlocks_faultNativelyOnlyWhereIntended() throws IOException {
        NativeRunner nat = NativeRunner.required();
        BlockGenerator gen = new BlockGenerator(DEFAULT_SEED, true);
        List<OracleCase> cases = new ArrayList<>();
        for (int i = 0; i < DEFAULT_BLOCKS; i++) {
            cases.add(gen.generate(i));
        }
        List<OracleResult> results = nat.run(cases);
        List<String> unexpected = new ArrayList<>();
        int deliberate = 0;
        for (int i = 0; i < cases.size(); i++) {
            OracleResult r = results.get(i);
            if (r.vector == OracleResult.COMPLETED) {
                continue;
            }
            OracleCase.Insn at = cases.get(i).insnAt(r.eip);
            String key = at == null ? "" : at.key();
            // #DE (DIV/IDIV/AAM), #BR (BOUND), #UD (invalid encodings) and #GP (CS store, null FS/GS) are on purpose
            boolean intended = (r.vector == 0 && (key.startsWith("F6/") || key.startsWith("F7/") || key.equals("D4")))
                    || (r.vector == 5 && key.startsWith("62")) || (r.vector == 6 && key.startsWith("#UD"))
                    || (r.vector == 13 && key.startsWith("#GP")) || (r.vector == 14 && key.startsWith("#PF"))
                    || (r.vector == 1 && trapAfterTf(cases.get(i), r.eip));
            if (intended) {
                deliberate++;
            } else if (unexpected.size() < 5) {
                unexpected.add(cases.get(i).listing() + r.describe());
            }
        }
        assertThat(unexpected).as("blocks that fault natively although the generator did not intend it").isEmpty();
        assertThat(deliberate).as("deliberate #DE/#BR/#UD/#GP blocks").isPositive();
    }

    @Test
    void randomBlocks_matchHostCpu() throws IOException {
        NativeRunner nat = NativeRunner.required();
        int blocks = Integer.getInteger("jx86.oracle.blocks", DEFAULT_BLOCKS);
        long seed = Long.getLong("jx86.oracle.seed", DEFAULT_SEED);

        OracleSweep sweep = new OracleSweep();
        sweep.run(nat, seed, blocks);

        assumeTrue(sweep.firstCrash == null || !sweep.firstCrash.contains("CPU core not implemented"),
                "skipping CPU oracle: jx86's CPU core is not implemented yet");
        System.out.println(sweep.coverageSummary());
        System.out.println(sweep.opcodeGaps());
        System.out.printf("CPU oracle: seed %#x, %d blocks, %d match, %d mismatch, %d native faults"
                + " (%d with the vector unverified)%n", seed, blocks,
                sweep.matched, sweep.mismatches, sweep.nativeFaults, sweep.undeliveredFaults);
        System.out.printf("CPU oracle: %d blocks compared every arithmetic flag at the end; jx86 paging %s%n",
                sweep.fullFlagCompares, sweep.paging ? "on (#PF cases generated)" : "not implemented (no #PF cases)");
        sweep.reports.forEach(System.out::println);
        assertThat(sweep.mismatches)
                .as("blocks whose jx86 outcome differs from the host CPU; first reports:%n%s",
                        String.join("\n", sweep.reports.subList(0, Math.min(5, sweep.reports.size()))))
                .isZero();
    }

    /** A #DB trap is intended right after the instruction that follows a TF-setting POPF. */
    private static boolean trapAfterTf(OracleCase c, int eip) {
        for (int k = 0; k + 1 < c.insns.size(); k++) {
            OracleCase.Insn next = c.insns.get(k + 1);
            if (c.insns.get(k).key().equals("#DB 9D") && c.codeAddress + next.offset() + next.length() == eip) {
                return true;
            }
        }
        return false;
    }
}
