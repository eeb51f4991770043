package jx86.devices.pic;

/**
 * One Intel 8259A programmable interrupt controller (8259A datasheet, "Programming the 8259A":
 * ICW1-ICW4, OCW1-OCW3). The pair wiring, the ports and the INTA cycle live in {@link I8259Pair};
 * this class is the register file and the priority resolver of one chip.
 *
 * <p>Modelled: IRR/ISR/IMR, fully nested and special-fully-nested priority, rotation (automatic on
 * EOI or AEOI, specific "set priority"), specific and non-specific EOI, auto-EOI, special mask mode,
 * poll mode, reading IRR or ISR through OCW3, edge and level triggering (ICW1.LTIM for the whole
 * chip, or the EISA ELCR per input).
 *
 * <p>Edge-triggered requests are latched in IRR on the rising edge and stay there until acknowledged
 * even if the line drops again (QEMU's i8259 does the same). The real 8259A requires the input to stay
 * high until the first INTA pulse, otherwise it answers with IR7 as a spurious interrupt; latching
 * instead lets devices signal with {@link jx86.bus.IrqLine#pulse()}. Not modelled: the 8080/8085
 * call mode (ICW1.IC4=0 / ADI, the vector is always ICW2 base + level as in 8086 mode), buffered mode.
 */
public final class I8259 {
    private final boolean master;
    /** Bits of the ELCR that may be set: IRQ0-2 on the master, IRQ8 and IRQ13 on the slave are always edge. */
    private final int elcrMask;
    /**
     * The master's IR2 follows the slave's INT level: it must not need a fresh edge when the slave
     * still has requests after an INTA (auto-EOI on the slave would otherwise lose them).
     */
    private final int cascadeMask;

    private int irr;
    private int isr;
    private int imr;
    /** Actual levels of the eight inputs (the edge detector's memory). */
    private int lines;
    private int elcr;
    private boolean ltim;
    /** Lowest-priority input + 1: level (p + priorityAdd) & 7 has priority p (0 = highest). */
    private int priorityAdd;
    private int vectorBase;
    private int icw3;
    private boolean readIsr;
    private boolean poll;
    private boolean specialMask;
    private boolean autoEoi;
    private boolean rotateOnAutoEoi;
    private boolean specialFullyNested;
    private boolean expectIcw4;
    private boolean singleMode;
    /** 0: operational (OCWs); 2, 3, 4: waiting for ICW2, ICW3, ICW4. */
    private int initState;

    public I8259(boolean master) {
        this.master = master;
        this.elcrMask = master ? 0xF8 : 0xDE;
        this.cascadeMask = master ? 0x04 : 0;
        resetRegisters();
    }

    private void resetRegisters() {
        irr = 0;
        isr = 0;
        imr = 0;
        priorityAdd = 0;
        vectorBase = 0;
        readIsr = false;
        poll = false;
        specialMask = false;
        autoEoi = false;
        rotateOnAutoEoi = false;
        specialFullyNested = false;
        expectIcw4 = false;
        singleMode = false;
        ltim = false;
        initState = 0;
    }

    // ---- inputs ----

    /** Drives input {@code irq} (0-7) to {@code level}. */
    public void setInput(int irq, boolean level) {
        int mask = 1 << irq;
        if (isLevelTriggered(mask)) {
            irr = level ? irr | mask : irr & ~mask;
        } else if (level && (lines & mask) == 0) {
            irr |= mask;
        }
        lines = level ? lines | mask : lines & ~mask;
    }

    private boolean isLevelTriggered(int mask) {
        return ltim || ((elcr | cascadeMask) & mask) != 0;
    }

    // ---- priority resolution ----

    /** Priority (0 = highest, 8 = none) of the highest-priority bit set in {@code mask}. */
    private int priorityOf(int mask) {
        if (mask == 0) {
            return 8;
        }
        int p = 0;
        while ((mask & (1 << ((p + priorityAdd) & 7))) == 0) {
            p++;
        }
        return p;
    }

