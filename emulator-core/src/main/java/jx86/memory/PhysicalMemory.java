package jx86.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import jx86.bus.MmioDevice;

/**
 * The PC's physical address space (32-bit, addresses are unsigned ints).
 *
 * <pre>
 *   0x00000000-0x0009FFFF  conventional RAM
 *   0x000A0000-0x000BFFFF  VGA memory (text buffer at 0xB8000), behaves as RAM
 *   0x000C0000-0x000FFFFF  ROM: firmware writes it, guest writes are ignored
 *   0x00100000-ramSize-1   extended RAM (the -m option; default 128 MiB, at most 3 GiB)
 *   MMIO ranges            registered devices (local APIC 0xFEE00000, I/O APIC 0xFEC00000)
 *   0xFFFE0000-0xFFFFFFFF  alias of the BIOS ROM at 0xE0000 (the reset vector)
 *   anything else          unassigned: reads all ones, writes ignored
 * </pre>
 *
 * <p>RAM is little-endian byte arrays read through VarHandles; a Java array holds less than 2 GiB,
 * and a physical address of 2 GiB or more is a negative int. The first {@link #LOW_BYTES}
 * (128 MiB) are one array, {@code low}, allocated with the machine and indexed by the address
 * itself: every RAM access tests {@code 0 <= pa < low.length}, the same unsigned test as the
 * array's own bounds check, so a machine of up to 128 MiB (the default, and every benchmark
 * class) runs the single-array code plus that test. RAM above lies in chunks of
 * {@link #CHUNK_BYTES} (64 MiB): byte {@code pa & CHUNK_MASK} of {@code chunks[pa >>> CHUNK_SHIFT]}
 * (the table has an entry for every shift result; entries below LOW_BYTES and beyond RAM stay
 * null and are never reached). A chunk is allocated at its first store, copy or fill; until
 * then it reads as zeros, as a zeroed array would, so the guest sees no difference, and the
 * host's heap and page faults grow with the RAM the guest touches rather than with -m
 * (docs/machine.md, "Guest RAM in the host"). All pieces are 4 KiB-page aligned, so every access
 * the CPU makes inside one page stays inside one array. The ROM (0xC0000-0xFFFFF) lives in
 * {@code low}. The A20 gate masks address bit 20 of every access when disabled (real-mode wrap
 * at 1 MiB), as the chipset does.
 */
public final class PhysicalMemory {
    public static final int KIND_RAM = 0;
    public static final int KIND_ROM = 1;
    public static final int KIND_MMIO = 2;
    public static final int KIND_UNASSIGNED = 3;

    public static final int ROM_START = 0xC0000;
    public static final int ROM_END = 0x100000;
    public static final int HIGH_BIOS_START = 0xFFFE0000;
    public static final int BIOS_ALIAS_BASE = 0xE0000;
    /** The largest RAM: 3 GiB, below the hole 0xC0000000-0xFFFFFFFF that holds the APICs and the BIOS alias. */
    public static final long MAX_RAM_BYTES = 3L << 30;

    /**
     * Size of the chunks RAM above {@link #LOW_BYTES} is held in: 2^CHUNK_SHIFT bytes (64 MiB;
     * docs/machine.md). Not smaller: G1 stores an array larger than half a region in whole regions
     * of its own, so a 4 MiB array (plus its header) took five 1 MiB regions, and -m 2200 no
     * longer fitted the -Xmx3g that jx86's heap hint names; at 64 MiB the waste is 1.6 %.
     */
    public static final int CHUNK_SHIFT = 26;
    public static final int CHUNK_BYTES = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = CHUNK_BYTES - 1;
    /** RAM below this (128 MiB) is the one array {@code low}, allocated with the machine. */
    public static final int LOW_BYTES = 128 << 20;

    private static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** RAM from 0 up to LOW_BYTES (or its end), the ROM included: low[pa]. */
    private final byte[] low;
    /**
     * RAM from LOW_BYTES up: chunks[pa >>> CHUNK_SHIFT][pa & CHUNK_MASK]; 64 entries, null where
     * not RAM or not yet touched (see {@link #chunkFor}).
     */
    private final byte[][] chunks = new byte[1 << (32 - CHUNK_SHIFT)][];
    private final long ramSize;
    /** Thrown when a chunk cannot be allocated (see {@link #allocateChunk}). */
    private final RamUnavailableException unavailable;
    /** One entry per 4 KiB page of the 4 GiB space: KIND_*. */
    private final byte[] pageKind = new byte[1 << 20];
    private final List<MmioRange> mmio = new ArrayList<>();
    private int a20Mask = 0xFFFF_FFFF;
    private Runnable a20Listener = () -> { };
    /** Hears every write to RAM (stores, string fast paths, DMA, loader); see the decode cache. */
    private final CodeWriteTracker codeWrites;

