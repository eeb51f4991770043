package jx86.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import jx86.cpu.Cpu;
import jx86.machine.MachineConfig;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Linux/x86 boot protocol's two entries (Documentation/arch/x86/boot.rst) on a synthetic bzImage. */
class LinuxLoaderTest {
    private final FirmwareTestSupport t = new FirmwareTestSupport(64);

    /** Boot sector + 2 setup sectors with a protocol 2.15 header, then 4 KiB of "kernel" (0x90 bytes). */
    static byte[] bzImage(int initrdAddrMax) {
        byte[] img = new byte[3 * 512 + 4096];
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        img[0x1F1] = 2;                               // setup_sects
        b.putShort(0x1FE, (short) 0xAA55);
        img[0x200] = (byte) 0xEB;                     // jmp over the header
        img[0x201] = 0x66;                            // header ends at 0x268
        b.putInt(0x202, 0x53726448);                  // "HdrS"
        b.putShort(0x206, (short) 0x020F);
        img[0x211] = 0x01;                            // LOADED_HIGH
        b.putInt(0x214, 0x100000);                    // code32_start
        b.putInt(0x22C, initrdAddrMax);
        b.putInt(0x238, 2047);                        // cmdline_size
        b.putInt(0x260, 0x10000);                     // init_size
        for (int i = 3 * 512; i < img.length; i++) {
            img[i] = (byte) 0x90;
        }
        return img;
    }

    @Test
    void detection_needsTheHdrSHeader() {
        byte[] img = bzImage(0x37FFFFFF);
        assertThat(LinuxLoader.isBzImage(img)).isTrue();
        img[0x202] = 'X';
        assertThat(LinuxLoader.isBzImage(img)).isFalse();
        assertThat(LinuxLoader.isBzImage(FirmwareTestSupport.elf(0x100000, new byte[16], 0))).isFalse();
    }

    @Test
    void protectedModeEntry_withBootParamsFilledIn() {
        byte[] initrd = new byte[10_000];
        initrd[0] = 0x37;
        new LinuxLoader(t.mem).load(t.cpu, bzImage(0x37FFFFFF), "bz", initrd, "console=ttyS0 quiet");
        int bp = LinuxLoader.BOOT_PARAMS;
        assertThat(t.cpu.eip).isEqualTo(0x100000);
        assertThat(t.cpu.regs[Cpu.ESI]).isEqualTo(bp);
        assertThat(t.cpu.regs[Cpu.EBX] | t.cpu.regs[Cpu.EBP] | t.cpu.regs[Cpu.EDI]).isZero();
        assertThat(t.cpu.segSel[Cpu.CS]).isEqualTo(0x10);
        assertThat(t.cpu.segSel[Cpu.DS]).isEqualTo(0x18);
        assertThat(t.cpu.cr0 & Cpu.CR0_PE).isNotZero();
        assertThat(t.mem.read8(0x100000)).isEqualTo(0x90);                   // kernel at code32_start
        assertThat(t.mem.read32(bp + 0x202)).isEqualTo(0x53726448);          // the setup header copied
        assertThat(t.mem.read8(bp + 0x210)).isEqualTo(0xFF);                 // type_of_loader
        int cmdline = t.mem.read32(bp + 0x228);
        StringBuilder s = new StringBuilder();
        for (int c; (c = t.mem.read8(cmdline + s.length())) != 0; ) {
            s.append((char) c);
        }
        assertThat(s.toString()).isEqualTo("console=ttyS0 quiet");
        int ramdisk = t.mem.read32(bp + 0x218);
        assertThat(t.mem.read32(bp + 0x21C)).isEqualTo(10_000);
        assertThat(ramdisk & 0xFFF).isZero();
        assertThat(ramdisk).isEqualTo((64 << 20) - 12 * 1024);             // top of RAM, page-aligned
        assertThat(t.mem.read8(ramdisk)).isEqualTo(0x37);
        assertThat(t.mem.read8(bp + 0x1E8)).isEqualTo(7);                    // e820_entries
        assertThat(t.mem.read32(bp + 0x2D0 + 3 * 20)).isEqualTo(0x100000);   // the RAM above 1 MiB
        assertThat(t.mem.read32(bp + 0x2D0 + 3 * 20 + 8)).isEqualTo((64 << 20) - 0x100000);
        assertThat(t.mem.read32(bp + 0x1E0)).isEqualTo(63 * 1024);           // alt_mem_k
        assertThat(t.mem.read8(bp + 0x07)).isEqualTo(80);                    // screen_info columns
    }

