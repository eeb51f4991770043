package jx86.kernel.microkernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;

/**
 * Boots kernel-microkernel (built by {@code make} into target/) on jx86 with sigma0 and the named
 * test programs as Multiboot modules, and checks the "prog: ok name" lines the programs print.
 */
final class Mk {
    static final Path KERNEL = Path.of("target/kernel.elf");
    static final Path USER = Path.of("target/user");

    private Mk() {
    }

    /** sigma0, then the root task, then any further boot tasks. */
    static RunResult boot(long maxInstructions, String... programs) {
        return bootWith("", maxInstructions, programs);
    }

    /** The same with a kernel command line ("mktrace", "crashtest"). */
    static RunResult bootWith(String append, long maxInstructions, String... programs) {
        MachineConfig.Builder b = MachineConfig.builder().kernel(KERNEL).append(append).maxInstructions(maxInstructions);
        b.module(USER.resolve("sigma0"));
        for (String p : programs) {
            b.module(USER.resolve(p));
        }
        return PcMachine.run(b.build());
    }

    /** Every named check printed "ok", in this order; nothing failed; the root powered off with 0. */
    static void assertAllOk(RunResult r, String prog, String... checks) {
        String[] lines = new String[checks.length + 1];
        for (int i = 0; i < checks.length; i++) {
            lines[i] = prog + ": ok " + checks[i];
        }
        lines[checks.length] = prog + ": all passed";
        assertThat(r.serial().lines().map(Mk::withoutDetail)).containsSubsequence(lines);
        assertThat(r.serial()).doesNotContain("FAIL").doesNotContain("panic");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
    }

    /** "ipctest: ok name (detail)" -> "ipctest: ok name": details carry figures, names are stable. */
    static String withoutDetail(String line) {
        int i = line.indexOf(" (");
        return i < 0 ? line : line.substring(0, i);
    }
}
