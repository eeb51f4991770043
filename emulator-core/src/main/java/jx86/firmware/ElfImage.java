package jx86.firmware;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A 32-bit little-endian x86 ELF executable (System V ABI, i386 supplement), reduced to what a
 * boot loader needs: the entry point and the PT_LOAD segments. Every field is validated so a
 * malformed file gives one clear message instead of an exception from deep inside the loader.
 */
public final class ElfImage {
    private static final int PT_LOAD = 1;
    private static final int EM_386 = 3;
    private static final int ET_EXEC = 2;

    /** One PT_LOAD segment: copy {@code fileSize} bytes from {@code fileOffset} to {@code physAddr}, zero the rest. */
    public record Segment(int physAddr, int fileOffset, int fileSize, int memSize) {
    }

    private final int entry;
    private final List<Segment> segments;

    private ElfImage(int entry, List<Segment> segments) {
        this.entry = entry;
        this.segments = segments;
    }

    public int entry() {
        return entry;
    }

    public List<Segment> segments() {
        return segments;
    }

    /** True if {@code data} starts with the ELF magic. */
    public static boolean isElf(byte[] data) {
        return data.length >= 4 && data[0] == 0x7F && data[1] == 'E' && data[2] == 'L' && data[3] == 'F';
    }

    /**
     * Parses {@code data}; {@code name} is used in error messages.
     *
     * @throws BadImageException if it is not a loadable 32-bit x86 ELF executable
     */
    public static ElfImage parse(byte[] data, String name) {
        if (!isElf(data)) {
            throw new BadImageException(name + ": not an ELF file");
        }
        if (data.length < 52) {
            throw new BadImageException(name + ": truncated ELF header");
        }
        if (data[4] != 1) {
            throw new BadImageException(name + ": not a 32-bit ELF file (ELFCLASS64?)");
        }
        if (data[5] != 1) {
            throw new BadImageException(name + ": not a little-endian ELF file");
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int type = b.getShort(16) & 0xFFFF;
        int machine = b.getShort(18) & 0xFFFF;
        if (machine != EM_386) {
            throw new BadImageException(name + ": ELF machine " + machine + " is not i386");
        }
        if (type != ET_EXEC) {
            throw new BadImageException(name + ": ELF type " + type + " is not an executable (ET_EXEC)");
        }
        int entry = b.getInt(24);
        long phoff = b.getInt(28) & 0xFFFF_FFFFL;
        int phentsize = b.getShort(42) & 0xFFFF;
        int phnum = b.getShort(44) & 0xFFFF;
        if (phnum == 0) {
            throw new BadImageException(name + ": ELF file has no program headers");
        }
        if (phentsize < 32 || phoff + (long) phentsize * phnum > data.length) {
            throw new BadImageException(name + ": ELF program headers lie outside the file");
        }
        List<Segment> segs = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int at = (int) (phoff + (long) i * phentsize);
            if (b.getInt(at) != PT_LOAD) {
                continue;
            }
            long offset = b.getInt(at + 4) & 0xFFFF_FFFFL;
            int paddr = b.getInt(at + 12);
            long filesz = b.getInt(at + 16) & 0xFFFF_FFFFL;
            long memsz = b.getInt(at + 20) & 0xFFFF_FFFFL;
            if (offset + filesz > data.length) {
                throw new BadImageException(name + ": ELF segment " + i + " lies outside the file");
            }
            if (memsz < filesz) {
                throw new BadImageException(name + ": ELF segment " + i + " has memsz < filesz");
            }
            if ((paddr & 0xFFFF_FFFFL) + memsz > 0x1_0000_0000L) {
                throw new BadImageException(name + ": ELF segment " + i + " extends past 4 GiB");
            }
            segs.add(new Segment(paddr, (int) offset, (int) filesz, (int) memsz));
        }
        if (segs.isEmpty()) {
            throw new BadImageException(name + ": ELF file has no loadable segment");
        }
        return new ElfImage(entry, List.copyOf(segs));
    }
}
