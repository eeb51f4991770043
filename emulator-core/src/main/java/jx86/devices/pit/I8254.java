package jx86.devices.pit;

import jx86.bus.IoBus;
import jx86.bus.IoDevice;
import jx86.bus.IrqLine;
import jx86.clock.VirtualClock;
import jx86.devices.misc.DeviceClock;

/**
 * The Intel 8254 programmable interval timer (8254 datasheet: control word, modes 0-5, counter
 * latch and read-back commands), clocked at 1193182 Hz derived from {@link VirtualClock}.
 *
 * <p>Ports 0x40-0x42 are counters 0-2, 0x43 the control word (write only, reads 0xFF). On the PC,
 * counter 0's OUT drives ISA IRQ0, counter 1 (DRAM refresh) is free running, and counter 2's GATE
 * and OUT are wired to port 0x61 ({@link Port61}, registered by {@link #attach} as well). Gates 0
 * and 1 are tied high.
 *
 * <p>Counters are lazy (value and OUT are computed from the tick count); only counter 0 owns a
 * {@link VirtualClock.Timer}, armed for its next OUT transition, so IRQ0 costs one event per edge
 * (two per period in mode 3). Modes 2, 4 and 5 signal with a low-high strobe on the IRQ line.
 *
 * <p>Not modelled: the one-clock delay between writing a count and loading it into the counting
 * element (counting starts at the write's tick), waiting for the end of the current period before a
 * new mode 2/3 count takes effect (it restarts at once), exact mode 3 counter values for odd counts
 * (OUT timing is exact), the PC speaker sound.
 */
public final class I8254 implements IoDevice {
    /** The PC's PIT input clock: 14.31818 MHz / 12. */
    public static final long INPUT_HZ = 1_193_182L;

    private final DeviceClock ticks;
    private final IrqLine irq0;
    private final PitChannel[] channels = {new PitChannel(), new PitChannel(), new PitChannel()};
    private final VirtualClock.Timer irqTimer;
    private final Port61 port61;
    private long scheduledTick;
    private int scheduledKind;

    /** @param irq0 the wire counter 0's OUT drives (ISA IRQ0) */
    public I8254(VirtualClock clock, IrqLine irq0) {
        this.ticks = new DeviceClock(clock, INPUT_HZ);
        this.irq0 = irq0;
        this.irqTimer = clock.newTimer("pit-irq0", this::onEdge);
        this.port61 = new Port61(this);
        channels[2].setGate(false, 0); // port 0x61 bit 0 is clear at reset
    }

    /** Registers 0x40-0x43 and port 0x61 (byte ports). */
    public void attach(IoBus bus) {
        bus.register(0x40, 4, "8254 PIT", IoBus.W8, this);
        bus.register(0x61, 1, "port 0x61 (system control B)", IoBus.W8, port61);
    }

    public Port61 port61() {
        return port61;
    }

    /** PIT input-clock ticks since reset. */
    public long ticks() {
        return ticks.ticks();
    }

    /** The current OUT level of counter {@code channel}. */
    public boolean output(int channel) {
        return channels[channel].out(ticks.ticks());
    }

    /** The current value of counter {@code channel} as it would read (BCD in BCD mode). */
    public int count(int channel) {
        return channels[channel].value(ticks.ticks());
    }

    /** Drives the GATE input of a counter (only counter 2's is software controlled on a PC). */
    public void setGate(int channel, boolean level) {
        channels[channel].setGate(level, ticks.ticks());
        if (channel == 0) {
            channel0Changed();
        }
    }

    public boolean gate(int channel) {
        return channels[channel].gate();
    }

    @Override
    public int ioRead(int port, int size) {
        int ch = port - 0x40;
        if (ch == 3) {
            return 0xFF;
        }
        return channels[ch].read(ticks.ticks());
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        int ch = port - 0x40;
        long now = ticks.ticks();
        if (ch < 3) {
            channels[ch].writeCount(value, now);
            if (ch == 0) {
                channel0Changed();
            }
            return;
        }
        int select = (value >>> 6) & 3;
        if (select == 3) {
            readBack(value, now);
            return;
        }
        if ((value & 0x30) == 0) {
            channels[select].latchCount(now);
            return;
        }
        channels[select].control(value);
        if (select == 0) {
            channel0Changed();
        }
    }

    /** Read-back command: bit 5 clear latches counts, bit 4 clear latches status, bits 1-3 select. */
    private void readBack(int value, long now) {
        for (int ch = 0; ch < 3; ch++) {
            if ((value & (2 << ch)) == 0) {
                continue;
            }
            if ((value & 0x10) == 0) {
                channels[ch].latchStatus(now);
            }
            if ((value & 0x20) == 0) {
                channels[ch].latchCount(now);
            }
        }
    }

    private void channel0Changed() {
        long now = ticks.ticks();
        irq0.set(channels[0].out(now));
        schedule(now);
    }

    private void schedule(long after) {
        long edge = channels[0].nextEdge(after);
        if (edge < 0) {
            irqTimer.cancel();
            return;
        }
        scheduledTick = edge;
        scheduledKind = channels[0].nextEdgeKind();
        irqTimer.setDeadline(ticks.cycleOfTick(edge));
    }

    private void onEdge() {
        switch (scheduledKind) {
            case PitChannel.RISE -> irq0.set(true);
            case PitChannel.FALL -> irq0.set(false);
            default -> {
                irq0.set(false);
                irq0.set(true);
            }
        }
        // From the edge's own tick, so a late callback still produces every edge in order.
        schedule(scheduledTick);
    }
}
