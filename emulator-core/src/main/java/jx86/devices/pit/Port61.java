package jx86.devices.pit;

import jx86.bus.IoDevice;

/**
 * Port 0x61, the AT's "system control port B" (as in the PIIX/ISA bridge datasheets, NMI status and
 * control register).
 *
 * <pre>
 *   bit 0  PIT counter 2 GATE (read/write)
 *   bit 1  speaker data enable (read/write; no sound is produced)
 *   bit 2  parity check enable, bit 3 channel check enable (stored only)
 *   bit 4  refresh request toggle (read only): flips every 18 PIT clocks (15.09 us), derived from
 *          virtual time so that BIOS-style delay loops that count its edges are deterministic
 *   bit 5  PIT counter 2 OUT (read only)
 *   bit 6, 7  channel check / parity error (always 0: no NMI sources are modelled)
 * </pre>
 */
public final class Port61 implements IoDevice {
    /** PIT clocks per half period of the refresh toggle (about 15 us, the DRAM refresh interval). */
    static final int REFRESH_TICKS = 18;

    private final I8254 pit;
    private int control;

    Port61(I8254 pit) {
        this.pit = pit;
    }

    public boolean speakerEnabled() {
        return (control & 0x02) != 0;
    }

    @Override
    public int ioRead(int port, int size) {
        int value = control & 0x0F;
        if ((pit.ticks() / REFRESH_TICKS & 1) != 0) {
            value |= 0x10;
        }
        if (pit.output(2)) {
            value |= 0x20;
        }
        return value;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        control = value & 0x0F;
        pit.setGate(2, (value & 1) != 0);
    }
}
