package jx86.devices.misc;

import jx86.bus.IoBus;
import jx86.bus.IoDevice;

/**
 * Port 0xF0, the PC/AT coprocessor-error acknowledge: with CR0.NE = 0 an x87 error raises FERR#,
 * which the chipset latches onto IRQ 13; an IRQ 13 handler writes any value to port F0h to clear
 * the latch (and IGNNE#). Reads return 0xFF (no register). Byte port.
 */
public final class FpuErrorPortF0 implements IoDevice {
    private final Runnable clear;

    public FpuErrorPortF0(Runnable clear) {
        this.clear = clear;
    }

    /** Registers port 0xF0 (byte port). */
    public void attach(IoBus bus) {
        bus.register(0xF0, 1, "x87 error clear", IoBus.W8, this);
    }

    @Override
    public int ioRead(int port, int size) {
        return 0xFF;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        clear.run();
    }
}
