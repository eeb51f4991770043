package jx86.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import jx86.image.Ext2Check;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kernel-monolithic's scenarios (inputs and expected lines from its own BootTest, PersistenceTest
 * and usertests), each run twice: on bare jx86 and inside the hypervisor. The same lines must come
 * out both ways; in the VMM the hypervisor's own lines ("vmm: ...") come on top.
 */
class MonolithInVmmTest {
    private static final long LIGHT = 400_000_000L;
    private static final long HEAVY = 3_000_000_000L;

    @TempDir
    Path tmp;

    private static List<String> lines(RunResult r) {
        return r.serial().lines().map(l -> l.replaceFirst("^(/\\$ )+", "")).toList();
    }

    private static void assertCleanPowerOff(Guest g, RunResult r) {
        assertThat(r.serial()).doesNotContain("panic:").doesNotContain("vmm: VM 0 killed");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
        if (g == Guest.VMM) {
            assertThat(r.serial()).contains("vmm: VM 0 powered off (status 0)", "vmm: exit statistics, VM 0");
        }
    }

    @ParameterizedTest
    @EnumSource(Guest.class)
    void init_forksWaitsAndPowersOff(Guest g) {
        RunResult r = g.run("console=ttyS0", List.of(Guest.USER.resolve("init")), null, false, null, LIGHT);

        assertThat(r.serial().lines()).containsSubsequence(
                "kernel-monolithic 0.1: booting (loader: " + (g == Guest.VMM ? "jx86-vmm" : "jx86")
                        + ", cmdline: \"console=ttyS0\")",
                "init: hello from user space",
                "init: pid 1, argv[0] /sbin/init, argc 1",
                "init: write from a kernel address: -1 (errno 14)",
                "child: hello from pid 2, parent 1",
                "init: child 2 exited with status 42",
                "init: powering off",
                "reboot: power down");
        assertCleanPowerOff(g, r);
    }

    @ParameterizedTest
    @EnumSource(Guest.class)
    void usertests_allPass(Guest g) {
        RunResult r = g.run("console=ttyS0 init=/usertests", List.of(Guest.USER.resolve("usertests")), null, false,
                null, HEAVY);

        assertThat(r.serial()).contains("usertests: all passed").doesNotContain("FAIL");
        assertThat(r.serial()).contains(
                "usertests: ok   NULL write kills with SIGSEGV (status b)",
                "usertests: ok   it died of signal 9 (status 9)",
                "usertests: ok   20 children reaped, exit codes sum 190",
                "usertests: ok   alarm(1) interrupts pause()",
                "usertests: ok   SIGCHLD reaches a parent with a handler");
        assertCleanPowerOff(g, r);
    }

    @ParameterizedTest
    @EnumSource(Guest.class)
    void shell_runsAPipelineFromTheDisk(Guest g) {
        RunResult r = g.run("console=ttyS0 panic=exit init=/bin/sh", List.of(), Guest.DISK, true,
                "echo one two | cat\rcat < /etc/motd\rls /bin | wc\rpoweroff\r", LIGHT);

        assertThat(lines(r)).containsSubsequence("ata: hda1: type 83, sectors 2048-32767 (15 MiB)",
                "one two", "hello from ext2", "reboot: power down");
        assertCleanPowerOff(g, r);
    }

    @ParameterizedTest
    @EnumSource(Guest.class)
    void modtests_loadAndUnloadModulesFromTheDisk(Guest g) {
        RunResult r = g.run("console=ttyS0 init=/bin/modtests", List.of(), Guest.DISK, true, null, HEAVY);

        assertThat(r.serial()).containsPattern("hello: loaded \\(tick \\d+\\), the answer is 42");
        assertThat(r.serial().lines()).containsSubsequence(
                "modtests: ok   insmod hello",
                "dep_b: dep_a_next() gave 1 then 2",
                "module dep_a is in use by: dep_b",
                "dep_a: unloaded after 2 calls",
                "badinit: init_module failed (-5)",
                "modtests: all passed");
        assertThat(r.serial()).doesNotContain("FAIL");
        assertCleanPowerOff(g, r);
    }

