package jx86.firmware;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jx86.cpu.Cpu;
import jx86.memory.PhysicalMemory;

/**
 * Loads a Linux bzImage with the Linux/x86 boot protocol (Documentation/arch/x86/boot.rst) and
 * enters it in one of two ways:
 *
 * <ul>
 * <li>{@link Entry#PROTECTED} (the default): the 32-bit entry point, as GRUB's linux loader and
 * QEMU with a firmware that skips the setup do it: the real-mode setup code is not run, the loader
 * fills boot_params itself (below);
 * <li>{@link Entry#REAL}: the kernel's own real-mode setup code, as a BIOS boot loader (LILO,
 * GRUB's linux16, QEMU's linuxboot option ROM) starts it: the boot sector and setup go to
 * {@link #SETUP} (segment 0x1000, where QEMU puts them), with the loader's fields of the setup header
 * set (type_of_loader, loadflags.CAN_USE_HEAP, heap_end_ptr, cmd_line_ptr, the initrd); the setup
 * asks the BIOS for the memory map (INT 15h E820/E801/88h), the video mode (INT 10h), the keyboard
 * (INT 16h) and the disks (INT 13h EDD), enables A20 and jumps to the protected-mode kernel itself.
 * Entry: real mode, CS:IP = 1020:0000 (setup + 0x200), DS = ES = FS = GS = SS = 0x1000,
 * SP = {@link #HEAP_END}, IF = 0 (boot.rst, "Running the kernel").
 * </ul>
 *
 * <p>Layout: boot_params (the "zero page") at {@link #BOOT_PARAMS}, the command line at
 * {@link #CMDLINE}, a GDT at {@link #GDT} with the boot protocol's __BOOT_CS (0x10) and __BOOT_DS
 * (0x18), the protected-mode kernel at its code32_start (1 MiB), the initrd page-aligned at the top
 * of RAM below the kernel's initrd_addr_max. boot_params holds the kernel's own setup header (copied
 * from the file), type_of_loader 0xFF (undefined loader), cmd_line_ptr, ramdisk_image/size, the
 * E820 map of {@link MemoryMap}, ext_mem_k/alt_mem_k and an 80x25 VGA text screen_info.
 *
 * <p>Machine state at entry (section "32-bit boot protocol"): protected mode, paging off, flat
 * 4 GiB segments CS=0x10 and DS=ES=SS=0x18, IF=0, ESI = boot_params, EBP = EDI = EBX = 0.
 */
public final class LinuxLoader {
    public static final int BOOT_PARAMS = 0x10000;
    public static final int CMDLINE = 0x20000;
    public static final int GDT = 0x6000;
    static final int CMDLINE_MAX = 2048;
    /** Real-mode entry: where the boot sector and setup code go (segment 0x1000). */
    public static final int SETUP = 0x10000;
    /** Real-mode entry: the end of the setup's heap and its initial stack pointer, from SETUP. */
    public static final int HEAP_END = 0xE000;
    private static final int CAN_USE_HEAP = 0x80;

    /** How the kernel is entered. */
    public enum Entry {
        /** boot_params filled by the loader, the 32-bit entry at code32_start. */
        PROTECTED,
        /** The kernel's real-mode setup code at setup + 0x200, which asks the BIOS. */
        REAL
    }
    private static final int HDR_MAGIC = 0x53726448;   // "HdrS"

    private final PhysicalMemory mem;

    public LinuxLoader(PhysicalMemory mem) {
        this.mem = mem;
    }

    /** Whether {@code image} is a bzImage: a setup header with "HdrS", protocol 2.02 or later. */
    public static boolean isBzImage(byte[] image) {
        if (image.length < 0x264) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        return b.getShort(0x1FE) == (short) 0xAA55 && b.getInt(0x202) == HDR_MAGIC
                && (b.getShort(0x206) & 0xFFFF) >= 0x0202;
    }

    /** Loads the kernel and initrd and puts the CPU at the 32-bit entry. */
    public void load(Cpu cpu, byte[] image, String name, byte[] initrd, String cmdline) {
        load(cpu, image, name, initrd, cmdline, Entry.PROTECTED);
    }

