package jx86.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The hypervisor on QEMU, the oracle: it is written to the manuals, not to jx86, so it must run
 * kernel-monolithic and its test guests there too. Skipped when qemu-system-i386 is not installed.
 * QEMU's isa-debug-exit exits with (value << 1) | 1.
 */
class QemuVmmTest {
    private record Run(int status, String serial) {
    }

    private static Run qemu(String append, Path... modules) throws IOException, InterruptedException {
        assumeTrue(onPath("qemu-system-i386"), "qemu-system-i386 not installed");
        List<String> cmd = new ArrayList<>(List.of("qemu-system-i386", "-m", "128", "-display", "none",
                "-serial", "stdio", "-monitor", "none", "-no-reboot",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-kernel", Guest.HYPERVISOR.toString(), "-append", append));
        List<String> mods = new ArrayList<>();
        for (Path m : modules) {
            mods.add(m.toString());
        }
        cmd.addAll(List.of("-initrd", String.join(",", mods)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {   // a hang guard, not a timing assertion
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        return new Run(p.isAlive() ? -1 : p.exitValue(), out);
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void monolithUsertests_passInTheVmOnQemu() throws Exception {
        Run r = qemu("stats -- console=ttyS0 init=/usertests", Guest.KERNEL, Guest.USER.resolve("usertests"));
        assertThat(r.serial()).contains("kernel-monolithic 0.1: booting (loader: jx86-vmm",
                "usertests: all passed", "vmm: VM 0 powered off (status 0)").doesNotContain("FAIL");
        assertThat(r.status()).isEqualTo(1);
    }

    @Test
    void sensitiveGuest_patchedOrNot_asOnJx86() throws Exception {
        Run patched = qemu("", Path.of("target/guests/sensitive.elf"));
        assertThat(patched.serial()).contains("vmm: patched 11 sensitive instruction(s) in the guest kernel",
                "sensitive: popf sets IF: ok", "sensitive: str: ok", "sensitive: lsl kernel ds: limit: ok",
                "sensitive: done").doesNotContain("differs");
        assertThat(patched.status()).isEqualTo(1);
        Run plain = qemu("patch=0", Path.of("target/guests/sensitive.elf"));
        assertThat(plain.serial()).contains("sensitive: pushf after cli: IF: ok", "sensitive: popf sets IF: differs",
                "sensitive: iret to ring 0 (frame cs $0x08) restores IF: ok", "sensitive: str: differs",
                "sensitive: lsl kernel ds: limit: differs (got f7ffffff, bare metal gives ffffffff)",
                "sensitive: done");
        assertThat(plain.status()).isEqualTo(1);
    }

    /**
     * The shadow paging behaves on QEMU as on jx86. One line differs, and it is QEMU's: its TCG
     * does not check data-segment limits in protected mode, so the ring-1 guest's read at
     * 0xF8100000 is not stopped by the segment limit (jx86, like the hardware, raises #GP) and
     * reaches the hypervisor's own page (value 1badb002, the VMM's Multiboot magic): the
     * isolation argument of docs/vmm.md holds on real CPUs and jx86, not on QEMU TCG.
     */
    @Test
    void pagingGuest_sameViewOfTheMmu_exceptQemusMissingSegmentLimits() throws Exception {
        Run r = qemu("", Path.of("target/guests/paging.elf"));
        assertThat(r.serial().lines()).containsSubsequence(
                "paging: unmapped read: fault 14 err 0 cr2 40001000",
                "paging: write to read-only page: fault 14 err 3 cr2 40000000",
                "paging: after a read: A=1 D=0",
                "paging: after a write: A=1 D=1",
                "paging: cr3 switch: two address spaces: ok",
                "paging: 4 MiB page, seen through a 4 KiB one: ok",
                "paging: paging off, then on again: ok",
                "paging: read guest-physical 120 MiB: fault 14 err 1",
                "paging: still running");
        assertThat(r.serial()).containsPattern("paging: read 0xf8100000: (fault 13 err 0|value 1badb002)");
        assertThat(r.status()).isEqualTo(1);
    }
}
