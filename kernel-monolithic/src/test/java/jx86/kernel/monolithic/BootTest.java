package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;

/**
 * Boots kernel-monolithic (built by {@code make} into target/) on jx86 and checks the serial
 * transcript line by line: the Multiboot entry, the higher-half switch, traps, the PIT and the
 * COM1 console, processes in ring 3, fork/exit/waitpid, execve from a multiboot module and the
 * power-off through the exit port; then the user-space test programs (usertests from a module;
 * fstests and modtests from the ext2 test disk target/disk.img, attached copy-on-write), the
 * panic path, console input, .ko boot modules and a shell pipeline. The expected lines are the
 * ones the programs and the kernel print by construction (pids are deterministic: init is 1,
 * its first child 2). {@link QemuBootTest} checks the same images on QEMU.
 */
class BootTest {
    private static final Path KERNEL = Path.of("target/kernel.elf");
    private static final Path USER = Path.of("target/user");
    private static final Path DISK = Path.of("target/disk.img");

    /**
     * The instruction limit is only a safety net. On QEMU (-singlestep, which counts every REP
     * iteration) init alone takes about 8.6 M instructions including the BIOS, modtests 11 M,
     * fstests well over 140 M (300 KB written and read back, 40 executables rewritten), so the
     * tests that use the disk or fork heavily get ten times the brief's 200 M.
     */
    private static final long LIGHT = 200_000_000L;
    private static final long HEAVY = 2_000_000_000L;

    private static RunResult boot(String append, Path module, String serialInput) {
        boolean heavy = module == null || append.contains("usertests");
        MachineConfig.Builder b = MachineConfig.builder()
                .kernel(KERNEL).append(append)
                .maxInstructions(heavy ? HEAVY : LIGHT);
        if (module != null) {
            b.module(module);
        } else {
            b.disk(DISK).snapshot(true);
        }
        if (serialInput != null) {
            b.serialInput(serialInput);
        }
        return PcMachine.run(b.build());
    }

    @Test
    void boot_runsInitWhichForksWaitsAndPowersOff() {
        RunResult r = boot("console=ttyS0", USER.resolve("init"), null);

        assertThat(r.serial().lines()).containsSubsequence(
                "kernel-monolithic 0.1: booting (loader: jx86, cmdline: \"console=ttyS0\")",
                "init: hello from user space",
                "init: pid 1, argv[0] /sbin/init, argc 1",
                "init: write from a kernel address: -1 (errno 14)",
                "child: hello from pid 2, parent 1",
                "init: child 2 exited with status 42",
                "init: powering off",
                "reboot: power down");
        assertThat(r.serial()).doesNotContain("panic:");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
    }

    @Test
    void boot_reportsRamAndTheInitModule() {
        RunResult r = boot("console=ttyS0", USER.resolve("init"), null);

        // 128 MiB machine: the memory map's top usable byte is below 128 MiB, so 127 MiB is mapped
        assertThat(r.serial()).containsPattern("mem: 12[78] MiB RAM mapped at 0xc0000000, \\d+ KiB free");
        assertThat(r.serial()).containsPattern(
                "module 0: \\S*init at [0-9a-f]+, " + sizeOf(USER.resolve("init")) + " bytes");
    }

    @Test
    void usertests_allChecksPass() {
        RunResult r = boot("console=ttyS0 init=/usertests", USER.resolve("usertests"), null);

        assertThat(r.serial()).contains("usertests: all passed").doesNotContain("FAIL").doesNotContain("panic:");
        assertThat(r.serial()).contains(
                "usertests: ok   NULL write kills with SIGSEGV (status b)",
                "usertests: ok   it died of signal 9 (status 9)",
                "usertests: ok   20 children reaped, exit codes sum 190");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
    }

    @Test
    void kernelPageFault_panicsWithRegistersAndBacktrace() {
        RunResult r = boot("console=ttyS0 crashtest panic=exit", USER.resolve("init"), null);

        // the write to unmapped 0x1000 in kmain: a supervisor write to a non-present page (err 2)
        assertThat(r.serial()).containsPattern("panic: page fault \\(trap 14, err 2\\) at eip c01[0-9a-f]{5}")
                .contains("cr2 00001000", "backtrace (addr2line -e kernel.elf):")
                .doesNotContain("init: hello");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isEqualTo(1);
    }

    @Test
    void consoleInput_isLineEditedAndEndsWithControlD() {
        // "ab", backspace, "c", return; then control-D: read returns 0
        RunResult r = boot("console=ttyS0 init=/readtest", USER.resolve("readtest"), "ab\u007fc\r\u0004");

        assertThat(r.serial().lines()).containsSubsequence(
                "readtest: type lines, control-D ends",
                "readtest: got 3 bytes: ac",
                "readtest: read returned 0, powering off");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
    }

