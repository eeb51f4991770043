package jx86.devices.pit;

/**
 * One counter of the 8254 (8254 datasheet, "Modes of operation" and "Read operations"), computed
 * lazily: the counting element is never stepped, its value and OUT level are functions of the
 * input-clock tick at which counting started. All methods take the current tick.
 */
final class PitChannel {
    static final int RISE = 1;
    static final int FALL = 2;
    /** OUT goes low for one clock and back high; the rising edge is what interrupts. */
    static final int STROBE = 3;

    private int mode;
    private boolean bcd;
    /** Read/write mode: 1 LSB only, 2 MSB only, 3 LSB then MSB. */
    private int access = 3;
    /** The count register, decoded: 1 .. modulus (a written 0 means the modulus). */
    private int reload;
    private boolean countWritten;
    private boolean counting;
    private long baseTick;
    /** Counter value at {@link #baseTick} while counting. */
    private int startValue;
    /** Counter value held while not counting (gate low, or waiting for a trigger). */
    private int heldValue;
    private boolean heldOut = true;
    private boolean gate = true;
    private boolean nullCount = true;

    private boolean writeMsbNext;
    private int lsbWritten;
    private boolean readMsbNext;
    private int latchedCount;
    /** Bytes of the latched count still to be read (0 = no count latched). */
    private int latchedBytes;
    private boolean latchedMsbNext;
    private boolean statusLatched;
    private int latchedStatus;

    private int nextEdgeKind;

    int mode() {
        return mode;
    }

    boolean gate() {
        return gate;
    }

    private int modulus() {
        return bcd ? 10000 : 0x10000;
    }

    /** A control word with a non-zero RW field for this counter. */
    void control(int cw) {
        access = (cw >>> 4) & 3;
        mode = (cw >>> 1) & 7;
        if (mode > 5) {
            mode -= 4; // 110 and 111 are aliases of modes 2 and 3
        }
        bcd = (cw & 1) != 0;
        countWritten = false;
        counting = false;
        nullCount = true;
        writeMsbNext = false;
        readMsbNext = false;
        latchedBytes = 0;
        statusLatched = false;
        heldOut = mode != 0;
    }

    void writeCount(int value, long now) {
        value &= 0xFF;
        switch (access) {
            case 1 -> load(value, now);
            case 2 -> load(value << 8, now);
            default -> {
                if (!writeMsbNext) {
                    lsbWritten = value;
                    writeMsbNext = true;
                    if (mode == 0) {
                        hold(now); // writing the first byte stops a mode 0 count
                    }
                } else {
                    writeMsbNext = false;
                    load(lsbWritten | value << 8, now);
                }
            }
        }
    }

    private void load(int raw, long now) {
        int n = bcd ? fromBcd(raw) : raw;
        if (n == 0) {
            n = modulus();
        }
        if ((mode == 2 || mode == 3) && n == 1) {
            n = 2; // a count of 1 is illegal in the periodic modes
        }
        reload = n;
        countWritten = true;
        switch (mode) {
            case 0, 4 -> {
                heldOut = mode == 4;
                heldValue = n;
                nullCount = false;
                if (gate) {
                    start(now, n);
                } else {
                    counting = false;
                }
            }
            case 2, 3 -> {
                nullCount = false;
                heldValue = n;
                // Simplification: a new count restarts the period at once (the chip waits for the
                // end of the current period).
                if (gate) {
                    start(now, n);
                }
            }
            default -> { } // modes 1 and 5 load the count at the next gate trigger
        }
    }

    private void start(long now, int value) {
        counting = true;
        baseTick = now;
        startValue = value;
    }

    private void hold(long now) {
        if (counting) {
            heldOut = out(now);
            heldValue = rawValue(now);
            counting = false;
        }
    }

