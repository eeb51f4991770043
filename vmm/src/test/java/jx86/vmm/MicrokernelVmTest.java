package jx86.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kernel-microkernel, unmodified, as VM 1 next to the monolith in VM 0 (issue #16): its system
 * calls (int $0x30..0x38 from ring 3), its own page tables under shadow paging, the UTCB through
 * %gs (a GDT descriptor it rewrites at every thread switch), I/O ports granted to its user-level
 * drivers through its TSS's I/O bitmap, and IRQs as IPC through VM 1's virtual PIC.
 */
class MicrokernelVmTest {
    @TempDir
    Path tmp;

    /**
     * `./jx86 boot vmm`: the hypervisor with "vm0=disk vm1=disk", hda = monolithic.img, hdb =
     * microkernel.img (copies), each VM from its disk's boot sector through the real boot path.
     */
    @Test
    void vmm_bothImagesFromTheirBootSectors_bothShells_aScriptDrivesBoth_theMonolithOffWhileTheMicrokernelWorksOn_disksClean()
            throws Exception {
        Path d0 = tmp.resolve("monolithic.img"), d1 = tmp.resolve("microkernel.img");
        Files.copy(MicrokernelVm.MONO_IMAGE, d0);
        Files.copy(MicrokernelVm.MK_IMAGE, d1);
        // both scripts typed ahead: the two VMs work at the same time; the monolith finishes first
        String in0 = "echo zero > /z0\rcat /z0 | cat | wc\rcanary -r 4\rcat /z0\rls /\rpoweroff\r";
        String in1 = "echo one > /o1\rcat /o1 /etc/motd | wc\rcanary -r 16\rmkdir /d1\rcp /etc/motd /d1/m\r"
                + "wc /d1/m\rls /\rpoweroff\r";
        TwoVms r = TwoVms.run(MicrokernelVm.bootVmm("", d0, d1).serialInput(in0).pacedInput(false)
                .serial2Input(in1).maxInstructions(6_000_000_000L).build());
        String com1 = r.run().serial();
        List<String> c1 = TwoVms.lines(com1), c2 = TwoVms.lines(r.com2());

        assertThat(c1).containsSubsequence("vmm: jx86 hypervisor, host RAM 128 MiB, 2 VM(s)",
                "vmm: VM 1: booting from its disk in virtual-8086 mode",
                "vmm: VM 0: booting from its disk in virtual-8086 mode");
        assertThat(TwoVmsTest.counted(c1)).containsSubsequence(
                "jx86-loader: kernel entry 0x0010000c, 0 module(s)",
                "kernel-monolithic 0.1: booting (loader: jx86-loader, cmdline: \"console=ttyS0 init=/bin/sh\")",
                "mem: 48 MiB RAM mapped at 0xc0000000, N KiB free",
                "ext2: mounted hda1: 7936 inodes, 31744 blocks (N free), 4 groups",
                "      1       1       5",
                "canary: ok 4",
                "canary: all rounds passed",
                "zero",
                "vmm: VM 0 powered off (status 0)",           // the monolith is off ...
                "vmm: VM 1 powered off (status 0)");          // ... while the microkernel works on
        assertThat(c1.subList(c1.indexOf("vmm: VM 0 powered off (status 0)"), c1.size()))
                .anyMatch(l -> l.startsWith("vmm: VM 1 runs on"));
        assertThat(c1).anyMatch(l -> l.endsWith(" z0")).noneMatch(l -> l.endsWith(" o1"));
        assertThat(TwoVmsTest.counted(c2)).containsSubsequence(
                "jx86-loader: kernel entry 0x0010000c, 8 module(s)",
                "kernel-microkernel 0.1: booting",
                "mk: 48 MiB RAM; kernel pool N-N; sigma0 owns N-03000000",
                "mk: task 7: restart, thread 5c001",
                "root: console (4c001): ports 3f8+8, irq 4: granted",
                "console: COM1 in user space, irq 4 as IPC",
                "names: fs -> 54001",
                "posix: Linux i386 personality; starting /bin/sh as pid 1",
                "      2       4      20",
                "canary: all rounds passed",
                " 1  3 16 /d1/m",
                "reboot: power down");
        // the driver's line may share a console line with the echo of the typed-ahead input
        assertThat(r.com2()).contains("ata: disk 0: 65536 sectors, irq 14 as IPC");
        assertThat(c2).anyMatch(l -> l.endsWith(" o1")).anyMatch(l -> l.endsWith(" d1")).noneMatch(l -> l.endsWith(" z0"));
        assertThat(r.com2()).doesNotContain("vmm:").doesNotContain("zero");
        assertThat(com1).doesNotContain("panic").doesNotContain("killed").doesNotContain("kernel-microkernel");
        assertThat(r.run().event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.run().exitPortValue()).isZero();

        TwoVmsTest.assertFsckClean(d0);
        TwoVmsTest.assertFsckClean(d1);
    }

    /**
     * The command itself: `./jx86 boot vmm --snapshot --append stats` with each console in a file.
     * It resolves to vmm.elf, both images as hda and hdb and "vm0=disk vm1=disk stats"; both VMs
     * come up from their boot sectors to their shells (no input: the run ends at its limit).
     */
    @Test
    void cli_bootVmm_bothImagesFromTheirBootSectorsToTheirShells() throws Exception {
        Path com1 = tmp.resolve("com1.txt"), com2 = tmp.resolve("com2.txt");
        String before = System.getProperty("jx86.root");
        System.setProperty("jx86.root", Path.of("..").toAbsolutePath().normalize().toString());
        try {
            jx86.cli.Main.execute("boot", "vmm", "--snapshot", "--append", "stats", "--serial", "file:" + com1,
                    "--serial", "file:" + com2, "--max-instructions", "600000000");
        } finally {
            if (before == null) {
                System.clearProperty("jx86.root");
            } else {
                System.setProperty("jx86.root", before);
            }
        }
        List<String> c1 = Files.readAllLines(com1), c2 = Files.readAllLines(com2);

        assertThat(c1).containsSubsequence("vmm: jx86 hypervisor, host RAM 128 MiB, 2 VM(s)",
                "vmm: VM 1: booting from its disk in virtual-8086 mode",
                "vmm: VM 0: booting from its disk in virtual-8086 mode",
                "jx86-loader: kernel entry 0x0010000c, 0 module(s)",
                "kernel-monolithic 0.1: booting (loader: jx86-loader, cmdline: \"console=ttyS0 init=/bin/sh\")");
        assertThat(c1).anyMatch(l -> l.startsWith("/$ "));
        assertThat(c2).containsSubsequence("jx86-loader: kernel entry 0x0010000c, 8 module(s)",
                "kernel-microkernel 0.1: booting",
                "posix: Linux i386 personality; starting /bin/sh as pid 1");
        assertThat(c2).anyMatch(l -> l.startsWith("/$ "));
        assertThat(String.join("\n", c1)).doesNotContain("killed").doesNotContain("panic");
    }

    /**
     * The microkernel's own test programs (kernel-microkernel's IpcTest, MapTest, FaultTest, IoTest)
     * in VM 1 print the same checks as on bare jx86 (the details in parentheses, figures such as
     * cycle counts, aside), every one "ok", and "all passed". VM 0 powers off after its boot.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ipctest", "maptest", "faulttest", "iotest"})
    void testProgram_inVm1_sameChecksAsBare(String prog) {
        RunResult bare = PcMachine.run(MachineConfig.builder().kernel(MicrokernelVm.MK_KERNEL)
                .module(MicrokernelVm.MK_USER.resolve("sigma0")).module(MicrokernelVm.MK_USER.resolve(prog))
                .maxInstructions(400_000_000L).build());
        TwoVms vm = TwoVms.run(MicrokernelVm.direct("", "poweroff\r", "", null, 3_000_000_000L,
                List.of("sigma0", prog)).build());

        List<String> bareChecks = checks(bare.serial(), prog), vmChecks = checks(vm.com2(), prog);
        assertThat(bareChecks).as("bare").contains(prog + ": all passed").anyMatch(l -> l.startsWith(prog + ": ok "))
                .noneMatch(l -> l.contains("FAIL"));
        assertThat(vmChecks).as("in VM 1").isEqualTo(bareChecks);
        assertThat(vm.run().serial()).contains("vmm: VM 0 powered off (status 0)", "vmm: VM 1 powered off (status 0)")
                .doesNotContain("killed");
        assertThat(vm.run().exitPortValue()).isZero();
    }

    /**
     * The monolith's test programs on the microkernel's POSIX personality in VM 1 (kernel-microkernel's
     * UserProgramsTest): the same "ok" lines as on the bare microkernel. About 90 s since file
     * data moves in 32 KiB pieces (it was a soak-only test before that).
     */
    @Test
    void monolithTestPrograms_onThePersonalityInVm1_sameAsBare() throws Exception {
        Path bareImg = tmp.resolve("bare.img"), vmImg = tmp.resolve("vm.img");
        Files.copy(MicrokernelVm.MK_IMAGE, bareImg);
        Files.copy(MicrokernelVm.MK_IMAGE, vmImg);
        String script = "usertests\rfstests\rpoweroff\r";
        RunResult bare = PcMachine.run(MachineConfig.builder().disk(bareImg).serialInput(script)
                .maxInstructions(8_000_000_000L).build());
        TwoVms vm = TwoVms.run(MicrokernelVm.direct("", "poweroff\r", script, vmImg, 40_000_000_000L,
                MicrokernelVm.SERVERS).build());

        for (String prog : List.of("usertests", "fstests")) {
            List<String> bareChecks = checks(bare.serial(), prog), vmChecks = checks(vm.com2(), prog);
            assertThat(bareChecks).as("bare " + prog).anyMatch(l -> l.startsWith(prog + ": ok"));
            assertThat(vmChecks).as(prog + " in VM 1").isEqualTo(bareChecks);
        }
        assertThat(vm.com2()).contains("fstests: all passed");
        TwoVmsTest.assertFsckClean(vmImg);
    }

    /**
     * The program's own lines ("prog: ok name", "prog: all passed"), details in parentheses cut off.
     * The restart server's two boot lines come when it runs, which in a VM may be in the middle of
     * a test program's line: they are taken out first, each with its line end.
     */
    static List<String> checks(String console, String prog) {
        String text = console.replaceAll("(names: restart -> \\w+|restart: watching \\d+ drivers[^\\r\\n]*)\\r?\\n", "");
        return text.lines().map(l -> l.replaceFirst("^(/\\$ )+", "")).filter(l -> l.startsWith(prog + ": "))
                .map(l -> {
                    int i = l.indexOf(" (");
                    return i < 0 ? l : l.substring(0, i);
                }).toList();
    }
}
