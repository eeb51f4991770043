package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code jx86 boot} as a script uses it: a separate JVM running the command line with the script
 * piped into its standard input, the way the README's scripted example does. Checks that such a
 * run ends by itself ({@code --exit-on-eof}: status 76 without a poweroff), that the guest's
 * verdict ({@code poweroff N} after a failing command) is the exit status, that input no longer
 * shows up in the boot messages, and that the guest's echo of the script is left out unless
 * {@code --echo-input} asks for it.
 */
class ScriptedBootTest {
    private record Run(int status, String out, String err) {
    }

    /** {@code jx86 boot} of the monolith with the test disk, {@code script} on standard input. */
    private static Run boot(String script, String... options) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "jx86.cli.Main", "boot", "--kernel", "target/kernel.elf", "--append", "console=ttyS0 init=/bin/sh",
                "--disk", "target/disk.img", "--snapshot", "--max-instructions", "2000000000"));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        p.getOutputStream().write(script.getBytes(StandardCharsets.ISO_8859_1));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {   // a hang guard, not a timing assertion
            p.destroyForcibly();
        }
        return new Run(p.isAlive() ? -1 : p.exitValue(), out.replace("\r\n", "\n"),
                new String(err.join(), StandardCharsets.UTF_8));
    }

    @Test
    void scriptWithoutPoweroff_endsByItself_withStatus76() throws Exception {
        Run r = boot("echo hi | wc\ncat /etc/motd\n", "--exit-on-eof");

        assertThat(r.out().lines()).containsSubsequence("/$       1       1       3", "/$ hello from ext2");
        assertThat(r.err().lines()).last().asString()
                .startsWith("jx86: input ended and the guest went idle after ");
        assertThat(r.status()).isEqualTo(76);
    }

    @Test
    void readmeExample_aFailingCommandBecomesTheRunsStatus() throws Exception {
        String script = String.join("\n", "echo hi | wc", "cat /etc/motd", "ls /nosuch || poweroff 1", "poweroff", "");
        Run failing = boot(script, "--exit-on-eof");
        Run passing = boot(script.replace("/nosuch", "/etc/motd"), "--exit-on-eof");

        assertThat(failing.out()).contains("ls: cannot access '/nosuch': No such file or directory",
                "reboot: power down, exit status 1");
        assertThat(failing.status()).isEqualTo(1);
        assertThat(passing.out()).contains("-rw-r--r--  1       16 /etc/motd").contains("reboot: power down\n");
        assertThat(passing.status()).isZero();
    }

    @Test
    void pipedInput_isNotEchoedIntoTheBootMessages_norAtAllWithoutEchoInput() throws Exception {
        Run quiet = boot("echo hi\npoweroff\n");
        Run echoed = boot("echo hi\npoweroff\n", "--echo-input");

        String banner = quiet.out().substring(0, quiet.out().indexOf("/$ "));
        assertThat(banner).startsWith("kernel-monolithic 0.1: booting")
                .doesNotContain("echo").doesNotContain("poweroff");
        assertThat(quiet.out()).doesNotContain("echo hi").contains("/$ hi\n/$ reboot: power down\n");
        assertThat(echoed.out()).contains("/$ echo hi\nhi\n/$ poweroff\nreboot: power down\n");
        assertThat(quiet.status()).isZero();
        assertThat(echoed.status()).isZero();
    }
}
