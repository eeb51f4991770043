package jx86.cpu;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;

/**
 * Stack addressing for the system transfers: they build frames on a stack that is not yet (or no
 * longer) the current one, so every method takes the stack segment's base, limit and access rights
 * explicitly instead of using the SS cache (SDM Vol. 3A 5.8.5, 6.12.1). Limit checks follow 3.4.5.1
 * (expand-up and expand-down; the B bit selects SP or ESP); violations raise #SS with the given
 * error code. Nothing is committed to ESP here: callers write ESP only after the whole transfer is
 * known to succeed.
 */
final class StackAccess {
    private StackAccess() {
    }

    /** Access rights of the current stack for addressing: B is ignored outside protected mode. */
    static int currentAr(Cpu cpu) {
        int ar = cpu.segAr[Cpu.SS];
        return cpu.stackSize32() ? ar : ar & ~Descriptor.AR_BIG;
    }

    /** ESP after adding {@code delta}: a 16-bit stack changes only SP. */
    static int adjust(int ar, int esp, int delta) {
        if ((ar & Descriptor.AR_BIG) != 0) {
            return esp + delta;
        }
        return (esp & 0xFFFF_0000) | ((esp + delta) & 0xFFFF);
    }

    /** True when bytes [offset, offset+size) are within the segment's limits. */
    static boolean fits(int limit, int ar, int offset, int size) {
        long off = offset & 0xFFFF_FFFFL;
        long end = off + size - 1;
        if (Descriptor.arExpandDown(ar)) {
            long upper = (ar & Descriptor.AR_BIG) != 0 ? 0xFFFF_FFFFL : 0xFFFFL;
            return off > (limit & 0xFFFF_FFFFL) && end <= upper;
        }
        return end <= (limit & 0xFFFF_FFFFL);
    }

    /**
     * Linear address of {@code size} bytes at stack offset ESP+disp (wrapped to 16 bits on a
     * 16-bit stack), or #SS(errorCode) if they are outside the segment.
     */
    static int address(int base, int limit, int ar, int esp, int disp, int size, int errorCode) {
        int off = (ar & Descriptor.AR_BIG) != 0 ? esp + disp : (esp + disp) & 0xFFFF;
        if (!fits(limit, ar, off, size)) {
            throw CpuFault.withCode(Vectors.SS, errorCode);
        }
        return base + off;
    }

    static void write(Cpu cpu, int la, int size, int value) {
        if (size == 4) {
            cpu.mmu.write32(la, value);
        } else {
            cpu.mmu.write16(la, value);
        }
    }

    static int read(Cpu cpu, int la, int size) {
        return size == 4 ? cpu.mmu.read32(la) : cpu.mmu.read16(la);
    }

    /** Reads a {@code size}-byte slot at ESP+disp of the current stack; #SS(0) outside its limit. */
    static int readCurrent(Cpu cpu, int esp, int disp, int size) {
        int ar = currentAr(cpu);
        return read(cpu, address(cpu.segBase[Cpu.SS], cpu.segLimit[Cpu.SS], ar, esp, disp, size, 0), size);
    }

    /** Writes a {@code size}-byte slot at ESP+disp of the given stack (limit already checked). */
    static void put(Cpu cpu, int base, int ar, int esp, int disp, int size, int value) {
        int off = (ar & Descriptor.AR_BIG) != 0 ? esp + disp : (esp + disp) & 0xFFFF;
        write(cpu, base + off, size, value);
    }

    /**
     * Checks that a frame of {@code bytes} below ESP fits the stack (#SS(errorCode)) and is
     * writable at the current CPL (#PF), before anything is written.
     */
    static void checkRoom(Cpu cpu, int base, int limit, int ar, int esp, int bytes, int errorCode) {
        int sp = esp & 0xFFFF;
        if ((ar & Descriptor.AR_BIG) == 0 && sp != 0 && sp < bytes && (sp & 1) == 0) {
            // A 16-bit frame that wraps below offset 0 continues at the top of the segment.
            cpu.mmu.checkWrite(address(base, limit, ar, 0, 0, sp, errorCode), sp);
            int high = bytes - sp;
            cpu.mmu.checkWrite(address(base, limit, ar, 0x1_0000 - high, 0, high, errorCode), high);
            return;
        }
        int la = address(base, limit, ar, esp, -bytes, bytes, errorCode);
        cpu.mmu.checkWrite(la, bytes);
    }
}