    /** The input the chip would present at INTA now, or -1 (its INT output is then low). */
    public int pendingIrq() {
        int request = priorityOf(irr & ~imr);
        if (request == 8) {
            return -1;
        }
        int inService = isr;
        if (specialMask) {
            // Special mask mode: masked in-service levels no longer block lower priorities.
            inService &= ~imr;
        }
        if (specialFullyNested && master) {
            // The cascade input may nest on itself so the slave's higher priorities get through.
            inService &= ~(1 << 2);
        }
        if (request < priorityOf(inService)) {
            return (request + priorityAdd) & 7;
        }
        return -1;
    }

    public boolean output() {
        return pendingIrq() >= 0;
    }

    /** The INTA cycle for input {@code irq} (as returned by {@link #pendingIrq}): IRR to ISR. */
    public void acknowledge(int irq) {
        int mask = 1 << irq;
        if (autoEoi) {
            if (rotateOnAutoEoi) {
                priorityAdd = (irq + 1) & 7;
            }
        } else {
            isr |= mask;
        }
        irr &= ~mask;
        if (isLevelTriggered(mask) && (lines & mask) != 0) {
            irr |= mask; // a level request still asserted stays requested
        }
    }

    public int vectorBase() {
        return vectorBase;
    }

    // ---- register interface (A0 = 0 / 1) ----

    public int read(int a0) {
        if (poll) {
            poll = false;
            int irq = pendingIrq();
            if (irq < 0) {
                return 0;
            }
            acknowledge(irq);
            return 0x80 | irq;
        }
        if (a0 == 0) {
            return readIsr ? isr : irr;
        }
        return imr;
    }

    public void write(int a0, int value) {
        value &= 0xFF;
        if (a0 == 0) {
            if ((value & 0x10) != 0) {
                writeIcw1(value);
            } else if ((value & 0x08) != 0) {
                writeOcw3(value);
            } else {
                writeOcw2(value);
            }
            return;
        }
        switch (initState) {
            case 2 -> {
                vectorBase = value & 0xF8;
                initState = singleMode ? (expectIcw4 ? 4 : 0) : 3;
            }
            case 3 -> {
                icw3 = value;
                initState = expectIcw4 ? 4 : 0;
            }
            case 4 -> {
                autoEoi = (value & 0x02) != 0;
                specialFullyNested = (value & 0x10) != 0;
                initState = 0;
            }
            default -> imr = value;
        }
    }

    private void writeIcw1(int value) {
        resetRegisters();
        // ICW1 clears the edge sense latch: an input already high must go low and high again.
        expectIcw4 = (value & 0x01) != 0;
        singleMode = (value & 0x02) != 0;
        ltim = (value & 0x08) != 0;
        irr = lines & (ltim ? 0xFF : elcr | cascadeMask);
        initState = 2;
    }

    private void writeOcw2(int value) {
        int level = value & 7;
        switch (value >>> 5) {
            case 0 -> rotateOnAutoEoi = false;
            case 4 -> rotateOnAutoEoi = true;
            case 1, 5 -> {
                int p = priorityOf(isr);
                if (p != 8) {
                    int irq = (p + priorityAdd) & 7;
                    isr &= ~(1 << irq);
                    if (value >>> 5 == 5) {
                        priorityAdd = (irq + 1) & 7;
                    }
                }
            }
            case 3 -> isr &= ~(1 << level);
            case 7 -> {
                isr &= ~(1 << level);
                priorityAdd = (level + 1) & 7;
            }
            case 6 -> priorityAdd = (level + 1) & 7;
            default -> { } // 2: no operation
        }
    }

    private void writeOcw3(int value) {
        if ((value & 0x04) != 0) {
            poll = true;
        }
        if ((value & 0x02) != 0) {
            readIsr = (value & 0x01) != 0;
        }
        if ((value & 0x40) != 0) {
            specialMask = (value & 0x20) != 0;
        }
    }

    // ---- ELCR (EISA edge/level control, ports 0x4D0/0x4D1) ----

    public int elcr() {
        return elcr;
    }

    public void setElcr(int value) {
        elcr = value & elcrMask;
    }

    // ---- state for tests and the debugger ----

    public int irr() {
        return irr;
    }

    public int isr() {
        return isr;
    }

    public int imr() {
        return imr;
    }

    public int icw3() {
        return icw3;
    }

    public boolean initializing() {
        return initState != 0;
    }
}
