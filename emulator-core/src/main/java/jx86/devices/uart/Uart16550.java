package jx86.devices.uart;

import java.util.List;
import jx86.bus.IoBus;
import jx86.bus.IoDevice;
import jx86.bus.IrqLine;
import jx86.clock.VirtualClock;
import jx86.host.SerialBackend;

/**
 * The 16550A UART (NS PC16550D / TI TL16C550 datasheets) as wired on a PC: eight byte-wide ports at
 * {@code base} (COM1 0x3F8 IRQ4, COM2 0x2F8 IRQ3, COM3 0x3E8 IRQ4, COM4 0x2E8 IRQ3), the interrupt
 * output driven onto the ISA IRQ line. By default the line follows the interrupt whatever MCR.OUT2
 * says, as QEMU's 16550 does (operating systems written for QEMU leave OUT2 clear);
 * {@link #setOut2GatesIrq} selects the PC/AT serial card's wiring, where OUT2 gates the line.
 *
 * <p>Modelled: RBR/THR, IER, IIR with the datasheet's priority order (line status, received data /
 * character timeout, THR empty, modem status), FCR (FIFO enable, clear, receive trigger 1/4/8/14),
 * LCR with DLAB and the divisor latch, MCR (DTR, RTS, OUT1, OUT2, LOOP), LSR, MSR with delta bits
 * (in loopback the modem inputs mirror MCR), SCR, the 16-byte receive FIFO and overrun.
 *
 * <p>Time: transmission is instantaneous (the byte reaches the back-end during the THR write, so
 * THRE and TEMT are always 1 and every THR write is followed by a new THR-empty event). Reception is
 * paced by virtual time only: a clock timer fires once per character time at the programmed baud
 * rate and frame format, and each tick ({@link #pollInput}) moves at most one byte from the
 * back-end into the receive FIFO, only while the FIFO has room (the back-end never overruns the
 * guest), and counts idle character times for the timeout interrupt (4 character times, FIFO mode).
 * The same input therefore reaches the guest at the same virtual instants on every run.
 *
 * <p>Set-up and type-ahead: a byte the guest has not yet been told about (by LSR.DR, an IIR
 * receive identification, or reading RBR) when it reprograms the UART (LCR, divisor, FCR, MCR, or
 * IER turning on the receive interrupt) goes back to the host side, and the next byte arrives a
 * full character time after that write. When a byte arrived is the emulator's choice, so to the
 * guest it arrived after its set-up; the RBR read many drivers do then to drop stale input does not
 * eat the first key typed ahead.
 *
 * <p>The character clock stops while its ticks could change nothing (a back-end that never receives,
 * {@code --serial none}, with loopback off, the FIFO empty and output flushed) and
 * restarts one character time after a THR write or loopback being turned on: so after such a pause
 * its phase is that write's, not the one it had before.
 *
 * <p>Not modelled: the word length, parity and stop bits are not applied to the data (bytes pass
 * through unchanged; no parity or framing errors occur and LCR bit 6, set break, has no effect);
 * the transmit FIFO has no depth; DMA mode (FCR bit 3) and the modem
 * lines of a real host port. Outside loopback the modem inputs read CTS, DSR and DCD asserted, RI
 * off. In loopback the IRQ pin is not driven (OUT2 is internally disconnected, as on the chip).
 */
public final class Uart16550 implements IoDevice {
    public static final int COM1 = 0x3F8;
    public static final int COM2 = 0x2F8;
    public static final int COM3 = 0x3E8;
    public static final int COM4 = 0x2E8;

    /** The input clock of a PC serial card (1.8432 MHz / 16). */
    static final long BASE_BAUD = 115_200;
    static final int FIFO_SIZE = 16;

    // IER bits
    static final int IER_ERBFI = 0x01;
    static final int IER_ETBEI = 0x02;
    static final int IER_ELSI = 0x04;
    static final int IER_EDSSI = 0x08;
    // IIR interrupt identification (bit 0 = 1: none pending)
    static final int IIR_NONE = 0x01;
    static final int IIR_LINE = 0x06;
    static final int IIR_RX = 0x04;
    static final int IIR_TIMEOUT = 0x0C;
    static final int IIR_THRE = 0x02;
    static final int IIR_MODEM = 0x00;
    // LSR bits
    static final int LSR_DR = 0x01;
    static final int LSR_OE = 0x02;
    static final int LSR_ERRORS = 0x1E;
    static final int LSR_THRE = 0x20;
    static final int LSR_TEMT = 0x40;
    // MCR bits
    static final int MCR_DTR = 0x01;
    static final int MCR_RTS = 0x02;
    static final int MCR_OUT1 = 0x04;
    static final int MCR_OUT2 = 0x08;
    static final int MCR_LOOP = 0x10;
    // MSR bits
    static final int MSR_CTS = 0x10;
    static final int MSR_DSR = 0x20;
    static final int MSR_RI = 0x40;
    static final int MSR_DCD = 0x80;

