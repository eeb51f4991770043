package jx86.cpu;

import static jx86.cpu.Cpu.EBP;
import static jx86.cpu.Cpu.EBX;
import static jx86.cpu.Cpu.EDI;
import static jx86.cpu.Cpu.ESI;
import static jx86.cpu.Cpu.ESP;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;

/**
 * Operand addressing (SDM Vol. 2, 2.1.5 ModR/M and SIB; Vol. 3A 5.3 limit checking, 5.4 type
 * checking): effective addresses for 16- and 32-bit address size, segment limit and type checks
 * (expand-down data segments included), general-register access by width, and the stack.
 *
 * <p>Every memory access checks the segment first and then goes through the MMU, so a fault leaves
 * nothing written. Not modelled: alignment checking (#AC).
 */
final class Mem {
    private Mem() {
    }

    // ---- registers by width: size 1 uses AL,CL,DL,BL,AH,CH,DH,BH encoding ----

    static int getReg(Cpu c, int size, int r) {
        int[] regs = c.regs;
        if (size == 4) {
            return regs[r];
        }
        if (size == 2) {
            return regs[r] & 0xFFFF;
        }
        return r < 4 ? regs[r] & 0xFF : (regs[r - 4] >>> 8) & 0xFF;
    }

    static void setReg(Cpu c, int size, int r, int v) {
        int[] regs = c.regs;
        if (size == 4) {
            regs[r] = v;
        } else if (size == 2) {
            regs[r] = (regs[r] & 0xFFFF_0000) | (v & 0xFFFF);
        } else if (r < 4) {
            regs[r] = (regs[r] & 0xFFFF_FF00) | (v & 0xFF);
        } else {
            regs[r - 4] = (regs[r - 4] & 0xFFFF_00FF) | ((v & 0xFF) << 8);
        }
    }

    // ---- ModR/M ----

    /**
     * Fetches a ModR/M byte whose r/m names a register whatever its mod field (MOV to/from CRn and
     * DRn, SDM Vol. 2 MOV: "the 2 bits in the mod field are ignored"): no SIB, no displacement.
     */
    static void modrmRegisters(Cpu c) {
        int m = c.fetch8();
        c.mod = 3;
        c.reg = (m >>> 3) & 7;
        c.rm = m & 7;
    }

    /** Fetches and decodes a ModR/M byte (and SIB, displacement) into c.mod/reg/rm/eaSeg/eaOff. */
    static void modrm(Cpu c) {
        int m = c.fetch8();
        c.mod = m >>> 6;
        c.reg = (m >>> 3) & 7;
        c.rm = m & 7;
        if (c.mod != 3) {
            if (c.asz32) {
                ea32(c);
            } else {
                ea16(c);
            }
        }
    }

    private static void ea16(Cpu c) {
        int[] r = c.regs;
        int seg = Cpu.DS;
        int off;
        switch (c.rm) {
            case 0:
                off = r[EBX] + r[ESI];
                break;
            case 1:
                off = r[EBX] + r[EDI];
                break;
            case 2:
                off = r[EBP] + r[ESI];
                seg = Cpu.SS;
                break;
            case 3:
                off = r[EBP] + r[EDI];
                seg = Cpu.SS;
                break;
            case 4:
                off = r[ESI];
                break;
            case 5:
                off = r[EDI];
                break;
            case 6:
                if (c.mod == 0) {
                    off = c.fetch16();
                } else {
                    off = r[EBP];
                    seg = Cpu.SS;
                }
                break;
            default:
                off = r[EBX];
                break;
        }
        if (c.mod == 1) {
            off += (byte) c.fetch8();
        } else if (c.mod == 2) {
            off += c.fetch16();
        }
        c.eaOff = off & 0xFFFF;
        c.eaSeg = c.segOvr >= 0 ? c.segOvr : seg;
    }

    private static void ea32(Cpu c) {
        int[] r = c.regs;
        int seg = Cpu.DS;
        int off;
        if (c.rm == 4) {
            int sib = c.fetch8();
            int index = (sib >>> 3) & 7;
            int base = sib & 7;
            c.eaEspBase = base == ESP;
            off = index == 4 ? 0 : r[index] << (sib >>> 6);
            if (base == 5 && c.mod == 0) {
                off += c.fetch32();
            } else {
                off += r[base];
                if (base == ESP || base == EBP) {
                    seg = Cpu.SS;
                }
            }
        } else if (c.rm == 5 && c.mod == 0) {
            off = c.fetch32();
        } else {
            off = r[c.rm];
            if (c.rm == EBP) {
                seg = Cpu.SS;
            }
        }
        if (c.mod == 1) {
            off += (byte) c.fetch8();
        } else if (c.mod == 2) {
            off += c.fetch32();
        }
        c.eaOff = off;
        c.eaSeg = c.segOvr >= 0 ? c.segOvr : seg;
    }

