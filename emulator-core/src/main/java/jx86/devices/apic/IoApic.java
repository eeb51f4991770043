package jx86.devices.apic;

import jx86.bus.IrqSink;
import jx86.bus.MmioDevice;
import jx86.memory.PhysicalMemory;

/**
 * The Intel 82093AA I/O APIC (82093AA datasheet, section 3: IOREGSEL at offset 0x00, IOWIN at
 * 0x10; registers IOAPICID 0x00, IOAPICVER 0x01 = 0x00170011 (24 pins, version 0x11), IOAPICARB
 * 0x02, redirection table 0x10-0x3F), memory mapped at 0xFEC00000, with input pins 0-23.
 *
 * <p>Redirection entries: vector, delivery mode (fixed and lowest priority are delivered to the one
 * {@link LocalApic}), destination mode and destination (matched against the local APIC's ID or
 * logical ID), mask, trigger mode and the read-only delivery status and remote IRR. Edge-triggered
 * pins send one message per rising edge while unmasked (an edge while masked is lost, as on the
 * chip). Level-triggered pins send while asserted and set remote IRR; the local APIC's EOI for the
 * vector clears it ({@link #endOfInterrupt}) and a still-asserted pin sends again.
 *
 * <p>Pin levels are logical (true = asserted): ISA devices drive active-high lines and jx86 has no
 * PCI interrupt lines yet, so the polarity bit is stored but not applied. Not modelled: ExtINT,
 * NMI, SMI and INIT delivery modes (the message is dropped; the 8259 reaches the CPU through the
 * {@link InterruptRouter}), more than one local APIC, the 0x20 pin assertion register and 0x40 EOI
 * register of later I/O APIC versions.
 */
public final class IoApic implements MmioDevice, IrqSink {
    public static final int DEFAULT_BASE = 0xFEC0_0000;
    public static final int VERSION = 0x0017_0011;
    public static final int PINS = 24;

    private static final long MASKED = 1L << 16;
    private static final long REMOTE_IRR = 1L << 14;
    private static final long LEVEL = 1L << 15;
    /** Writable bits: vector, delivery mode, destination mode, polarity, trigger, mask, destination. */
    private static final long WRITABLE = 0xFF00_0000_0001_AFFFL;

    private final LocalApic lapic;
    private final long[] redirection = new long[PINS];
    private int lines;
    private int id;
    private int select;

    /** @param ioApicId the initial I/O APIC ID (must differ from the local APIC's, e.g. 1) */
    public IoApic(LocalApic lapic, int ioApicId) {
        this.lapic = lapic;
        this.id = (ioApicId & 0xF) << 24;
        for (int i = 0; i < PINS; i++) {
            redirection[i] = MASKED;
        }
        lapic.setEoiListener(this::endOfInterrupt);
    }

    /** Maps the register window at 0xFEC00000 (one 4 KiB page). */
    public void attach(PhysicalMemory memory) {
        memory.registerMmio(DEFAULT_BASE, 0x1000, "I/O APIC", this);
    }

    // ---- pins ----

    @Override
    public void setIrq(int pin, boolean level) {
        if (pin < 0 || pin >= PINS) {
            return;
        }
        int mask = 1 << pin;
        boolean wasHigh = (lines & mask) != 0;
        lines = level ? lines | mask : lines & ~mask;
        long e = redirection[pin];
        if ((e & LEVEL) != 0) {
            if (level) {
                sendLevel(pin);
            }
        } else if (level && !wasHigh && (e & MASKED) == 0) {
            send(e);
        }
    }

    /** The local APIC's EOI for a level-triggered {@code vector}. */
    public void endOfInterrupt(int vector) {
        for (int pin = 0; pin < PINS; pin++) {
            long e = redirection[pin];
            if ((e & LEVEL) != 0 && (e & REMOTE_IRR) != 0 && (e & 0xFF) == vector) {
                redirection[pin] = e & ~REMOTE_IRR;
                sendLevel(pin);
            }
        }
    }

    private void sendLevel(int pin) {
        long e = redirection[pin];
        if ((lines & (1 << pin)) != 0 && (e & (MASKED | REMOTE_IRR)) == 0 && send(e)) {
            redirection[pin] = e | REMOTE_IRR;
        }
    }

    /** Delivers one message; true when the local APIC accepted it. */
    private boolean send(long e) {
        int mode = (int) (e >>> 8) & 7;
        if (mode != 0 && mode != 1) {
            return false;
        }
        boolean logical = (e & 0x800) != 0;
        int destination = (int) (e >>> 56) & 0xFF;
        if (!logical && destination == 0xF) {
            destination = 0xFF; // 4-bit physical broadcast
        }
        if (!lapic.matchesDestination(destination, logical)) {
            return false;
        }
        return lapic.acceptInterrupt((int) e & 0xFF, (e & LEVEL) != 0);
    }

    // ---- registers ----

    @Override
    public int mmioRead(int address, int size) {
        int offset = address & 0xFF;
        int value;
        if (offset < 0x04) {
            value = select;
        } else if (offset >= 0x10 && offset < 0x14) {
            value = readRegister(select);
        } else {
            return 0;
        }
        value >>>= 8 * (offset & 3);
        return size == 4 ? value : value & ((1 << (8 * size)) - 1);
    }

    @Override
    public void mmioWrite(int address, int size, int value) {
        int offset = address & 0xFF;
        if (offset == 0x00) {
            select = value & 0xFF;
        } else if (offset == 0x10) {
            if (size < 4) {
                int mask = (1 << (8 * size)) - 1;
                value = (readRegister(select) & ~mask) | (value & mask);
            }
            writeRegister(select, value);
        }
    }

    public int readRegister(int reg) {
        if (reg >= 0x10 && reg < 0x10 + 2 * PINS) {
            long e = redirection[(reg - 0x10) >>> 1];
            return (reg & 1) == 0 ? (int) e : (int) (e >>> 32);
        }
        return switch (reg) {
            case 0x00 -> id;
            case 0x01 -> VERSION;
            case 0x02 -> id; // arbitration ID: loaded from the APIC ID
            default -> 0;
        };
    }

    public void writeRegister(int reg, int value) {
        if (reg == 0x00) {
            id = value & 0x0F00_0000;
            return;
        }
        if (reg < 0x10 || reg >= 0x10 + 2 * PINS) {
            return;
        }
        int pin = (reg - 0x10) >>> 1;
        long old = redirection[pin];
        long v = Integer.toUnsignedLong(value);
        long merged = (reg & 1) == 0 ? (old & ~0xFFFF_FFFFL) | v : (old & 0xFFFF_FFFFL) | v << 32;
        merged = (old & ~WRITABLE) | (merged & WRITABLE);
        if ((merged & LEVEL) == 0) {
            merged &= ~REMOTE_IRR;
        }
        redirection[pin] = merged;
        if ((merged & LEVEL) != 0) {
            sendLevel(pin); // unmasking an asserted level pin delivers it
        }
    }

    /** The 64-bit redirection entry of {@code pin} (for tests and the debugger). */
    public long redirectionEntry(int pin) {
        return redirection[pin];
    }
}
