package jx86.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays single instructions whose results were recorded on a real x86 processor running 32-bit
 * code (register forms with random operands, memory forms against a 256-byte buffer at 0x20000,
 * string instructions with REP and DF): registers, the flags the SDM defines for that instruction,
 * and memory must match exactly.
 */
class HostOracleTest {
    private static final int[] REGS = {Cpu.EAX, Cpu.ECX, Cpu.EDX, Cpu.EBX, Cpu.EBP, Cpu.ESI, Cpu.EDI};

    private static int hex(String s) {
        return (int) Long.parseLong(s, 16);
    }

    @Test
    void recordedHardwareResults_match() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int cases = 0;
        CpuTestSupport t = CpuTestSupport.flat32();
        try (InputStream in = getClass().getResourceAsStream("host-oracle.txt");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                cases++;
                String diff = replay(t, line);
                if (diff != null && mismatches.size() < 20) {
                    mismatches.add(line + " ->" + diff);
                }
            }
        }
        assertThat(cases).isGreaterThan(1000);
        assertThat(mismatches).isEmpty();
    }

    private static String replay(CpuTestSupport t, String line) {
        String[] f = line.split(" ");
        boolean memory = f[0].equals("M");
        int p = 1;
        int seed = memory ? hex(f[p++]) : 0;
        byte[] code = HexFormat.of().parseHex(f[p++]);
        int mask = hex(f[p++]);
        Cpu c = t.cpu;
        for (int i = 0; i < REGS.length; i++) {
            c.regs[REGS[i]] = hex(f[p++]);
        }
        c.regs[Cpu.ESP] = CpuTestSupport.STACK_TOP;
        c.setEflags(2 | hex(f[p++]));
        p++; // "|"
        for (int j = 0; j < code.length; j++) {
            t.mem.poke8(CpuTestSupport.CODE + j, code[j] & 0xFF);
        }
        if (memory) {
            for (int j = 0; j < 256; j++) {
                t.mem.poke8(0x20000 + j, (j * 37 + seed) & 0xFF);
            }
        }
        c.eip = CpuTestSupport.CODE;
        for (int n = 0; n < 100 && c.eip != CpuTestSupport.CODE + code.length; n++) {
            Exec.execute(c); // REP instructions re-execute themselves until done
        }
        StringBuilder diff = new StringBuilder();
        for (int i = 0; i < REGS.length; i++) {
            int want = hex(f[p++]);
            if (c.regs[REGS[i]] != want) {
                diff.append(" reg").append(REGS[i]).append('=').append(Integer.toHexString(c.regs[REGS[i]]));
            }
        }
        int flags = hex(f[p++]);
        if (((c.getEflags() ^ flags) & mask) != 0) {
            diff.append(" flags=").append(Integer.toHexString(c.getEflags() & 0x8D5));
        }
        if (memory) {
            int[] want = new int[256];
            for (int j = 0; j < 256; j++) {
                want[j] = (j * 37 + seed) & 0xFF;
            }
            if (!f[p].equals("-")) {
                for (String kv : f[p].split(",")) {
                    String[] a = kv.split(":");
                    want[hex(a[0])] = hex(a[1]);
                }
            }
            for (int j = 0; j < 256; j++) {
                if (t.mem.read8(0x20000 + j) != want[j]) {
                    diff.append(" mem+").append(Integer.toHexString(j));
                    break;
                }
            }
        }
        return diff.length() == 0 ? null : diff.toString();
    }
}
