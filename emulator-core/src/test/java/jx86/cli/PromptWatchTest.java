package jx86.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import jx86.testsupport.TinyKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptWatchTest {
    @TempDir
    Path dir;

    /**
     * mov $0x3f8,%edx; mov $N1,%ecx; loop .; then "/$ " to COM1 (three mov/out pairs); mov $N2,%ecx;
     * loop .; xor %eax,%eax; out %eax,$0xf4. Instructions: 2 + N1 + 6 + 1 + N2 + 2.
     */
    private Path guest(int n1, int n2) throws IOException {
        return TinyKernel.write(dir, "prompt.elf",
                0xBA, 0xF8, 0x03, 0, 0,
                0xB9, n1 & 0xFF, n1 >> 8, 0, 0,
                0xE2, 0xFE,
                0xB0, '/', 0xEE, 0xB0, '$', 0xEE, 0xB0, ' ', 0xEE,
                0xB9, n2 & 0xFF, n2 >> 8, 0, 0,
                0xE2, 0xFE,
                0x31, 0xC0, 0xE7, 0xF4);
    }

    private static RunResult run(Path kernel, PromptWatch[] watch, String prompt) {
        try (PcMachine m = new PcMachine(MachineConfig.builder().kernel(kernel).serial("buffer")
                .maxInstructions(1_000_000).build())) {
            watch[0] = new PromptWatch(m, prompt);
            m.setDebugger(watch[0]);
            m.boot();
            return m.runToEnd();
        }
    }

    @Test
    void prompt_isSeenAtTheEndOfTheSliceThatPrintedIt() throws IOException {
        PromptWatch[] w = new PromptWatch[1];
        // the prompt's last byte goes out at instruction 2 + 2500 + 6 = 2508, inside the third slice
        RunResult r = run(guest(2500, 3000), w, "/$ ");

        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.instructions()).isEqualTo(2 + 2500 + 6 + 1 + 3000 + 2);
        assertThat(w[0].instructions()).isEqualTo(3 * PromptWatch.STEP);
        assertThat(w[0].nanos()).isPositive();
        assertThat(w[0].jvmUptimeMillis()).isPositive();
        assertThat(r.serial()).isEqualTo("/$ ");
    }

    @Test
    void prompt_neverPrinted_staysUnseen() throws IOException {
        PromptWatch[] w = new PromptWatch[1];
        RunResult r = run(guest(10, 10), w, "# ");

        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(w[0].instructions()).isEqualTo(-1);
        assertThat(w[0].nanos()).isEqualTo(-1);
    }
}
