package jx86.kernel.microkernel;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;

/**
 * The user-level console driver's line discipline (servers/console.c) as the shell sees it on
 * microkernel.img: backspace erases, Ctrl-C interrupts the foreground program, and Ctrl-D at the
 * prompt ends only the shell -- the shell as process 1 (init) starts a new one; nothing panics and
 * the personality does not power off. Input is paced: each line (or control key) is handed over
 * when the guest waits for input, so the keys reach the program they are meant for.
 */
class ConsoleDriverTest {

    private static RunResult session(String input) {
        return PcMachine.run(MachineConfig.builder().disk(MultiServerTest.IMAGE).snapshot(true)
                .serialInput(input).pacedInput(true).maxInstructions(2_000_000_000L).build());
    }

    @Test
    void backspaceCtrlCAndCtrlDAtThePrompt_editInterruptAndRestartTheShell_withoutAPanic() {
        RunResult r = session("echx\u007fo typed\ncat\n\u0003echo alive $?\n\u0004echo after\npoweroff 5\n");

        String serial = r.serial();
        assertThat(serial.lines()).containsSubsequence(
                "typed",                                                    // "echx<BS>o" is "echo"
                "alive 130",                                                // cat ended by SIGINT: 128 + 2
                "init: the shell ended with status 0; starting a new one",  // Ctrl-D at the prompt
                "after",
                "reboot: power down");
        assertThat(serial).doesNotContain("echxo").doesNotContain("panic")
                .doesNotContain("posix: init (pid 1) ended").doesNotContain("restart: console");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isEqualTo(5);
    }
}
