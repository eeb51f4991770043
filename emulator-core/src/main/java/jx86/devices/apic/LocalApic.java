package jx86.devices.apic;

import java.util.Arrays;
import java.util.function.IntConsumer;
import jx86.bus.MmioDevice;
import jx86.clock.VirtualClock;
import jx86.memory.PhysicalMemory;

/**
 * The local APIC of a single P6/Pentium 4-era processor in xAPIC mode (Intel SDM Vol. 3A,
 * chapter 10 "Advanced Programmable Interrupt Controller"), memory mapped at 0xFEE00000 (4 KiB).
 * Version register 0x00050014: version 0x14, six LVT entries (max LVT entry 5).
 *
 * <p>Modelled: ID, version, TPR/PPR (10.8.3.1), EOI with the EOI broadcast to the I/O APIC for
 * level-triggered vectors (TMR set), LDR/DFR (flat and cluster logical destinations), SVR with the
 * software enable bit (clearing it masks every LVT entry, 10.4.7.2) and the spurious vector, the
 * 256-bit ISR/TMR/IRR, ESR with write-then-read latching (10.5.3), ICR, the LVT (timer, thermal,
 * performance counter, LINT0, LINT1, error), and the timer (10.5.4): one-shot and periodic modes,
 * the divide configuration register and initial/current counts computed lazily from the virtual
 * clock. The timer's bus clock is {@link VirtualClock#hz()} (one timer tick per CPU cycle before
 * division).
 *
 * <p>IPIs: there is only this processor. A fixed or lowest-priority IPI to itself (shorthand "self"
 * or "all including self", or a destination matching its own ID or logical ID) is delivered, and
 * so is an NMI IPI to itself (it raises the CPU's NMI through {@link #setNmiListener}); INIT,
 * STARTUP and SMI IPIs, and anything sent to other processors, are accepted and dropped, and the
 * delivery status bit always reads idle.
 *
 * <p>Not modelled: relocation of the APIC base and x2APIC (the CPU owns IA32_APIC_BASE and tells
 * this class through {@link #setHardwareEnabled}), TSC-deadline mode, arbitration priority (APR
 * reads 0), NMI/SMI/INIT delivery through LINT pins or the LVT (LINT0 in ExtINT mode is handled by
 * {@link InterruptRouter}), the thermal and performance counter interrupt sources, interrupts
 * arriving while the APIC is software-disabled (they are dropped, not held).
 */
public final class LocalApic implements MmioDevice {
    public static final int DEFAULT_BASE = 0xFEE0_0000;
    public static final int VERSION = 0x0005_0014;

    static final int LVT_TIMER = 0;
    static final int LVT_THERMAL = 1;
    static final int LVT_PERF = 2;
    static final int LVT_LINT0 = 3;
    static final int LVT_LINT1 = 4;
    static final int LVT_ERROR = 5;
    private static final int LVT_MASKED = 1 << 16;
    private static final int TIMER_PERIODIC = 1 << 17;

    private static final int ESR_SEND_ILLEGAL_VECTOR = 0x20;
    private static final int ESR_RECEIVE_ILLEGAL_VECTOR = 0x40;

    private final VirtualClock clock;
    private final VirtualClock.Timer timer;
    private final int[] irr = new int[8];
    private final int[] isr = new int[8];
    private final int[] tmr = new int[8];
    private final int[] lvt = new int[6];

    private int id;
    private int tpr;
    private int ldr;
    private int dfr;
    private int svr;
    private int esr;
    private int esrPending;
    private int icrLow;
    private int icrHigh;
    private int initialCount;
    private int divideConfig;
    private long timerStart;
    private long timerDeadline;
    private boolean hardwareEnabled = true;

    private Runnable changeListener = () -> { };
    private IntConsumer eoiListener = v -> { };
    private Runnable nmiListener = () -> { };

    /** @param apicId the initial APIC ID (0 for the bootstrap processor) */
    public LocalApic(VirtualClock clock, int apicId) {
        this.clock = clock;
        this.timer = clock.newTimer("lapic-timer", this::onTimer);
        reset(apicId);
    }

    /** Maps the register page at 0xFEE00000. */
    public void attach(PhysicalMemory memory) {
        memory.registerMmio(DEFAULT_BASE, 0x1000, "local APIC", this);
    }

