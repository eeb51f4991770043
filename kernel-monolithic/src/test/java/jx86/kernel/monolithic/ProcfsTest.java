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
 * /proc's files, read with cat from the shell: meminfo, uptime, interrupts, modules,
 * &lt;pid&gt;/status, and the jx86 performance-counter device through /proc/jx86/{tlb,counters}.
 * The assertions check each file's shape (Linux's layouts), not values that depend on timing.
 */
class ProcfsTest {
    private static List<String> lines;
    private static String serial;
    // one command line (under sh's 256 bytes): all of it is echoed before the first command runs,
    // so no echo lands inside the output

    @BeforeAll
    static void boot() {
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(Path.of("target/kernel.elf"))
                .append("console=ttyS0 panic=exit init=/bin/sh")
                .disk(Path.of("target/disk.img")).snapshot(true)
                .serialInput(String.join("; ", "cat /proc/meminfo", "cat /proc/uptime",
                        "cat /proc/interrupts", "cat /proc/1/status", "cat /proc/jx86/tlb",
                        "cat /proc/jx86/counters", "insmod /lib/modules/hello.ko", "cat /proc/modules",
                        "ls /proc", "ls /proc/jx86", "ls /proc/1", "poweroff") + "\r")
                .maxInstructions(2_000_000_000L).build());
        serial = r.serial();
        lines = serial.lines().map(l -> l.replaceFirst("^(/\\$ )+", "")).toList();
    }

    @Test
    void meminfo_totalAndFree() {
        // the machine has 128 MiB: MemTotal is the top of the usable RAM in kB
        assertThat(serial).containsPattern("MemTotal: +13\\d{4} kB\r?\nMemFree: +\\d+ kB");
    }

    @Test
    void uptime_secondsWithHundredths() {
        assertThat(lines).anyMatch(l -> l.matches("\\d+\\.\\d\\d 0\\.00"));
    }

    @Test
    void interrupts_countsTheTimerSerialAndDisk() {
        assertThat(lines).contains("           CPU0");
        assertThat(lines).anyMatch(l -> l.matches("  0: +[1-9]\\d*   XT-PIC  timer"));
        assertThat(lines).anyMatch(l -> l.matches("  4: +[1-9]\\d*   XT-PIC  serial"));
        assertThat(lines).anyMatch(l -> l.matches(" 14: +[1-9]\\d*   XT-PIC  ata"));
        assertThat(lines).anyMatch(l -> l.matches("SYS: +[1-9]\\d*   int 0x80 system calls"));
    }

    @Test
    void pidStatus_ofInit() {
        assertThat(lines).containsSubsequence("Name:\tsh", "State:\tS (sleeping)", "Pid:\t1", "PPid:\t0");
        // sh's image and heap are a few pages; the stack is USTACKPAGES (32) pages = 128 kB
        assertThat(lines).anyMatch(l -> l.matches("VmSize:\t\\d{2,3} kB"));
        assertThat(lines).contains("VmStk:\t128 kB");
    }

    @Test
    void jx86Tlb_eightEventsWithFourColumns() {
        assertThat(lines).anyMatch(l -> l.matches("event +itlb_kernel +itlb_user +dtlb_kernel +dtlb_user"));
        for (String e : List.of("hits", "misses", "walks", "faults", "evictions", "flushes", "cr3_flushes", "invlpg")) {
            assertThat(lines).as(e).anyMatch(l -> l.matches(e + " +\\d+ +\\d+ +\\d+ +\\d+"));
        }
        // the shell has run: user-mode D-TLB hits and kernel I-TLB hits are not zero
        assertThat(lines).anyMatch(l -> l.matches("hits +[1-9]\\d* +[1-9]\\d* +[1-9]\\d* +[1-9]\\d*"));
    }

    @Test
    void jx86Counters_cyclesAndInstructions() {
        assertThat(serial).containsPattern("cycles [1-9]\\d*\r?\ninstructions [1-9]\\d*");
    }

    @Test
    void subdirectories_areListed() {
        assertThat(lines).anyMatch(l -> l.matches("-r--r--r-- .* tlb"));
        assertThat(lines).anyMatch(l -> l.matches("-r--r--r-- .* counters"));
        assertThat(lines).anyMatch(l -> l.matches("-r--r--r-- .* status"));
    }

    @Test
    void modulesAndListing() {
        assertThat(lines).anyMatch(l -> l.matches("hello \\d+ 0 - Live 0xf0000000"));
        assertThat(serial).contains("interrupts", "meminfo", "jx86");
    }
}
