package jx86.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import jx86.image.Ext2Check;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real boot path ("vm0=disk"): a VM starts from sector 0 of its own disk in virtual-8086 mode,
 * with the hypervisor's BIOS (vbios.c) and the loader's switches between real and protected mode
 * trapped (v86.c). The boot-sector test guest (guests/v86boot.S) runs bare on the jx86 BIOS and in
 * the VM and prints what each BIOS call and real-mode trap gave it; the disk images boot unchanged.
 */
class V86BootTest {
    private static final Path IMAGES = Path.of("../disk-images/target/images");
    private static final Path BOOT_SECTOR = Path.of("target/guests/v86boot.bin");

    @TempDir
    Path tmp;

    /** The test guest on a 1 MiB disk (2048 sectors), as the Java test's own file. */
    private Path testDisk() throws IOException {
        Path disk = tmp.resolve("v86boot.img");
        Files.copy(BOOT_SECTOR, disk, StandardCopyOption.REPLACE_EXISTING);
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        return disk;
    }

    private static RunResult inVm(Path disk, String options, String input, long max) {
        return PcMachine.run(MachineConfig.builder().kernel(Guest.HYPERVISOR).append("vm0=disk " + options)
                .disk(disk).snapshot(true).serialInput(input).maxInstructions(max).build());
    }

    /** What the guest must see the same bare and in the VM: the disk, the screen, the real-mode traps. */
    private static final List<String> COMMON = List.of(
            "v86: boot sector at 0000:7c00, dx=0080",
            "v86: int13 41 bx=aa55 cx=0001 cf=0",
            "v86: int13 42 read sectors 1-5 cf=0",
            "v86: int13 42 data=sector-4",
            "v86: fs gs=1234 5678",
            "v86: int13 48 sectors=00000800 bytes/sector=0200 cf=0",
            "v86: int13 08 cx=013f dx=0f01 cf=0",          // 2048 / (16 * 63): cylinders 0-1
            "v86: int13 02 data=sector-4 cf=0",
            "v86: int13 03 wrote, read back=written! cf=0",
            "v86: e820 00000000 0009fc00 1",
            "v86: e820 0009fc00 00000400 2",
            "v86: e820 000f0000 00010000 2");
    private static final List<String> COMMON_TAIL = List.of(
            "v86: int15 88 ax=ffff",
            "v86: int15 2402 ax=0001 cf=0",
            "v86: int12 ax=027f",                          // 639 KiB
            "v86: int10 0f ax=5003 dx=0001",               // mode 3, 80 columns; the cursor moved
            "v86: int1a 02 cf=0",
            "v86: if=0",                                   // cli; pushf
            "v86: if=1",                                   // sti; pushf
            "v86: if=0",                                   // popf with IF = 0
            "v86: if=1",                                   // popf with IF = 1
            "v86: pushfd iopl/vm bits=0000",
            "v86: if=0",                                   // inside the INT 60h handler
            "v86: int 60h through the guest's ivt, handler ran=0001",
            "v86: if=1",                                   // IRET gave IF back
            "v86: if=0",                                   // the same handler, for INT3
            "v86: int3 through the guest's ivt, handler ran=0001",
            "v86: in 3fd thr-empty=0020",
            "v86: protected mode, 32-bit code",
            "v86: back in real mode, sp=7c00",
            "v86: if=1",
            "v86: done");