    /** Power-on/INIT state (SDM 10.4.7.1): everything clear, LVTs masked, SVR 0xFF, DFR all ones. */
    public void reset(int apicId) {
        id = apicId << 24;
        tpr = 0;
        ldr = 0;
        dfr = 0xFFFF_FFFF;
        svr = 0xFF;
        esr = 0;
        esrPending = 0;
        icrLow = 0;
        icrHigh = 0;
        initialCount = 0;
        divideConfig = 0;
        Arrays.fill(irr, 0);
        Arrays.fill(isr, 0);
        Arrays.fill(tmr, 0);
        Arrays.fill(lvt, LVT_MASKED);
        timer.cancel();
        changeListener.run();
    }

    /** Called whenever the deliverable state may have changed (the interrupt router listens). */
    public void setChangeListener(Runnable listener) {
        this.changeListener = listener;
    }

    /** Receives the vector of each EOI for a level-triggered interrupt (the I/O APIC listens). */
    public void setEoiListener(IntConsumer listener) {
        this.eoiListener = listener;
    }

    /** Receives NMIs this APIC delivers to its processor (the machine connects the CPU's NMI). */
    public void setNmiListener(Runnable listener) {
        this.nmiListener = listener;
    }

    /** IA32_APIC_BASE bit 11 (global enable), owned by the CPU's MSR code. */
    public void setHardwareEnabled(boolean enabled) {
        if (!enabled) {
            reset(id >>> 24);
        }
        hardwareEnabled = enabled;
        changeListener.run();
    }

    public int apicId() {
        return id >>> 24;
    }

    /** Globally and software enabled: the APIC delivers interrupts. */
    public boolean enabled() {
        return hardwareEnabled && (svr & 0x100) != 0;
    }

    /** LINT0 is unmasked in ExtINT mode (virtual wire): the 8259's INTR passes through. */
    public boolean lint0ExtInt() {
        int e = lvt[LVT_LINT0];
        return (e & LVT_MASKED) == 0 && (e >>> 8 & 7) == 7;
    }

    public int spuriousVector() {
        return svr & 0xFF;
    }

    // ---- interrupt acceptance and delivery ----

    /**
     * A fixed-mode interrupt message for this APIC (from the I/O APIC, an IPI or a local source).
     *
     * @return false when it was dropped (APIC disabled or illegal vector)
     */
    public boolean acceptInterrupt(int vector, boolean levelTriggered) {
        vector &= 0xFF;
        if (!enabled()) {
            return false;
        }
        if (vector < 16) {
            signalError(ESR_RECEIVE_ILLEGAL_VECTOR);
            return false;
        }
        setBit(irr, vector, true);
        setBit(tmr, vector, levelTriggered);
        changeListener.run();
        return true;
    }

    /** Whether a message with {@code destination} in physical or logical mode addresses this APIC. */
    public boolean matchesDestination(int destination, boolean logical) {
        destination &= 0xFF;
        if (destination == 0xFF) {
            return true;
        }
        if (!logical) {
            return destination == apicId();
        }
        int logicalId = ldr >>> 24;
        if ((dfr >>> 28) == 0xF) {
            return (logicalId & destination) != 0; // flat model
        }
        return (destination >>> 4) == (logicalId >>> 4) && (destination & logicalId & 0xF) != 0;
    }

    /** An interrupt in IRR whose priority class beats the PPR is waiting for the CPU. */
    public boolean hasPendingInterrupt() {
        if (!enabled()) {
            return false;
        }
        int v = highest(irr);
        return v >= 0 && (v & 0xF0) > (ppr() & 0xF0);
    }

    /** The CPU's INTA: moves the highest deliverable vector from IRR to ISR, or returns the spurious vector. */
    public int acknowledge() {
        if (!hasPendingInterrupt()) {
            return spuriousVector();
        }
        int v = highest(irr);
        setBit(irr, v, false);
        setBit(isr, v, true);
        changeListener.run();
        return v;
    }

    private int ppr() {
        int isrv = Math.max(0, highest(isr));
        return (tpr & 0xF0) >= (isrv & 0xF0) ? tpr & 0xFF : isrv & 0xF0;
    }

    private void eoi() {
        int v = highest(isr);
        if (v < 0) {
            return;
        }
        setBit(isr, v, false);
        if (bit(tmr, v)) {
            eoiListener.accept(v);
        }
        changeListener.run();
    }

