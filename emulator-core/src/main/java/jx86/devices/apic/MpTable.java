package jx86.devices.apic;

import jx86.memory.PhysicalMemory;

/**
 * Writes the Intel MultiProcessor Specification 1.4 tables (chapter 4: the MP floating pointer
 * structure "_MP_" and the MP configuration table "PCMP") describing jx86's single-processor APIC
 * layout, so guests that look for an MP table (Linux without ACPI, xv6, many hobby kernels) find the
 * I/O APIC.
 *
 * <p>Contents: one processor entry (the local APIC's ID, version 0x14, enabled bootstrap processor,
 * the CPU signature and feature flags), one ISA bus (ID 0), one I/O APIC at 0xFEC00000 (version
 * 0x11, usable), I/O interrupt entries for ISA IRQ 0-15 except the cascade IRQ 2 (IRQ 0 on pin 2,
 * the others on the pin of the same number, polarity and trigger "conforms to bus"), and local
 * interrupt entries ExtINT → LINT0 and NMI → LINT1 of every local APIC. Feature byte 2 announces the
 * IMCR ({@link InterruptRouter}), so the guest starts in PIC mode. No extended entries.
 */
public final class MpTable {
    public static final int FLOATING_POINTER_LENGTH = 16;
    private static final int HEADER_LENGTH = 44;

    private final int cpuSignature;
    private final int cpuFeatures;
    private int lapicId;
    private int ioApicId = 1;
    private boolean imcrPresent = true;

    /**
     * @param cpuSignature CPUID.1 EAX stepping/model/family (e.g. 0x0663: family 6, model 6, stepping 3)
     * @param cpuFeatures  CPUID.1 EDX feature flags
     */
    public MpTable(int cpuSignature, int cpuFeatures) {
        this.cpuSignature = cpuSignature;
        this.cpuFeatures = cpuFeatures;
    }

    /** Family 6, model 6, stepping 3 with FPU, TSC, MSR, CX8, APIC, CMOV (0x00008331): for tests; the machine passes jx86.cpu.CpuModel's. */
    public MpTable() {
        this(0x0663, 0x0000_8331);
    }

    public MpTable lapicId(int id) {
        this.lapicId = id;
        return this;
    }

    public MpTable ioApicId(int id) {
        this.ioApicId = id;
        return this;
    }

    public MpTable imcrPresent(boolean present) {
        this.imcrPresent = present;
        return this;
    }

    /** Number of entries in the configuration table. */
    public int entryCount() {
        return 1 + 1 + 1 + 15 + 2;
    }

    /** Length in bytes of the configuration table (header and base entries). */
    public int tableLength() {
        return HEADER_LENGTH + 20 + 8 * (entryCount() - 1);
    }

    /**
     * Writes both structures with the firmware's poke access (ROM included).
     *
     * @param floatingPointerAddress 16-byte aligned, in the BIOS area 0xF0000-0xFFFFF (or the first
     *                               KiB of the EBDA / last KiB of base memory)
     * @param tableAddress           where the configuration table goes
     * @return the configuration table's length in bytes
     */
    public int writeTo(PhysicalMemory memory, int floatingPointerAddress, int tableAddress) {
        if ((floatingPointerAddress & 0xF) != 0) {
            throw new IllegalArgumentException("the MP floating pointer must be 16-byte aligned");
        }
        int length = writeTable(memory, tableAddress);
        writeFloatingPointer(memory, floatingPointerAddress, tableAddress);
        return length;
    }

    private void writeFloatingPointer(PhysicalMemory m, int at, int tableAddress) {
        putAscii(m, at, "_MP_", 4);
        m.poke32(at + 4, tableAddress);
        m.poke8(at + 8, 1); // length in 16-byte paragraphs
        m.poke8(at + 9, 4); // specification revision 1.4
        m.poke8(at + 10, 0);
        m.poke8(at + 11, 0); // a configuration table is present: no default configuration
        m.poke8(at + 12, imcrPresent ? 0x80 : 0);
        m.poke8(at + 13, 0);
        m.poke16(at + 14, 0);
        m.poke8(at + 10, checksum(m, at, FLOATING_POINTER_LENGTH));
    }

    private int writeTable(PhysicalMemory m, int at) {
        int p = at + HEADER_LENGTH;
        // Processor: type 0, APIC ID, APIC version, flags EN|BP, signature, features, reserved.
        m.poke8(p, 0);
        m.poke8(p + 1, lapicId);
        m.poke8(p + 2, LocalApic.VERSION & 0xFF);
        m.poke8(p + 3, 0x03);
        m.poke32(p + 4, cpuSignature);
        m.poke32(p + 8, cpuFeatures);
        m.poke32(p + 12, 0);
        m.poke32(p + 16, 0);
        p += 20;
        // Bus: type 1, bus ID 0, "ISA   ".
        m.poke8(p, 1);
        m.poke8(p + 1, 0);
        putAscii(m, p + 2, "ISA", 6);
        p += 8;
        // I/O APIC: type 2, ID, version, flags EN, address.
        m.poke8(p, 2);
        m.poke8(p + 1, ioApicId);
        m.poke8(p + 2, IoApic.VERSION & 0xFF);
        m.poke8(p + 3, 0x01);
        m.poke32(p + 4, IoApic.DEFAULT_BASE);
        p += 8;
        for (int irq = 0; irq < 16; irq++) {
            if (irq == 2) {
                continue;
            }
            p = interruptEntry(m, p, 3, 0, irq, ioApicId, irq == 0 ? 2 : irq);
        }
        // Local interrupts to all local APICs (0xFF): ExtINT on LINT0, NMI on LINT1.
        p = interruptEntry(m, p, 4, 3, 0, 0xFF, 0);
        p = interruptEntry(m, p, 4, 1, 0, 0xFF, 1);
        int length = p - at;

        putAscii(m, at, "PCMP", 4);
        m.poke16(at + 4, length);
        m.poke8(at + 6, 4);
        m.poke8(at + 7, 0);
        putAscii(m, at + 8, "JX86", 8);
        putAscii(m, at + 16, "JX86 PC", 12);
        m.poke32(at + 28, 0); // no OEM table
        m.poke16(at + 32, 0);
        m.poke16(at + 34, entryCount());
        m.poke32(at + 36, LocalApic.DEFAULT_BASE);
        m.poke16(at + 40, 0); // no extended entries
        m.poke8(at + 42, 0);
        m.poke8(at + 43, 0);
        m.poke8(at + 7, checksum(m, at, length));
        return length;
    }

    /** An I/O (type 3) or local (type 4) interrupt assignment entry, flags "conforms to bus". */
    private static int interruptEntry(PhysicalMemory m, int p, int type, int interruptType, int sourceIrq,
            int destinationId, int destinationPin) {
        m.poke8(p, type);
        m.poke8(p + 1, interruptType);
        m.poke16(p + 2, 0);
        m.poke8(p + 4, 0); // source bus: ISA
        m.poke8(p + 5, sourceIrq);
        m.poke8(p + 6, destinationId);
        m.poke8(p + 7, destinationPin);
        return p + 8;
    }

    private static void putAscii(PhysicalMemory m, int at, String text, int width) {
        for (int i = 0; i < width; i++) {
            m.poke8(at + i, i < text.length() ? text.charAt(i) : ' ');
        }
    }

    /** The byte that makes {@code length} bytes at {@code at} sum to zero (its own slot holds 0). */
    private static int checksum(PhysicalMemory m, int at, int length) {
        int sum = 0;
        for (int i = 0; i < length; i++) {
            sum += m.read8(at + i);
        }
        return -sum & 0xFF;
    }
}