    private record MmioRange(int start, int end, String name, MmioDevice device) {
        boolean contains(int pa) {
            return Integer.compareUnsigned(pa, start) >= 0 && Integer.compareUnsigned(pa, end) <= 0;
        }
    }

    /** @param ramBytes RAM size, a multiple of 4 KiB, at least 1 MiB and at most {@link #MAX_RAM_BYTES} */
    public PhysicalMemory(long ramBytes) {
        this(ramBytes, LOW_BYTES);
    }

    /**
     * For tests: RAM from {@code lowBytes} (a multiple of CHUNK_BYTES, at most LOW_BYTES) up lies
     * in chunks, so that a machine small enough for a unit test has chunks too.
     */
    PhysicalMemory(long ramBytes, int lowBytes) {
        if (ramBytes < ROM_END || ramBytes > MAX_RAM_BYTES || (ramBytes & 0xFFF) != 0) {
            throw new IllegalArgumentException("RAM size must be a multiple of 4 KiB, at least 1 MiB and at most 3 GiB");
        }
        if (lowBytes <= 0 || lowBytes > LOW_BYTES || (lowBytes & CHUNK_MASK) != 0) {
            throw new IllegalArgumentException("the low array must be whole chunks, at most LOW_BYTES");
        }
        this.ramSize = ramBytes;
        this.unavailable = new RamUnavailableException(ramBytes);
        this.low = new byte[(int) Math.min(ramBytes, lowBytes)];
        this.codeWrites = new CodeWriteTracker((int) (ramBytes >>> 12));
        // Filled by ranges, not page by page: a loop over the 2^20 pages runs in the bytecode
        // interpreter this early and cost 25 ms or more of every start-up (docs/performance.md).
        // RAM, then unassigned up to the high BIOS, then ROM over it and over the legacy ROM hole.
        int ramPages = (int) (ramBytes >>> 12);
        int highBiosPage = HIGH_BIOS_START >>> 12;
        java.util.Arrays.fill(pageKind, 0, ramPages, (byte) KIND_RAM);
        java.util.Arrays.fill(pageKind, ramPages, Math.max(ramPages, highBiosPage), (byte) KIND_UNASSIGNED);
        java.util.Arrays.fill(pageKind, Math.max(ramPages, highBiosPage), pageKind.length, (byte) KIND_ROM);
        java.util.Arrays.fill(pageKind, ROM_START >>> 12, ROM_END >>> 12, (byte) KIND_ROM);
    }

    /** RAM size in bytes (up to 3 GiB, so a long: as an int it would be negative above 2 GiB). */
    public long ramSize() {
        return ramSize;
    }

    /** Maps a device over {@code [start, start+size)}; the range must be page-aligned and not RAM. */
    public void registerMmio(int start, int size, String name, MmioDevice device) {
        if ((start & 0xFFF) != 0 || (size & 0xFFF) != 0 || size == 0) {
            throw new IllegalArgumentException("MMIO range of " + name + " must be page-aligned");
        }
        int end = start + size - 1;
        for (int page = start >>> 12; page <= end >>> 12; page++) {
            if (pageKind[page] == KIND_MMIO) {
                throw new IllegalStateException(String.format("MMIO 0x%08x: %s overlaps another device", page << 12, name));
            }
        }
        for (int page = start >>> 12; page <= end >>> 12; page++) {
            pageKind[page] = KIND_MMIO;
        }
        mmio.add(new MmioRange(start, end, name, device));
        a20Listener.run(); // the MMU's data fast path caches "this page is RAM": drop it
    }

    /** KIND_* of the page holding {@code pa} (after the A20 mask). */
    public int kindOf(int pa) {
        return pageKind[(pa & a20Mask) >>> 12];
    }

    // ---- A20 gate ----

    public boolean a20Enabled() {
        return a20Mask == 0xFFFF_FFFF;
    }

    public int a20Mask() {
        return a20Mask;
    }

    public void setA20(boolean enabled) {
        int newMask = enabled ? 0xFFFF_FFFF : ~(1 << 20);
        if (newMask != a20Mask) {
            a20Mask = newMask;
            a20Listener.run();
        }
    }

    /**
     * Called when the A20 gate changes or a device is mapped (the MMU drops cached translations:
     * its data fast path holds RAM pages after the A20 mask).
     */
    public void setA20Listener(Runnable listener) {
        this.a20Listener = listener;
    }