    private static final List<Integer> TRIGGER = List.of(1, 4, 8, 14);

    private final int base;
    private final IrqLine irq;
    private final SerialBackend backend;
    private final VirtualClock clock;
    private final VirtualClock.Timer rxTimer;

    private final byte[] rxFifo = new byte[FIFO_SIZE];
    private int rxHead;
    private int rxCount;
    private int lastRbr;

    private int ier;
    private int lcr;
    private int mcr;
    private int lsrErrors;
    private int msr;
    private int scr;
    private int divisor = 1;
    private boolean fifoEnabled;
    private int triggerLevel = 1;
    private boolean threPending;
    private boolean timeoutPending;
    private int idleCharTimes;
    private boolean txDirty;
    private boolean out2GatesIrq;
    /** How many bytes at the head of the receive FIFO the guest has been told about. */
    private int rxSeen;

    /**
     * @param base    first of the 8 ports (e.g. {@link #COM1})
     * @param irq     the ISA IRQ line (IRQ4 for COM1/COM3, IRQ3 for COM2/COM4)
     * @param backend where transmitted bytes go and received ones come from
     * @param clock   virtual time, which paces reception
     */
    public Uart16550(int base, IrqLine irq, SerialBackend backend, VirtualClock clock) {
        this.base = base;
        this.irq = irq;
        this.backend = backend;
        this.clock = clock;
        this.rxTimer = clock.newTimer(String.format("uart@%x", base), this::onCharacterTime);
        // Polling an idle line wakes nobody; the machine checks inputIdle() before it skips time.
        this.rxTimer.setWakeSource(false);
        reset();
    }

    /** Claims the 8 ports on {@code bus} (byte-wide; the bus splits wider accesses). */
    public void attach(IoBus bus) {
        bus.register(base, 8, String.format("uart16550@%x", base), IoBus.W8, this);
    }

    /** Hardware reset (MR pin): registers to their datasheet reset values, FIFOs empty. */
    public void reset() {
        ier = 0;
        lcr = 0;
        mcr = 0;
        lsrErrors = 0;
        scr = 0;
        fifoEnabled = false;
        triggerLevel = 1;
        rxHead = 0;
        rxCount = 0;
        rxSeen = 0;
        threPending = false;
        timeoutPending = false;
        idleCharTimes = 0;
        msr = modemInputs();
        rxTimer.setDelay(characterCycles());
        updateIrq();
    }

    /** True: the PC/AT wiring, IRQ only while MCR.OUT2 is set; false (default): QEMU's, no gating. */
    public void setOut2GatesIrq(boolean value) {
        out2GatesIrq = value;
        updateIrq();
    }

    public int base() {
        return base;
    }

    public SerialBackend backend() {
        return backend;
    }

    /**
     * Whether reception has nothing to do: no byte waiting in the back-end and none in the FIFO.
     * A run loop whose guest is halted may then block in {@link SerialBackend#awaitInput}.
     */
    public boolean inputIdle() {
        return rxCount == 0 && !backend.hasInput();
    }

    /** Cycles per character at the current divisor and frame format. */
    public long characterCycles() {
        int bits = 1 + 5 + (lcr & 3) + ((lcr & 0x08) != 0 ? 1 : 0) + ((lcr & 0x04) != 0 ? 2 : 1);
        long div = divisor == 0 ? 65536 : divisor;
        return clock.nanosToCycles(bits * div * 1_000_000_000L / BASE_BAUD);
    }

    /**
     * One tick of the character clock. The clock stops while a tick could do nothing now or later
     * ({@link #idleForGood}): a line that can never receive, outside loopback, with an empty FIFO
     * and no output to flush. kbench's unconnected COM2-4 ticked 864,000 times per kernel-heavy:8
     * run (every 62 us of virtual time each), each a clock event that ends a trace, keeps a block
     * from its compiled form and splits a REP string instruction (so the instruction count, never
     * the cycles, depends on these ticks).
     * {@link #wake} restarts it one character time after whatever changes that.
     */
    private void onCharacterTime() {
        pollInput();
        if (!idleForGood()) {
            rxTimer.setDelay(characterCycles());
        }
    }

    /**
     * True while a tick cannot change anything: no input can reach the FIFO (the back-end cannot
     * receive, and loopback is off), the FIFO is empty (so no timeout to count) and no output waits
     * for a flush. Only a write to MCR (loopback on) or THR can end it; both {@link #wake} the clock.
     */
    private boolean idleForGood() {
        return (mcr & MCR_LOOP) == 0 && rxCount == 0 && !txDirty && !backend.mayReceive();
    }

