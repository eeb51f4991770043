package jx86.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Everything the decoder accepts, from the opcode table: every row (every opcode / ModR/M group
 * member {@link Exec} executes without #UD, see {@code OpTableTest}) has a handler that is a real
 * static method of jx86.cpu, a disassembly, and a coverage entry: a CPU test that executes it
 * through the decoder ({@code op-coverage.txt}), or an instruction of the host oracle's recording.
 */
class OpTableCoverageTest {
    /** The coverage list: row text -> the test methods ("Class#method", jx86.cpu relative) that execute it. */
    private static Map<String, List<String>> coverageList() throws IOException {
        Map<String, List<String>> m = new LinkedHashMap<>();
        try (BufferedReader r = resource("op-coverage.txt")) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                assertThat(m.put(f[0], f.length > 1 ? List.of(f[1].split(" ")) : List.of())).as(f[0]).isNull();
            }
        }
        return m;
    }

    private static BufferedReader resource(String name) {
        return new BufferedReader(new InputStreamReader(OpTableCoverageTest.class.getResourceAsStream(name),
                StandardCharsets.US_ASCII));
    }

    /** The rows the host oracle's recorded instructions decode to (code bytes of every R/M line). */
    private static Set<String> oracleRows() throws IOException {
        Set<String> rows = new TreeSet<>();
        try (BufferedReader r = resource("host-oracle.txt")) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(" ");
                if (!(f[0].equals("R") || f[0].equals("M"))) {
                    continue;
                }
                byte[] code = HexFormat.of().parseHex(f[f[0].equals("M") ? 2 : 1]);
                Disassembler.Insn insn = Disassembler.decode(code, 0, 0x1000, true);
                if (insn != null && insn.row() != null) {
                    rows.add(insn.row().toString());
                }
            }
        }
        return rows;
    }

    /** The static method a row's handler names ("Class.method"), or null. */
    static Method handler(OpTable.Row r) {
        String[] parts = r.handler().split("\\.");
        if (parts.length != 2) {
            return null;
        }
        try {
            Class<?> cls = Class.forName("jx86.cpu." + parts[0]);
            for (Method m : cls.getDeclaredMethods()) {
                if (m.getName().equals(parts[1]) && Modifier.isStatic(m.getModifiers())
                        && m.getParameterCount() > 0 && m.getParameterTypes()[0] == Cpu.class) {
                    return m;
                }
            }
        } catch (ClassNotFoundException e) {
            return null;
        }
        return null;
    }

    @Test
    void everyRowTheDecoderAccepts_hasAHandlerADisassemblyAndACoverageEntry() throws IOException {
        Map<String, List<String>> coverage = coverageList();
        Set<String> oracle = oracleRows();
        int[] facts = OpTable.decodeFacts();
        List<String> missing = new ArrayList<>();
        int accepted = 0;
        for (int code = 0; code < 0x200; code++) {
            for (int reg = 0; reg < 8; reg++) {
                if ((facts[code << 3 | reg] & OpTable.D_ROW) == 0) {
                    continue;
                }
                accepted++;
                OpTable.Row r = OpTable.lookup(code, reg);
                if (handler(r) == null) {
                    missing.add(r + ": handler " + r.handler() + " is no static method (Cpu, ...) of jx86.cpu");
                }
                if (!(r.has(OpTable.FPU) && code != 0x9B) && r.mode() != OpTable.Mode.FIRMWARE) {
                    int[] b = code >= 0x100 ? new int[] {0x0F, code & 0xFF, reg << 3, 0, 0, 0, 0, 0, 0}
                            : new int[] {code, reg << 3, 0, 0, 0, 0, 0, 0};
                    Disassembler.Insn insn = Disassembler.decode(i -> i < b.length ? b[i] : -1, 0x1000, true);
                    if (insn == null || insn.row() != r) {
                        missing.add(r + ": no disassembly");
                    }
                }
                if (!coverage.containsKey(r.toString()) && !oracle.contains(r.toString())) {
                    missing.add(r + ": no coverage entry (op-coverage.txt) and not in the host oracle");
                }
            }
        }
        assertThat(missing).isEmpty();
        assertThat(accepted).as("opcode/group cells with a row").isGreaterThan(1000);
    }

    @Test
    void coverageList_namesOnlyRowsOfTheTableAndTestsThatExist() throws IOException {
        Set<String> rows = new TreeSet<>();
        OpTable.rows().forEach(r -> rows.add(r.toString()));
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : coverageList().entrySet()) {
            if (!rows.contains(e.getKey())) {
                wrong.add(e.getKey() + ": no such row");
            }
            if (e.getValue().isEmpty()) {
                wrong.add(e.getKey() + ": no test named");
            }
            for (String t : e.getValue()) {
                if (!testExists(t)) {
                    wrong.add(e.getKey() + ": " + t + " is no test method");
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void theOracleAlone_coversTheCommonRows() throws IOException {
        Set<String> oracle = oracleRows();
        // the host oracle's recording holds register and memory forms of the ALU, shift, bit and move rows
        assertThat(oracle).contains("01 add", "0F AF imul", "0F B6 movzb", "0F 44 cmove", "D3 /7 sar", "F7 /6 div");
        assertThat(oracle.size()).isGreaterThan(150);
    }

    private static boolean testExists(String t) {
        String[] p = t.split("#");
        try {
            Class<?> cls = Class.forName("jx86.cpu." + p[0]);
            for (Method m : cls.getDeclaredMethods()) {
                if (m.getName().equals(p[1])) {
                    return true;
                }
            }
            return false;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
