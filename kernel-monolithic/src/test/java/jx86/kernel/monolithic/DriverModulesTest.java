package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import jx86.machine.MachineConfig;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Driver modules from the shell: msgbuf (a character device, /dev/msgbuf, through
 * register_chrdev), ramdisk (a block device, /dev/ram0, through register_blkdev and the buffer
 * cache) and sysstat (a /proc entry, /proc/sysstat, through proc_create and a kernel
 * timer); both go away with rmmod.
 */
class DriverModulesTest {
    private static List<String> lines;
    private static String serial;

    @BeforeAll
    static void boot() {
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(Path.of("target/kernel.elf"))
                .append("console=ttyS0 panic=exit init=/bin/sh")
                .disk(Path.of("target/disk.img")).snapshot(true)
                .serialInput(String.join("; ",   // one line: all echoed before anything runs
                        "insmod /lib/modules/msgbuf.ko size=64",
                        "echo hello through a device > /dev/msgbuf",
                        "cat /dev/msgbuf",
                        "wc < /dev/msgbuf",
                        "rmmod msgbuf",
                        "cat /dev/msgbuf",
                        "modprobe sysstat",
                        "cat /proc/sysstat",
                        "rmmod sysstat",
                        "cat /proc/sysstat",
                        "insmod /lib/modules/ramdisk.ko blocks=16",
                        "wc < /dev/ram0",
                        "cp /etc/motd /dev/ram0",
                        "wc < /dev/ram0",
                        "rmmod ramdisk < /dev/ram0",
                        "rmmod ramdisk",
                        "insmod /lib/modules/ramdisk.ko blocks=16",
                        "wc < /dev/ram0",
                        "rmmod ramdisk",
                        "poweroff") + "\r")
                .maxInstructions(2_000_000_000L).build());
        serial = r.serial();
        lines = r.serial().lines().map(l -> l.replaceFirst("^(/\\$ )+", "")).toList();
    }

    @Test
    void msgbuf_characterDeviceKeepsWhatWasWritten() {
        // the module's line may share a line with the echo of typed-ahead input
        assertThat(serial).contains("msgbuf: /dev/msgbuf ready, 64 bytes");
        assertThat(lines).containsSubsequence(
                "hello through a device",
                "      1       4      23",          // "hello through a device\n"
                "msgbuf: removed",
                "cat: /dev/msgbuf: No such file or directory");   // no such device (nor file) afterwards
    }

    @Test
    void ramdisk_blockDeviceHoldsDataUntilUnloaded() {
        assertThat(lines).containsSubsequence(
                "ramdisk: /dev/ram0, 16 KiB (disk 8)",
                "      0       0   16384",             // 16 zeroed blocks
                "      1       3   16384",             // "hello from ext2\n" at offset 0
                // the shell opens /dev/ram0 as rmmod's stdin: an open file on the device pins the module
                "module ramdisk is in use: 1 open files on its devices",
                "rmmod: ERROR: could not remove module ramdisk: Module is in use",
                "ramdisk: /dev/ram0 removed",
                "ramdisk: /dev/ram0, 16 KiB (disk 8)",
                "      0       0   16384",             // a new disk: no stale cached blocks
                "ramdisk: /dev/ram0 removed");
    }

    @Test
    void sysstat_procEntryShowsCountersUntilRemoved() {
        assertThat(lines).contains("sysstat: /proc/sysstat ready", "modprobe: inserted sysstat");
        assertThat(lines).anyMatch(l -> l.matches("syscalls [1-9]\\d*"));
        assertThat(lines).anyMatch(l -> l.matches("timer_irqs [1-9]\\d*"));
        assertThat(lines).anyMatch(l -> l.matches("syscalls_per_sec \\d+"));
        assertThat(lines).anyMatch(l -> l.matches("samples \\d+"));
        assertThat(lines).containsSubsequence("module: sysstat unloaded", "cat: /proc/sysstat: No such file or directory");
    }
}