    /** Restarts a stopped character clock (see {@link #onCharacterTime}); a running one keeps its phase. */
    private void wake() {
        if (!rxTimer.armed()) {
            rxTimer.setDelay(characterCycles());
        }
    }

    /**
     * One character time: takes at most one byte from the back-end into the receive FIFO and
     * advances the character-timeout counter. Called by the UART's own clock timer; public so a
     * machine may also drive it explicitly.
     */
    public void pollInput() {
        if (txDirty) {
            txDirty = false;
            backend.flush();
        }
        boolean received = false;
        if ((mcr & MCR_LOOP) == 0 && rxCount < rxCapacity() && backend.hasInput()) {
            int b = backend.read();
            if (b >= 0) {
                pushRx(b);
                received = true;
            }
        }
        if (received || rxCount == 0) {
            idleCharTimes = 0;
        } else if (fifoEnabled && ++idleCharTimes >= 4) {
            timeoutPending = true;
        }
        updateIrq();
    }

    private int rxCapacity() {
        return fifoEnabled ? FIFO_SIZE : 1;
    }

    private void pushRx(int b) {
        if (rxCount >= rxCapacity()) {
            // overrun: the character in the shift register is lost, the FIFO is kept
            lsrErrors |= LSR_OE;
            return;
        }
        rxFifo[(rxHead + rxCount) % FIFO_SIZE] = (byte) b;
        rxCount++;
    }

    private int popRx() {
        if (rxCount > 0) {
            lastRbr = rxFifo[rxHead] & 0xFF;
            rxHead = (rxHead + 1) % FIFO_SIZE;
            rxCount--;
            rxSeen = Math.max(0, rxSeen - 1);
        }
        idleCharTimes = 0;
        timeoutPending = false;
        return lastRbr;
    }

    @Override
    public int ioRead(int port, int size) {
        int value = read(port - base);
        updateIrq();
        return value;
    }

    private int read(int reg) {
        boolean dlab = (lcr & 0x80) != 0;
        switch (reg) {
            case 0:
                return dlab ? divisor & 0xFF : popRx();
            case 1:
                return dlab ? (divisor >> 8) & 0xFF : ier;
            case 2:
                return readIir();
            case 3:
                return lcr;
            case 4:
                return mcr;
            case 5:
                return readLsr();
            case 6:
                return readMsr();
            default:
                return scr;
        }
    }

    private int readIir() {
        int id = pendingInterrupt();
        if (id == IIR_RX || id == IIR_TIMEOUT) {
            rxSeen = rxCount;
        }
        if (id == IIR_THRE) {
            threPending = false; // reading IIR with THRE as the source acknowledges it
        }
        return id | (fifoEnabled ? 0xC0 : 0);
    }

    private int readLsr() {
        int lsr = lsrErrors | LSR_THRE | LSR_TEMT | (rxCount > 0 ? LSR_DR : 0);
        lsrErrors = 0;
        rxSeen = rxCount;
        return lsr;
    }

    private int readMsr() {
        int value = msr;
        msr &= 0xF0;
        return value;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        write(port - base, value & 0xFF);
        updateIrq();
    }

    private void write(int reg, int value) {
        boolean dlab = (lcr & 0x80) != 0;
        switch (reg) {
            case 0:
                if (dlab) {
                    setDivisor((divisor & 0xFF00) | value);
                } else {
                    transmit(value);
                }
                break;
            case 1:
                if (dlab) {
                    setDivisor((divisor & 0xFF) | (value << 8));
                } else {
                    writeIer(value);
                }
                break;
            case 2:
                writeFcr(value);
                break;
            case 3:
                deferUnseen();
                int oldFormat = lcr & 0x0F;
                lcr = value;
                if ((lcr & 0x0F) != oldFormat) {
                    rxTimer.setDelay(characterCycles());
                }
                break;
            case 4:
                writeMcr(value);
                break;
            case 5:
            case 6:
                break; // LSR and MSR are read-only (writes are for factory test)
            default:
                scr = value;
                break;
        }
    }

    private void setDivisor(int value) {
        deferUnseen();
        divisor = value;
        rxTimer.setDelay(characterCycles());
    }

    private void transmit(int b) {
        if ((mcr & MCR_LOOP) != 0) {
            pushRx(b);
            idleCharTimes = 0;
        } else {
            backend.write(b);
            txDirty = true;
        }
        wake();
        // the byte left THR at once: the THR-empty event follows the write
        threPending = true;
    }

