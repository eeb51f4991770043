package jx86.devices.misc;

import jx86.clock.VirtualClock;

/**
 * Exact conversion between {@link VirtualClock} cycles and the ticks of a device's own crystal
 * (the PIT's 1193182 Hz, the RTC's 32768 Hz, the APIC bus clock).
 *
 * <p>Integer arithmetic only, so a device's counter never disagrees with the deadline of the timer
 * that was computed from it (doubles lose the last tick after a few hours of virtual time). A tick
 * counts as elapsed at the first cycle {@code c} with {@code c * deviceHz >= tick * hz}.
 */
public final class DeviceClock {
    private final VirtualClock clock;
    private final long deviceHz;
    private final long hz;

    public DeviceClock(VirtualClock clock, long deviceHz) {
        if (deviceHz <= 0) {
            throw new IllegalArgumentException("device frequency must be positive");
        }
        this.clock = clock;
        this.deviceHz = deviceHz;
        this.hz = clock.hz();
    }

    public VirtualClock clock() {
        return clock;
    }

    public long deviceHz() {
        return deviceHz;
    }

    /** Device ticks elapsed at the current cycle. */
    public long ticks() {
        return ticksAt(clock.cycles);
    }

    /** Device ticks elapsed at {@code cycle} (floor). */
    public long ticksAt(long cycle) {
        long q = cycle / hz;
        long r = cycle % hz;
        // Splitting by whole seconds keeps r * deviceHz far below 2^63 for any clock up to ~10 GHz.
        return q * deviceHz + multiplyDivide(r, deviceHz, hz, false);
    }

    /** The first cycle at which {@code tick} device ticks have elapsed (ceiling). */
    public long cycleOfTick(long tick) {
        long q = tick / deviceHz;
        long r = tick % deviceHz;
        return q * hz + multiplyDivide(r, hz, deviceHz, true);
    }

    private static long multiplyDivide(long a, long b, long c, boolean ceiling) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if (hi == 0 && lo >= 0) {
            return ceiling ? (lo + c - 1) / c : lo / c;
        }
        // Only reachable with absurd frequencies; fall back to exact big arithmetic.
        java.math.BigInteger[] qr = java.math.BigInteger.valueOf(a).multiply(java.math.BigInteger.valueOf(b))
                .divideAndRemainder(java.math.BigInteger.valueOf(c));
        long result = qr[0].longValueExact();
        return ceiling && qr[1].signum() != 0 ? result + 1 : result;
    }
}
