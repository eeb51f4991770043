package jx86.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import jx86.arch.CpuFault;
import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

/**
 * The decoders against the opcode table they are derived from: every opcode, ModR/M group member
 * and form that {@link Exec} accepts (executes without #UD) has a row, every other one is #UD (so
 * every row has a case in the decoder's dispatch); LOCK is accepted exactly on the rows marked
 * lockable; {@link PreDecoder} caches exactly the rows with a cache form; every row's handler is a
 * static method of jx86.cpu; every row disassembles.
 */
class OpTableTest {
    private static final int[] PREFIXES = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF0, 0xF2, 0xF3};

    /** Executes one instruction; returns the fault vector or -1. */
    private static int run(boolean real, int... bytes) {
        CpuTestSupport t = real ? CpuTestSupport.real() : CpuTestSupport.flat32();
        for (int i = 0; i < bytes.length; i++) {
            t.mem.poke8(CpuTestSupport.CODE + i, bytes[i]);
        }
        try {
            Exec.execute(t.cpu);
            return -1;
        } catch (CpuFault f) {
            return f.vector;
        }
    }

    /** Opcode bytes, then a ModR/M with {@code reg} and a register (EAX) or memory (DATA) operand, then zeros. */
    private static int[] encode(int prefix, int code, int reg, boolean memory, boolean real) {
        List<Integer> b = new ArrayList<>();
        if (prefix >= 0) {
            b.add(prefix);
        }
        if (code >= 0x100) {
            b.add(0x0F);
        }
        b.add(code & 0xFF);
        if (!memory) {
            b.add(0xC0 | reg << 3);
        } else if (real) {
            b.addAll(List.of(reg << 3 | 6, 0x00, 0x20)); // [0x2000]
        } else {
            b.addAll(List.of(reg << 3 | 5, 0x00, 0x00, 0x02, 0x00)); // [0x20000]
        }
        for (int i = 0; i < 8; i++) {
            b.add(0);
        }
        return b.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The x87 escape forms that are #UD on a P6, written down here from the SDM's x87 opcode maps
     * (Vol. 2, A.5: empty cells; FISTTP is SSE3) for ModR/M with rm = 0 as {@link #encode} builds it —
     * the table's FPU row group hands the ModR/M to the FPU, so this is the independent check of it.
     */
    private static final Set<String> X87_UD = Set.of("D9/1 mem", "DA/4 reg", "DA/5 reg", "DA/6 reg",
            "DA/7 reg", "DB/1 mem", "DB/4 mem", "DB/6 mem", "DB/7 reg", "DD/1 mem", "DD/5 mem", "DD/6 reg",
            "DD/7 reg", "DE/3 reg", "DF/1 mem", "DF/7 reg");

    private static boolean expectUd(int code, int reg, boolean memory, boolean real) {
        OpTable.Row r = OpTable.lookup(code, reg);
        if (r != null && r.has(OpTable.FPU) && code != 0x9B) {
            return X87_UD.contains(String.format("%02X/%d %s", code, reg, memory ? "mem" : "reg"));
        }
        return r == null || r.has(OpTable.RAISES_UD) || r.mode() == OpTable.Mode.FIRMWARE
                || r.memoryOnly() && !memory || real && r.mode() == OpTable.Mode.PROTECTED;
    }

    private static boolean isPrefixOrEscape(int code) {
        return code == 0x0F || Arrays.stream(PREFIXES).anyMatch(p -> p == code);
    }

    @Test
    void decoderAcceptsExactlyTheTableRows_inProtectedAndRealMode() {
        List<String> mismatches = new ArrayList<>();
        for (int code = 0; code < 0x200; code++) {
            if (isPrefixOrEscape(code)) {
                continue;
            }
            for (boolean real : new boolean[] {false, true}) {
                // real mode: the mode rule is per row, so one group member per opcode is enough
                for (int reg = 0; reg < (real ? 1 : 8); reg++) {
                    for (boolean memory : new boolean[] {false, true}) {
                        boolean ud = run(real, encode(-1, code, reg, memory, real)) == Vectors.UD;
                        if (ud != expectUd(code, reg, memory, real)) {
                            mismatches.add(String.format("%s%02X /%d %s %s: decoder %s", code >= 0x100 ? "0F " : "",
                                    code & 0xFF, reg, memory ? "mem" : "reg", real ? "real" : "pm",
                                    ud ? "#UD" : "accepts"));
                        }
                    }
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void prefixBytesAndTheEscape_haveNoRows() {
        for (int p : PREFIXES) {
            assertThat(OpTable.defined(p)).as("%02X", p).isFalse();
        }
        assertThat(OpTable.defined(0x0F)).isFalse();
    }

    @Test
    void lockPrefix_isAcceptedExactlyOnLockableRowsWithMemoryOperand() {
        List<String> mismatches = new ArrayList<>();
        for (int code = 0; code < 0x200; code++) {
            if (isPrefixOrEscape(code)) {
                continue;
            }
            for (int reg = 0; reg < 8; reg++) {
                OpTable.Row r = OpTable.lookup(code, reg);
                for (boolean memory : reg == 0 ? new boolean[] {false, true} : new boolean[] {true}) {
                    boolean ud = run(false, encode(0xF0, code, reg, memory, false)) == Vectors.UD;
                    boolean expected = r == null || !r.has(OpTable.LOCK) || !memory;
                    if (ud != expected) {
                        mismatches.add(String.format("LOCK %X /%d %s", code, reg, memory ? "mem" : "reg"));
                    }
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void decodeCache_holdsExactlyTheRowsMarkedCached() {
        List<String> mismatches = new ArrayList<>();
        jx86.memory.PhysicalMemory mem = new jx86.memory.PhysicalMemory(1 << 20);
        PreDecoder pd = new PreDecoder();
        int[] e = new int[8];
        for (OpTable.Row r : OpTable.rows()) {
            for (boolean memory : new boolean[] {false, true}) {
                int reg = Math.max(r.group(), 0);
                if (r.memoryOnly() && !memory) {
                    continue;
                }
                int[] bytes = encode(-1, r.code(), reg, memory, false);
                if (memory) {
                    // [EAX]: the cache holds 8 bytes per instruction, so no displacement here
                    bytes[r.code() >= 0x100 ? 2 : 1] = reg << 3;
                }
                for (int i = 0; i < bytes.length; i++) {
                    mem.poke8(0x1000 + i, bytes[i]);
                }
                boolean cached = (pd.fill(e, mem, 0, 0x1000, DecodeCache.CODE32) & 0xFF) != DecodeCache.SLOW;
                if (cached != (r.has(OpTable.CACHED) && !(memory && r.has(OpTable.CACHED_REG)))) {
                    mismatches.add(r + (memory ? " mem" : " reg") + (cached ? " is cached" : " is not cached"));
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void everyHandler_isAStaticMethodOfTheCpuPackage() {
        List<String> unresolved = new ArrayList<>();
        for (OpTable.Row r : OpTable.rows()) {
            Method m = OpTableCoverageTest.handler(r);
            if (m == null) {
                unresolved.add(r + ": " + r.handler());
            }
        }
        assertThat(unresolved).isEmpty();
    }

    @Test
    void everyRowButTheFpuAndFirmwareEscapes_disassembles() {
        for (OpTable.Row r : OpTable.rows()) {
            if (r.has(OpTable.FPU) && r.code() != 0x9B || r.mode() == OpTable.Mode.FIRMWARE) {
                continue;
            }
            int[] bytes = encode(-1, r.code(), Math.max(r.group(), 0), true, false);
            Disassembler.Insn insn = Disassembler.decode(i -> i < bytes.length ? bytes[i] : -1, 0x1000, true);
            assertThat(insn.row()).as("%s", r).isEqualTo(r);
            assertThat(insn.text()).as("%s", r).startsWith(r.mnemonic(4).substring(0, 2));
        }
    }

    @Test
    void coverageList_countsRowsPerModel() {
        // The coverage list the tests derive from the table: jx86's P6 model has every row up to P6.
        long p6 = OpTable.rows().stream().filter(r -> r.since().ordinal() <= OpTable.Model.P6.ordinal()).count();
        long i386 = OpTable.rows().stream().filter(r -> r.since() == OpTable.Model.I386).count();
        assertThat(p6).isGreaterThan(i386);
        assertThat(OpTable.lookup(0x140, 0).since()).isEqualTo(OpTable.Model.P6); // CMOVO
        assertThat(OpTable.lookup(0x1C7, 1).mnemonic()).isEqualTo("cmpxchg8b");
        assertThat(OpTable.lookup(0x1C7, 0)).isNull();
    }
}
