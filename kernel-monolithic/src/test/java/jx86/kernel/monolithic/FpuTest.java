package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;

/**
 * fputests (user/fputests.c, loaded as a multiboot module) on jx86: the kernel saves and restores each process's x87 state
 * (kernel/fpu.c, eager FNSAVE/FRSTOR on every switch) and turns #MF into SIGFPE.
 */
class FpuTest {
    @Test
    void fpuStateIsPerProcess_andUnmaskedErrorsAreSigfpe() {
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(Path.of("target/kernel.elf"))
                .append("console=ttyS0 panic=exit init=/bin/fputests")
                .module(Path.of("target/user/fputests")) // a multiboot module: not on the disk image
                .maxInstructions(1_000_000_000L).build());

        assertThat(r.serial().lines()).containsSubsequence(
                "fputests: starting",
                "fputests: ok   unmasked divide by zero: SIGFPE (status 8)",
                "fputests: ok   masked divide by zero: +inf (7ff0000000000000)",
                "fputests: ok   parallel: the parent kept its FPU state (1020, cw 27f)",
                "fputests: ok   parallel: the child kept its FPU state (status 0)",
                "fputests: all passed",
                "reboot: power down");
        assertThat(r.serial()).doesNotContain("FAIL", "panic:");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
    }
}
