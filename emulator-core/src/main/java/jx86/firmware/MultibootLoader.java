package jx86.firmware;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import jx86.cpu.Cpu;
import jx86.memory.PhysicalMemory;

/**
 * Loads a kernel the way a Multiboot v1 boot loader does (Multiboot Specification 0.6.96) and
 * leaves the CPU in the state section 3.2 prescribes: 32-bit protected mode, flat segments, paging
 * off, IF=0, A20 on, EAX=0x2BADB002, EBX=physical address of the multiboot information.
 *
 * <p>Where the info lives: the structure, its strings and the memory map at {@link #INFO_BASE} in
 * conventional memory, a small GDT at {@link #GDT_BASE} (so the segment registers hold real
 * selectors, 0x08 code and 0x10 data, as QEMU's loader gives them) and the initial stack below
 * 0x7C00 — as long as the kernel leaves 0x6000-0x9FBFF free. A kernel linked lower (test kernels at
 * 0x8000) gets them in the largest stretch of conventional memory it leaves free instead, or above
 * the kernel and its modules when conventional memory is all taken: the loader's data never lands
 * on the kernel, as with QEMU. Modules are page-aligned after the kernel's last byte, and at 1 MiB
 * or above (like QEMU and GRUB).
 */
public final class MultibootLoader {
    public static final int HEADER_MAGIC = 0x1BADB002;
    public static final int BOOT_MAGIC = 0x2BADB002;
    public static final int GDT_BASE = 0x6000;
    public static final int INFO_BASE = 0x9000;
    private static final int INFO_LIMIT = MemoryMap.EBDA_START;

    private static final int MBI_MEM = 1;
    private static final int MBI_CMDLINE = 1 << 2;
    private static final int MBI_MODS = 1 << 3;
    private static final int MBI_MMAP = 1 << 6;
    private static final int MBI_LOADER_NAME = 1 << 9;

    /** One module to hand to the kernel: its bytes and its string (usually "path args"). */
    public record Module(byte[] data, String string) {
    }

    /** Smallest free stretch of conventional memory the loader's data is put in. */
    private static final int MIN_AREA = 16 * 1024;

    private final PhysicalMemory mem;
    private int infoCursor;
    private int infoLimit = INFO_LIMIT;
    private int gdtBase = GDT_BASE;
    private int stackTop = 0x7C00;
    /** Physical ranges [start, end) the kernel occupies. */
    private final List<long[]> kernelRanges = new ArrayList<>();

    public MultibootLoader(PhysicalMemory mem) {
        this.mem = mem;
    }

    /**
     * Loads {@code kernel} and {@code modules} into memory and puts the CPU at the kernel's entry.
     *
     * @throws BadImageException for a kernel that is not a loadable multiboot image
     */
    public void load(Cpu cpu, byte[] kernel, String kernelName, String cmdline, List<Module> modules) {
        int end = loadKernel(kernel, kernelName, cpu);
        int modulesEnd = placeModules(modules, end);
        chooseDataArea(modulesEnd);
        int info = writeInfo(cmdline, modules, end, kernelName);
        enterKernel(cpu, info);
    }

    /** Loads the kernel image; returns the first byte past it and sets cpu.eip to its entry. */
    private int loadKernel(byte[] kernel, String name, Cpu cpu) {
        int header = findHeader(kernel);
        ByteBuffer b = ByteBuffer.wrap(kernel).order(ByteOrder.LITTLE_ENDIAN);
        if (header >= 0 && (b.getInt(header + 4) & (1 << 16)) != 0 && !ElfImage.isElf(kernel)) {
            return loadAoutKludge(kernel, name, b, header, cpu);
        }
        if (!ElfImage.isElf(kernel)) {
            throw new BadImageException(name + ": neither an ELF file nor a multiboot image with load addresses");
        }
        ElfImage elf = ElfImage.parse(kernel, name);
        long end = 0;
        for (ElfImage.Segment s : elf.segments()) {
            long last = (s.physAddr() & 0xFFFF_FFFFL) + s.memSize();
            long first = s.physAddr() & 0xFFFF_FFFFL;
            if (s.memSize() > 0 && first < 0x100000 && (first < 0x500 || last > MemoryMap.EBDA_START)) {
                throw new BadImageException(name + String.format(
                        ": segment at 0x%x overlaps the BIOS data or the 640 KiB-1 MiB hole", s.physAddr()));
            }
            if (s.memSize() > 0) {
                kernelRanges.add(new long[] {first, last});
            }
            if (last > mem.ramSize()) {
                throw new BadImageException(name + String.format(
                        ": segment at 0x%x needs more RAM than the %d MiB configured", s.physAddr(), mem.ramSize() >> 20));
            }
            mem.load(s.physAddr(), kernel, s.fileOffset(), s.fileSize());
            for (int i = s.fileSize(); i < s.memSize(); i++) {
                mem.poke8(s.physAddr() + i, 0);
            }
            end = Math.max(end, last);
        }
        cpu.eip = elf.entry();
        return (int) end;
    }

