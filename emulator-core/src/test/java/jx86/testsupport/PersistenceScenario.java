package jx86.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import jx86.machine.MachineEvent;
import jx86.machine.RunResult;

/**
 * The persistence check both kernels pass (kernel-monolithic's PersistenceTest, kernel-microkernel's
 * MultiServerTest): one boot writes files (echo, cp, mkdir, a script run with sh) and powers off;
 * a second boot from the same image reads them back. The kernels differ only in how they boot.
 */
public final class PersistenceScenario {
    private PersistenceScenario() {
    }

    /** Console lines with the shell's "/$ " prompts taken off their starts. */
    public static List<String> lines(RunResult r) {
        return r.serial().lines().map(l -> l.replaceFirst("^(/\\$ )+", "")).toList();
    }

    /**
     * Runs both boots on {@code img} through {@code boot} (image, shell lines typed in) and checks
     * every line the shell and the programs must print, and a clean power-off (exit port 0) each time.
     */
    public static void assertFilesSurvivePowerOff(Path img, BiFunction<Path, String[], RunResult> boot) {
        RunResult first = boot.apply(img, new String[] {
            "echo persistent data > /data.txt",
            "cp /etc/motd /motd.copy",
            "mkdir /d",
            "cp /etc/motd /d",
            "kill 999",
            "echo echo from a script > /d/script",
            "echo wc /etc/motd >> /d/script",
            "sh /d/script",
            "poweroff"});
        assertThat(lines(first)).contains("kill: (999) - No such process");
        assertThat(lines(first)).containsSubsequence("from a script", " 1  3 16 /etc/motd", "reboot: power down");
        assertThat(first.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(first.exitPortValue()).isZero();

        RunResult second = boot.apply(img,
                new String[] {"cat /data.txt", "cat /motd.copy", "cat /d/script", "wc /d/motd", "poweroff"});
        assertThat(lines(second)).containsSubsequence("persistent data", "hello from ext2",
                "echo from a script", "wc /etc/motd", " 1  3 16 /d/motd", "reboot: power down");
        assertThat(second.exitPortValue()).isZero();
    }
}