    @Test
    void bootSector_inTheVm_eachBiosCallAndRealModeTrap() throws IOException {
        RunResult r = inVm(testDisk(), "stats", "k", 50_000_000L);
        String s = r.serial();

        assertThat(r.event()).as(s).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
        assertThat(s.lines()).containsSubsequence(COMMON);
        assertThat(s.lines()).containsSubsequence(
                "v86: e820 00100000 05f00000 1",            // the VM's 96 MiB, not the host's 128
                "v86: int15 e801 ax=3c00 bx=0500",          // 15 MiB, then (96 - 16) MiB in 64 KiB
                "v86: int16 01 zf=0",                       // the console's input is the keyboard
                "v86: int16 00 ax=006b");                   // 'k'
        assertThat(s.lines()).containsSubsequence(COMMON_TAIL);
        assertThat(s).doesNotContain("v86: e820 fec00000").doesNotContain("killed");
        assertThat(s).contains("vmm: VM 0: booting from its disk in virtual-8086 mode",
                "vmm: VM 0 powered off (status 0)");

        // counted from the guest's source: 22 BIOS calls (INT 13h 7, 15h 8, 12h 1, 10h 3, 16h 2,
        // 1Ah 1), INT 60h and INT3 to its own handler, its two IRETs, two CLI/STI pairs and the CLI
        // before LGDT and the STI after
        assertThat(Counters.get(s, "v86 bios call")).isEqualTo(22);
        assertThat(Counters.get(s, "v86 int n")).isEqualTo(24);
        assertThat(Counters.get(s, "v86 iret")).isEqualTo(2);
        assertThat(Counters.get(s, "v86 cli/sti")).isEqualTo(6);
        assertThat(Counters.get(s, "v86 lgdt/lidt/mov cr")).isEqualTo(3);   // LGDT, MOV from and to CR0
        assertThat(Counters.get(s, "switch to protected mode")).isEqualTo(1);
        assertThat(Counters.get(s, "switch to real mode")).isEqualTo(1);
        assertThat(Counters.get(s, "v86 pushf/popf")).isPositive();
        assertThat(Counters.get(s, "v86 in/out")).isPositive();
        assertThat(Counters.get(s, "v86 hlt")).isZero();
        assertThat(Counters.get(s, "v86 exception reflected")).isZero();
    }

    /** The same boot sector on bare jx86: the jx86 BIOS gives the same answers, for its 128 MiB. */
    @Test
    void bootSector_bare_theJx86BiosGivesTheSameAnswers() throws IOException {
        RunResult r = PcMachine.run(MachineConfig.builder().disk(testDisk()).snapshot(true)
                .maxInstructions(50_000_000L).build());
        String s = r.serial();

        assertThat(r.event()).as(s).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(s.lines()).containsSubsequence(COMMON);
        assertThat(s.lines()).containsSubsequence("v86: e820 00100000 07f00000 1", "v86: int15 e801 ax=3c00 bx=0700",
                "v86: int16 01 zf=1");                      // its keyboard is the 8042, not COM1
        assertThat(s.lines()).containsSubsequence(COMMON_TAIL);
    }

    /**
     * A snapshot of a VM in virtual-8086 mode: VM 0 is saved at its boot sector's first output
     * (the IN of its UART's status register, a v86 exit), runs on one character, and is restored.
     * The frame of a trap from v86 mode carries ES, DS, FS and GS above it; the boot sector set FS
     * and GS before the snapshot and prints them after it, and runs to its end as without one.
     */
    @Test
    void snapshot_inV86Mode_restoredWithItsSegments_theBootGoesOn() throws IOException {
        Path d0 = testDisk(), d1 = tmp.resolve("v86boot1.img");
        Files.copy(d0, d1);
        String esc = "\u001d";
        TwoVms t = TwoVms.run(MachineConfig.builder().kernel(Guest.HYPERVISOR).append("vm0=disk vm1=disk snap=16")
                .disk(d0).disk(d1).snapshot(true).serialInput(esc + "snapshot 0\rc\r" + esc + "restore 0\rc\r")
                .serial2("buffer").maxInstructions(200_000_000L).build());
        String s = t.run().serial();

        assertThat(s.lines()).containsSubsequence("vmm: VM 0: booting from its disk in virtual-8086 mode",
                "vmm> snapshot 0");
        assertThat(s.lines()).anyMatch(l -> l.matches("vmm: VM 0 saved: \\d+ of \\d+ memory pages, .*eip 7c\\w\\w, .*"));
        List<String> after = s.lines().dropWhile(l -> !l.startsWith("vmm: VM 0 restored (1), 0 overlay sector(s) dropped"))
                .toList();
        // (VM 0's lines share COM1 with the hypervisor's: "vmm: VM 1 powered off" may cut one)
        assertThat(after).as(s).isNotEmpty().containsSubsequence(COMMON)
                .contains("v86: int15 88 ax=9c00", "v86: int 60h through the guest's ivt, handler ran=0001",
                        "v86: done", "vmm: VM 0 powered off (status 0)");
        assertThat(s).doesNotContain("killed").doesNotContain("vmm: panic");
        assertThat(t.com2().lines()).containsSubsequence(COMMON).contains("v86: done");   // VM 1 unaffected
        assertThat(t.run().exitPortValue()).isZero();
    }

