package jx86.demo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The symbol table and section ranges of a 32-bit little-endian ELF file (System V gABI, "Symbol
 * Table" and "Sections"): enough to name the function or variable at a kernel address. Functions
 * and objects with a size are kept; a lookup finds the symbol that covers the address.
 */
public final class ElfSymbols {
    private static final int SHT_SYMTAB = 2;
    private static final int STT_OBJECT = 1;
    private static final int STT_FUNC = 2;

    /** A function or variable: {@code [value, value + size)}. */
    public record Symbol(String name, int value, int size, boolean function) {
        boolean covers(int addr) {
            long a = Integer.toUnsignedLong(addr);
            long v = Integer.toUnsignedLong(value);
            return a >= v && a < v + Math.max(1, size);
        }
    }

    /** An allocated section: {@code [addr, addr + size)}. */
    public record Section(String name, int addr, int size) {
        boolean covers(int a) {
            long x = Integer.toUnsignedLong(a);
            long s = Integer.toUnsignedLong(addr);
            return x >= s && x < s + size;
        }
    }

    /** A loadable segment (PT_LOAD): {@code [vaddr, vaddr + memsz)} in memory. */
    public record Segment(int vaddr, int memsz) {
    }

    private static final int PT_LOAD = 1;

    private final List<Symbol> symbols;
    private final Map<String, Symbol> byName = new HashMap<>();
    private final List<Section> sections;
    private final List<Segment> segments;

    private ElfSymbols(List<Symbol> symbols, List<Section> sections, List<Segment> segments) {
        this.symbols = symbols;
        this.sections = sections;
        this.segments = segments;
        for (Symbol s : symbols) {
            byName.putIfAbsent(s.name(), s);
        }
    }

    public static ElfSymbols read(Path elf) throws IOException {
        return parse(Files.readAllBytes(elf));
    }

    /** Parses an ELF32 image; throws IllegalArgumentException if it is not one or is cut short. */
    public static ElfSymbols parse(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        if (data.length < 52 || b.getInt(0) != 0x464C457F || data[4] != 1 || data[5] != 1) {
            throw new IllegalArgumentException("not a 32-bit little-endian ELF file");
        }
        try {
            int shoff = b.getInt(32);
            int shentsize = b.getShort(46) & 0xFFFF;
            int shnum = b.getShort(48) & 0xFFFF;
            int shstrndx = b.getShort(50) & 0xFFFF;
            int shstrOff = b.getInt(shoff + shstrndx * shentsize + 16);
            List<Section> sections = new ArrayList<>();
            List<Symbol> symbols = new ArrayList<>();
            for (int i = 0; i < shnum; i++) {
                int sh = shoff + i * shentsize;
                int type = b.getInt(sh + 4);
                int flags = b.getInt(sh + 8);
                int addr = b.getInt(sh + 12);
                int off = b.getInt(sh + 16);
                int size = b.getInt(sh + 20);
                int link = b.getInt(sh + 24);
                int entsize = b.getInt(sh + 36);
                if ((flags & 2) != 0 && size > 0) {      // SHF_ALLOC
                    sections.add(new Section(cString(data, shstrOff + b.getInt(sh)), addr, size));
                }
                if (type == SHT_SYMTAB && entsize >= 16) {
                    int strOff = b.getInt(shoff + link * shentsize + 16);
                    for (int e = off; e + 16 <= off + size; e += entsize) {
                        int kind = data[e + 12] & 0xF;
                        int value = b.getInt(e + 4);
                        int symSize = b.getInt(e + 8);
                        if ((kind == STT_FUNC || kind == STT_OBJECT) && value != 0) {
                            symbols.add(new Symbol(cString(data, strOff + b.getInt(e)), value, symSize, kind == STT_FUNC));
                        }
                    }
                }
            }
            symbols.sort(Comparator.comparingLong(s -> Integer.toUnsignedLong(s.value())));
            List<Segment> segments = new ArrayList<>();
            int phoff = b.getInt(28);
            int phentsize = b.getShort(42) & 0xFFFF;
            int phnum = b.getShort(44) & 0xFFFF;
            for (int i = 0; i < phnum && phentsize >= 32; i++) {
                int ph = phoff + i * phentsize;
                if (b.getInt(ph) == PT_LOAD) {
                    segments.add(new Segment(b.getInt(ph + 8), b.getInt(ph + 20)));
                }
            }
            return new ElfSymbols(List.copyOf(symbols), List.copyOf(sections), List.copyOf(segments));
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("ELF file cut short or malformed", e);
        }
    }

    private static String cString(byte[] data, int off) {
        int end = off;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, off, end - off, StandardCharsets.ISO_8859_1);
    }

    /** The symbol covering {@code addr}, if any. */
    public Optional<Symbol> at(int addr) {
        long a = Integer.toUnsignedLong(addr);
        int lo = 0;
        int hi = symbols.size() - 1;
        int found = -1;
        while (lo <= hi) {                        // last symbol with value <= addr
            int mid = (lo + hi) >>> 1;
            if (Integer.toUnsignedLong(symbols.get(mid).value()) <= a) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        for (int i = found; i >= 0 && i > found - 8; i--) {   // symbols may nest or share addresses
            if (symbols.get(i).covers(addr)) {
                return Optional.of(symbols.get(i));
            }
        }
        return Optional.empty();
    }

    /** {@code name+0xoff} for the symbol covering {@code addr}, or empty. */
    public Optional<String> describe(int addr) {
        return at(addr).map(s -> addr == s.value() ? s.name() : s.name() + "+0x" + Integer.toHexString(addr - s.value()));
    }

    public Optional<Symbol> symbol(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The allocated section holding {@code addr} (".text", ".data", ".bss" ...), or empty. */
    public Optional<Section> section(int addr) {
        return sections.stream().filter(s -> s.covers(addr)).findFirst();
    }

    public List<Section> sections() {
        return sections;
    }

    /** The loadable segments (program headers of type PT_LOAD), in file order. */
    public List<Segment> segments() {
        return segments;
    }
}
