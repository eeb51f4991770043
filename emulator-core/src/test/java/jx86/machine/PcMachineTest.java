package jx86.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jx86.firmware.BadImageException;
import jx86.testsupport.TinyKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcMachineTest {
    @TempDir
    Path dir;

    /** A multiboot ELF whose code (at 0x100010, after the header) is {@code code}. */
    private Path kernel(String name, int... code) throws IOException {
        return TinyKernel.write(dir, name, code);
    }

    private static RunResult run(Path kernel) {
        return PcMachine.run(MachineConfig.builder().kernel(kernel).maxInstructions(1_000_000).build());
    }

    @Test
    void exitPortWrite_endsTheRunWithTheGuestsValue() throws IOException {
        // mov $0x1234, %eax; out %eax, $0xf4
        RunResult r = run(kernel("exit.elf", 0xB8, 0x34, 0x12, 0, 0, 0xE7, 0xF4));
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isEqualTo(0x1234);
        assertThat(r.exitStatus()).isEqualTo(0x34);
        assertThat(r.instructions()).isEqualTo(2);
    }

    @Test
    void serialAndDebugConsoleOutput_areCaptured() throws IOException {
        // mov $'A', %al; mov $0x3f8, %dx; out %al, %dx; mov $'B', %al; out %al, $0xe9; out %al, $0xf4
        RunResult r = run(kernel("out.elf", 0xB0, 'A', 0x66, 0xBA, 0xF8, 0x03, 0xEE, 0xB0, 'B', 0xE6, 0xE9, 0xE6, 0xF4));
        assertThat(r.serial()).isEqualTo("A");
        assertThat(r.debugCon()).isEqualTo("B");
    }

    @Test
    void hltWithInterruptsDisabled_isHaltedForever() throws IOException {
        RunResult r = run(kernel("halt.elf", 0xFA, 0xF4));
        assertThat(r.event()).isEqualTo(MachineEvent.HALTED_FOREVER);
        assertThat(r.exitStatus()).isEqualTo(71);
    }

    @Test
    void endlessLoop_stopsAtTheInstructionLimit() throws IOException {
        RunResult r = run(kernel("loop.elf", 0xEB, 0xFE));
        assertThat(r.event()).isEqualTo(MachineEvent.INSTRUCTION_LIMIT);
        assertThat(r.instructions()).isEqualTo(1_000_000);
    }

    @Test
    void exceptionWithAnEmptyIdt_triplefaults() throws IOException {
        // lidt (0x100020): limit 0 → int3 raises #GP, then #DF, then shutdown.
        RunResult r = run(kernel("triple.elf",
                0x0F, 0x01, 0x1D, 0x20, 0x00, 0x10, 0x00,   // lidt 0x100020
                0xCC,                                       // int3
                0xF4, 0xF4, 0xF4, 0xF4, 0xF4, 0xF4, 0xF4, 0xF4,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00));       // at 0x100020: limit 0, base 0
        assertThat(r.event()).isEqualTo(MachineEvent.TRIPLE_FAULT);
        assertThat(r.exitStatus()).isEqualTo(70);
    }

    @Test
    void keyboardControllerPulse_resetsTheMachine() throws IOException {
        RunResult r = run(kernel("reset.elf", 0xB0, 0xFE, 0xE6, 0x64, 0xEB, 0xFE));
        assertThat(r.event()).isEqualTo(MachineEvent.RESET);
        assertThat(r.exitStatus()).isEqualTo(74);
    }

    @Test
    void twoMachinesSideBySide_runIndependentlyAndIdentically() throws IOException {
        Path k = kernel("two.elf", 0xB0, 'x', 0x66, 0xBA, 0xF8, 0x03, 0xEE, 0xB0, 0x07, 0xE6, 0xF4);
        MachineConfig config = MachineConfig.builder().kernel(k).maxInstructions(1000).build();
        try (PcMachine a = new PcMachine(config); PcMachine b = new PcMachine(config)) {
            a.boot();
            b.boot();
            a.memory().write8(0x100010 + 1, 'y');   // patch a's copy only
            RunResult ra = a.runToEnd();
            RunResult rb = b.runToEnd();
            assertThat(ra.serial()).isEqualTo("y");
            assertThat(rb.serial()).isEqualTo("x");
            assertThat(ra.cycles()).isEqualTo(rb.cycles());
        }
    }

    @Test
    void missingKernel_isABadImageWithOneLine() {
        Path missing = dir.resolve("nope.elf");
        assertThatThrownBy(() -> run(missing)).isInstanceOf(BadImageException.class)
                .hasMessageStartingWith("kernel " + missing + ": cannot read");
    }

    @Test
    void nothingToBoot_isRejected() {
        assertThatThrownBy(() -> PcMachine.run(MachineConfig.builder().build()))
                .isInstanceOf(BadImageException.class).hasMessage("nothing to boot: give a disk image or --kernel");
    }

    @Test
    void bootSectorDisk_bootsInRealModeWithDlSetTo80h() throws IOException {
        byte[] disk = new byte[64 * 1024];
        // mov %dl, %al; out %al, $0xf4  (real mode, 16-bit)
        disk[0] = (byte) 0x88;
        disk[1] = (byte) 0xD0;
        disk[2] = (byte) 0xE6;
        disk[3] = (byte) 0xF4;
        disk[510] = 0x55;
        disk[511] = (byte) 0xAA;
        Path img = dir.resolve("boot.img");
        Files.write(img, disk);
        RunResult r = PcMachine.run(MachineConfig.builder().disk(img).maxInstructions(1000).build());
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isEqualTo(0x80);
    }
}