    @Test
    void realModeEntry_runsTheSetupAtSegment1000_withTheLoadersHeaderFields() {
        byte[] image = bzImage(0x37FFFFFF);
        image[0x400] = (byte) 0xF4;                   // a byte of "setup code" in the second sector
        new LinuxLoader(t.mem).load(t.cpu, image, "bz", new byte[8192], "console=ttyS0",
                LinuxLoader.Entry.REAL);
        int x = LinuxLoader.SETUP;
        assertThat(x).isEqualTo(0x10000);
        // boot.rst "Running the kernel": CS = seg + 0x20, IP = 0, the other segments = seg, SP = heap end
        assertThat(t.cpu.cr0 & Cpu.CR0_PE).isZero();
        assertThat(t.cpu.segSel[Cpu.CS]).isEqualTo(0x1020);
        assertThat(t.cpu.segBase[Cpu.CS]).isEqualTo(0x10200);
        assertThat(t.cpu.eip).isZero();
        for (int seg : new int[] {Cpu.DS, Cpu.ES, Cpu.FS, Cpu.GS, Cpu.SS}) {
            assertThat(t.cpu.segSel[seg]).isEqualTo(0x1000);
            assertThat(t.cpu.segBase[seg]).isEqualTo(0x10000);
        }
        assertThat(t.cpu.regs[Cpu.ESP]).isEqualTo(0xE000);
        assertThat(t.cpu.getEflags() & Cpu.IF).as("entered with interrupts disabled").isZero();
        // the boot sector and setup sectors as in the file, the kernel at code32_start
        assertThat(t.mem.read16(x + 0x1FE)).isEqualTo(0xAA55);
        assertThat(t.mem.read8(x + 0x400)).isEqualTo(0xF4);
        assertThat(t.mem.read8(0x100000)).isEqualTo(0x90);
        // the loader's fields of the setup header
        assertThat(t.mem.read8(x + 0x210)).as("type_of_loader").isEqualTo(0xFF);
        assertThat(t.mem.read8(x + 0x211)).as("loadflags: LOADED_HIGH | CAN_USE_HEAP").isEqualTo(0x81);
        assertThat(t.mem.read16(x + 0x224)).as("heap_end_ptr").isEqualTo(0xDE00);
        assertThat(t.mem.read32(x + 0x228)).as("cmd_line_ptr").isEqualTo(LinuxLoader.CMDLINE);
        assertThat(t.mem.read8(LinuxLoader.CMDLINE)).isEqualTo('c');
        assertThat(t.mem.read32(x + 0x218)).as("ramdisk_image").isEqualTo((64 << 20) - 8192);
        assertThat(t.mem.read32(x + 0x21C)).as("ramdisk_size").isEqualTo(8192);
        // boot_params is the setup's to fill from the BIOS: the loader leaves its zero page alone
        assertThat(t.mem.read8(LinuxLoader.BOOT_PARAMS + 0x1E8)).as("e820_entries").isEqualTo(0);
    }

    /**
     * Real-mode code at 0x268, where the header's jump lands: it checks CS = 1020h, DS = 1000h,
     * SP = E000h and loadflags.CAN_USE_HEAP, asks the BIOS for the first E820 entry (CF clear, EAX =
     * "SMAP") and writes 42 to the exit port, or 1 at the first check that fails (as assembled by
     * GNU as from the listing in the comments).
     */
    private static final int[] SETUP_CODE = {
        0x8C, 0xC8, 0x3D, 0x20, 0x10, 0x75, 0x3D,             // mov ax,cs; cmp ax,1020h; jne fail
        0x8C, 0xD8, 0x3D, 0x00, 0x10, 0x75, 0x36,             // mov ax,ds; cmp ax,1000h; jne fail
        0x81, 0xFC, 0x00, 0xE0, 0x75, 0x30,                   // cmp sp,0E000h; jne fail
        0xF6, 0x06, 0x11, 0x02, 0x80, 0x74, 0x29,             // test byte [211h],80h; jz fail
        0x66, 0x31, 0xDB, 0x66, 0xB8, 0x20, 0xE8, 0x00, 0x00, // xor ebx,ebx; mov eax,0E820h
        0x66, 0xBA, 0x50, 0x41, 0x4D, 0x53,                   // mov edx,"SMAP"
        0x66, 0xB9, 0x14, 0x00, 0x00, 0x00, 0xBF, 0x00, 0x80, // mov ecx,20; mov di,8000h
        0xCD, 0x15, 0x72, 0x0D,                               // int 15h; jc fail
        0x66, 0x3D, 0x50, 0x41, 0x4D, 0x53, 0x75, 0x05,       // cmp eax,"SMAP"; jne fail
        0xB0, 0x2A, 0xE6, 0xF4, 0xF4,                         // mov al,42; out 0F4h,al; hlt
        0xB0, 0x01, 0xE6, 0xF4, 0xF4,                         // fail: mov al,1; out 0F4h,al; hlt
    };

    @Test
    void realModeEntry_throughTheMachineOption_runsTheSetupCodeWithTheBios(@TempDir Path dir) throws Exception {
        byte[] image = bzImage(0x37FFFFFF);
        for (int i = 0; i < SETUP_CODE.length; i++) {
            image[0x268 + i] = (byte) SETUP_CODE[i];
        }
        Path kernel = Files.write(dir.resolve("bzImage"), image);
        RunResult real = PcMachine.run(MachineConfig.builder().kernel(kernel).linuxRealModeEntry(true)
                .maxInstructions(10_000).build());
        assertThat(real.exitPortValue()).as(real.report()).isEqualTo(42);
        RunResult pm = PcMachine.run(MachineConfig.builder().kernel(kernel).maxInstructions(10_000).build());
        assertThat(pm.exitPortValue()).as("the default: the 32-bit entry, where the kernel is NOPs").isNotEqualTo(42);
    }

    @Test
    void initrd_staysBelowTheKernelsInitrdAddrMax() {
        new LinuxLoader(t.mem).load(t.cpu, bzImage(0x01FFFFFF), "bz", new byte[4096], "");
        assertThat(t.mem.read32(LinuxLoader.BOOT_PARAMS + 0x218)).isEqualTo(0x02000000 - 4096);
    }

    @Test
    void tooLittleRam_orALongCommandLine_isOneLine() {
        assertThatThrownBy(() -> new LinuxLoader(t.mem).load(t.cpu, bzImage(0x37FFFFFF), "bz", new byte[70 << 20], ""))
                .isInstanceOf(BadImageException.class).hasMessageContaining("initrd");
        assertThatThrownBy(() -> new LinuxLoader(t.mem).load(t.cpu, bzImage(0x37FFFFFF), "bz", null, "x".repeat(3000)))
                .isInstanceOf(BadImageException.class).hasMessageContaining("command line");
    }
}
