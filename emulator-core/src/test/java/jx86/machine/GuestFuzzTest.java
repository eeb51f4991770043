package jx86.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import jx86.firmware.BadImageException;
import jx86.testsupport.TinyKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest can never crash the emulator: seeded random boot sectors, protected-mode code, port and
 * MMIO storms, BIOS-call storms and mutated ELF kernels each end in a documented machine event (or,
 * for a kernel that cannot be loaded, a one-line {@link BadImageException}: status 2), never a Java
 * exception, and within the instruction limit. {@code -Djx86.fuzz.runs=N} (or {@code -Psoak}) runs
 * more of each kind; CI runs 300 in all.
 */
class GuestFuzzTest {
    private static final int RUNS_PER_KIND = Math.max(1, Integer.getInteger("jx86.fuzz.runs", 300) / 5);
    private static final long LIMIT = 200_000;
    private static final Set<MachineEvent> DOCUMENTED = EnumSet.of(MachineEvent.EXIT_PORT, MachineEvent.TRIPLE_FAULT,
            MachineEvent.HALTED_FOREVER, MachineEvent.INSTRUCTION_LIMIT, MachineEvent.RESET);
    /** Ports worth hitting: every device jx86 models, plus a few nobody decodes. */
    private static final int[] PORTS = {0x20, 0x21, 0xA0, 0xA1, 0x40, 0x41, 0x42, 0x43, 0x60, 0x61, 0x64, 0x70, 0x71,
        0x80, 0x92, 0xE9, 0x1F0, 0x1F1, 0x1F2, 0x1F3, 0x1F4, 0x1F5, 0x1F6, 0x1F7, 0x3F6, 0x170, 0x177, 0x376,
        0x3F8, 0x3F9, 0x3FA, 0x3FB, 0x3FC, 0x3FD, 0x2F8, 0x3D4, 0x3D5, 0x3C0, 0x3DA, 0x4D0, 0xCF8, 0xCFC, 0x1234};
    /** MMIO and odd physical addresses: the I/O APIC, the local APIC, VGA text, ROM, the top of memory. */
    private static final int[] MMIO = {0xFEC00000, 0xFEC00010, 0xFEE00020, 0xFEE000B0, 0xFEE00300, 0xFEE00310,
        0xFEE00320, 0xFEE00380, 0xB8000, 0xA0000, 0xF0000, 0xFFFFFFF0, 0x7FFFFFC, 0x8000000};

    @TempDir
    Path dir;

    @Test
    void randomBootSectors() throws IOException {
        for (int seed = 1; seed <= RUNS_PER_KIND; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            byte[] disk = new byte[64 * 512];
            for (int i = 0; i < 510; i++) {
                disk[i] = (byte) rnd.nextInt(256);
            }
            bootable(disk);
            check("boot sector " + seed, diskConfig(disk));
        }
    }

    @Test
    void randomProtectedModeCode() throws IOException {
        for (int seed = 1; seed <= RUNS_PER_KIND; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int[] code = new int[256];
            for (int i = 0; i < code.length; i++) {
                code[i] = rnd.nextInt(256);
            }
            check("protected-mode code " + seed, kernelConfig(TinyKernel.write(dir, "k" + seed, code)));
        }
    }