    /**
     * Loads the kernel and initrd (may be null) and puts the CPU at the chosen entry.
     *
     * @throws BadImageException for an image this loader cannot boot (too old, 64-bit only, too big)
     */
    public void load(Cpu cpu, byte[] image, String name, byte[] initrd, String cmdline, Entry entry) {
        if (!isBzImage(image)) {
            throw new BadImageException(name + ": not a Linux bzImage (no \"HdrS\" setup header)");
        }
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        int version = b.getShort(0x206) & 0xFFFF;
        int setupSects = image[0x1F1] & 0xFF;
        if (setupSects == 0) {
            setupSects = 4;
        }
        int loadFlags = image[0x211] & 0xFF;
        if ((loadFlags & 0x01) == 0) {
            throw new BadImageException(name + ": a zImage (loaded low) is not supported; use a bzImage");
        }
        int kernelOffset = (setupSects + 1) * 512;
        if (kernelOffset >= image.length) {
            throw new BadImageException(name + ": truncated bzImage");
        }
        long code32 = b.getInt(0x214) & 0xFFFF_FFFFL;
        long initSize = version >= 0x020A ? b.getInt(0x260) & 0xFFFF_FFFFL : 0;
        long pmSize = image.length - kernelOffset;
        long ram = mem.ramSize() & 0xFFFF_FFFFL;
        if (code32 + Math.max(pmSize, initSize) > ram) {
            throw new BadImageException(name + String.format(": the kernel needs %d MiB of RAM above 1 MiB; give more -m",
                    (Math.max(pmSize, initSize) >> 20) + 1));
        }
        mem.load((int) code32, image, kernelOffset, (int) pmSize);
        byte[] line = cmdline.getBytes(StandardCharsets.UTF_8);
        long cmdlineMax = version >= 0x0206 ? b.getInt(0x238) & 0xFFFF_FFFFL : 255;
        if (line.length > Math.min(cmdlineMax, CMDLINE_MAX - 1)) {
            throw new BadImageException(name + ": command line longer than the kernel's " + cmdlineMax + " bytes");
        }
        mem.load(CMDLINE, line);
        mem.poke8(CMDLINE + line.length, 0);
        long kernelEnd = code32 + Math.max(pmSize, initSize);
        if (entry == Entry.REAL) {
            loadSetup(image, name, kernelOffset, loadFlags);
            if (initrd != null && initrd.length > 0) {
                placeInitrd(b, version, initrd, kernelEnd, name, SETUP);
            }
            enterSetup(cpu);
            return;
        }

        for (int i = 0; i < 4096; i += 4) {
            mem.poke32(BOOT_PARAMS + i, 0);
        }
        // The setup header, as the kernel's file has it: from 0x1F1 to the end given by the jump at 0x200.
        int headerEnd = Math.min(0x202 + (image[0x201] & 0xFF), 0x290);
        mem.load(BOOT_PARAMS + 0x1F1, image, 0x1F1, headerEnd - 0x1F1);

        mem.poke8(BOOT_PARAMS + 0x210, 0xFF);                 // type_of_loader: undefined
        mem.poke8(BOOT_PARAMS + 0x211, loadFlags & ~CAN_USE_HEAP);  // no real-mode heap: setup does not run
        mem.poke32(BOOT_PARAMS + 0x228, CMDLINE);             // cmd_line_ptr
        if (initrd != null && initrd.length > 0) {
            placeInitrd(b, version, initrd, kernelEnd, name, BOOT_PARAMS);
        }
        writeMemoryInfo();
        writeScreenInfo();
        enter(cpu, (int) code32);
    }

    /**
     * The boot sector and setup sectors at {@link #SETUP}, with the header fields a boot loader
     * writes (boot.rst, "Details of header fields": type_of_loader, loadflags, heap_end_ptr,
     * cmd_line_ptr); the setup builds boot_params from them and from the BIOS.
     */
    private void loadSetup(byte[] image, String name, int setupBytes, int loadFlags) {
        if (setupBytes > HEAP_END - 0x1000) {
            throw new BadImageException(name + ": the real-mode setup (" + setupBytes + " bytes) leaves no room"
                    + " for its heap and stack below 0x" + Integer.toHexString(SETUP + HEAP_END));
        }
        mem.load(SETUP, image, 0, setupBytes);
        mem.poke8(SETUP + 0x210, 0xFF);                       // type_of_loader: undefined
        mem.poke8(SETUP + 0x211, loadFlags | CAN_USE_HEAP);   // the heap below HEAP_END is the setup's
        mem.poke16(SETUP + 0x224, HEAP_END - 0x200);          // heap_end_ptr: from SETUP; the stack is above it
        mem.poke32(SETUP + 0x228, CMDLINE);                   // cmd_line_ptr
    }

