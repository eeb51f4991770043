package jx86.bus;

/**
 * One interrupt wire from a device to the interrupt controllers it is connected to (on a PC, ISA
 * IRQ n goes to the 8259 pair and to an I/O APIC pin). Devices drive it; they never see which
 * controller is listening.
 */
public final class IrqLine {
    private final IrqSink[] sinks;
    private final int[] pins;
    private boolean level;

    /** A wire delivering to {@code sinks[i]} at input {@code pins[i]}. */
    public IrqLine(IrqSink[] sinks, int[] pins) {
        if (sinks.length != pins.length) {
            throw new IllegalArgumentException("sinks and pins differ in length");
        }
        this.sinks = sinks.clone();
        this.pins = pins.clone();
    }

    /** A wire that goes nowhere (for devices tested on their own). */
    public static IrqLine unconnected() {
        return new IrqLine(new IrqSink[0], new int[0]);
    }

    public boolean level() {
        return level;
    }

    public void set(boolean newLevel) {
        if (newLevel == level) {
            return;
        }
        level = newLevel;
        for (int i = 0; i < sinks.length; i++) {
            sinks[i].setIrq(pins[i], newLevel);
        }
    }

    public void raise() {
        set(true);
    }

    public void lower() {
        set(false);
    }

    /** A rising then falling edge (an edge-triggered request that leaves the line low). */
    public void pulse() {
        set(true);
        set(false);
    }
}