    public CodeWriteTracker codeWrites() {
        return codeWrites;
    }

    // ---- unchecked RAM primitives: pa must be RAM and the access must not leave the array ----

    // (0 <= pa < low.length: the same unsigned compare the array's bounds check makes, which the
    // JIT then drops; the chunk path is taken only by RAM above LOW_BYTES. The 8- and 32-bit
    // primitives keep that path in a method of its own, so that they stay within 35 bytes of
    // bytecode, which C2 inlines at every call site: see Mmu's data accesses.)

    public int ramRead8(int pa) {
        byte[] l = low;
        if (pa >= 0 && pa < l.length) {
            return l[pa] & 0xFF;
        }
        return chunkRead8(pa);
    }

    // (A chunk not yet allocated reads as zeros: the reads below do not allocate it.)

    private int chunkRead8(int pa) {
        byte[] c = chunks[pa >>> CHUNK_SHIFT];
        return c == null ? 0 : c[pa & CHUNK_MASK] & 0xFF;
    }

    public int ramRead16(int pa) {
        byte[] l = low;
        if (pa >= 0 && pa < l.length) {
            return (short) LE16.get(l, pa) & 0xFFFF;
        }
        return chunkRead16(pa);
    }

    private int chunkRead16(int pa) {
        byte[] c = chunks[pa >>> CHUNK_SHIFT];
        return c == null ? 0 : (short) LE16.get(c, pa & CHUNK_MASK) & 0xFFFF;
    }

    public int ramRead32(int pa) {
        byte[] l = low;
        if (pa >= 0 && pa < l.length) {
            return (int) LE32.get(l, pa);
        }
        return chunkRead32(pa);
    }

    private int chunkRead32(int pa) {
        byte[] c = chunks[pa >>> CHUNK_SHIFT];
        return c == null ? 0 : (int) LE32.get(c, pa & CHUNK_MASK);
    }

    public void ramWrite8(int pa, int value) {
        byte[] l = low;
        if (pa >= 0 && pa < l.length) {
            l[pa] = (byte) value;
        } else {
            chunkWrite8(pa, value);
        }
    }

    private void chunkWrite8(int pa, int value) {
        chunkFor(pa)[pa & CHUNK_MASK] = (byte) value;
    }

    public void ramWrite16(int pa, int value) {
        byte[] l = low;
        if (pa >= 0 && pa < l.length) {
            LE16.set(l, pa, (short) value);
        } else {
            chunkWrite16(pa, value);
        }
    }

    private void chunkWrite16(int pa, int value) {
        LE16.set(chunkFor(pa), pa & CHUNK_MASK, (short) value);
    }

    public void ramWrite32(int pa, int value) {
        byte[] l = low;
        if (pa >= 0 && pa < l.length) {
            LE32.set(l, pa, value);
        } else {
            chunkWrite32(pa, value);
        }
    }

    private void chunkWrite32(int pa, int value) {
        LE32.set(chunkFor(pa), pa & CHUNK_MASK, value);
    }

    /**
     * Stores for callers that know {@code pa} is RAM and the access stays in its page (the MMU's
     * data fast path, and {@link #write32} and the like once they have routed to RAM):
     * {@code ramWrite*} plus the code-write tracker, without the A20 mask and the page-kind test.
     */
    public void ramStore8(int pa, int value) {
        codeWrites.noteWrite(pa, 1);
        ramWrite8(pa, value);
    }

    public void ramStore16(int pa, int value) {
        codeWrites.noteWrite(pa, 2);
        ramWrite16(pa, value);
    }

    public void ramStore32(int pa, int value) {
        codeWrites.noteWrite(pa, 4);
        ramWrite32(pa, value);
    }

    /** The array holding RAM address {@code pa} (allocated if need be); {@link #indexOf} is its index there. */
    private byte[] arrayOf(int pa) {
        return pa >= 0 && pa < low.length ? low : chunkFor(pa);
    }

    /**
     * The chunk holding RAM address {@code pa} (at or above the low array's end), allocated at
     * this first access. The start-up heap check (BootCommand.checkHeap) makes room for all of
     * RAM; should the heap still be too full, this throws {@link RamUnavailableException}, which
     * ends the run with a message naming the heap setting, never an OutOfMemoryError.
     */
    private byte[] chunkFor(int pa) {
        byte[] c = chunks[pa >>> CHUNK_SHIFT];
        return c != null ? c : allocateChunk(pa >>> CHUNK_SHIFT);
    }

