package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jx86.testsupport.Oracles;
import org.junit.jupiter.api.Test;

/**
 * Boots the same images on QEMU, the oracle: whatever jx86 prints in {@link BootTest} QEMU must
 * print too, so a difference points at the emulator rather than the kernel. Skipped when
 * qemu-system-i386 is not installed, failed then under -Djx86.requireOracles=true (.ci/run). QEMU's isa-debug-exit device exits
 * with (value << 1) | 1, so a guest power-off with value 0 is QEMU exit status 1.
 */
class QemuBootTest {
    private static final Path KERNEL = Path.of("target/kernel.elf");
    private static final Path USER = Path.of("target/user");

    private record Run(int status, String serial) {
    }

    private static final Path DISK = Path.of("target/disk.img");

    /** Boots with one module, or (module null) with the test disk as hda. */
    private static Run qemu(String append, Path module) throws IOException, InterruptedException {
        return qemu(append, module, "");
    }

    /** The same, with input typed on the serial line (written to QEMU's stdin at once). */
    private static Run qemu(String append, Path module, String input) throws IOException, InterruptedException {
        Oracles.assumeInstalled("qemu-system-i386");
        List<String> cmd = new java.util.ArrayList<>(List.of("qemu-system-i386", "-m", "128", "-display", "none",
                "-serial", "stdio", "-monitor", "none", "-no-reboot",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-kernel", KERNEL.toString(), "-append", append));
        if (module != null) {
            cmd.addAll(List.of("-initrd", module.toString()));
        } else {
            cmd.addAll(List.of("-drive", "file=" + DISK + ",format=raw,if=ide,index=0,snapshot=on"));
        }
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        StringBuilder early = new StringBuilder();
        if (input.isEmpty()) {
            p.getOutputStream().close();
        } else {
            // QEMU can lose serial input that arrives while the kernel boots: type at the first
            // prompt. (The guest runs with panic=exit, so a failed boot ends QEMU and the read.)
            java.io.InputStream in = p.getInputStream();
            for (int c; (c = in.read()) >= 0; ) {
                early.append((char) c);
                int n = early.length();
                if (n >= 2 && early.charAt(n - 2) == '$' && early.charAt(n - 1) == ' ') {
                    break;
                }
            }
            p.getOutputStream().write(input.getBytes(StandardCharsets.ISO_8859_1));
            p.getOutputStream().flush();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {   // a hang guard, not a timing assertion
            p.destroyForcibly();
        }
        String out = early + new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        return new Run(p.isAlive() ? -1 : p.exitValue(), out);
    }

    @Test
    void init_forksWaitsAndPowersOff() throws Exception {
        Run r = qemu("console=ttyS0", USER.resolve("init"));

        assertThat(r.serial().lines()).containsSubsequence(
                "init: hello from user space",
                "child: hello from pid 2, parent 1",
                "init: child 2 exited with status 42",
                "reboot: power down");
        assertThat(r.status()).isEqualTo(1);
    }

    @Test
    void usertests_allChecksPass() throws Exception {
        Run r = qemu("console=ttyS0 init=/usertests", USER.resolve("usertests"));

        assertThat(r.serial()).contains("usertests: all passed").doesNotContain("FAIL");
        assertThat(r.status()).isEqualTo(1);
    }

    @Test
    void fstests_runFromTheExt2DiskAndPass() throws Exception {
        Run r = qemu("console=ttyS0 init=/bin/fstests", null);

        assertThat(r.serial()).contains("ata: hda1: type 83, sectors 2048-32767 (15 MiB)", "fstests: all passed")
                .doesNotContain("FAIL");
        assertThat(r.status()).isEqualTo(1);
    }

    @Test
    void modtests_runFromTheExt2DiskAndPass() throws Exception {
        Run r = qemu("console=ttyS0 init=/bin/modtests", null);

        assertThat(r.serial()).contains("module dep_a is in use by: dep_b", "modtests: all passed")
                .doesNotContain("FAIL");
        assertThat(r.status()).isEqualTo(1);
    }

    @Test
    void abusetests_runFromTheExt2DiskAndPass() throws Exception {
        Run r = qemu("console=ttyS0 init=/bin/abusetests", null);

        assertThat(r.serial()).contains("abusetests: ok   fork bomb: fork fails with EAGAIN, all reaped (status 0)",
                "abusetests: ok   SIGILL handler runs on ud2 (status 2c00)", "abusetests: all passed")
                .doesNotContain("FAIL");
        assertThat(r.status()).isEqualTo(1);
    }

    @Test
    void shtests_theShellAndCommandsBehaveTheSameOnQemu() throws Exception {
        Run r = qemu("console=ttyS0 init=/bin/shtests", null);

        assertThat(r.serial()).contains("shtests: ok   true && false || echo c; echo $? -> status 0",
                "shtests: ok   fork failure: status 1, sh: fork: Resource temporarily unavailable",
                "shtests: all passed").doesNotContain("FAIL");
        assertThat(r.status()).isEqualTo(1);
    }

    @Test
    void poweroffN_isQemusExitStatus_shiftedAsIsaDebugExitDoes() throws Exception {
        Run r = qemu("console=ttyS0 panic=exit init=/bin/sh", null, "false || poweroff 3\r");

        assertThat(r.serial()).contains("reboot: power down, exit status 3");
        assertThat(r.status()).isEqualTo((3 << 1) | 1);
    }

    @Test
    void modprobe_loadsDependenciesAndRefusesCycles() throws Exception {
        Run r = qemu("console=ttyS0 panic=exit init=/bin/sh", null, String.join("\r", "modprobe dep_b", "rmmod dep_a",
                "modprobe cyc_a", "insmod /lib/modules/badreloc.ko", "poweroff", ""));

        assertThat(r.serial()).contains("modprobe: inserted dep_a", "modprobe: inserted dep_b",
                "module dep_a is in use by: dep_b", "modprobe: FATAL: dependency cycle: cyc_a -> cyc_b -> cyc_a",
                "badreloc: Unknown relocation: 20", "reboot: power down");
        assertThat(r.status()).isEqualTo(1);
    }

    @Test
    void moduleWritingItsOwnText_panicsNamingTheModule() throws Exception {
        Run r = qemu("console=ttyS0 panic=exit", Path.of(USER.resolve("init") + ",target/modules/selfpatch.ko"));

        assertThat(r.serial()).contains("panic: page fault (trap 14, err 3)", "[selfpatch+0x")
                .doesNotContain("the write went through");
        assertThat(r.status()).isEqualTo(3);
    }

    @Test
    void kernelPageFault_panicsAndExitsWithValue1() throws Exception {
        Run r = qemu("console=ttyS0 crashtest panic=exit", USER.resolve("init"));

        assertThat(r.serial()).contains("panic: page fault (trap 14, err 2)", "cr2 00001000");
        assertThat(r.status()).isEqualTo(3);
    }
}
