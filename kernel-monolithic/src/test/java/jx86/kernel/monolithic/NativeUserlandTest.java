package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jx86.machine.MachineConfig;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import jx86.testsupport.Oracles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The user programs are ordinary static i386 Linux executables (Linux's int $0x80 ABI, the System
 * V initial stack): on an x86 Linux host that can run i386 binaries they run natively and must
 * print exactly what they print on jx86. On jx86 they run from /etc/native.sh (a script on the
 * test disk, typed when the shell's prompt asks for it, so that no input is echoed between their
 * lines); each section starts with "==name".
 */
class NativeUserlandTest {
    private static final Path MOTD = Path.of("target/root/etc/motd");
    private static Map<String, String> onJx86;

    @BeforeAll
    static void bootJx86() {
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(Path.of("target/kernel.elf"))
                .append("console=ttyS0 panic=exit init=/bin/sh")
                .disk(Path.of("target/disk.img")).snapshot(true)
                .serialInput("sh /etc/native.sh\rpoweroff\r").pacedInput(true).maxInstructions(2_000_000_000L).build());
        onJx86 = ConsoleSections.split(r.serial().replace("\r\n", "\n"));
    }

    /** Runs target/user/PROG natively with args, stdin from a file (or /dev/null); its stdout. */
    private static String runNative(File stdin, String prog, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of("target/user", prog).toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(stdin != null ? stdin : new File("/dev/null")));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return out;
    }

    /** The oracle here is the host's own Linux kernel and CPU. */
    private static void assumeHostRunsI386() {
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        boolean x86Linux = os.equals("Linux") && List.of("amd64", "x86_64", "i386", "x86").contains(arch);
        String out = null;
        try {
            out = x86Linux ? runNative(null, "echo", "probe") : null;
        } catch (IOException | InterruptedException | AssertionError e) {
            out = null;
        }
        Oracles.assume("probe\n".equals(out),
                "the host (" + os + "/" + arch + ") does not run static i386 Linux binaries");
    }

    @Test
    void echo_sameOutputNativelyAndOnJx86() throws Exception {
        assumeHostRunsI386();
        assertThat(onJx86.get("echo")).isEqualTo("hello native world\n");
        assertThat(runNative(null, "echo", "hello", "native", "world")).isEqualTo(onJx86.get("echo"));
    }

    @Test
    void cat_sameOutputNativelyAndOnJx86() throws Exception {
        assumeHostRunsI386();
        assertThat(onJx86.get("cat")).isEqualTo("hello from ext2\n");
        assertThat(runNative(null, "cat", MOTD.toString())).isEqualTo(onJx86.get("cat"));
    }

    @Test
    void wc_sameOutputNativelyAndOnJx86() throws Exception {
        assumeHostRunsI386();
        // "hello from ext2\n": 1 line, 3 words, 16 bytes; stdin gets coreutils' 7-wide columns
        assertThat(onJx86.get("wc")).isEqualTo("      1       3      16\n");
        assertThat(runNative(MOTD.toFile(), "wc")).isEqualTo(onJx86.get("wc"));
        // with a file name the columns are as wide as the byte count; only the name differs
        assertThat(onJx86.get("wcfile")).isEqualTo(" 1  3 16 /etc/motd\n");
        assertThat(runNative(null, "wc", MOTD.toString())).isEqualTo(" 1  3 16 " + MOTD + "\n");
    }
}
