package jx86.mmu;

import java.util.function.LongSupplier;
import jx86.bus.IoBus;
import jx86.bus.IoDevice;
import jx86.clock.VirtualClock;

/**
 * jx86's guest-visible performance counters: a paravirtual port-I/O device (no real chip; the
 * model is a select/data register pair like a PMU's counter select MSRs). It exposes the virtual
 * cycle counter, the retired-instruction count and every {@link Tlb} counter.
 *
 * <pre>
 *   0x5A0  SELECT   R/W  counter index (see below); reads back the current index
 *   0x5A4  DATA_LO  R    bits 31:0 of the selected counter in the last snapshot
 *   0x5A8  DATA_HI  R    bits 63:32 of the selected counter in the last snapshot
 *   0x5AC  COMMAND  W    1 = SNAPSHOT (latch every counter), 2 = RESET (counters restart at 0),
 *                        3 = RESET then SNAPSHOT; other values ignored
 *          ID       R    0x4350_584A ("JXPC" as bytes in memory: the device signature)
 *
 *   counter index:  0x00 cycles, 0x01 instructions,
 *                   0x10 + 2*event + u  I-TLB,   0x20 + 2*event + u  D-TLB
 *                   (event = TlbEvent ordinal 0..7: hits, misses, walks, page faults, evictions,
 *                    full flushes, CR3 flushes, INVLPG; u = 0 supervisor CPL 0-2, 1 user CPL 3)
 *                   any other index reads 0
 * </pre>
 *
 * <p>Values are relative to the last RESET (a per-device baseline; the Java-side counters and the
 * clock are not touched), and are read from the last SNAPSHOT so the two halves and different
 * counters are mutually consistent. Byte and word accesses reach the byte lanes of a register;
 * writes are taken only at the register's first port. No IRQ. NOT modelled: overflow interrupts,
 * programmable event selection.
 */
public final class PerfCounterDevice implements IoDevice {
    public static final int BASE_PORT = 0x5A0;
    public static final int PORT_COUNT = 16;
    public static final int SELECT = 0x5A0;
    public static final int DATA_LO = 0x5A4;
    public static final int DATA_HI = 0x5A8;
    public static final int COMMAND = 0x5AC;
    public static final int CMD_SNAPSHOT = 1;
    public static final int CMD_RESET = 2;
    public static final int CMD_RESET_SNAPSHOT = 3;
    public static final int DEVICE_ID = 0x4350_584A;

    public static final int INDEX_CYCLES = 0x00;
    public static final int INDEX_INSTRUCTIONS = 0x01;
    public static final int INDEX_ITLB = 0x10;
    public static final int INDEX_DTLB = 0x20;
    private static final int INDEX_LIMIT = 0x30;

    private final Mmu mmu;
    private final VirtualClock clock;
    private final LongSupplier instructions;
    private final long[] baseline = new long[INDEX_LIMIT];
    private final long[] snapshot = new long[INDEX_LIMIT];
    private int select;

    public PerfCounterDevice(Mmu mmu, VirtualClock clock, LongSupplier instructions) {
        this.mmu = mmu;
        this.clock = clock;
        this.instructions = instructions;
    }

    /** Claims ports 0x5A0-0x5AF on {@code bus}. */
    public void register(IoBus bus) {
        bus.register(BASE_PORT, PORT_COUNT, "perf-counters", IoBus.W_ALL, this);
    }

    /** The live value of counter {@code index} (ignoring the guest's RESET baseline). */
    public long liveValue(int index) {
        if (index == INDEX_CYCLES) {
            return clock.cycles;
        }
        if (index == INDEX_INSTRUCTIONS) {
            return instructions.getAsLong();
        }
        if (index >= INDEX_ITLB && index < INDEX_DTLB + 2 * TlbEvent.COUNT
                && (index & 0xF) < 2 * TlbEvent.COUNT) {
            Tlb tlb = index < INDEX_DTLB ? mmu.itlb() : mmu.dtlb();
            return tlb.counter(TlbEvent.values()[(index & 0xF) >>> 1], (index & 1) != 0);
        }
        return 0;
    }

    @Override
    public int ioRead(int port, int size) {
        int reg = port & ~3;
        int value;
        if (reg == SELECT) {
            value = select;
        } else if (reg == DATA_LO) {
            value = (int) snapshotOfSelected();
        } else if (reg == DATA_HI) {
            value = (int) (snapshotOfSelected() >>> 32);
        } else {
            value = DEVICE_ID;
        }
        value >>>= 8 * (port & 3);
        return size == 4 ? value : value & ((1 << (8 * size)) - 1);
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        if ((port & 3) != 0) {
            return;
        }
        if (port == SELECT) {
            select = value;
        } else if (port == COMMAND) {
            int cmd = value & 0xFF;
            if ((cmd & CMD_RESET) != 0 && cmd <= CMD_RESET_SNAPSHOT) {
                for (int i = 0; i < INDEX_LIMIT; i++) {
                    baseline[i] = liveValue(i);
                }
            }
            if ((cmd & CMD_SNAPSHOT) != 0 && cmd <= CMD_RESET_SNAPSHOT) {
                for (int i = 0; i < INDEX_LIMIT; i++) {
                    snapshot[i] = liveValue(i) - baseline[i];
                }
            }
        }
    }

    private long snapshotOfSelected() {
        return select >= 0 && select < INDEX_LIMIT ? snapshot[select] : 0;
    }
}