    private void signalError(int bits) {
        esrPending |= bits;
        int e = lvt[LVT_ERROR];
        if ((e & LVT_MASKED) == 0 && (e & 0xFF) >= 16) {
            acceptInterrupt(e & 0xFF, false);
        }
    }

    /**
     * Sends the IPI in the ICR (SDM 10.6.1). Only this processor exists, so only IPIs addressed to
     * it matter: fixed and lowest priority put the vector into IRR; NMI raises the CPU's NMI (the
     * vector is ignored, as the SDM says). SMI, INIT and STARTUP are dropped (no SMM; INIT and
     * STARTUP only act on application processors).
     */
    private void sendIpi() {
        int mode = icrLow >>> 8 & 7;
        int vector = icrLow & 0xFF;
        boolean toSelf = switch (icrLow >>> 18 & 3) {
            case 1, 2 -> true;
            case 3 -> false;
            default -> matchesDestination(icrHigh >>> 24, (icrLow & 0x800) != 0);
        };
        if (mode == 4) {
            if (toSelf && hardwareEnabled) {
                nmiListener.run();
            }
            return;
        }
        if (mode != 0 && mode != 1) {
            return;
        }
        if (vector < 16) {
            signalError(ESR_SEND_ILLEGAL_VECTOR);
            return;
        }
        if (toSelf) {
            acceptInterrupt(vector, false);
        }
    }

    // ---- timer ----

    private int timerDivisor() {
        int bits = (divideConfig & 3) | (divideConfig >>> 1 & 4);
        return bits == 7 ? 1 : 2 << bits;
    }

    /** The current-count register, computed from the cycles elapsed since the count was loaded. */
    public int currentCount() {
        if (initialCount == 0) {
            return 0;
        }
        long initial = Integer.toUnsignedLong(initialCount);
        long elapsed = (clock.cycles - timerStart) / timerDivisor();
        if ((lvt[LVT_TIMER] & TIMER_PERIODIC) != 0) {
            return (int) (initial - elapsed % initial);
        }
        return elapsed >= initial ? 0 : (int) (initial - elapsed);
    }

    private void scheduleTimer() {
        timer.cancel();
        if (initialCount == 0) {
            return;
        }
        long period = Integer.toUnsignedLong(initialCount) * timerDivisor();
        long elapsed = clock.cycles - timerStart;
        if ((lvt[LVT_TIMER] & TIMER_PERIODIC) != 0) {
            timerDeadline = timerStart + (elapsed / period + 1) * period;
        } else if (elapsed < period) {
            timerDeadline = timerStart + period;
        } else {
            return;
        }
        timer.setDeadline(timerDeadline);
    }

    private void onTimer() {
        int e = lvt[LVT_TIMER];
        if ((e & LVT_MASKED) == 0) {
            acceptInterrupt(e & 0xFF, false);
        }
        if ((e & TIMER_PERIODIC) != 0 && initialCount != 0) {
            // From the deadline itself, so periods never drift when the callback runs late.
            timerDeadline += Integer.toUnsignedLong(initialCount) * timerDivisor();
            timer.setDeadline(timerDeadline);
        }
    }

    // ---- register file ----

    @Override
    public int mmioRead(int address, int size) {
        int offset = address & 0xFFF;
        if ((offset & 0xF) + size > 4) {
            return 0; // only the first dword of each 16-byte slot is a register
        }
        int value = readRegister(offset & 0xFF0);
        value >>>= 8 * (offset & 3);
        return size == 4 ? value : value & ((1 << (8 * size)) - 1);
    }

    @Override
    public void mmioWrite(int address, int size, int value) {
        int offset = address & 0xFFF;
        if ((offset & 0xF) != 0) {
            return; // the APIC decodes aligned dword writes only
        }
        if (size < 4) {
            int mask = (1 << (8 * size)) - 1;
            value = (readRegister(offset) & ~mask) | (value & mask);
        }
        writeRegister(offset, value);
    }