    private int loadAoutKludge(byte[] kernel, String name, ByteBuffer b, int header, Cpu cpu) {
        int headerAddr = b.getInt(header + 12);
        int loadAddr = b.getInt(header + 16);
        int loadEnd = b.getInt(header + 20);
        int bssEnd = b.getInt(header + 24);
        int entry = b.getInt(header + 28);
        long fileStart = header - ((headerAddr - loadAddr) & 0xFFFF_FFFFL);
        long length = loadEnd == 0 ? kernel.length - fileStart : (loadEnd - loadAddr) & 0xFFFF_FFFFL;
        if (fileStart < 0 || fileStart + length > kernel.length) {
            throw new BadImageException(name + ": multiboot load addresses do not match the file");
        }
        long end = bssEnd != 0 ? bssEnd & 0xFFFF_FFFFL : (loadAddr & 0xFFFF_FFFFL) + length;
        if (end > mem.ramSize()) {
            throw new BadImageException(name + ": kernel needs more RAM than configured");
        }
        kernelRanges.add(new long[] {loadAddr & 0xFFFF_FFFFL, end});
        mem.load(loadAddr, kernel, (int) fileStart, (int) length);
        for (long a = (loadAddr & 0xFFFF_FFFFL) + length; a < end; a++) {
            mem.poke8((int) a, 0);
        }
        cpu.eip = entry;
        return (int) end;
    }