    void setGate(boolean level, long now) {
        if (level == gate) {
            return;
        }
        gate = level;
        switch (mode) {
            case 0, 4 -> {
                if (!level) {
                    hold(now);
                } else if (countWritten) {
                    start(now, heldValue);
                }
            }
            case 2, 3 -> {
                if (!level) {
                    hold(now);
                    heldOut = true; // gate low forces OUT high at once
                } else if (countWritten) {
                    start(now, reload);
                }
            }
            default -> {
                if (level && countWritten) {
                    nullCount = false;
                    start(now, reload);
                }
            }
        }
    }

    /** The counting element, 1 .. modulus (modulus reads back as 0). */
    private int rawValue(long now) {
        if (!counting) {
            return heldValue;
        }
        long d = now - baseTick;
        return switch (mode) {
            case 2 -> (int) (reload - d % reload);
            case 3 -> (int) (reload - (2 * d) % reload);
            default -> {
                long v = startValue - d;
                yield v > 0 ? (int) v : (int) Math.floorMod(v, (long) modulus());
            }
        };
    }

    int value(long now) {
        int v = rawValue(now) % modulus();
        return bcd ? toBcd(v) : v;
    }

    boolean out(long now) {
        if (!counting) {
            return heldOut;
        }
        long d = now - baseTick;
        return switch (mode) {
            case 0, 1 -> d >= startValue;
            case 2 -> d % reload != reload - 1;
            case 3 -> d % reload < (reload + 1) / 2;
            default -> d != startValue;
        };
    }

    /**
     * The first tick after {@code tick} at which OUT changes in a way an interrupt controller cares
     * about, or -1; {@link #nextEdgeKind()} then tells RISE, FALL or STROBE.
     */
    long nextEdge(long tick) {
        if (!counting) {
            return -1;
        }
        long d = tick - baseTick;
        switch (mode) {
            case 0, 1 -> {
                nextEdgeKind = RISE;
                return d < startValue ? baseTick + startValue : -1;
            }
            case 2 -> {
                nextEdgeKind = STROBE;
                return baseTick + (d / reload + 1) * reload;
            }
            case 3 -> {
                long periodStart = d - d % reload;
                long half = (reload + 1) / 2;
                if (d % reload < half) {
                    nextEdgeKind = FALL;
                    return baseTick + periodStart + half;
                }
                nextEdgeKind = RISE;
                return baseTick + periodStart + reload;
            }
            default -> {
                nextEdgeKind = STROBE;
                return d < startValue + 1L ? baseTick + startValue + 1 : -1;
            }
        }
    }

    int nextEdgeKind() {
        return nextEdgeKind;
    }

    // ---- the read side: latches and the byte toggle ----

    void latchCount(long now) {
        if (latchedBytes == 0) {
            latchedCount = value(now);
            latchedBytes = access == 3 ? 2 : 1;
            latchedMsbNext = access == 2;
        }
    }

    void latchStatus(long now) {
        if (!statusLatched) {
            latchedStatus = (out(now) ? 0x80 : 0) | (nullCount ? 0x40 : 0) | access << 4 | mode << 1 | (bcd ? 1 : 0);
            statusLatched = true;
        }
    }

    int read(long now) {
        if (statusLatched) {
            statusLatched = false;
            return latchedStatus;
        }
        if (latchedBytes > 0) {
            int b = latchedMsbNext ? latchedCount >>> 8 : latchedCount & 0xFF;
            latchedMsbNext = !latchedMsbNext;
            latchedBytes--;
            return b;
        }
        int v = value(now);
        return switch (access) {
            case 1 -> v & 0xFF;
            case 2 -> v >>> 8;
            default -> {
                readMsbNext = !readMsbNext;
                yield readMsbNext ? v & 0xFF : v >>> 8;
            }
        };
    }

    static int fromBcd(int raw) {
        return (raw >>> 12 & 0xF) * 1000 + (raw >>> 8 & 0xF) * 100 + (raw >>> 4 & 0xF) * 10 + (raw & 0xF);
    }

    static int toBcd(int v) {
        return (v / 1000 % 10) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10;
    }
}