    private void writeIer(int value) {
        int old = ier;
        if ((value & IER_ERBFI) != 0 && (old & IER_ERBFI) == 0) {
            deferUnseen();
        }
        ier = value & 0x0F;
        if ((ier & IER_ETBEI) != 0 && (old & IER_ETBEI) == 0) {
            threPending = true; // enabling ETBEI while THR is empty interrupts at once
        }
    }

    private void writeFcr(int value) {
        deferUnseen();
        if ((value & 0x01) == 0) {
            if (fifoEnabled) {
                fifoEnabled = false;
                clearRx();
            }
            return; // with bit 0 clear the other FCR bits are not written
        }
        if (!fifoEnabled) {
            fifoEnabled = true;
            clearRx();
        }
        if ((value & 0x02) != 0) {
            clearRx();
        }
        triggerLevel = TRIGGER.get((value >> 6) & 3);
    }

    /**
     * Empties the receive FIFO. Bytes the guest has not read yet go back to the host side instead
     * of being lost: when they arrived is the emulator's choice, so to the guest this is the same
     * as the bytes arriving just after the clear. Without it, input typed ahead (or scripted) before
     * a kernel initialises its UART would lose its first characters to the init sequence's clear.
     */
    private void clearRx() {
        if (rxCount > 0 && (mcr & MCR_LOOP) == 0) {
            byte[] unread = new byte[rxCount];
            for (int i = 0; i < rxCount; i++) {
                unread[i] = rxFifo[(rxHead + i) % FIFO_SIZE];
            }
            backend.unread(unread);
        }
        rxHead = 0;
        rxCount = 0;
        rxSeen = 0;
        timeoutPending = false;
        idleCharTimes = 0;
    }

    /**
     * The guest is (re)programming the UART: bytes it has not been told about yet go back to the
     * host side and arrive again a character time from now (see the class comment).
     */
    private void deferUnseen() {
        int unseen = rxCount - rxSeen;
        if (unseen <= 0 || (mcr & MCR_LOOP) != 0) {
            return;
        }
        byte[] back = new byte[unseen];
        for (int i = 0; i < unseen; i++) {
            back[i] = rxFifo[(rxHead + rxSeen + i) % FIFO_SIZE];
        }
        backend.unread(back);
        rxCount = rxSeen;
        timeoutPending = false;
        idleCharTimes = 0;
        rxTimer.setDelay(characterCycles());
    }

    private void writeMcr(int value) {
        deferUnseen();
        mcr = value & 0x1F;
        if ((mcr & MCR_LOOP) != 0) {
            wake(); // the FIFO can fill now, so the clock must run
        }
        int now = modemInputs();
        int changed = (msr ^ now) & 0xF0;
        int delta = 0;
        if ((changed & MSR_CTS) != 0) {
            delta |= 0x01;
        }
        if ((changed & MSR_DSR) != 0) {
            delta |= 0x02;
        }
        if ((changed & MSR_RI) != 0 && (now & MSR_RI) == 0) {
            delta |= 0x04; // TERI: trailing edge of RI only
        }
        if ((changed & MSR_DCD) != 0) {
            delta |= 0x08;
        }
        msr = now | (msr & 0x0F) | delta;
    }

    /** The modem status inputs: MCR outputs in loopback, otherwise a connected null-modem peer. */
    private int modemInputs() {
        if ((mcr & MCR_LOOP) != 0) {
            return ((mcr & MCR_RTS) != 0 ? MSR_CTS : 0) | ((mcr & MCR_DTR) != 0 ? MSR_DSR : 0)
                    | ((mcr & MCR_OUT1) != 0 ? MSR_RI : 0) | ((mcr & MCR_OUT2) != 0 ? MSR_DCD : 0);
        }
        return MSR_CTS | MSR_DSR | MSR_DCD;
    }

    /** The IIR identification of the highest-priority enabled pending interrupt, or IIR_NONE. */
    int pendingInterrupt() {
        if ((ier & IER_ELSI) != 0 && (lsrErrors & LSR_ERRORS) != 0) {
            return IIR_LINE;
        }
        if ((ier & IER_ERBFI) != 0) {
            if (rxCount >= (fifoEnabled ? triggerLevel : 1)) {
                return IIR_RX;
            }
            if (timeoutPending && rxCount > 0) {
                return IIR_TIMEOUT;
            }
        }
        if ((ier & IER_ETBEI) != 0 && threPending) {
            return IIR_THRE;
        }
        if ((ier & IER_EDSSI) != 0 && (msr & 0x0F) != 0) {
            return IIR_MODEM;
        }
        return IIR_NONE;
    }

    private void updateIrq() {
        boolean connected = (mcr & MCR_LOOP) == 0 && (!out2GatesIrq || (mcr & MCR_OUT2) != 0);
        irq.set(connected && pendingInterrupt() != IIR_NONE);
    }
}