    /** guests/v86hostile.S on a 1 MiB disk, its scenario byte (offset 1FDh) set. */
    private Path hostileDisk(int scenario) throws IOException {
        Path disk = tmp.resolve("v86hostile.img");
        Files.copy(Path.of("target/guests/v86hostile.bin"), disk, StandardCopyOption.REPLACE_EXISTING);
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.seek(0x1FD);
            f.write(scenario);
            f.setLength(1 << 20);
        }
        return disk;
    }

    private static final List<String> HOSTILE_COMMON = List.of(
            "v86h: iopl/vm after popf=0003",               // real mode may set IOPL; POPF never sets VM
            "v86h: int13 42 cf/status=0104");              // a sector beyond the disk: error 04h

    /**
     * A boot sector that misuses the real boot path: the VM refuses or ends, the hypervisor never
     * faults. The disk service refuses a buffer beyond the VM's memory (error 04h; the jx86 BIOS of
     * a bare machine writes it to nowhere and reports success).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1|triple fault: interrupt vector beyond the real-mode IVT",
            "2|PE set without the far JMP that must follow it (unsupported)",
            "3|the far JMP into protected mode jumps beyond its code segment's limit",
            "4|real mode with a segment base no real-mode segment has (unsupported)"})
    void hostileBootSector_theVmEndsWithAReason_theHypervisorSurvives(int scenario, String reason) throws IOException {
        RunResult r = inVm(hostileDisk(scenario), "", "", 20_000_000L);
        String s = r.serial();

        assertThat(s.lines()).containsSubsequence(HOSTILE_COMMON);
        assertThat(s.lines()).containsSubsequence("v86h: int13 42 cf/status=0104",
                String.format("v86h: scenario %04x", scenario), "vmm: VM 0 killed: " + reason, "vm0: " + reason);
        assertThat(s).doesNotContain("vmm: panic");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isEqualTo(3);
    }

    @Test
    void hostileBootSector_withoutMisuse_bareAndInTheVm() throws IOException {
        RunResult vm = inVm(hostileDisk(0), "", "", 20_000_000L);
        assertThat(vm.serial().lines()).containsSubsequence("v86h: iopl/vm after popf=0003",
                "v86h: int13 42 cf/status=0104", "v86h: int13 42 cf/status=0104", "v86h: scenario 0000",
                "vmm: VM 0 powered off (status 0)");
        assertThat(vm.exitPortValue()).isZero();
        RunResult bare = PcMachine.run(MachineConfig.builder().disk(hostileDisk(0)).snapshot(true)
                .maxInstructions(20_000_000L).build());
        assertThat(bare.serial().lines()).containsSubsequence("v86h: iopl/vm after popf=0003",
                "v86h: int13 42 cf/status=0104", "v86h: int13 42 cf/status=0000", "v86h: scenario 0000");
        assertThat(bare.exitPortValue()).isZero();
    }

    /** monolithic.img, unchanged, from its MBR through the jx86 loader to the monolith's shell. */
    @Test
    void monolithicImg_bootsInTheVmThroughV86_toItsShell() throws IOException {
        Path disk = tmp.resolve("monolithic.img");
        Files.copy(IMAGES.resolve("monolithic.img"), disk);
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(Guest.HYPERVISOR).append("vm0=disk stats")
                .disk(disk).serialInput("echo one two | cat\rcat < /etc/motd\recho v86 > /fromvm\rpoweroff\r")
                .maxInstructions(400_000_000L).build());
        String s = r.serial();

        assertThat(TwoVmsTest.counted(s.lines().map(l -> l.replaceFirst("^(/\\$ )+", "")).toList())).containsSubsequence(
                "vmm: VM 0: booting from its disk in virtual-8086 mode",
                "jx86-loader: kernel entry 0x0010000c, 0 module(s)",
                "kernel-monolithic 0.1: booting (loader: jx86-loader, cmdline: \"console=ttyS0 init=/bin/sh\")",
                "mem: 96 MiB RAM mapped at 0xc0000000, N KiB free",
                "ext2: mounted hda1: 7936 inodes, 31744 blocks (N free), 4 groups",
                "one two",
                "hello from ext2",
                "reboot: power down",
                "vmm: VM 0 powered off (status 0)");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
        // the loader's thunk: into protected mode once, then out and back in for every BIOS call
        long toReal = Counters.get(s, "switch to real mode");
        assertThat(toReal).isGreaterThan(10);
        assertThat(Counters.get(s, "switch to protected mode")).isEqualTo(toReal + 1);
        assertThat(Counters.get(s, "v86 bios call")).isGreaterThanOrEqualTo(toReal);
        // INT n from real-mode code: the MBR's INT 13h AH=41h and 42h, stage 2's INT 15h AX=2401h
        // (the loader's later calls go through its thunk: PUSHF + far CALL through the IVT)
        assertThat(Counters.get(s, "v86 int n")).isEqualTo(3);
        assertThat(Counters.get(s, "v86 exception reflected")).isZero();
        if (Ext2Check.available()) {                // the VM's disk is the file: written, and clean
            assertThat(new String(Ext2Check.readFile(disk, "/fromvm"))).isEqualTo("v86\n");
            Ext2Check.assertClean(disk);
        }
    }

    /**
     * microkernel.img, unchanged, from its MBR through the loader in v86 mode to the microkernel,
     * its 8 servers and the shell on its POSIX personality: a pipeline and a file written.
     */
    @Test
    void microkernelImg_bootsInTheVmThroughV86_toItsShell() throws IOException {
        Path disk = tmp.resolve("microkernel.img");
        Files.copy(IMAGES.resolve("microkernel.img"), disk);
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(Guest.HYPERVISOR).append("vm0=disk stats")
                .disk(disk).serialInput("echo one two | wc\recho v86 > /fromvm\rpoweroff\r")
                .maxInstructions(600_000_000L).build());
        String s = r.serial();

        assertThat(TwoVmsTest.counted(TwoVms.lines(s))).containsSubsequence(
                "vmm: VM 0: booting from its disk in virtual-8086 mode",
                "jx86-loader: kernel entry 0x0010000c, 8 module(s)",
                "kernel-microkernel 0.1: booting",
                "mk: 96 MiB RAM; kernel pool N-N; sigma0 owns N-06000000",
                "mk: task 0: sigma0, thread 40001 (sigma0)",
                "mk: task 7: restart, thread 5c001",
                "posix: Linux i386 personality; starting /bin/sh as pid 1",
                "      1       2       8",
                "reboot: power down",
                "vmm: VM 0 powered off (status 0)");
        assertThat(s).doesNotContain("vmm: VM 0 killed").doesNotContain("vmm: panic");
        assertThat(r.exitPortValue()).isZero();
        assertThat(Counters.get(s, "v86 exception reflected")).isZero();
        assertThat(Counters.get(s, "switch to protected mode")).isEqualTo(Counters.get(s, "switch to real mode") + 1);
        if (Ext2Check.available()) {                // the VM's disk is the file: written, and clean
            assertThat(new String(Ext2Check.readFile(disk, "/fromvm"))).isEqualTo("v86\n");
            Ext2Check.assertClean(disk);
        }
    }

    /**
     * The restart policy with a VM booted from its disk: VM 0 powers off with a failure status, and
     * boots again from its boot sector through the v86 path; VM 1 runs on.
     */
    @Test
    void restartPolicy_aDiskBootedVmBootsAgainFromItsDisk() {
        Path img = IMAGES.resolve("monolithic.img");
        TwoVms t = TwoVms.run(MachineConfig.builder().kernel(Guest.HYPERVISOR).append("vm0=disk vm1=disk fail0=restart")
                .disk(img).disk(img).snapshot(true).serialInput("poweroff 7\recho second boot\rpoweroff\r")
                .pacedInput(true).serial2("buffer").serial2Input("echo vm1 runs\rpoweroff\r")
                .maxInstructions(800_000_000L).build());
        String com1 = t.run().serial();

        assertThat(TwoVms.lines(com1)).containsSubsequence(
                "vmm: VM 0: booting from its disk in virtual-8086 mode",
                "jx86-loader: kernel entry 0x0010000c, 0 module(s)",
                "reboot: power down, exit status 7",
                "vm0: restarting (policy restart)",
                "vmm: VM 0: booting from its disk in virtual-8086 mode",
                "jx86-loader: kernel entry 0x0010000c, 0 module(s)",
                "second boot",
                "vmm: VM 0 powered off (status 0)");
        assertThat(TwoVms.lines(t.com2())).containsSubsequence("vm1 runs", "reboot: power down");
        assertThat(com1).doesNotContain("vmm: panic");
    }

    /** Two VMs, both from their disks ("vm0=disk vm1=disk"): each loader runs in its own v86 mode. */
    @Test
    void twoVms_bothBootFromTheirDisks_toTheirShells() throws IOException {
        Path d0 = tmp.resolve("d0.img");
        Path d1 = tmp.resolve("d1.img");
        Files.copy(IMAGES.resolve("monolithic.img"), d0);
        Files.copy(IMAGES.resolve("monolithic.img"), d1);
        TwoVms t = TwoVms.run(MachineConfig.builder().kernel(Guest.HYPERVISOR).append("vm0=disk vm1=disk")
                .disk(d0).disk(d1).serialInput("echo zero > /vm0\rpoweroff\r").pacedInput(true)
                .serial2("buffer").serial2Input("echo one > /vm1\rpoweroff\r").maxInstructions(600_000_000L).build());

        assertThat(TwoVmsTest.counted(TwoVms.lines(t.run().serial()))).containsSubsequence(
                "vmm: VM 1: booting from its disk in virtual-8086 mode",
                "vmm: VM 0: booting from its disk in virtual-8086 mode",
                "jx86-loader: kernel entry 0x0010000c, 0 module(s)",
                "mem: 48 MiB RAM mapped at 0xc0000000, N KiB free",
                "reboot: power down");
        assertThat(TwoVmsTest.counted(TwoVms.lines(t.com2()))).containsSubsequence(
                "jx86-loader: kernel entry 0x0010000c, 0 module(s)",
                "mem: 48 MiB RAM mapped at 0xc0000000, N KiB free",
                "reboot: power down");
        assertThat(t.run().serial()).contains("vmm: VM 0 powered off (status 0)", "vmm: VM 1 powered off (status 0)");
        assertThat(t.run().exitPortValue()).isZero();
        if (Ext2Check.available()) {                // each disk holds its own VM's file only
            assertThat(new String(Ext2Check.readFile(d0, "/vm0"))).isEqualTo("zero\n");
            assertThat(new String(Ext2Check.readFile(d1, "/vm1"))).isEqualTo("one\n");
            Ext2Check.assertClean(d0);
            Ext2Check.assertClean(d1);
        }
    }
}