    /** The data segment for string sources, XLAT and moffs: DS unless overridden. */
    static int dataSeg(Cpu c) {
        return c.segOvr >= 0 ? c.segOvr : Cpu.DS;
    }

    // ---- segment checks ----

    /**
     * Protected mode outside V86: segment type checks apply. Computed per access (not taken from
     * the decoder's cached flag) so the system code may use these helpers mid-mode-switch.
     */
    static boolean pm(Cpu c) {
        return (c.cr0 & Cpu.CR0_PE) != 0 && (c.eflags & Cpu.VM) == 0;
    }

    static CpuFault segFault(int seg) {
        return seg == Cpu.SS ? CpuFault.withCode(Vectors.SS, 0) : CpuFault.gp(0);
    }

    private static void checkLimit(Cpu c, int seg, int off, int size) {
        int ar = c.segAr[seg];
        long o = off & 0xFFFF_FFFFL;
        long limit = c.segLimit[seg] & 0xFFFF_FFFFL;
        if ((ar & 0x1C) == 0x14) {
            long upper = (ar & 0x4000) != 0 ? 0xFFFF_FFFFL : 0xFFFFL;
            if (o <= limit || o + size - 1 > upper) {
                throw segFault(seg);
            }
        } else if (o + size - 1 > limit) {
            throw segFault(seg);
        }
    }

    /**
     * Checks a read of {@code size} bytes at seg:off and returns the linear address. Fast paths: a
     * flat segment ({@link Cpu#flatSegs}), then any readable, not expand-down segment with a 4 GiB
     * limit, pass every check in every mode when the access does not run past 4 GiB.
     */
    static int laRead(Cpu c, int seg, int off, int size) {
        if (((c.flatSegs >>> seg) & 1) != 0 && Integer.compareUnsigned(off, -size) <= 0) {
            return off; // flat (Cpu.setSegmentCache): base 0, no check can fail
        }
        return laReadBased(c, seg, off, size);
    }

    // laRead and laWrite end at the flat test (within the 35 bytes of bytecode C2 inlines at every
    // call site, as Mmu's data accesses: the compiled blocks' loads and stores); the rest is here.

    private static int laReadBased(Cpu c, int seg, int off, int size) {
        int ar = c.segAr[seg];
        if (c.segLimit[seg] == -1 && (ar & 0x1C) != 0x14 && ar != 0 && (ar & 0x0A) != 0x08
                && Integer.compareUnsigned(off, -size) <= 0) {
            return c.segBase[seg] + off;
        }
        return laReadChecked(c, seg, off, size);
    }

    private static int laReadChecked(Cpu c, int seg, int off, int size) {
        if (pm(c)) {
            int ar = c.segAr[seg];
            if (ar == 0 || (ar & 0x0A) == 0x08) {
                throw segFault(ar == 0 ? Cpu.DS : seg);
            }
        }
        checkLimit(c, seg, off, size);
        return c.segBase[seg] + off;
    }

    /** Checks a write of {@code size} bytes at seg:off and returns the linear address (fast path as laRead). */
    static int laWrite(Cpu c, int seg, int off, int size) {
        if (((c.flatSegs >>> seg) & 1) != 0 && Integer.compareUnsigned(off, -size) <= 0) {
            return off;
        }
        return laWriteBased(c, seg, off, size);
    }

    private static int laWriteBased(Cpu c, int seg, int off, int size) {
        int ar = c.segAr[seg];
        if (c.segLimit[seg] == -1 && (ar & 0x1C) != 0x14 && (ar & 0x0A) == 0x02
                && Integer.compareUnsigned(off, -size) <= 0) {
            return c.segBase[seg] + off;
        }
        return laWriteChecked(c, seg, off, size);
    }

    private static int laWriteChecked(Cpu c, int seg, int off, int size) {
        if (pm(c)) {
            int ar = c.segAr[seg];
            if ((ar & 0x0A) != 0x02) {
                throw segFault(ar == 0 ? Cpu.DS : seg);
            }
        }
        checkLimit(c, seg, off, size);
        return c.segBase[seg] + off;
    }

