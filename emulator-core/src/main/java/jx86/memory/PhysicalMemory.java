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
 *   0x00100000-ramSize-1   extended RAM (the -m option; default 128 MiB)
 *   MMIO ranges            registered devices (local APIC 0xFEE00000, I/O APIC 0xFEC00000)
 *   0xFFFE0000-0xFFFFFFFF  alias of the BIOS ROM at 0xE0000 (the reset vector)
 *   anything else          unassigned: reads all ones, writes ignored
 * </pre>
 *
 * <p>RAM is one little-endian byte array read through VarHandles. The A20 gate masks address bit
 * 20 of every access when disabled (real-mode wrap at 1 MiB), as the chipset does.
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

    private static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] ram;
    private final int ramSize;
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

    /** @param ramBytes RAM size, a multiple of 4 KiB, at least 1 MiB (one Java array: below 2 GiB) */
    public PhysicalMemory(int ramBytes) {
        if (ramBytes < ROM_END || (ramBytes & 0xFFF) != 0) {
            throw new IllegalArgumentException("RAM size must be a multiple of 4 KiB and at least 1 MiB");
        }
        this.ramSize = ramBytes;
        this.ram = new byte[ramBytes];
        this.codeWrites = new CodeWriteTracker(ramBytes >>> 12);
        for (int page = 0; page < pageKind.length; page++) {
            long pa = (long) page << 12;
            byte kind;
            if (pa >= ROM_START && pa < ROM_END) {
                kind = KIND_ROM;
            } else if (pa < ramBytes) {
                kind = KIND_RAM;
            } else if (pa >= (HIGH_BIOS_START & 0xFFFF_FFFFL)) {
                kind = KIND_ROM;
            } else {
                kind = KIND_UNASSIGNED;
            }
            pageKind[page] = kind;
        }
    }

    public int ramSize() {
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

    /** Called when the A20 gate changes (the MMU drops cached translations). */
    public void setA20Listener(Runnable listener) {
        this.a20Listener = listener;
    }

    public CodeWriteTracker codeWrites() {
        return codeWrites;
    }

    // ---- unchecked RAM primitives: pa must be RAM and the access must not leave the array ----

    public int ramRead8(int pa) {
        return ram[pa] & 0xFF;
    }

    public int ramRead16(int pa) {
        return (short) LE16.get(ram, pa) & 0xFFFF;
    }

    public int ramRead32(int pa) {
        return (int) LE32.get(ram, pa);
    }

    public void ramWrite8(int pa, int value) {
        ram[pa] = (byte) value;
    }

    public void ramWrite16(int pa, int value) {
        LE16.set(ram, pa, (short) value);
    }

    public void ramWrite32(int pa, int value) {
        LE32.set(ram, pa, value);
    }

    // ---- routed accesses: any physical address, any alignment ----

    public int read8(int pa) {
        pa &= a20Mask;
        switch (pageKind[pa >>> 12]) {
            case KIND_RAM:
                return ram[pa] & 0xFF;
            case KIND_ROM:
                return ram[romIndex(pa)] & 0xFF;
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
                codeWrites.noteWrite(pa, 1);
                ram[pa] = (byte) value;
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
            codeWrites.noteWrite(pa, 2);
            ramWrite16(pa, value);
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
            codeWrites.noteWrite(pa, 4);
            ramWrite32(pa, value);
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
        if (dstPa <= srcPa || dstPa - srcPa >= len) {
            System.arraycopy(ram, srcPa, ram, dstPa, len);
        } else if (size == 1) {
            for (int i = 0; i < len; i++) {
                ram[dstPa + i] = ram[srcPa + i];
            }
        } else if (size == 2) {
            for (int i = 0; i < len; i += 2) {
                ramWrite16(dstPa + i, ramRead16(srcPa + i));
            }
        } else {
            for (int i = 0; i < len; i += 4) {
                ramWrite32(dstPa + i, ramRead32(srcPa + i));
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
        if (size == 1) {
            java.util.Arrays.fill(ram, dstPa, dstPa + count, (byte) value);
        } else if (size == 2) {
            for (int i = 0; i < count; i++) {
                ramWrite16(dstPa + 2 * i, value);
            }
        } else {
            for (int i = 0; i < count; i++) {
                ramWrite32(dstPa + 4 * i, value);
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
            codeWrites.noteWrite(pa, 1);
            ram[pa] = (byte) value;
        } else if (kind == KIND_ROM) {
            ram[romIndex(pa)] = (byte) value;
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