    private byte[] allocateChunk(int index) {
        int size = (int) Math.min(CHUNK_BYTES, ramSize - ((long) index << CHUNK_SHIFT));
        byte[] c;
        try {
            c = new byte[size];
        } catch (OutOfMemoryError e) {
            throw unavailable; // made at start: with the heap full, a new exception may not fit either
        }
        chunks[index] = c;
        return c;
    }

    /** Whether the chunk holding RAM address {@code pa} has been allocated (for tests). */
    boolean chunkAllocated(int pa) {
        return chunks[pa >>> CHUNK_SHIFT] != null;
    }

    /**
     * The JVM could not allocate a piece of guest RAM at its first use: the heap was fuller or
     * more fragmented than the start-up check estimated. The run ends; the message names the RAM.
     */
    public static final class RamUnavailableException extends RuntimeException {
        RamUnavailableException(long ramSize) {
            super("the Java heap could not hold the guest's RAM (" + (ramSize >> 20) + " MiB)", null, false, false);
        }
    }

    /** Index of RAM address {@code pa} in {@link #arrayOf}: never negative, unlike an address >= 2 GiB. */
    private int indexOf(int pa) {
        return pa >= 0 && pa < low.length ? pa : pa & CHUNK_MASK;
    }

    // ---- routed accesses: any physical address, any alignment ----

    public int read8(int pa) {
        pa &= a20Mask;
        switch (pageKind[pa >>> 12]) {
            case KIND_RAM:
                return ramRead8(pa);
            case KIND_ROM:
                return low[romIndex(pa)] & 0xFF;
            case KIND_MMIO:
                return mmioRead(pa, 1);
            default:
                return 0xFF;
        }
    }

    public int read16(int pa) {
        pa &= a20Mask;
        if ((pa & 0xFFF) <= 0xFFE && pageKind[pa >>> 12] == KIND_RAM) {
            return ramRead16(pa);
        }
        if ((pa & 0xFFF) <= 0xFFE && pageKind[pa >>> 12] == KIND_MMIO) {
            return mmioRead(pa, 2);
        }
        return read8(pa) | (read8(pa + 1) << 8);
    }

    public int read32(int pa) {
        pa &= a20Mask;
        if ((pa & 0xFFF) <= 0xFFC && pageKind[pa >>> 12] == KIND_RAM) {
            return ramRead32(pa);
        }
        return read32Other(pa);
    }

    /**
     * {@link #read32} of a 4-byte aligned address, which never crosses a page: for the page walker's
     * directory and table entries, without read32's page-end test.
     */
    public int readAligned32(int pa) {
        pa &= a20Mask;
        if (pageKind[pa >>> 12] == KIND_RAM) {
            return ramRead32(pa);
        }
        return read32Other(pa);
    }

    /** read32 of MMIO, ROM, unassigned space or across a page end (kept out of the RAM fast path). */
    private int read32Other(int pa) {
        if ((pa & 0xFFF) <= 0xFFC && pageKind[pa >>> 12] == KIND_MMIO) {
            return mmioRead(pa, 4);
        }
        return read16(pa) | (read16(pa + 2) << 16);
    }

    public void write8(int pa, int value) {
        pa &= a20Mask;
        switch (pageKind[pa >>> 12]) {
            case KIND_RAM:
                ramStore8(pa, value);
                break;
            case KIND_MMIO:
                mmioWrite(pa, 1, value & 0xFF);
                break;
            default:
                break; // ROM and unassigned ignore writes
        }
    }

    public void write16(int pa, int value) {
        pa &= a20Mask;
        if ((pa & 0xFFF) <= 0xFFE && pageKind[pa >>> 12] == KIND_RAM) {
            ramStore16(pa, value);
        } else if ((pa & 0xFFF) <= 0xFFE && pageKind[pa >>> 12] == KIND_MMIO) {
            mmioWrite(pa, 2, value & 0xFFFF);
        } else {
            write8(pa, value);
            write8(pa + 1, value >>> 8);
        }
    }

    public void write32(int pa, int value) {
        pa &= a20Mask;
        if ((pa & 0xFFF) <= 0xFFC && pageKind[pa >>> 12] == KIND_RAM) {
            ramStore32(pa, value);
        } else {
            write32Other(pa, value);
        }
    }

    /** write32 to MMIO, ROM, unassigned space or across a page end (kept out of the RAM fast path). */
    private void write32Other(int pa, int value) {
        if ((pa & 0xFFF) <= 0xFFC && pageKind[pa >>> 12] == KIND_MMIO) {
            mmioWrite(pa, 4, value);
        } else {
            write16(pa, value);
            write16(pa + 2, value >>> 16);
        }
    }

