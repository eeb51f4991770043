package jx86.kernel.microkernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jx86.testsupport.Oracles;
import org.junit.jupiter.api.Test;

/**
 * The same kernel and test modules on QEMU ({@code qemu-system-i386 -kernel}, modules through
 * {@code -initrd a,b}), the second oracle: every check that passes on jx86 must pass there too.
 * Skipped, with one line, when qemu-system-i386 is not installed (a failure with
 * -Djx86.requireOracles=true, as in .ci/run). QEMU's isa-debug-exit device exits with
 * (value << 1) | 1, so a power-off with 0 is status 1. The last test boots microkernel.img itself
 * from QEMU's IDE disk, as {@code qemu-system-i386 -hda microkernel.img} would.
 */
class QemuTest {
    private record Run(int status, String serial) {
    }

    private static Run qemu(String... programs) throws IOException, InterruptedException {
        return qemuWith("", programs);
    }

    private static Run qemuWith(String append, String... programs) throws IOException, InterruptedException {
        Oracles.assumeInstalled("qemu-system-i386");
        StringBuilder modules = new StringBuilder(Mk.USER.resolve("sigma0").toString());
        for (String p : programs) {
            modules.append(',').append(Mk.USER.resolve(p));
        }
        List<String> cmd = new ArrayList<>(List.of("qemu-system-i386", "-m", "128", "-display", "none",
                "-serial", "stdio", "-monitor", "none", "-no-reboot",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-kernel", Mk.KERNEL.toString(), "-append", append, "-initrd", modules.toString()));
        Path out = Files.createTempFile("mk-qemu", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            p.getOutputStream().close();
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);   // a hang guard, not a timing assertion
            if (!ended) {
                p.destroyForcibly().waitFor();
            }
            return new Run(ended ? p.exitValue() : -1, Files.readString(out, StandardCharsets.ISO_8859_1));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void assertAllOk(Run r, String prog, String... checks) {
        String[] lines = new String[checks.length + 1];
        for (int i = 0; i < checks.length; i++) {
            lines[i] = prog + ": ok " + checks[i];
        }
        lines[checks.length] = prog + ": all passed";
        assertThat(r.serial().lines().map(Mk::withoutDetail)).containsSubsequence(lines);
        assertThat(r.serial()).doesNotContain("FAIL").doesNotContain("panic");
        assertThat(r.status()).isEqualTo(1);
    }

    @Test
    void ipctest_passesOnQemu() throws Exception {
        assertAllOk(qemu("ipctest"), "ipctest", IpcTest.CHECKS);
    }

    @Test
    void maptest_passesOnQemu() throws Exception {
        assertAllOk(qemu("maptest"), "maptest", MapTest.CHECKS);
    }

    @Test
    void faulttest_passesOnQemu() throws Exception {
        Run r = qemu("faulttest");

        assertAllOk(r, "faulttest", FaultTest.CHECKS);
        assertThat(r.serial()).contains("mk: thread orphan (5c001) killed: #UD invalid opcode (trap 6, err 0)");
    }

    @Test
    void iotest_passesOnQemu() throws Exception {
        assertAllOk(qemu("iotest"), "iotest", IoTest.CHECKS);
    }

    @Test
    void fuzz_passesOnQemu() throws Exception {
        assertAllOk(qemu("fuzz"), "fuzz", "root-made-100000-random-system-calls",
                "unprivileged-child-made-20000-random-system-calls", "echo-server-survived", "sigma0-survived");
    }

    @Test
    void kernelPageFault_panicsOnQemuToo() throws Exception {
        Run r = qemuWith("crashtest", "hello");

        assertThat(r.serial()).contains("panic: page fault (trap 14, err 2) at eip c0", "cr2 00001000");
        assertThat(r.status()).isEqualTo(3);
    }

    @Test
    void demo_exchangesMessagesOnQemuWithoutCounters() throws Exception {
        Run r = qemu("ping", "pong");

        assertThat(r.serial().lines()).containsSubsequence("ping: reply 0: label 41, MR1 1",
                "ping: reply 2: label 43, MR1 201", "ping: counters: unavailable (no jx86 perf-counter device)");
        assertThat(r.status()).isEqualTo(1);
    }

    /**
     * microkernel.img on QEMU's IDE disk (snapshot=on: the image stays as built): the jx86 loader,
     * the kernel and the servers boot to the monolith's shell; a command and a power-off with a
     * status are typed at the prompts (QEMU can lose input typed while the system boots).
     */
    @Test
    void microkernelImage_bootsToTheShellOnQemu_andPowersOffWithAStatus() throws Exception {
        Oracles.assumeInstalled("qemu-system-i386");
        Process p = new ProcessBuilder("qemu-system-i386", "-m", "128", "-display", "none", "-serial", "stdio",
                "-monitor", "none", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-drive", "file=" + MultiServerTest.IMAGE + ",format=raw,if=ide,index=0,snapshot=on")
                .redirectErrorStream(true).start();
        Thread guard = new Thread(() -> {   // a hang guard, not a timing assertion: no output ends the reads
            try {
                if (!p.waitFor(180, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        });
        guard.setDaemon(true);
        guard.start();
        StringBuilder out = new StringBuilder();
        try {
            InputStream in = p.getInputStream();
            OutputStream keys = p.getOutputStream();
            readUntil(in, out, "/$ ");
            keys.write("cat /etc/motd\n".getBytes(StandardCharsets.US_ASCII));
            keys.flush();
            readUntil(in, out, "hello from ext2");
            readUntil(in, out, "/$ ");
            keys.write("poweroff 3\n".getBytes(StandardCharsets.US_ASCII));
            keys.close();
            readUntil(in, out, null);
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);   // a hang guard, not a timing assertion
            assertThat(ended).as(out.toString()).isTrue();
        } finally {
            p.destroyForcibly();
        }
        String serial = out.toString();
        assertThat(serial.lines()).as(serial).containsSubsequence(
                "kernel-microkernel 0.1: booting",
                "console: COM1 in user space, irq 4 as IPC",
                "posix: Linux i386 personality; starting /bin/sh as pid 1",
                "hello from ext2",
                "mk: power off (3)");
        assertThat(serial).doesNotContain("panic");
        assertThat(p.exitValue()).as("isa-debug-exit: (3 << 1) | 1").isEqualTo(7);
    }

    /** Reads QEMU's output into {@code out} until it ends with {@code text} (null: to the end). */
    private static void readUntil(InputStream in, StringBuilder out, String text) throws IOException {
        for (int c; (c = in.read()) >= 0; ) {
            out.append((char) c);
            if (text != null && out.length() >= text.length()
                    && out.substring(out.length() - text.length()).equals(text)) {
                return;
            }
        }
        assertThat(text).as("QEMU ended before \"%s\":%n%s", text, out).isNull();
    }
}