    @Test
    void portAndMmioStorms() throws IOException {
        for (int seed = 1; seed <= RUNS_PER_KIND; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            List<Integer> code = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                switch (rnd.nextInt(4)) {
                    case 0, 1 -> {       // mov dx, port; mov eax, value; out dx, al/ax/eax or in
                        int port = rnd.nextInt(3) == 0 ? rnd.nextInt(0x10000) : PORTS[rnd.nextInt(PORTS.length)];
                        add(code, 0x66, 0xBA, port & 0xFF, port >>> 8);
                        add(code, 0xB8);
                        le32(code, rnd.nextInt());
                        int[][] io = {{0xEE}, {0x66, 0xEF}, {0xEF}, {0xEC}, {0x66, 0xED}, {0xED}};
                        add(code, io[rnd.nextInt(io.length)]);
                    }
                    case 2 -> {          // mov dword [addr], value
                        add(code, 0xC7, 0x05);
                        le32(code, MMIO[rnd.nextInt(MMIO.length)] + 4 * rnd.nextInt(4));
                        le32(code, rnd.nextInt());
                    }
                    default -> {         // mov eax, [addr]
                        add(code, 0xA1);
                        le32(code, MMIO[rnd.nextInt(MMIO.length)]);
                    }
                }
            }
            add(code, 0xFB, 0xEB, 0xFE);   // sti; jmp $: let whatever the storm armed fire
            check("port/MMIO storm " + seed, kernelConfig(TinyKernel.write(dir, "s" + seed,
                    code.stream().mapToInt(Integer::intValue).toArray())));
        }
    }

    @Test
    void biosCallStorms() throws IOException {
        int[] services = {0x10, 0x13, 0x15, 0x16, 0x1A, 0x11, 0x12, 0x19};
        for (int seed = 1; seed <= RUNS_PER_KIND; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            byte[] disk = new byte[64 * 512];
            int at = 0;
            while (at < 490) {            // mov ax, r; mov bx, r; mov cx, r; mov dx, r; int n
                for (int op : new int[] {0xB8, 0xBB, 0xB9, 0xBA}) {
                    disk[at++] = (byte) op;
                    disk[at++] = (byte) rnd.nextInt(256);
                    disk[at++] = (byte) rnd.nextInt(256);
                }
                disk[at++] = (byte) 0xCD;
                disk[at++] = (byte) services[rnd.nextInt(services.length)];
            }
            disk[at++] = (byte) 0xF4;
            bootable(disk);
            check("BIOS storm " + seed, diskConfig(disk));
        }
    }

    @Test
    void mutatedElfKernels() throws IOException {
        int loaded = 0;
        for (int seed = 1; seed <= RUNS_PER_KIND; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            Path good = TinyKernel.write(dir, "good", 0xB0, 0x00, 0xE6, 0xF4, 0xF4);   // mov al,0; out 0xf4,al; hlt
            byte[] elf = Files.readAllBytes(good);
            for (int flips = 1 + rnd.nextInt(4); flips > 0; flips--) {
                int i = rnd.nextInt(3) == 0 ? rnd.nextInt(elf.length) : rnd.nextInt(0x110);   // mostly headers
                elf[i] = (byte) (rnd.nextInt(2) == 0 ? rnd.nextInt(256) : elf[i] ^ (1 << rnd.nextInt(8)));
            }
            Path bad = Files.write(dir.resolve("m" + seed), elf);
            try {
                check("mutated ELF " + seed, kernelConfig(bad));
                loaded++;
            } catch (BadImageException e) {
                assertThat(e.getMessage()).as("mutated ELF " + seed).isNotBlank().doesNotContain("\n");
            }
        }
        assertThat(loaded).as("some mutations still load and run").isPositive();
    }

    private void check(String what, MachineConfig config) {
        RunResult r;
        try {
            r = PcMachine.run(config);
        } catch (BadImageException e) {
            throw e;
        } catch (Throwable t) {
            fail(what + ": the emulator threw " + t, t);
            return;
        }
        assertThat(r.event()).as(what).isIn(DOCUMENTED);
        assertThat(r.instructions()).as(what).isLessThanOrEqualTo(LIMIT);
    }

    private MachineConfig diskConfig(byte[] disk) throws IOException {
        Path img = Files.write(dir.resolve("disk.img"), disk);
        return MachineConfig.builder().disk(img).snapshot(true).memoryMiB(16).maxInstructions(LIMIT).build();
    }

    private static MachineConfig kernelConfig(Path kernel) {
        return MachineConfig.builder().kernel(kernel).memoryMiB(16).maxInstructions(LIMIT).build();
    }

    private static void bootable(byte[] disk) {
        disk[510] = 0x55;
        disk[511] = (byte) 0xAA;
    }

    private static void add(List<Integer> code, int... bytes) {
        for (int b : bytes) {
            code.add(b);
        }
    }

    private static void le32(List<Integer> code, int v) {
        add(code, v & 0xFF, (v >>> 8) & 0xFF, (v >>> 16) & 0xFF, v >>> 24);
    }
}