    static int readLa(Cpu c, int la, int size) {
        if (c.debugActive) {
            Debug.data(c, la, size, false);
        }
        return size == 1 ? c.mmu.read8(la) : size == 2 ? c.mmu.read16(la) : c.mmu.read32(la);
    }

    static void writeLa(Cpu c, int la, int size, int v) {
        if (c.debugActive) {
            Debug.data(c, la, size, true);
        }
        if (size == 1) {
            c.mmu.write8(la, v & 0xFF);
        } else if (size == 2) {
            c.mmu.write16(la, v & 0xFFFF);
        } else {
            c.mmu.write32(la, v);
        }
    }

    static int read(Cpu c, int seg, int off, int size) {
        return readLa(c, laRead(c, seg, off, size), size);
    }

    static void write(Cpu c, int seg, int off, int size, int v) {
        writeLa(c, laWrite(c, seg, off, size), size, v);
    }

    // ---- r/m operand ----

    static int readRm(Cpu c, int size) {
        return c.mod == 3 ? getReg(c, size, c.rm) : read(c, c.eaSeg, c.eaOff, size);
    }

    static void writeRm(Cpu c, int size, int v) {
        if (c.mod == 3) {
            setReg(c, size, c.rm, v);
        } else {
            write(c, c.eaSeg, c.eaOff, size, v);
        }
    }

    /** Reads a read-modify-write destination, checking writability first. */
    static int readRmW(Cpu c, int size) {
        if (c.mod == 3) {
            return getReg(c, size, c.rm);
        }
        int la = laWrite(c, c.eaSeg, c.eaOff, size);
        c.eaLa = la;
        // Probe the write now so the final write cannot fault after flags or registers changed.
        c.mmu.checkWrite(la, size);
        return readLa(c, la, size);
    }

    /** Writes the destination read by {@link #readRmW}. */
    static void writeRmW(Cpu c, int size, int v) {
        if (c.mod == 3) {
            setReg(c, size, c.rm, v);
        } else {
            writeLa(c, c.eaLa, size, v);
        }
    }

    /** Adds {@code delta} to the effective offset, wrapping at the address size. */
    static int eaPlus(Cpu c, int delta) {
        int off = c.eaOff + delta;
        return c.asz32 ? off : off & 0xFFFF;
    }

    // ---- stack ----

    static boolean stack32(Cpu c) {
        return pm(c) && (c.segAr[Cpu.SS] & 0x4000) != 0;
    }

    /** The stack pointer value used for addressing (SP or ESP). */
    static int sp(Cpu c) {
        return stack32(c) ? c.regs[ESP] : c.regs[ESP] & 0xFFFF;
    }

    /** Sets the stack pointer, only SP on a 16-bit stack. */
    static void setSp(Cpu c, int v) {
        if (stack32(c)) {
            c.regs[ESP] = v;
        } else {
            c.regs[ESP] = (c.regs[ESP] & 0xFFFF_0000) | (v & 0xFFFF);
        }
    }

    static int spPlus(Cpu c, int sp, int delta) {
        return stack32(c) ? sp + delta : (sp + delta) & 0xFFFF;
    }

    // push and pop decide the stack size once (sp, spPlus and setSp would each test it again:
    // three reads of CR0, EFLAGS and the SS cache per PUSH, a few % of kernel-heavy's time).

    static void push(Cpu c, int size, int v) {
        int esp = c.regs[ESP];
        boolean s32 = stack32(c);
        int sp = s32 ? esp - size : (esp - size) & 0xFFFF;
        write(c, Cpu.SS, sp, size, v);
        c.regs[ESP] = s32 ? sp : (esp & 0xFFFF_0000) | sp;
    }

    /** Reads the stack {@code delta} bytes above the stack pointer. */
    static int peek(Cpu c, int delta, int size) {
        return read(c, Cpu.SS, spPlus(c, sp(c), delta), size);
    }

    static int pop(Cpu c, int size) {
        int esp = c.regs[ESP];
        boolean s32 = stack32(c);
        int v = read(c, Cpu.SS, s32 ? esp : esp & 0xFFFF, size);
        c.regs[ESP] = s32 ? esp + size : (esp & 0xFFFF_0000) | ((esp + size) & 0xFFFF);
        return v;
    }
}