    @Test
    void ext2RootDisk_fstestsRunFromTheDiskAndPass() {
        RunResult r = boot("console=ttyS0 init=/bin/fstests", null, null);

        // the drive's model string is the emulator's choice; the geometry comes from the image
        assertThat(r.serial()).containsPattern("ata: hda: .+, 32768 sectors \\(16 MiB\\)");
        assertThat(r.serial().lines()).containsSubsequence(
                "ata: hda1: type 83, sectors 2048-32767 (15 MiB)",
                "fstests: starting",
                "fstests: ok   read /etc/big: 300000 bytes, 0 wrong",
                "hello from ext2",
                "fstests: all passed",
                "reboot: power down");
        assertThat(r.serial()).doesNotContain("FAIL");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
    }

    @Test
    void modtests_loadAndUnloadModulesFromTheDisk() {
        RunResult r = boot("console=ttyS0 init=/bin/modtests", null, null);

        assertThat(r.serial()).containsPattern("hello: loaded \\(tick \\d+\\), the answer is 42");
        assertThat(r.serial().lines()).containsSubsequence(
                "modtests: ok   insmod hello",
                "dep_b: missing dependency dep_a (load it first, or use modprobe)",
                "dep_b: dep_a_next() gave 1 then 2",
                "module dep_a is in use by: dep_b",
                "dep_a: unloaded after 2 calls",
                "badinit: init_module failed (-5)",
                "hello: version magic 'X.1-kernel-monolithic i386' should be '0.1-kernel-monolithic i386'",
                "hello: hello, world",
                "hello: hello, world",
                "hello: Unknown parameter `nosuch'",
                "modtests: all passed");
        assertThat(r.serial()).doesNotContain("FAIL");
        assertThat(r.exitPortValue()).isZero();
    }

    @Test
    void bootModules_koFilesAreLoadedBeforeInit() {
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(KERNEL).append("console=ttyS0")
                .module(USER.resolve("init")).module(Path.of("target/modules/dep_a.ko"))
                .module(Path.of("target/modules/dep_b.ko")).maxInstructions(LIGHT).build());

        assertThat(r.serial().lines()).containsSubsequence(
                "dep_a: ready",
                "dep_b: dep_a_next() gave 1 then 2",
                "init: hello from user space",
                "reboot: power down");
        assertThat(r.exitPortValue()).isZero();
    }

    @Test
    void moduleWritingItsOwnText_faultsAndThePanicNamesTheModule() {
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(KERNEL).append("console=ttyS0 panic=exit")
                .module(USER.resolve("init")).module(Path.of("target/modules/selfpatch.ko"))
                .maxInstructions(LIGHT).build());

        // module text is mapped read-only and CR0.WP is set: a supervisor write to a present page (err 3)
        assertThat(r.serial()).contains("selfpatch: about to write into my own text at 0xf0000000",
                "panic: page fault (trap 14, err 3)", "cr2 f0000000", "[selfpatch+0x")
                .doesNotContain("the write went through");
        assertThat(r.exitPortValue()).isEqualTo(1);
    }

    @Test
    void shell_runsAPipelineFromTheDisk() {
        RunResult r = boot("console=ttyS0 panic=exit init=/bin/sh", null,
                "echo one two | cat\rcat < /etc/motd\rexit 0\rpoweroff 5\r");

        // Scripted input arrives as fast as the UART takes it (type-ahead), so the kernel's echo
        // of it interleaves with boot messages and command output can follow a prompt ("/$ ").
        assertThat(r.serial().lines().map(l -> l.replaceFirst("^(/\\$ )+", "")))
                .containsSubsequence("one two", "hello from ext2");
        // the shell is init here: it runs the interactive shell as its child and starts a new one
        // when that one exits, since init exiting would be a panic
        assertThat(r.serial()).contains("init: the shell ended with status 0; starting a new one")
                .doesNotContain("panic:");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isEqualTo(5);
    }

    @Test
    void bootToShellPrompt_takesFewerThan200MillionInstructions() {
        // from the reset vector (BIOS, Multiboot load) through the kernel, the disk, the mount and
        // exec of /bin/sh to its prompt, then poweroff (exec, sync, exit port): all of it counts
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(KERNEL).append("console=ttyS0 init=/bin/sh")
                .disk(DISK).snapshot(true).serialInput("poweroff\r").maxInstructions(LIGHT).build());

        assertThat(r.serial()).contains("ext2: mounted hda1", "/$ ", "reboot: power down");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.instructions()).isLessThan(200_000_000L);
    }

    private static long sizeOf(Path p) {
        try {
            return java.nio.file.Files.size(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
