package jx86.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import jx86.harness.ConsoleLine;
import org.junit.jupiter.api.Test;

/**
 * The crash demo's view of this kernel: its ELF symbols (checked against the ELF's own symbol
 * table entries read back by name) and the replay of memcorrupt's addresses (checked against the
 * first address the module itself printed in real runs: see MemcorruptTest).
 */
class MonolithicInspectorTest {
    private static final Path ELF = Path.of("target/kernel.elf");

    @Test
    void symbols_nameKernelFunctionsAndVariables() throws IOException {
        ElfSymbols s = ElfSymbols.read(ELF);
        ElfSymbols.Symbol panic = s.symbol("panic").orElseThrow();
        assertThat(panic.function()).isTrue();
        assertThat(s.describe(panic.value()).orElseThrow()).isEqualTo("panic");
        assertThat(s.describe(panic.value() + 5).orElseThrow()).isEqualTo("panic+0x5");
        assertThat(s.section(panic.value()).orElseThrow().name()).isEqualTo(".text");
        ElfSymbols.Symbol proc = s.symbol("proc").orElseThrow();
        assertThat(proc.function()).isFalse();
        assertThat(proc.size() % 64).as("proc[NPROC] with NPROC = 64").isZero();
        assertThat(s.section(proc.value()).orElseThrow().name()).isEqualTo(".bss");
        assertThat(s.describe(proc.value() + proc.size() - 1).orElseThrow())
                .isEqualTo("proc+0x" + Integer.toHexString(proc.size() - 1));
    }

    @Test
    void symbolize_addsFunctionNamesToKernelTextAddressesOnly() throws IOException {
        ElfSymbols s = ElfSymbols.read(ELF);
        MonolithicInspector inspector = MonolithicInspector.of(s);
        int freevm = s.symbol("kmain").orElseThrow().value();
        String line = String.format("  0x%08x", freevm + 0x10);
        assertThat(inspector.symbolize(line)).isEqualTo(line + " <kmain+0x10>");
        String data = String.format("  ebp %08x", s.symbol("proc").orElseThrow().value());
        assertThat(inspector.symbolize(data)).isEqualTo(data);            // not code
        assertThat(inspector.symbolize("at eip f0000084")).isEqualTo("at eip f0000084");
    }

    @Test
    void replayedAddresses_matchWhatTheModulePrinted() throws IOException {
        MonolithicInspector inspector = MonolithicInspector.of(ElfSymbols.read(ELF));
        // the lines real runs printed (seed 1: first word of burst 1 at 0x00042020 on 32 and 128 MiB)
        List<String> out = inspector.onLine(new ConsoleLine(0,
                "memcorrupt: 64 words every 1 s over 32768 KiB of RAM, seed 1", 0, 0, 0), null);
        assertThat(out).hasSize(1);
        int[] burst1 = inspector.replayBurst();
        assertThat(burst1).hasSize(64);
        assertThat(burst1[0]).isEqualTo(0x00042020);
        assertThat(inspector.replayBurst()[0]).isEqualTo(0x00ac22d8);   // "burst 2, 64 words, first at phys 0x00ac22d8"
        for (int a : burst1) {
            assertThat(a & 3).isZero();
            assertThat(Integer.toUnsignedLong(a)).isLessThan(32L << 20);
        }
    }
}
