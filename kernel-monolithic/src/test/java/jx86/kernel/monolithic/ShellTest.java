package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;

/**
 * The shell and the small commands as scripts need them: shtests (user/shtests.c) checks the
 * shell's syntax and statuses, echo, cat, ls and poweroff from inside the guest, one line per
 * check; the interactive tests type into the shell running as init=/bin/sh, a line at a time when
 * the guest waits for input (as {@code jx86 boot} does with piped input), and check what a
 * scripted run relies on: Ctrl-D and exit start a new shell, poweroff N is the run's exit status,
 * usertests run from the shell, Ctrl-C leaves no zombie, and with exitOnEof a script without
 * poweroff still ends, in bounded virtual time.
 */
class ShellTest {
    private static final Path KERNEL = Path.of("target/kernel.elf");
    private static final Path DISK = Path.of("target/disk.img");
    private static final long LIMIT = 2_000_000_000L;

    private static RunResult session(String input, boolean exitOnEof) {
        return PcMachine.run(MachineConfig.builder().kernel(KERNEL).append("console=ttyS0 panic=exit init=/bin/sh")
                .disk(DISK).snapshot(true).serialInput(input).pacedInput(true).exitOnEof(exitOnEof)
                .maxInstructions(LIMIT).build());
    }

    @Test
    void shtests_everyCheckPassesAndThePowerOffSaysSo() {
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(KERNEL).append("console=ttyS0 init=/bin/shtests")
                .disk(DISK).snapshot(true).maxInstructions(LIMIT).build());