    public int readRegister(int reg) {
        if (reg >= 0x100 && reg < 0x280) {
            int[] bits = reg < 0x180 ? isr : reg < 0x200 ? tmr : irr;
            return bits[(reg >>> 4) & 7];
        }
        if (reg >= 0x320 && reg <= 0x370) {
            return lvt[(reg - 0x320) >>> 4];
        }
        return switch (reg) {
            case 0x020 -> id;
            case 0x030 -> VERSION;
            case 0x080 -> tpr;
            case 0x0A0 -> ppr();
            case 0x0D0 -> ldr;
            case 0x0E0 -> dfr;
            case 0x0F0 -> svr;
            case 0x280 -> esr;
            case 0x300 -> icrLow & ~0x1000;
            case 0x310 -> icrHigh;
            case 0x380 -> initialCount;
            case 0x390 -> currentCount();
            case 0x3E0 -> divideConfig;
            default -> 0;
        };
    }

    public void writeRegister(int reg, int value) {
        if (reg >= 0x320 && reg <= 0x370) {
            writeLvt((reg - 0x320) >>> 4, value);
            return;
        }
        switch (reg) {
            case 0x020 -> id = value & 0xFF00_0000;
            case 0x080 -> {
                tpr = value & 0xFF;
                changeListener.run();
            }
            case 0x0B0 -> eoi();
            case 0x0D0 -> ldr = value & 0xFF00_0000;
            case 0x0E0 -> dfr = value | 0x0FFF_FFFF;
            case 0x0F0 -> writeSvr(value);
            case 0x280 -> {
                esr = esrPending;
                esrPending = 0;
            }
            case 0x300 -> {
                icrLow = value & 0x000C_CFFF;
                sendIpi();
            }
            case 0x310 -> icrHigh = value & 0xFF00_0000;
            case 0x380 -> {
                initialCount = value;
                timerStart = clock.cycles;
                scheduleTimer();
            }
            case 0x3E0 -> writeDivideConfig(value);
            default -> { } // read-only or reserved
        }
    }

    private void writeSvr(int value) {
        svr = value & 0x3FF;
        if ((svr & 0x100) == 0) {
            for (int i = 0; i < lvt.length; i++) {
                lvt[i] |= LVT_MASKED;
            }
        }
        changeListener.run();
    }

    /** Writable bits of each LVT entry (delivery status and remote IRR are read only). */
    private static int lvtWritable(int index) {
        return switch (index) {
            case LVT_TIMER -> 0x300FF;
            case LVT_LINT0, LVT_LINT1 -> 0x1A7FF;
            case LVT_ERROR -> 0x100FF;
            default -> 0x107FF;
        };
    }

    private void writeLvt(int index, int value) {
        int writable = lvtWritable(index);
        int entry = (lvt[index] & ~writable) | (value & writable);
        if ((svr & 0x100) == 0) {
            entry |= LVT_MASKED; // cannot be unmasked while software-disabled
        }
        boolean modeChanged = index == LVT_TIMER && ((entry ^ lvt[index]) & TIMER_PERIODIC) != 0;
        lvt[index] = entry;
        if (modeChanged) {
            scheduleTimer();
        }
        if (index == LVT_LINT0) {
            changeListener.run();
        }
    }

    private void writeDivideConfig(int value) {
        int current = currentCount();
        boolean running = current != 0;
        divideConfig = value & 0xB;
        if (running) {
            // Keep the count where it is and continue at the new rate.
            long done = Integer.toUnsignedLong(initialCount) - Integer.toUnsignedLong(current);
            timerStart = clock.cycles - done * timerDivisor();
            scheduleTimer();
        }
    }

    // ---- 256-bit registers ----

    private static void setBit(int[] bits, int v, boolean value) {
        if (value) {
            bits[v >>> 5] |= 1 << (v & 31);
        } else {
            bits[v >>> 5] &= ~(1 << (v & 31));
        }
    }

    private static boolean bit(int[] bits, int v) {
        return (bits[v >>> 5] & (1 << (v & 31))) != 0;
    }

    private static int highest(int[] bits) {
        for (int i = 7; i >= 0; i--) {
            if (bits[i] != 0) {
                return i * 32 + 31 - Integer.numberOfLeadingZeros(bits[i]);
            }
        }
        return -1;
    }

    /** For tests and the debugger: whether {@code vector} is set in IRR, ISR or TMR. */
    public boolean irr(int vector) {
        return bit(irr, vector);
    }

    public boolean isr(int vector) {
        return bit(isr, vector);
    }

    public boolean tmr(int vector) {
        return bit(tmr, vector);
    }
}