    /** Real mode at setup + 0x200 (the jump over the header), segments at SETUP, interrupts off. */
    private void enterSetup(Cpu cpu) {
        int seg = SETUP >> 4;
        for (int s = 0; s < 6; s++) {
            cpu.setSegmentCache(s, seg, SETUP, 0xFFFF, 0x93);
        }
        cpu.setSegmentCache(Cpu.CS, seg + 0x20, SETUP + 0x200, 0xFFFF, 0x9B);
        cpu.eip = 0;
        cpu.regs[Cpu.ESP] = HEAP_END;
        cpu.setEflags(2);
    }

    /** Top of RAM (or of initrd_addr_max), page-aligned, above the kernel's footprint. */
    private void placeInitrd(ByteBuffer b, int version, byte[] initrd, long kernelEnd, String name, int header) {
        long max = version >= 0x0203 ? b.getInt(0x22C) & 0xFFFF_FFFFL : 0x37FFFFFFL;
        long top = Math.min(max + 1, mem.ramSize() & 0xFFFF_FFFFL);
        long at = (top - initrd.length) & ~0xFFFL;
        if (at < kernelEnd) {
            throw new BadImageException(name + ": the initrd (" + (initrd.length >> 10)
                    + " KiB) does not fit between the kernel and the top of RAM; give more -m");
        }
        mem.load((int) at, initrd);
        mem.poke32(header + 0x218, (int) at);                 // ramdisk_image
        mem.poke32(header + 0x21C, initrd.length);            // ramdisk_size
    }

    /** The E820 table (boot_params 0x2D0, count at 0x1E8) and the legacy sizes in KiB. */
    private void writeMemoryInfo() {
        List<MemoryMap.Entry> map = MemoryMap.forRam(mem.ramSize());
        for (int i = 0; i < map.size(); i++) {
            MemoryMap.Entry e = map.get(i);
            int at = BOOT_PARAMS + 0x2D0 + 20 * i;
            mem.poke32(at, (int) e.base());
            mem.poke32(at + 4, (int) (e.base() >>> 32));
            mem.poke32(at + 8, (int) e.length());
            mem.poke32(at + 12, (int) (e.length() >>> 32));
            mem.poke32(at + 16, e.type());
        }
        mem.poke8(BOOT_PARAMS + 0x1E8, map.size());
        int extKib = (int) (((mem.ramSize() & 0xFFFF_FFFFL) - 0x100000) >> 10);
        mem.poke16(BOOT_PARAMS + 0x002, Math.min(extKib, 0xFFFF));   // screen_info.ext_mem_k
        mem.poke32(BOOT_PARAMS + 0x1E0, extKib);                     // alt_mem_k
    }

    /** screen_info: VGA text mode 3, 80x25, cursor at the top left, 16-line characters. */
    private void writeScreenInfo() {
        mem.poke8(BOOT_PARAMS + 0x06, 3);        // orig_video_mode
        mem.poke8(BOOT_PARAMS + 0x07, 80);       // orig_video_cols
        mem.poke8(BOOT_PARAMS + 0x0E, 25);       // orig_video_lines
        mem.poke8(BOOT_PARAMS + 0x0F, 1);        // orig_video_isVGA
        mem.poke16(BOOT_PARAMS + 0x10, 16);      // orig_video_points
    }

    private void enter(Cpu cpu, int entry) {
        FlatEntry.enter(cpu, mem, GDT, 0x10);     // __BOOT_CS 0x10, __BOOT_DS 0x18
        cpu.regs[Cpu.ESI] = BOOT_PARAMS;
        cpu.regs[Cpu.EBP] = 0;
        cpu.regs[Cpu.EDI] = 0;
        cpu.regs[Cpu.EBX] = 0;
        cpu.regs[Cpu.ESP] = BOOT_PARAMS;         // below the zero page; the kernel sets its own at once
        cpu.eip = entry;
    }
}
