package jx86.devices.pic;

import jx86.bus.InterruptController;
import jx86.bus.IoBus;
import jx86.bus.IoDevice;
import jx86.bus.IrqSink;

/**
 * The PC/AT's cascaded pair of 8259A PICs (8259A datasheet, "Cascade mode"): the master at ports
 * 0x20-0x21 takes ISA IRQ 0-7, the slave at 0xA0-0xA1 takes IRQ 8-15 and drives master input 2.
 * The EISA/PIIX edge/level control registers (ELCR) are at 0x4D0 (master) and 0x4D1 (slave).
 *
 * <p>{@link #setIrq} takes ISA IRQ numbers 0-15; IRQ 2 is the cascade and is ignored (the AT bus's
 * IRQ2-to-IRQ9 redirection is not modelled: no jx86 device uses IRQ 2). {@link #acknowledge} is the
 * CPU's INTA cycle: it returns the vector and moves the request into ISR.
 *
 * <p>Spurious interrupts: when the CPU acknowledges with no request left (the request was masked or
 * withdrawn between INTR and INTA), the master answers vector base+7 (IRQ7) and leaves ISR unchanged.
 * When the master's winner is the cascade input but the slave has nothing to offer, the master sets
 * ISR bit 2 (it did see a request on IR2) and the slave answers its base+7 (IRQ15) without touching
 * its own ISR; the guest must then send an EOI to the master only, as Linux does. In this model IR2
 * follows the slave's INT level at every register access, so a withdrawn slave request normally
 * shows up as the master's spurious IRQ7 instead.
 *
 * <p>Not modelled: the buffered and 8080 modes, ICW3 values other than the PC wiring (the cascade
 * is always master IR2 / slave ID 2), the OCW3 and ICW4 SFNM interplay beyond the priority rule.
 */
public final class I8259Pair implements IrqSink, InterruptController, IoDevice {
    private final I8259 master = new I8259(true);
    private final I8259 slave = new I8259(false);
    private final IntrOutput output;
    private boolean outputLevel;

    /** @param output the INTR wire (the CPU's {@code setIntr}, or the interrupt router) */
    public I8259Pair(IntrOutput output) {
        this.output = output;
    }

    /** Registers 0x20-0x21, 0xA0-0xA1 and 0x4D0-0x4D1 (byte ports). */
    public void attach(IoBus bus) {
        bus.register(0x20, 2, "8259 master", IoBus.W8, this);
        bus.register(0xA0, 2, "8259 slave", IoBus.W8, this);
        bus.register(0x4D0, 2, "8259 ELCR", IoBus.W8, this);
    }

    public I8259 master() {
        return master;
    }

    public I8259 slave() {
        return slave;
    }

    /** The current level of the INTR output. */
    public boolean output() {
        return outputLevel;
    }

    @Override
    public void setIrq(int line, boolean level) {
        if (line == 2) {
            return; // the cascade input: no ISA device can drive it
        }
        if (line >= 0 && line < 8) {
            master.setInput(line, level);
        } else if (line < 16) {
            slave.setInput(line - 8, level);
        } else {
            return;
        }
        update();
    }

    @Override
    public int acknowledge() {
        int irq = master.pendingIrq();
        int vector;
        if (irq < 0) {
            vector = master.vectorBase() + 7;
        } else if (irq == 2) {
            master.acknowledge(2);
            int slaveIrq = slave.pendingIrq();
            if (slaveIrq >= 0) {
                slave.acknowledge(slaveIrq);
                vector = slave.vectorBase() + slaveIrq;
            } else {
                vector = slave.vectorBase() + 7;
            }
        } else {
            master.acknowledge(irq);
            vector = master.vectorBase() + irq;
        }
        update();
        return vector;
    }

    @Override
    public int ioRead(int port, int size) {
        int value = switch (port) {
            case 0x20, 0x21 -> master.read(port & 1);
            case 0xA0, 0xA1 -> slave.read(port & 1);
            case 0x4D0 -> master.elcr();
            case 0x4D1 -> slave.elcr();
            default -> 0xFF;
        };
        // A poll read acknowledges, so the outputs may have changed.
        update();
        return value;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        switch (port) {
            case 0x20, 0x21 -> master.write(port & 1, value);
            case 0xA0, 0xA1 -> slave.write(port & 1, value);
            case 0x4D0 -> master.setElcr(value);
            case 0x4D1 -> slave.setElcr(value);
            default -> { }
        }
        update();
    }

    /** Propagates the slave's INT to master IR2 and the master's INT to the INTR wire. */
    private void update() {
        master.setInput(2, slave.output());
        boolean level = master.output();
        if (level != outputLevel) {
            outputLevel = level;
            output.set(level);
        }
    }
}
