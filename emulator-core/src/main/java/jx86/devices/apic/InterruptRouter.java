package jx86.devices.apic;

import jx86.bus.InterruptController;
import jx86.bus.IoBus;
import jx86.bus.IoDevice;
import jx86.devices.pic.I8259Pair;
import jx86.devices.pic.IntrOutput;

/**
 * Combines the 8259 pair and the local APIC into the CPU's INTR pin and INTA cycle, as a PC with an
 * integrated APIC does, plus the IMCR (Intel MP Specification 1.4, section 3.6.2.1: ports 0x22
 * select / 0x23 data, register 0x70 bit 0 = 1 sends the 8259's INTR through the APIC).
 *
 * <p>The 8259's output reaches INTR when the IMCR selects PIC mode (the reset state), when the local
 * APIC is disabled (globally or by SVR bit 8), or when LINT0 is an unmasked ExtINT entry (virtual
 * wire mode). An enabled local APIC with a deliverable vector also raises INTR. At INTA the local
 * APIC's vector wins; otherwise the 8259 answers; with nothing pending the enabled APIC answers its
 * spurious vector, or else the 8259 answers its IRQ7 spurious vector.
 *
 * <p>Wiring: {@code router = new InterruptRouter(lapic, cpu::setIntr)}, then
 * {@code pic = new I8259Pair(router::picOutputChanged)}, {@code router.connectPic(pic)},
 * {@code cpu.setInterruptController(router)}, {@code router.attach(bus)}. With {@code lapic == null}
 * the router is a plain pass-through for the 8259.
 *
 * <p>Not modelled: ExtINT delivered through an I/O APIC pin, LINT0 in modes other than ExtINT, NMI
 * through LINT1.
 */
public final class InterruptRouter implements InterruptController, IoDevice {
    private final LocalApic lapic;
    private final IntrOutput cpuIntr;
    private I8259Pair pic;
    private boolean intr;
    private int imcrSelect;
    private boolean imcrApicMode;

    /**
     * @param lapic   the processor's local APIC, or null for a machine without one
     * @param cpuIntr the CPU's INTR pin
     */
    public InterruptRouter(LocalApic lapic, IntrOutput cpuIntr) {
        this.lapic = lapic;
        this.cpuIntr = cpuIntr;
        if (lapic != null) {
            lapic.setChangeListener(this::update);
        }
    }

    public void connectPic(I8259Pair pic) {
        this.pic = pic;
        update();
    }

    /** Registers the IMCR ports 0x22-0x23 (byte ports). */
    public void attach(IoBus bus) {
        bus.register(0x22, 2, "IMCR", IoBus.W8, this);
    }

    /** The 8259 pair's INTR output (pass {@code router::picOutputChanged} to its constructor). */
    public void picOutputChanged(boolean level) {
        update();
    }

    /** The level last driven on the CPU's INTR pin. */
    public boolean intr() {
        return intr;
    }

    public boolean imcrApicMode() {
        return imcrApicMode;
    }

    private boolean picRoutedToCpu() {
        return !imcrApicMode || lapic == null || !lapic.enabled() || lapic.lint0ExtInt();
    }

    private void update() {
        boolean level = (pic != null && pic.output() && picRoutedToCpu())
                || (lapic != null && lapic.hasPendingInterrupt());
        if (level != intr) {
            intr = level;
            cpuIntr.set(level);
        }
    }

    @Override
    public int acknowledge() {
        int vector;
        if (lapic != null && lapic.hasPendingInterrupt()) {
            vector = lapic.acknowledge();
        } else if (pic != null && (picRoutedToCpu() && pic.output() || lapic == null || !lapic.enabled())) {
            vector = pic.acknowledge();
        } else if (lapic != null) {
            vector = lapic.spuriousVector();
        } else {
            vector = 0xFF;
        }
        update();
        return vector;
    }

    @Override
    public int ioRead(int port, int size) {
        if (port == 0x22) {
            return imcrSelect;
        }
        return imcrSelect == 0x70 ? (imcrApicMode ? 1 : 0) : 0xFF;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        if (port == 0x22) {
            imcrSelect = value & 0xFF;
        } else if (imcrSelect == 0x70) {
            imcrApicMode = (value & 1) != 0;
            update();
        }
    }
}
