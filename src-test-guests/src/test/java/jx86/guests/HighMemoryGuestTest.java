package jx86.guests;

import static jx86.guests.GuestHarness.assertAllOk;
import static jx86.guests.GuestHarness.guest;
import static jx86.guests.GuestHarness.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guest RAM above 2 GiB, up to 3 GiB (machine/highmem.c, machine/memory-size.boot.S).
 *
 * <p>A machine with more than 2 GiB of RAM needs more Java heap than a test JVM on a small CI
 * runner has, so these runs are jx86 itself in a child JVM, started the way docs/machine.md tells
 * a user to: with the {@code -Xmx} that jx86's own heap hint names. The memory goes back to the
 * host when the child ends. The 2200 MiB runs always happen (about 2.5 GB of host memory); the
 * 3072 MiB runs need about 3.5 GB and are skipped, with one line, on a host with less than
 * {@link #MIN_HOST_GIB_FOR_3GIB} GiB of RAM.
 */
class HighMemoryGuestTest {
    static final long MIN_HOST_GIB_FOR_3GIB = 6;

    /** The 256 MiB boundaries below the top of RAM, each crossed by the guest's accesses. */
    private static List<String> expectedChecks(long ramMiB) {
        List<String> checks = new ArrayList<>(List.of("multiboot-magic", "at-0x80000000", "code-at-0x80001000",
                "code-across-0x80000000", "last-words-of-ram", "code-near-top", "above-ram-reads-all-ones",
                "every-mib-keeps-its-tag", "ata-insw-across-0x80000000", "pg-cross32-0x40400000",
                "pg-cross16-0x40400000", "pg-movs-across-0x80000000", "pg-stos-across-0x80000000",
                "pg-code-across-0x80000000", "pg-top-page-sum", "pg-table-above-2gib-read",
                "pg-table-above-2gib-read-only", "pg-code-physical", "pg-top-page-physical",
                "pg-table-above-2gib-write", "pg-pte-above-2gib-accessed-dirty"));
        for (long b = 256; b < ramMiB; b += 256) {
            String at = String.format("-0x%08x", b << 20);
            checks.addAll(List.of("cross32" + at, "cross16" + at, "movs" + at, "stos" + at));
        }
        return checks;
    }

    /** A disk whose sector 0 is what highmem.c expects its REP INSW to bring: byte i = i ^ 0x5C. */
    private static Path patternDisk(Path dir) throws IOException {
        byte[] d = new byte[64 * 1024];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) ((i & 511) ^ 0x5C);
        }
        return Files.write(dir.resolve("pattern.img"), d);
    }

    /** Output (stdout and stderr) and exit status of jx86 run in a child JVM. */
    record Child(List<String> lines, int status) {
        String last() {
            return lines.get(lines.size() - 1);
        }
    }

    static Child jx86(String xmx, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (xmx != null) {
            cmd.add(xmx);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "jx86.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("jx86 ended: %s", out).isTrue();
        return new Child(out.replace("\r", "").lines().filter(l -> !l.isBlank()).toList(), p.exitValue());
    }

    /** The -Xmx jx86 names in its one-line heap hint for {@code -m memoryMiB} (asked with a tiny heap). */
    static String hintedXmx(int memoryMiB) throws Exception {
        Child c = jx86("-Xmx32m", "boot", guest("hello.elf").toAbsolutePath().toString(), "--serial", "none",
                "-m", Integer.toString(memoryMiB));
        assertThat(c.status()).as("%s", c.lines()).isEqualTo(2);
        assertThat(c.lines()).hasSize(1);
        String line = c.lines().get(0);
        assertThat(line).startsWith("jx86: -m " + memoryMiB + ": needs about ").contains("JX86_JAVA_OPTS=-Xmx");
        return line.substring(line.indexOf("JX86_JAVA_OPTS=") + "JX86_JAVA_OPTS=".length());
    }

    static Child highmem(String xmx, int memoryMiB, Path disk, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("boot", "--kernel", guest("machine/highmem.elf").toAbsolutePath().toString(),
                "--disk", disk.toString(), "--snapshot", "--serial", "stdio", "-m", Integer.toString(memoryMiB),
                "--max-instructions", "50000000"));
        args.addAll(List.of(more));
        return jx86(xmx, args.toArray(String[]::new));
    }

    static void assertGuestPassed(Child c, long ramMiB) {
        String log = String.join("\n", c.lines());
        for (String check : expectedChecks(ramMiB)) {
            assertThat(c.lines()).as("check %s in:%n%s", check, log).contains("ok " + check);
        }
        assertThat(c.lines()).as(log).noneMatch(l -> l.startsWith("FAIL"));
        assertThat(c.lines()).as(log).contains(String.format("info ramtop=0x%08x", ramMiB << 20), "done");
        assertThat(c.last()).as(log).startsWith("jx86: guest exited with value 0 through port 0xf4");
        assertThat(c.status()).as(log).isZero();
    }

    /** What memory-size.boot.S prints for {@code ramMiB}: as a SeaBIOS PC reports it, RAM ending at ramMiB. */
    static List<String> expectedMemorySize(long ramMiB) {
        long above16 = (ramMiB - 16) * 16;   // 64 KiB blocks above 16 MiB
        return List.of(
                "e820 0000000000000000 000000000009fc00 00000001",
                "e820 000000000009fc00 0000000000000400 00000002",
                "e820 00000000000f0000 0000000000010000 00000002",
                String.format("e820 0000000000100000 %016x 00000001", (ramMiB << 20) - 0x100000),
                "e820 00000000fec00000 0000000000001000 00000002",
                "e820 00000000fee00000 0000000000001000 00000002",
                "e820 00000000fffe0000 0000000000020000 00000002",
                String.format("e801 3c00 %04x 3c00 %04x", above16, above16),
                "int15-88 ffff",
                "int12 027f",
                String.format("cmos 15-18,30-31,34-35 8002ffffffff%02x%02x", above16 & 0xFF, above16 >> 8));
    }

    static Child memorySize(String xmx, int memoryMiB, Path dir) throws Exception {
        Path disk = GuestHarness.diskCopy("machine/memory-size.img", dir);
        return jx86(xmx, "boot", disk.toString(), "--snapshot", "--serial", "stdio", "-m", Integer.toString(memoryMiB),
                "--max-instructions", "1000000");
    }

    @Test
    void memorySize_128MiB_firmwareReportsItThroughE820E801Int12AndCmos(@TempDir Path dir) throws Exception {
        Path disk = GuestHarness.diskCopy("machine/memory-size.img", dir);
        RunResult r = GuestHarness.run(b -> b.disk(disk).memoryMiB(128));
        assertThat(lines(r).stream().filter(l -> !l.isEmpty())).containsExactlyElementsOf(expectedMemorySize(128));
        assertThat(r.exitPortValue()).isZero();
    }

    @Test
    void highmem_128MiB_theSameGuestPassesWithoutRamAbove2GiB(@TempDir Path dir) throws Exception {
        Path disk = patternDisk(dir);
        RunResult r = GuestHarness.run(b -> b.kernel(guest("machine/highmem.elf")).disk(disk).memoryMiB(128));
        assertAllOk(r, "multiboot-magic", "last-words-of-ram", "code-near-top", "above-ram-reads-all-ones",
                "every-mib-keeps-its-tag");
        assertThat(lines(r)).contains("info ramtop=0x08000000", "info tagged-mib=112").noneMatch(l -> l.contains("0x80000000"));
    }

    @Test
    void ram2200MiB_aGuestUsesRamAcross2GiB_withTheHintedHeap_andBothEnginesAgree(@TempDir Path dir) throws Exception {
        String xmx = hintedXmx(2200);
        assertThat(xmx).isEqualTo("-Xmx3g");
        Path disk = patternDisk(dir);
        Child cached = highmem(xmx, 2200, disk);
        assertGuestPassed(cached, 2200);
        Child uncached = highmem(xmx, 2200, disk, "--no-decode-cache");
        assertGuestPassed(uncached, 2200);
        // same instructions and cycles: the last line names both
        assertThat(uncached.last()).isEqualTo(cached.last());
        Child sizes = memorySize(xmx, 2200, dir);
        assertThat(sizes.lines().subList(0, sizes.lines().size() - 1)).containsExactlyElementsOf(expectedMemorySize(2200));
        assertThat(sizes.status()).isZero();
    }

    @Test
    void ram3072MiB_aGuestUsesRamUpTo3GiB_andTheFirmwareReportsItAllBelowTheHole(@TempDir Path dir) throws Exception {
        long hostGib = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() >> 30;
        assumeTrue(hostGib >= MIN_HOST_GIB_FOR_3GIB, "skipped: -m 3072 needs about 3.5 GB of host memory (a host with "
                + MIN_HOST_GIB_FOR_3GIB + " GiB of RAM); this one has " + hostGib + " GiB");
        String xmx = hintedXmx(3072);
        assertThat(xmx).as("the setting docs/machine.md documents").isEqualTo("-Xmx4g");
        Child run = highmem(xmx, 3072, patternDisk(dir));
        assertGuestPassed(run, 3072);
        assertThat(run.lines()).contains("info tagged-mib=3056", "ok cross32-0xb0000000");
        Child sizes = memorySize(xmx, 3072, dir);
        assertThat(sizes.lines().subList(0, sizes.lines().size() - 1)).containsExactlyElementsOf(expectedMemorySize(3072));
        assertThat(sizes.lines()).contains("e820 0000000000100000 00000000bff00000 00000001", "e801 3c00 bf00 3c00 bf00");
        assertThat(sizes.status()).isZero();
    }
}
