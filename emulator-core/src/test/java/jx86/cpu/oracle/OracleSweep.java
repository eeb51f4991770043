package jx86.cpu.oracle;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Generates {@code blocks} cases from one seed, runs them natively and on jx86 in batches and
 * collects the mismatches and the opcode coverage.
 */
final class OracleSweep {
    static final int BATCH = 2000;
    static final int MAX_REPORTS = 25;

    final List<String> reports = new ArrayList<>();
    final Map<String, Integer> coverage = new TreeMap<>();
    /** Primary opcode bytes (index 0-255) and 0F-map opcodes (256-511) seen in generated code. */
    final java.util.BitSet opcodes = new java.util.BitSet(512);
    int mismatches;
    int matched;
    int nativeFaults;
    /** Faulting blocks whose state matched but whose vector jx86 could not report (no delivery yet). */
    int undeliveredFaults;
    /** Blocks whose final EFLAGS were compared in full (no undefined arithmetic flag at the end). */
    int fullFlagCompares;
    /** jx86's MMU implements paging: the jx86 side runs paged and #PF cases are generated. */
    boolean paging;
    /** The first case on which jx86 threw a Java exception, if any. */
    String firstCrash;

    void run(NativeRunner nat, long seed, int blocks) throws IOException {
        run(nat, seed, 0, blocks);
    }

    /** Runs cases {@code from} .. {@code from + blocks - 1} of {@code seed}. */
    void run(NativeRunner nat, long seed, long from, int blocks) throws IOException {
        Jx86Runner jx = new Jx86Runner();
        paging = jx.pagingActive();
        BlockGenerator gen = new BlockGenerator(seed, paging);
        long to = from + blocks;
        for (long first = from; first < to; first += BATCH) {
            List<OracleCase> cases = new ArrayList<>();
            for (long i = first; i < Math.min(to, first + BATCH); i++) {
                OracleCase c = gen.generate(i);
                cases.add(c);
                for (OracleCase.Insn insn : c.insns) {
                    coverage.merge(insn.key(), 1, Integer::sum);
                    noteOpcode(c.code, insn.offset(), insn.length());
                }
            }
            List<OracleResult> natives = nat.run(cases);
            for (int i = 0; i < cases.size(); i++) {
                OracleCase c = cases.get(i);
                OracleResult n = natives.get(i);
                OracleResult j = jx.run(c, (c.id & 1) == 1); // odd cases: one run(n) call
                if (n.vector != OracleResult.COMPLETED) {
                    nativeFaults++;
                } else if (c.undefAtEnd == 0) {
                    fullFlagCompares++;
                }
                String d = Differ.differences(c, n, j);
                if (d == null) {
                    if (j.vector == OracleResult.UNDELIVERED) {
                        undeliveredFaults++;
                    }
                    matched++;
                    continue;
                }
                mismatches++;
                if (j.crash != null && firstCrash == null) {
                    firstCrash = j.crash;
                }
                if (reports.size() < MAX_REPORTS) {
                    reports.add(Differ.report(c, n, j, d));
                }
            }
        }
    }

    private void noteOpcode(byte[] code, int at, int length) {
        int end = at + length;
        while (at < end && isPrefix(code[at] & 0xFF)) {
            at++;
        }
        if (at >= end) {
            return;
        }
        int b = code[at] & 0xFF;
        if (b == 0x0F && at + 1 < end) {
            opcodes.set(256 + (code[at + 1] & 0xFF));
        } else {
            opcodes.set(b);
        }
    }

    private static boolean isPrefix(int b) {
        return b == 0x66 || b == 0x67 || b == 0xF0 || b == 0xF2 || b == 0xF3 || b == 0x26 || b == 0x2E || b == 0x36
                || b == 0x3E || b == 0x64 || b == 0x65;
    }

    /** Opcode bytes never generated, as a compact list ("0F xx" for the two-byte map). */
    String opcodeGaps() {
        StringBuilder one = new StringBuilder();
        StringBuilder two = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            if (!opcodes.get(i) && !isPrefix(i) && i != 0x0F) {
                one.append(String.format("%02X ", i));
            }
            if (!opcodes.get(256 + i)) {
                two.append(String.format("%02X ", i));
            }
        }
        return "one-byte opcodes not generated: " + one + "\n0F opcodes not generated: " + two + "\n";
    }

    String coverageSummary() {
        StringBuilder sb = new StringBuilder("opcode coverage (" + coverage.size() + " opcode/size keys):\n");
        int col = 0;
        for (Map.Entry<String, Integer> e : coverage.entrySet()) {
            sb.append(String.format("%-16s %6d", e.getKey(), e.getValue()));
            sb.append(++col % 5 == 0 ? "\n" : "   ");
        }
        return sb.append('\n').toString();
    }
}