        assertThat(r.serial().lines().filter(l -> l.startsWith("shtests: ")).toList()).containsExactly("""
                shtests: starting
                shtests: ok   false; echo $? -> status 0
                shtests: ok   true; echo $? -> status 0
                shtests: ok   false -> status 1
                shtests: ok   exit 7 -> status 7
                shtests: ok   false; exit -> status 1
                shtests: ok   sh -c 'exit 3'; echo $? -> status 0
                shtests: ok   echo a; echo b ;echo c; -> status 0
                shtests: ok   true && echo yes -> status 0
                shtests: ok   false && echo yes -> status 1
                shtests: ok   false || echo no -> status 0
                shtests: ok   true || echo no -> status 0
                shtests: ok   false && echo a || echo b -> status 0
                shtests: ok   true && false || echo c; echo $? -> status 0
                shtests: ok   false || false || echo third -> status 0
                shtests: ok   nosuchcommand; echo $? -> status 0
                shtests: ok   exit nine -> status 2
                shtests: ok   echo 'a  b'   c -> status 0
                shtests: ok   echo "x  y" 'z' -> status 0
                shtests: ok   false; echo '$?' "[$?]" $? -> status 0
                shtests: ok   echo 'a|b;c&&d' "<e>" -> status 0
                shtests: ok   echo \\; a\\ b "q\\"q" -> status 0
                shtests: ok   echo '' -> status 0
                shtests: ok   echo 'open -> status 2
                shtests: ok   echo a # a comment -> status 0
                shtests: ok   echo a && && echo b -> status 2
                shtests: ok   | echo a -> status 2
                shtests: ok   echo a > -> status 2
                shtests: ok   > /x -> status 2
                shtests: ok   echo one two | cat | wc -> status 0
                shtests: ok   echo deep | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat -> status 0
                shtests: ok   echo deep | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat -> status 2
                shtests: ok   false | true; echo $? -> status 0
                shtests: ok   true | false; echo $? -> status 0
                shtests: ok   a & b & wait; c: both jobs ran
                shtests: ok   cat < /nosuch -> status 1
                shtests: ok   cd /nosuch -> status 1
                shtests: ok   echo of three 1000-character words: 3003 bytes
                shtests: ok   echo of 511 characters
                shtests: ok   echo hello > /etc/motd/x -> status 1
                shtests: ok   ls /nosuch -> status 1
                shtests: ok   poweroff 300 -> status 2
                shtests: ok   poweroff now -> status 2
                shtests: ok   /bin/echo into a closed pipe: status 1, echo: write error: Broken pipe
                shtests: ok   /bin/cat into a closed pipe: status 1, cat: write error: Broken pipe
                shtests: ok   fork failure: status 1, sh: fork: Resource temporarily unavailable
                shtests: all passed""".lines().toArray(String[]::new));
        assertThat(r.serial().lines()).contains("reboot: power down");
        assertThat(r.serial()).doesNotContain("panic:");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
    }

    @Test
    void controlDAndExit_endTheShellAndInitStartsANewOne_poweroffNIsTheRunsStatus() {
        RunResult r = session("echo one\n\u0004echo two\nexit 4\necho three\nfalse || poweroff 3\n", false);

        assertThat(r.serial().lines()).containsSubsequence(
                "/$ echo one",
                "one",
                "init: the shell ended with status 0; starting a new one",
                "/$ echo two",
                "two",
                "/$ exit 4",
                "init: the shell ended with status 4; starting a new one",
                "/$ echo three",
                "three",
                "/$ false || poweroff 3",
                "reboot: power down, exit status 3");
        assertThat(r.serial()).doesNotContain("panic:");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isEqualTo(3);
    }

    @Test
    void pacedInput_eachLineFollowsThePromptThatAskedForIt() {
        RunResult r = session("echo hi | wc\nls /nosuch; echo status $?\npoweroff\n", false);

        // nothing typed shows up in the boot messages: the first line waits for the first prompt
        String beforePrompt = r.serial().substring(0, r.serial().indexOf("/$ "));
        assertThat(beforePrompt).doesNotContain("echo");
        assertThat(r.serial().lines()).containsSubsequence(
                "/$ echo hi | wc",
                "      1       1       3",
                "/$ ls /nosuch; echo status $?",
                "ls: cannot access '/nosuch': No such file or directory",
                "status 1",
                "/$ poweroff",
                "reboot: power down");
        assertThat(r.exitPortValue()).isZero();
    }

    @Test
    void pacedInput_waitsForABusyCommand_howeverManyCyclesItsFaultsCost() {
        // kbench forks, faults and switches address spaces: many cycles per instruction, yet never
        // halted for long, so the next line must not arrive (and be echoed) before it has finished
        RunResult r = session("kbench | wc; echo status $?\necho next\npoweroff\n", false);

        java.util.List<String> lines = r.serial().lines().toList();
        int at = lines.indexOf("/$ kbench | wc; echo status $?");
        assertThat(at).as(r.serial()).isNotNegative();
        // kbench's 9 lines (starting, six phases, total, checksum) have 115 words; the byte count
        // depends on the figures, so only the first two counts are fixed
        assertThat(lines.get(at + 1)).matches(" +9 +115 +\\d+");
        assertThat(lines.subList(at + 2, lines.size())).containsSubsequence("status 0", "/$ echo next", "next", "/$ poweroff");
        assertThat(r.exitPortValue()).isZero();
    }

    @Test
    void controlC_killsTheForegroundPipelineAndLeavesNoZombie() {
        RunResult r = session("cat | cat\n\u0003ps\npoweroff\n", false);

        assertThat(r.serial().lines()).containsSubsequence("/$ cat | cat", "^C", "/$ ps",
                "  PID  PPID STATE          NAME",
                "    1     0 S (sleeping)   sh",
                "    2     1 S (sleeping)   sh");
        String ps = r.serial().substring(r.serial().indexOf("/$ ps"), r.serial().indexOf("/$ poweroff"));
        assertThat(ps.lines()).hasSize(5);       // the command, the header, init, the shell, ps itself
        assertThat(ps).doesNotContain("Z (zombie)").doesNotContain("cat");
        assertThat(r.exitPortValue()).isZero();
    }

    @Test
    void aFullDevice_catSaysSoAndFails_insteadOfTruncatingSilently() {
        // a 16 KiB ramdisk: 300000 bytes do not fit, and the write past its end gives ENOSPC
        RunResult r = session("insmod /lib/modules/ramdisk.ko blocks=16\ncat /etc/big > /dev/ram0; echo status $?\n"
                + "poweroff\n", false);

        assertThat(r.serial().lines()).containsSubsequence("/$ cat /etc/big > /dev/ram0; echo status $?",
                "cat: write error: No space left on device", "status 1", "/$ poweroff");
        assertThat(r.exitPortValue()).isZero();
    }

    @Test
    void usertests_runFromTheShell_andTheirStatusReachesPoweroff() {
        RunResult r = session("usertests; poweroff $?\n", false);

        assertThat(r.serial()).contains("usertests: ok   /proc/self's pid/status",
                "usertests: ok   exec'd child saw its argv and envp (status 700)", "usertests: all passed")
                .doesNotContain("FAIL");
        assertThat(r.serial().lines()).contains("usertests: starting (pid 3)");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
    }

    @Test
    void exitOnEof_endsAScriptWithoutPoweroff_inBoundedVirtualTime() {
        RunResult r = session("echo last line\n", true);

        assertThat(r.serial().lines()).containsSubsequence("/$ echo last line", "last line", "/$ ");
        assertThat(r.event()).isEqualTo(MachineEvent.INPUT_ENDED);
        assertThat(r.exitStatus()).isEqualTo(76);
        // boot and one command, then one virtual second (100 M cycles at 100 MHz) of idling
        assertThat(r.cycles()).isBetween(100_000_000L, 200_000_000L);
        assertThat(r.instructions()).isLessThan(20_000_000L);
    }
}