    /**
     * On the strict CPU the monolith runs unchanged bare (its kernel is in ring 0, its programs use
     * none of the sensitive instructions), and in the VMM without any help from patching: its
     * PUSHF in sched() and the segment pushes of its trap entry now trap and are emulated.
     */
    @ParameterizedTest
    @EnumSource(Guest.class)
    void strictCpu_shellPipeline(Guest g) {
        RunResult r = PcMachine.run(g.config("console=ttyS0 panic=exit init=/bin/sh", List.of(), Guest.DISK, true,
                "echo one two | cat\rcat < /etc/motd\rpoweroff\r", LIGHT, "stats").cpuStrict(true).build());

        assertThat(lines(r)).containsSubsequence("one two", "hello from ext2", "reboot: power down");
        assertCleanPowerOff(g, r);
        if (g == Guest.VMM) {
            assertThat(Counters.get(r.serial(), "pushf")).isPositive();
            assertThat(Counters.get(r.serial(), "segment read (strict)")).isPositive();
        }
    }

    @org.junit.jupiter.api.Test
    void faithfulCpu_inVmm_noStrictTraps_andTheCountersOfAShellSession() {
        RunResult r = Guest.VMM.run("console=ttyS0 panic=exit init=/bin/sh", List.of(), Guest.DISK, true,
                "echo one two | cat\rpoweroff\r", LIGHT);
        String s = r.serial();
        assertCleanPowerOff(Guest.VMM, r);
        assertThat(Counters.get(s, "pushf")).isZero();
        assertThat(Counters.get(s, "segment read (strict)")).isZero();
        for (String nonZero : List.of("cli", "sti", "hlt", "mov to cr", "lgdt", "lidt", "ltr", "in", "out", "ins",
                "iret", "hidden page fault", "true page fault", "shadow flush", "int 0x80 reflected",
                "real interrupt", "injected interrupt", "return to user")) {
            assertThat(Counters.get(s, nonZero)).as(nonZero).isPositive();
        }
        assertThat(s).containsPattern("vmm: ports used: 20 21 40 43 70 71 a0 a1 f4 1f0 .* 3f8");
    }

    /**
     * The two shadow-paging strategies run usertests alike; the counters show which one ran:
     * "shadow=flush" empties its one shadow at every CR3 load and never write-protects a page
     * table; the default cache keeps a shadow per CR3 and traps writes to guest page tables.
     */
    @org.junit.jupiter.api.Test
    void usertests_withEitherShadowStrategy_countersShowWhichRan() {
        List<Path> mods = List.of(Guest.USER.resolve("usertests"));
        RunResult flush = PcMachine.run(Guest.VMM.config("console=ttyS0 init=/usertests", mods, null, false, null,
                HEAVY, "stats shadow=flush").build());
        RunResult cache = PcMachine.run(Guest.VMM.config("console=ttyS0 init=/usertests", mods, null, false, null,
                HEAVY, "stats").build());
        for (RunResult r : List.of(flush, cache)) {
            assertThat(r.serial()).contains("usertests: all passed").doesNotContain("FAIL");
            assertCleanPowerOff(Guest.VMM, r);
        }
        String f = flush.serial();
        String c = cache.serial();
        assertThat(Counters.get(f, "shadow cache hit")).isZero();
        assertThat(Counters.get(f, "page-table write trap")).isZero();
        assertThat(Counters.get(f, "write-protected mapping")).isZero();
        assertThat(Counters.get(f, "shadow flush")).isGreaterThan(Counters.get(c, "shadow flush"));
        assertThat(Counters.get(c, "shadow cache hit")).isPositive();
        assertThat(Counters.get(c, "page-table write trap")).isPositive();
        assertThat(Counters.get(c, "write-protected mapping")).isPositive();
        assertThat(Counters.get(c, "hidden page fault")).isLessThan(Counters.get(f, "hidden page fault"));
    }

    /** Control-] on the console prints the exit table on request (without "stats": only then). */
    @org.junit.jupiter.api.Test
    void controlBracket_printsTheExitTableOnRequest() {
        RunResult r = PcMachine.run(Guest.VMM.config("console=ttyS0 panic=exit init=/bin/sh", List.of(), Guest.DISK,
                true, "echo one\r\u001d\rpoweroff\r", LIGHT, "").build());
        // the guest takes typed-ahead input from the UART at once, so the table may come before "one"
        assertThat(lines(r)).contains("one");
        assertThat(lines(r)).containsSubsequence("vmm: exit statistics, VM 0", "reboot: power down",
                "vmm: VM 0 powered off (status 0)");
        assertThat(r.serial().split("vmm: exit statistics", -1)).hasSize(2);
        assertThat(Counters.get(r.serial(), "lgdt")).isEqualTo(1);
        assertThat(r.exitPortValue()).isZero();
    }

