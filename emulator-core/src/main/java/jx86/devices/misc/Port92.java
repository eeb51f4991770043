package jx86.devices.misc;

import jx86.bus.IoBus;
import jx86.bus.IoDevice;

/**
 * Port 0x92, "system control port A" / fast A20 and reset (PS/2; PIIX datasheet "Port 92h").
 * Bit 1 drives the A20 gate and reads back its state; writing bit 0 = 1 requests a fast CPU reset
 * (an INIT: the machine decides what reset means); bit 0 reads back as written. The other bits
 * (fixed disk activity light, security lock) are stored only.
 */
public final class Port92 implements IoDevice {
    private final A20Gate a20;
    private final Runnable resetRequest;
    private int value;

    public Port92(A20Gate a20, Runnable resetRequest) {
        this.a20 = a20;
        this.resetRequest = resetRequest;
    }

    /** Registers port 0x92 (byte port). */
    public void attach(IoBus bus) {
        bus.register(0x92, 1, "port 0x92 (fast A20/reset)", IoBus.W8, this);
    }

    @Override
    public int ioRead(int port, int size) {
        return (value & ~0x02) | (a20.a20Enabled() ? 0x02 : 0);
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        boolean resetEdge = (value & 1) != 0 && (this.value & 1) == 0;
        this.value = value & 0xFF;
        a20.setA20((value & 0x02) != 0);
        if (resetEdge) {
            resetRequest.run();
        }
    }

    /** Called by the machine on a full reset: A20 enable and reset bits clear. */
    public void reset() {
        value = 0;
    }
}
