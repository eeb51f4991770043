package jx86.debug.gdb;

import jx86.memory.PhysicalMemory;
import jx86.mmu.Mmu;

/**
 * The debugger's view of guest memory: LINEAR addresses (segment bases are the debugger user's
 * business), translated page by page with the current page tables through {@link Mmu#peekTranslate},
 * which sets no accessed/dirty bits and touches no TLB. Writes go to RAM (noted for the CPU's
 * code-write tracking, so patched code is re-decoded) or ROM.
 *
 * <p>Not modelled: MMIO pages (local/I/O APIC) are neither read nor written, since device registers
 * have side effects on access; such a page, like an unmapped one, fails the whole request.
 */
public final class LinearMemory {
    private final Mmu mmu;
    private final PhysicalMemory memory;

    public LinearMemory(Mmu mmu) {
        this.mmu = mmu;
        this.memory = mmu.memory();
    }

    /** The physical address of {@code linear} if it is mapped to RAM, ROM or nothing (reads 0xFF), else -1. */
    private long physical(int linear) {
        long pa = mmu.peekTranslate(linear);
        if (pa < 0 || memory.kindOf((int) pa) == PhysicalMemory.KIND_MMIO) {
            return -1;
        }
        return (pa & memory.a20Mask()) & 0xFFFF_FFFFL;
    }

    /** Reads {@code length} bytes at {@code linear}, or returns null if any page is not readable. */
    public byte[] read(int linear, int length) {
        byte[] out = new byte[length];
        int i = 0;
        while (i < length) {
            int la = linear + i;
            long pa = physical(la);
            if (pa < 0) {
                return null;
            }
            int chunk = Math.min(length - i, 0x1000 - (la & 0xFFF));
            for (int k = 0; k < chunk; k++) {
                out[i + k] = (byte) memory.read8((int) pa + k);
            }
            i += chunk;
        }
        return out;
    }

    /** Writes {@code data} at {@code linear}; false (and nothing written) if any page is not writable. */
    public boolean write(int linear, byte[] data) {
        long[] pages = new long[(data.length + 0x2000) >>> 12];
        int n = 0;
        for (int i = 0; i < data.length; ) {
            int la = linear + i;
            long pa = physical(la);
            int kind = pa < 0 ? PhysicalMemory.KIND_UNASSIGNED : memory.kindOf((int) pa);
            if (kind != PhysicalMemory.KIND_RAM && kind != PhysicalMemory.KIND_ROM) {
                return false;
            }
            pages[n++] = pa;
            i += 0x1000 - (la & 0xFFF);
        }
        n = 0;
        for (int i = 0; i < data.length; ) {
            int la = linear + i;
            int chunk = Math.min(data.length - i, 0x1000 - (la & 0xFFF));
            long pa = pages[n++];
            for (int k = 0; k < chunk; k++) {
                memory.poke8((int) pa + k, data[i + k]);
            }
            i += chunk;
        }
        return true;
    }
}
