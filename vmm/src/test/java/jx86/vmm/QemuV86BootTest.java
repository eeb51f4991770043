package jx86.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real boot path on QEMU, the oracle: its CPU's virtual-8086 mode, not jx86's, runs the
 * hypervisor's v86 monitor, and its IDE disk is the one the hypervisor's BIOS reads. Skipped when
 * qemu-system-i386 is not installed. QEMU's isa-debug-exit exits with (value << 1) | 1.
 */
class QemuV86BootTest {
    @TempDir
    Path tmp;

    private record Run(int status, String serial) {
    }

    /** Boots the hypervisor with "vm0=disk" on disk; once the output shows prompt, types input. */
    private static Run qemu(Path disk, String prompt, String input) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-i386")), "qemu-system-i386 not installed");
        Process p = new ProcessBuilder(List.of("/usr/bin/qemu-system-i386", "-m", "128", "-display", "none",
                "-serial", "stdio", "-monitor", "none", "-no-reboot",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-kernel", Guest.HYPERVISOR.toString(), "-append", "vm0=disk stats",
                "-drive", "file=" + disk + ",format=raw,if=ide,snapshot=on")).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);   // a hang guard only
        boolean typed = prompt == null;
        try (InputStream in = p.getInputStream(); OutputStream keys = p.getOutputStream()) {
            byte[] buf = new byte[4096];
            while (System.nanoTime() < deadline) {
                if (in.available() > 0) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    out.write(buf, 0, n);
                    if (!typed && out.toString(StandardCharsets.ISO_8859_1).contains(prompt)) {
                        keys.write(input.getBytes(StandardCharsets.ISO_8859_1));
                        keys.flush();
                        typed = true;
                    }
                } else if (!p.isAlive()) {
                    break;
                } else {
                    Thread.sleep(20);
                }
            }
            out.write(in.readNBytes(in.available()));
        }
        if (p.isAlive()) {
            p.destroyForcibly();
        }
        p.waitFor(10, TimeUnit.SECONDS);
        return new Run(p.isAlive() ? -1 : p.exitValue(), out.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void bootSector_eachBiosCallAndTrap_asOnJx86() throws Exception {
        Path disk = tmp.resolve("v86boot.img");
        Files.copy(Path.of("target/guests/v86boot.bin"), disk, StandardCopyOption.REPLACE_EXISTING);
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        Run r = qemu(disk, null, null);

        assertThat(r.serial().lines()).containsSubsequence(
                "vmm: VM 0: booting from its disk in virtual-8086 mode",
                "v86: int13 41 bx=aa55 cx=0001 cf=0",
                "v86: int13 42 data=sector-4",
                "v86: int13 48 sectors=00000800 bytes/sector=0200 cf=0",
                "v86: int13 02 data=sector-4 cf=0",
                "v86: int13 03 wrote, read back=written! cf=0",
                "v86: e820 00000000 0009fc00 1",
                "v86: int12 ax=027f",
                "v86: int10 0f ax=5003 dx=0001",
                "v86: if=0", "v86: if=1", "v86: if=0", "v86: if=1",
                "v86: int 60h through the guest's ivt, handler ran=0001",
                "v86: int3 through the guest's ivt, handler ran=0001",
                "v86: protected mode, 32-bit code",
                "v86: back in real mode, sp=7c00",
                "v86: done",
                "vmm: VM 0 powered off (status 0)");
        assertThat(r.status()).isEqualTo(1);
    }

    @Test
    void monolithicImg_bootsThroughV86_toItsShell() throws Exception {
        Run r = qemu(Path.of("../disk-images/target/images/monolithic.img").toAbsolutePath(), "/$ ", "poweroff\r");

        assertThat(r.serial().lines()).containsSubsequence(
                "vmm: VM 0: booting from its disk in virtual-8086 mode",
                "jx86-loader: kernel entry 0x0010000c, 0 module(s)",
                "kernel-monolithic 0.1: booting (loader: jx86-loader, cmdline: \"console=ttyS0 init=/bin/sh\")",
                "ata: hda: QEMU HARDDISK, 65536 sectors (32 MiB)",
                "reboot: power down",
                "vmm: VM 0 powered off (status 0)");
        assertThat(r.status()).isEqualTo(1);
    }

    @Test
    void microkernelImg_bootsThroughV86_toItsShell() throws Exception {
        Run r = qemu(Path.of("../disk-images/target/images/microkernel.img").toAbsolutePath(), "/$ ", "poweroff\r");

        assertThat(r.serial().lines()).containsSubsequence(
                "vmm: VM 0: booting from its disk in virtual-8086 mode",
                "jx86-loader: kernel entry 0x0010000c, 8 module(s)",
                "kernel-microkernel 0.1: booting",
                "mk: task 7: restart, thread 5c001",
                "posix: Linux i386 personality; starting /bin/sh as pid 1",
                "vmm: VM 0 powered off (status 0)");
        assertThat(r.serial()).contains("reboot: power down").doesNotContain("killed");
        assertThat(r.status()).isEqualTo(1);
    }
}
