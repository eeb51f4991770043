package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kernel-monolithic on a machine with 3 GiB of RAM: it reads the multiboot memory map (RAM up to
 * 0xC0000000), direct-maps and uses the first 768 MiB (its PHYSTOP; arch/i386/mmu.h) and runs
 * its shell. jx86 runs in a child JVM with the heap docs/machine.md documents for -m 3072
 * ({@code JX86_JAVA_OPTS=-Xmx4g}), so the test JVM needs no large heap; skipped, with one line,
 * on a host with less than 6 GiB of RAM.
 */
class HighMemoryBootTest {

    @Test
    void threeGiBOfRam_bootsToTheShell_andTheKernelMapsItsFirst768MiB() throws Exception {
        long hostGib = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() >> 30;
        assumeTrue(hostGib >= 6, "skipped: -m 3072 needs about 3.5 GB of host memory (a host with 6 GiB of RAM);"
                + " this one has " + hostGib + " GiB");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx4g",
                "-cp", System.getProperty("java.class.path"), "jx86.cli.Main", "boot",
                "--kernel", Path.of("target/kernel.elf").toString(), "--append", "console=ttyS0 panic=exit init=/bin/sh",
                "--disk", Path.of("target/disk.img").toString(), "--snapshot", "-m", "3072", "--serial", "stdio",
                "--max-instructions", "2000000000")
                .redirectErrorStream(true).start();
        p.getOutputStream().write("cat /proc/meminfo\npoweroff\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        List<String> lines = out.replace("\r", "").lines().map(l -> l.replaceFirst("^(/\\$ )+", "")).toList();
        assertThat(lines).as(out).anyMatch(l -> l.startsWith("mem: 768 MiB RAM mapped at 0xc0000000, "));
        assertThat(lines).as(out).contains("MemTotal:   786432 kB");
        assertThat(lines.get(lines.size() - 1)).as(out).startsWith("jx86: guest exited with value 0 through port 0xf4");
        assertThat(p.exitValue()).as(out).isZero();
    }
}