    // ---- string-instruction fast paths: pages the caller found KIND_RAM through kindOf ----

    /**
     * REP MOVS fast path: copies {@code count} elements of {@code size} bytes from {@code srcPa}
     * upward to {@code dstPa}. Each range lies inside one RAM page. A destination overlapping the
     * source from above is copied element by element in ascending order, exactly as the CPU's
     * iterations do (so REP MOVSB with dst = src + 1 replicates a byte); the code-write tracker
     * hears about the destination page, as for any store.
     */
    public void ramCopyUp(int dstPa, int srcPa, int count, int size) {
        dstPa &= a20Mask;
        srcPa &= a20Mask;
        int len = count * size;
        codeWrites.noteWrite(dstPa, len);
        byte[] dst = arrayOf(dstPa);
        byte[] src = arrayOf(srcPa);
        int d = indexOf(dstPa);
        int s = indexOf(srcPa);
        if (dst != src || d <= s || d - s >= len) {
            System.arraycopy(src, s, dst, d, len);
        } else if (size == 1) {
            for (int i = 0; i < len; i++) {
                dst[d + i] = src[s + i];
            }
        } else if (size == 2) {
            for (int i = 0; i < len; i += 2) {
                LE16.set(dst, d + i, (short) LE16.get(src, s + i));
            }
        } else {
            for (int i = 0; i < len; i += 4) {
                LE32.set(dst, d + i, (int) LE32.get(src, s + i));
            }
        }
    }

    /**
     * REP STOS fast path: stores the low {@code size} bytes of {@code value} {@code count} times
     * upward from {@code dstPa}, a range inside one RAM page (the tracker hears about the page).
     */
    public void ramFill(int dstPa, int value, int count, int size) {
        dstPa &= a20Mask;
        codeWrites.noteWrite(dstPa, count * size);
        byte[] dst = arrayOf(dstPa);
        int d = indexOf(dstPa);
        if (size == 1) {
            java.util.Arrays.fill(dst, d, d + count, (byte) value);
        } else if (size == 2) {
            for (int i = 0; i < count; i++) {
                LE16.set(dst, d + 2 * i, (short) value);
            }
        } else {
            for (int i = 0; i < count; i++) {
                LE32.set(dst, d + 4 * i, value);
            }
        }
    }

    // ---- firmware and loader access (bypasses ROM protection, never MMIO) ----

    /** Copies {@code data} to physical memory, ROM included (for the firmware and the ELF loader). */
    public void load(int pa, byte[] data, int offset, int length) {
        for (int i = 0; i < length; i++) {
            poke8(pa + i, data[offset + i]);
        }
    }

    public void load(int pa, byte[] data) {
        load(pa, data, 0, data.length);
    }

    /** Writes one byte to RAM or ROM (firmware only). */
    public void poke8(int pa, int value) {
        int kind = pageKind[pa >>> 12];
        if (kind == KIND_RAM) {
            ramStore8(pa, value);
        } else if (kind == KIND_ROM) {
            low[romIndex(pa)] = (byte) value;
        } else {
            throw new IllegalArgumentException(String.format("0x%08x is neither RAM nor ROM", pa));
        }
    }

    public void poke16(int pa, int value) {
        poke8(pa, value);
        poke8(pa + 1, value >>> 8);
    }

    public void poke32(int pa, int value) {
        poke16(pa, value);
        poke16(pa + 2, value >>> 16);
    }

    /** Copies {@code length} bytes out of RAM/ROM (for DMA-style device reads and tests). */
    public byte[] dump(int pa, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) read8(pa + i);
        }
        return out;
    }

    private int romIndex(int pa) {
        // The top 128 KiB of the 4 GiB space alias 0xE0000-0xFFFFF, as on a PC.
        return Integer.compareUnsigned(pa, HIGH_BIOS_START) >= 0 ? BIOS_ALIAS_BASE + (pa - HIGH_BIOS_START) : pa;
    }

    private int mmioRead(int pa, int size) {
        for (MmioRange r : mmio) {
            if (r.contains(pa)) {
                return r.device.mmioRead(pa, size);
            }
        }
        return size == 4 ? -1 : (1 << (8 * size)) - 1;
    }

    private void mmioWrite(int pa, int size, int value) {
        for (MmioRange r : mmio) {
            if (r.contains(pa)) {
                r.device.mmioWrite(pa, size, value);
                return;
            }
        }
    }
}