    /** AbuseTest's hostile programs (wild pointers into every system call, a fork bomb), in the VM. */
    @org.junit.jupiter.api.Test
    void abusetests_inVmm_allPass() {
        RunResult r = Guest.VMM.run("console=ttyS0 panic=exit init=/bin/abusetests", List.of(), Guest.DISK, true, null,
                HEAVY);
        assertThat(r.serial().lines()).containsSubsequence("abusetests: starting",
                "abusetests: ok   read: wild pointer in argument 2 -> EFAULT",
                "abusetests: ok   fork bomb: fork fails with EAGAIN, all reaped (status 0)",
                "abusetests: ok   fork works again afterwards", "abusetests: all passed");
        assertThat(r.serial()).doesNotContain("FAIL");
        assertCleanPowerOff(Guest.VMM, r);
    }

    /** The shell's own test program (shtests: $?, &&, ||, quoting, background lists, exit N) in the VM. */
    @org.junit.jupiter.api.Test
    void shtests_inVmm_allPass() {
        RunResult r = Guest.VMM.run("console=ttyS0 panic=exit init=/bin/shtests", List.of(), Guest.DISK, true, null,
                HEAVY);
        assertThat(r.serial().lines()).contains("shtests: starting", "shtests: all passed");
        assertThat(r.serial()).doesNotContain("FAIL");
        assertCleanPowerOff(Guest.VMM, r);
    }

    /**
     * fstests (files, directories, the journal, fsync, big files) in the VM: it costs about two
     * billion guest instructions under the hypervisor, so it runs with {@code -Psoak}, not in CI.
     */
    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "jx86.soak", matches = "true")
    void fstests_inVmm_allPass() {
        RunResult r = Guest.VMM.run("console=ttyS0 panic=exit init=/bin/fstests", List.of(), Guest.DISK, true, null,
                20_000_000_000L);
        assertThat(r.serial().lines()).contains("fstests: all passed");
        assertThat(r.serial()).doesNotContain("FAIL");
        assertCleanPowerOff(Guest.VMM, r);
    }

    /**
     * kbench in the VM computes the checksum it computes on bare jx86 and QEMU (docs/performance.md:
     * every value the kernel hands back, none of the timing), and its cost lines show the
     * hypervisor through the passed-through performance counters.
     */
    @org.junit.jupiter.api.Test
    void kbench_inVmm_sameChecksumAsBareMetal() {
        RunResult r = Guest.VMM.run("console=ttyS0 panic=exit init=/bin/kbench", List.of(), Guest.DISK, true, null,
                HEAVY);
        assertThat(r.serial()).contains("kbench checksum=0x447ed194").doesNotContain("FAIL");
        assertThat(r.serial()).containsPattern("kbench: getpid +20000 calls +\\d+ instructions");
        assertCleanPowerOff(Guest.VMM, r);
        assertThat(Counters.get(r.serial(), "int 0x80 reflected")).isGreaterThan(20000);
    }

    /** PersistenceTest's two boots on one private disk copy, then the host's e2fsck. */
    @ParameterizedTest
    @EnumSource(Guest.class)
    void filesSurvivePowerOffAndTheFileSystemIsClean(Guest g) throws Exception {
        Path img = tmp.resolve("disk.img");
        Files.copy(Guest.DISK, img, StandardCopyOption.REPLACE_EXISTING);
        String append = "console=ttyS0 panic=exit init=/bin/sh";

        RunResult first = g.run(append, List.of(), img, false, String.join("\r",
                "echo persistent data > /data.txt", "cp /etc/motd /motd.copy", "mkdir /d",
                "echo echo from a script > /d/script", "echo wc /etc/motd >> /d/script", "sh /d/script",
                "poweroff") + "\r", HEAVY);
        assertThat(lines(first)).containsSubsequence("from a script", " 1  3 16 /etc/motd", "reboot: power down");
        assertCleanPowerOff(g, first);

        RunResult second = g.run(append, List.of(), img, false,
                "cat /data.txt\rcat /motd.copy\rcat /d/script\rpoweroff\r", HEAVY);
        assertThat(lines(second)).containsSubsequence("persistent data", "hello from ext2",
                "echo from a script", "wc /etc/motd", "reboot: power down");
        assertCleanPowerOff(g, second);

        assumeThat(Ext2Check.available()).as("e2fsprogs installed").isTrue();
        Ext2Check.assertClean(img);   // e2fsck -fn on partition 1
    }
}