    /** Offset of a valid multiboot header in the first 8 KiB, or -1. */
    public static int findHeader(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off + 12 <= Math.min(image.length, 8192); off += 4) {
            if (b.getInt(off) == HEADER_MAGIC && b.getInt(off) + b.getInt(off + 4) + b.getInt(off + 8) == 0) {
                return off;
            }
        }
        return -1;
    }

    /** Where each module goes: page-aligned after the kernel, never below 1 MiB. Returns the end. */
    private int placeModules(List<Module> modules, int kernelEnd) {
        moduleAddrs = new int[modules.size()];
        int next = align(Math.max(kernelEnd, 0x100000), 4096);
        for (int i = 0; i < modules.size(); i++) {
            Module m = modules.get(i);
            if ((next & 0xFFFF_FFFFL) + m.data().length > mem.ramSize()) {
                throw new BadImageException("module " + m.string() + " does not fit in RAM");
            }
            moduleAddrs[i] = next;
            next = align(next + m.data().length, 4096);
        }
        return modules.isEmpty() ? kernelEnd : next;
    }

    private int[] moduleAddrs = new int[0];

    /**
     * Picks where the GDT, the info structure and the stack go: the usual 0x6000-0x9FBFF when the
     * kernel leaves it free, else the largest free stretch of conventional memory (at least
     * {@link #MIN_AREA}), else 64 KiB above everything loaded.
     */
    private void chooseDataArea(int loadedEnd) {
        if (free(GDT_BASE, INFO_LIMIT)) {
            return;
        }
        long bestStart = -1;
        long bestEnd = -1;
        long start = 0x1000;
        List<long[]> sorted = new ArrayList<>(kernelRanges);
        sorted.sort(Comparator.comparingLong(r -> r[0]));
        for (long[] r : sorted) {
            if (r[0] > start && Math.min(r[0], INFO_LIMIT) - start > bestEnd - bestStart) {
                bestStart = start;
                bestEnd = Math.min(r[0], INFO_LIMIT);
            }
            start = Math.max(start, r[1]);
        }
        if (INFO_LIMIT - start > bestEnd - bestStart) {
            bestStart = start;
            bestEnd = INFO_LIMIT;
        }
        if (bestEnd - bestStart < MIN_AREA) {
            bestStart = align(Math.max(loadedEnd, 0x100000), 4096) & 0xFFFF_FFFFL;
            bestEnd = bestStart + 0x10000;
            if (bestEnd > mem.ramSize()) {
                throw new BadImageException("no room left in RAM for the multiboot information");
            }
        }
        gdtBase = align((int) bestStart, 16);
        stackTop = (int) bestEnd & ~15;
        infoLimit = stackTop - 0x1000;          // the top 4 KiB are the stack
        infoBase = gdtBase + 0x40;
    }

    private int infoBase = INFO_BASE;

    /** Whether [start, end) holds none of the kernel's bytes. */
    private boolean free(long start, long end) {
        for (long[] r : kernelRanges) {
            if (r[0] < end && start < r[1]) {
                return false;
            }
        }
        return true;
    }

    private int writeInfo(String cmdline, List<Module> modules, int kernelEnd, String kernelName) {
        int info = infoBase;
        infoCursor = infoBase + 128;
        for (int i = 0; i < 128; i += 4) {
            mem.poke32(info + i, 0);
        }
        int flags = MBI_MEM | MBI_CMDLINE | MBI_MMAP | MBI_LOADER_NAME;
        mem.poke32(info + 4, MemoryMap.EBDA_START >> 10);
        mem.poke32(info + 8, (int) ((mem.ramSize() - 0x100000) >> 10));
        mem.poke32(info + 16, putString(cmdline));
        mem.poke32(info + 64, putString("jx86"));
        if (!modules.isEmpty()) {
            flags |= MBI_MODS;
            int list = allocate(16 * modules.size());
            for (int i = 0; i < modules.size(); i++) {
                Module m = modules.get(i);
                int next = moduleAddrs[i];
                mem.load(next, m.data());
                mem.poke32(list + 16 * i, next);
                mem.poke32(list + 16 * i + 4, next + m.data().length);
                mem.poke32(list + 16 * i + 8, putString(m.string()));
                mem.poke32(list + 16 * i + 12, 0);
            }
            mem.poke32(info + 20, modules.size());
            mem.poke32(info + 24, list);
        }
        List<MemoryMap.Entry> map = MemoryMap.forRam(mem.ramSize());
        int mmap = allocate(24 * map.size());
        for (int i = 0; i < map.size(); i++) {
            MemoryMap.Entry e = map.get(i);
            int at = mmap + 24 * i;
            mem.poke32(at, 20);
            mem.poke32(at + 4, (int) e.base());
            mem.poke32(at + 8, (int) (e.base() >>> 32));
            mem.poke32(at + 12, (int) e.length());
            mem.poke32(at + 16, (int) (e.length() >>> 32));
            mem.poke32(at + 20, e.type());
        }
        mem.poke32(info + 44, 24 * map.size());
        mem.poke32(info + 48, mmap);
        mem.poke32(info, flags);
        return info;
    }

    private int putString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int at = allocate(bytes.length + 1);
        mem.load(at, bytes);
        mem.poke8(at + bytes.length, 0);
        return at;
    }

    private int allocate(int size) {
        int at = align(infoCursor, 4);
        if (at + size > infoLimit) {
            throw new BadImageException("multiboot command line and module strings are too long");
        }
        infoCursor = at + size;
        return at;
    }

    private static int align(int value, int alignment) {
        return (value + alignment - 1) & -alignment;
    }

    /** Section 3.2 machine state, with a real GDT behind the selectors. */
    private void enterKernel(Cpu cpu, int info) {
        FlatEntry.enter(cpu, mem, gdtBase, 0x08); // code 0x08, data 0x10
        cpu.regs[Cpu.EAX] = BOOT_MAGIC;
        cpu.regs[Cpu.EBX] = info;
        cpu.regs[Cpu.ESP] = stackTop; // undefined by the spec; a stack where the kernel is not
    }
}
