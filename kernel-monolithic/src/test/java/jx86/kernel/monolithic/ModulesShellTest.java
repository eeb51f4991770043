package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drives the module tools from the shell (sh as init, commands typed through the serial line):
 * insmod/lsmod/rmmod, modprobe loading a dependency from modules.dep first, rmmod refused while
 * a module is in use, and every load failure's message with lsmod unchanged afterwards.
 * One boot runs the whole script; the assertions are over its transcript.
 */
class ModulesShellTest {
    // One command line (sh takes 1 KiB, the console 1 KiB): it is all echoed before the first
    // command runs, so the echo of typed-ahead input never lands inside the output.
    private static final String SCRIPT = String.join("; ",
            "insmod /lib/modules/hello.ko who=shell",
            "lsmod",
            "rmmod hello",
            "modprobe dep_b",
            "lsmod",
            "rmmod dep_a",
            "modprobe -r dep_b",
            "echo MARK before failures",
            "lsmod",
            "insmod /etc/motd",
            "insmod /lib/modules/badreloc.ko",
            "insmod /lib/modules/badsym.ko",
            "insmod /lib/modules/dep_b.ko",
            "insmod /lib/modules/badinit.ko",
            "insmod /lib/modules/badvermagic.ko",
            "modprobe cyc_a",
            "modprobe nosuch",
            "insmod /lib/modules/hello.ko",
            "insmod /lib/modules/hello.ko",
            "rmmod hello",
            "echo MARK after failures",
            "lsmod",
            "poweroff") + "\r";

    private static RunResult r;
    private static List<String> lines;

    @BeforeAll
    static void boot() {
        r = PcMachine.run(MachineConfig.builder().kernel(Path.of("target/kernel.elf"))
                .append("console=ttyS0 panic=exit init=/bin/sh")
                .disk(Path.of("target/disk.img")).snapshot(true)
                .serialInput(SCRIPT).maxInstructions(2_000_000_000L).build());
        // type-ahead: the kernel echoes input as it arrives, so prompts ("/$ ") may prefix lines
        lines = r.serial().lines().map(l -> l.replaceFirst("^(/\\$ )+", "")).toList();
    }

    @Test
    void insmodLsmodRmmod_cycle() {
        assertThat(lines).containsSubsequence(
                "hello: hello, shell",
                "Module                  Size  Used by",
                "module: hello unloaded");
        assertThat(r.serial()).containsPattern("hello\\s+\\d+\\s+0 ");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
    }

    @Test
    void modprobe_loadsTheDependencyFirst_andRmmodIsRefusedWhileInUse() {
        assertThat(lines).containsSubsequence(
                "dep_a: ready",
                "modprobe: inserted dep_a",
                "dep_b: dep_a_next() gave 1 then 2",
                "modprobe: inserted dep_b",
                "module dep_a is in use by: dep_b",
                "rmmod: ERROR: could not remove module dep_a: Module is in use",
                "module: dep_b unloaded",
                "modprobe: removed dep_b",
                "module: dep_a unloaded",
                "modprobe: removed dep_a");
        assertThat(r.serial()).containsPattern("dep_a\\s+\\d+\\s+1 dep_b");
    }

    @Test
    void everyFailure_hasAClearMessage() {
        assertThat(lines).containsSubsequence(
                "module: not an i386 ELF relocatable object (bad ELF)",
                "insmod: ERROR: could not insert module /etc/motd: Invalid module format",
                "badreloc: Unknown relocation: 20",
                "insmod: ERROR: could not insert module /lib/modules/badreloc.ko: Invalid module format",
                "badsym: Unknown symbol no_such_function",
                "dep_b: missing dependency dep_a (load it first, or use modprobe)",
                "badinit: init_module failed (-5)",
                "badvermagic: version magic '9.9-other i386' should be '0.1-kernel-monolithic i386'",
                "insmod: ERROR: could not insert module /lib/modules/badvermagic.ko: Invalid module format",
                "modprobe: FATAL: dependency cycle: cyc_a -> cyc_b -> cyc_a",
                "modprobe: FATAL: Module nosuch not found in modules.dep",
                "module hello already loaded",
                "insmod: ERROR: could not insert module /lib/modules/hello.ko: Module already loaded");
        assertThat(r.serial()).doesNotContain("badreloc: loaded", "cyc_a: loaded", "cyc_b: loaded", "badvermagic: loaded");
    }

    @Test
    void failures_leaveLsmodUnchanged() {
        // lsmod rows ("name size refcount [users]"); echoed commands never start "word number number"
        java.util.function.Predicate<String> row = l -> l.matches("\\w+ +\\d+ +\\d+.*");
        List<String> before = lines.subList(lines.indexOf("MARK before failures"),
                lines.indexOf("module: not an i386 ELF relocatable object (bad ELF)"));
        List<String> after = lines.subList(lines.indexOf("MARK after failures"), lines.indexOf("reboot: power down"));
        assertThat(before).contains("Module                  Size  Used by");
        assertThat(after).contains("Module                  Size  Used by");
        // no module was loaded before the failures, and none is after them
        assertThat(before.stream().filter(row)).isEmpty();
        assertThat(after.stream().filter(row)).isEmpty();
        // and the lsmod in the middle did show rows: the filter can see them
        assertThat(lines.stream().filter(row)).anyMatch(l -> l.startsWith("dep_a "));
    }
}
