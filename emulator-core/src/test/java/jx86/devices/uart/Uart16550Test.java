package jx86.devices.uart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import jx86.bus.IoBus;
import jx86.bus.IrqLine;
import jx86.bus.IrqSink;
import jx86.clock.VirtualClock;
import jx86.host.BufferSerial;
import jx86.host.NullSerial;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Uart16550Test {
    static final int B = 0x3F8;
    static final int RBR = B, THR = B, DLL = B, IER = B + 1, DLM = B + 1, IIR = B + 2, FCR = B + 2;
    static final int LCR = B + 3, MCR = B + 4, LSR = B + 5, MSR = B + 6, SCR = B + 7;

    /** Records every level change on its pins. */
    static final class RecordingSink implements IrqSink {
        final List<String> events = new ArrayList<>();
        boolean level;

        @Override
        public void setIrq(int line, boolean l) {
            events.add(line + (l ? "+" : "-"));
            level = l;
        }
    }

    VirtualClock clock;
    RecordingSink sink;
    BufferSerial serial;
    Uart16550 uart;
    IoBus bus;

    @BeforeEach
    void setUp() {
        clock = new VirtualClock();
        sink = new RecordingSink();
        serial = new BufferSerial();
        uart = new Uart16550(B, new IrqLine(new IrqSink[] {sink}, new int[] {4}), serial, clock);
        bus = new IoBus();
        uart.attach(bus);
    }

    int in(int port) {
        return bus.in(port, 1);
    }

    void out(int port, int v) {
        bus.out(port, 1, v);
    }

    /** Runs the clock forward by n character times (each poll moves at most one byte). */
    void charTimes(int n) {
        for (int i = 0; i < n; i++) {
            clock.cycles += uart.characterCycles();
            clock.runDueEvents();
        }
    }

    @Test
    void resetState_matchesDatasheet() {
        assertThat(in(IER)).isZero();
        assertThat(in(IIR)).isEqualTo(0x01);
        assertThat(in(LCR)).isZero();
        assertThat(in(MCR)).isZero();
        assertThat(in(LSR)).isEqualTo(0x60);
    }

    @Test
    void divisorLatch_isReachedOnlyWithDlabAndSetsCharacterTime() {
        out(LCR, 0x80);
        out(DLL, 0x0C);
        out(DLM, 0x00);
        assertThat(in(DLL)).isEqualTo(0x0C);
        assertThat(in(DLM)).isZero();
        out(LCR, 0x03); // 8N1, DLAB off
        assertThat(in(IER)).isZero();
        assertThat(in(LCR)).isEqualTo(0x03);
        // 9600 baud, 10 bits per character = 1041666 ns = 104167 cycles at 100 MHz
        assertThat(uart.characterCycles()).isEqualTo(104_167);
        out(THR, 'A');
        assertThat(serial.output()).isEqualTo("A"); // DLAB off: port 0 is THR again
    }

    @Test
    void transmit_reachesBackendAndLeavesThreAndTemtSet() {
        out(THR, 'h');
        out(THR, 'i');
        assertThat(serial.output()).isEqualTo("hi");
        assertThat(in(LSR) & 0x60).isEqualTo(0x60);
    }

    @Test
    void scratchRegister_holdsAnyByte() {
        out(SCR, 0xA5);
        assertThat(in(SCR)).isEqualTo(0xA5);
    }

    @Test
    void scriptedInput_arrivesOneBytePerCharacterTime() {
        serial.feed("ok");
        assertThat(in(LSR) & 0x01).isZero();
        charTimes(1);
        assertThat(in(LSR) & 0x01).isEqualTo(1);
        assertThat(in(RBR)).isEqualTo('o');
        assertThat(in(LSR) & 0x01).isZero();
        charTimes(1);
        assertThat(in(RBR)).isEqualTo('k');
        assertThat(serial.pendingInput()).isZero();
    }

    @Test
    void withoutFifo_backendIsNotDrainedBeyondOneHoldingByte() {
        serial.feed("abc");
        charTimes(3);
        assertThat(serial.pendingInput()).isEqualTo(2);
        assertThat(in(LSR) & 0x02).isZero(); // no overrun: the back-end waits
        assertThat(in(RBR)).isEqualTo('a');
    }

    @Test
    void fifo_fillsTo16AndIiraReportsFifoBits() {
        out(FCR, 0x01);
        assertThat(in(IIR)).isEqualTo(0xC1);
        serial.feed("0123456789ABCDEFGH");
        charTimes(20);
        assertThat(serial.pendingInput()).isEqualTo(2);
        StringBuilder got = new StringBuilder();
        while ((in(LSR) & 0x01) != 0) {
            got.append((char) in(RBR));
        }
        assertThat(got.toString()).isEqualTo("0123456789ABCDEF");
    }

    @Test
    void fifoTrigger4_rxInterruptOnlyAtFourBytes() {
        out(FCR, 0x41); // enable, trigger level 4
        out(MCR, 0x08); // OUT2
        out(IER, 0x01);
        serial.feed("abcd");
        charTimes(3);
        assertThat(in(IIR)).isEqualTo(0xC1);
        assertThat(sink.level).isFalse();
        charTimes(1);
        assertThat(in(IIR)).isEqualTo(0xC4);
        assertThat(sink.level).isTrue();
        in(RBR);
        assertThat(in(IIR)).isEqualTo(0xC1); // 3 left, below trigger
        assertThat(sink.level).isFalse();
    }

    @Test
    void fifoBelowTrigger_characterTimeoutAfterFourIdleCharacterTimes() {
        out(FCR, 0xC1); // trigger 14
        out(MCR, 0x08);
        out(IER, 0x01);
        serial.feed("xy");
        charTimes(2);
        assertThat(in(IIR)).isEqualTo(0xC1);
        charTimes(3);
        assertThat(in(IIR)).isEqualTo(0xC1);
        charTimes(1); // 4th idle character time after 'y'
        assertThat(in(IIR)).isEqualTo(0xCC);
        assertThat(sink.level).isTrue();
        assertThat(in(RBR)).isEqualTo('x'); // reading RBR clears the timeout
        assertThat(in(IIR)).isEqualTo(0xC1);
        assertThat(sink.level).isFalse();
    }

    @Test
    void fcrClearRx_emptiesTheFifo() {
        out(FCR, 0x01);
        serial.feed("abc");
        charTimes(3);
        out(FCR, 0x03);
        assertThat(in(LSR) & 0x01).isZero();
    }

    @Test
    void loopback_echoesTxIntoRxAndMirrorsModemLines() {
        out(MCR, 0x10 | 0x01 | 0x02); // LOOP, DTR, RTS
        out(THR, 0x55);
        assertThat(serial.output()).isEmpty();
        assertThat(in(LSR) & 0x01).isEqualTo(1);
        assertThat(in(RBR)).isEqualTo(0x55);
        // CTS<-RTS, DSR<-DTR; both changed from the null-modem state? CTS and DSR were already 1,
        // DCD dropped (OUT2 clear): DDCD set.
        int msr = in(MSR);
        assertThat(msr & 0xF0).isEqualTo(0x30);
        assertThat(msr & 0x0F).isEqualTo(0x08);
        assertThat(in(MSR) & 0x0F).isZero(); // reading MSR clears the deltas
        out(MCR, 0x10 | 0x04 | 0x08); // OUT1 -> RI, OUT2 -> DCD, RTS/DTR dropped
        msr = in(MSR);
        assertThat(msr & 0xF0).isEqualTo(0xC0);
        assertThat(msr & 0x0F).isEqualTo(0x0B); // DCTS, DDSR, DDCD (RI rising: no TERI)
        out(MCR, 0x10 | 0x08);
        assertThat(in(MSR) & 0x0F).isEqualTo(0x04); // RI trailing edge: TERI
    }

    @Test
    void loopbackOverflow_setsOverrunAndLineStatusInterruptHasTopPriority() {
        out(MCR, 0x10);
        out(IER, 0x0F);
        out(THR, 1);
        out(THR, 2); // no FIFO: the holding register is full -> overrun
        assertThat(in(IIR)).isEqualTo(0x06);
        int lsr = in(LSR);
        assertThat(lsr & 0x03).isEqualTo(0x03);
        assertThat(in(LSR) & 0x02).isZero(); // cleared by the read
        assertThat(in(IIR)).isEqualTo(0x04); // next: received data
        assertThat(in(RBR)).isEqualTo(1);
    }

    @Test
    void iirPriority_rxBeforeThreBeforeModem() {
        out(MCR, 0x08 | 0x01); // OUT2, DTR (no modem delta outside loopback)
        out(IER, 0x0B); // RX, THRE, modem
        serial.feed("z");
        charTimes(1);
        assertThat(in(IIR)).isEqualTo(0x04);
        in(RBR);
        assertThat(in(IIR)).isEqualTo(0x02);
        assertThat(in(IIR)).isEqualTo(0x01); // reading IIR acknowledged THRE
        out(MCR, 0x18); // loopback: DCD follows OUT2 etc. -> deltas
        assertThat(in(IIR)).isEqualTo(0x00);
        in(MSR);
        assertThat(in(IIR)).isEqualTo(0x01);
    }

    @Test
    void enablingEtbeiWhileThrEmpty_interruptsAtOnceAndIirReadLowersTheLine() {
        out(MCR, 0x08);
        assertThat(sink.events).isEmpty();
        out(IER, 0x02);
        assertThat(sink.events).containsExactly("4+");
        assertThat(in(IIR)).isEqualTo(0x02);
        assertThat(sink.events).containsExactly("4+", "4-");
        out(THR, 'q'); // new THR-empty event after the (instant) transmission
        assertThat(sink.events).containsExactly("4+", "4-", "4+");
        assertThat(serial.output()).isEqualTo("q");
    }

    @Test
    void out2Clear_withPcAtGating_keepsTheIrqLineLowThoughInterruptPending() {
        uart.setOut2GatesIrq(true);
        out(IER, 0x02);
        assertThat(in(IIR) & 0x0F).isEqualTo(0x02);
        out(THR, 'x');
        assertThat(sink.events).isEmpty();
        out(MCR, 0x08); // OUT2 gates the pending THRE interrupt onto IRQ4
        assertThat(sink.events).containsExactly("4+");
        out(MCR, 0x00);
        assertThat(sink.events).containsExactly("4+", "4-");
    }

    @Test
    void rxDataInterrupt_raisedOnReceiveAndLoweredWhenRead() {
        assertRxInterruptRaisedThenLoweredByTheRead(0x08);
    }

    /** With MCR = mcr and the receive interrupt enabled, a byte raises IRQ 4 and reading it lowers it. */
    private void assertRxInterruptRaisedThenLoweredByTheRead(int mcr) {
        out(MCR, mcr);
        out(IER, 0x01);
        serial.feed("k");
        charTimes(1);
        assertThat(sink.events).containsExactly("4+");
        assertThat(in(RBR)).isEqualTo('k');
        assertThat(sink.events).containsExactly("4+", "4-");
    }

    @Test
    void loopbackMode_doesNotDriveTheIrqPin() {
        out(MCR, 0x18);
        out(IER, 0x01);
        out(THR, 7);
        assertThat(in(IIR)).isEqualTo(0x04);
        assertThat(sink.events).isEmpty();
    }

    @Test
    void inputIdle_isFalseWhileInputWaitsInBackendOrFifo() {
        assertThat(uart.inputIdle()).isTrue();
        serial.feed("a");
        assertThat(uart.inputIdle()).isFalse();
        charTimes(1);
        assertThat(serial.pendingInput()).isZero();
        assertThat(uart.inputIdle()).isFalse();
        in(RBR);
        assertThat(uart.inputIdle()).isTrue();
    }

    @Test
    void lcrWordLengthAndStopBits_changeTheCharacterTime() {
        out(LCR, 0x80);
        out(DLL, 12);
        out(LCR, 0x07); // 8 data bits, 2 stop bits: 11 bits per character at 9600 baud
        // 11 * 12 / 115200 s = 1145833 ns -> 114584 cycles (rounded up)
        assertThat(uart.characterCycles()).isEqualTo(114_584);
    }

    @Test
    void fifoClear_returnsUnreadBytesToTheHostSoTypeAheadIsNotLost() {
        out(FCR, 0x01);                 // FIFO on
        serial.feed("abc");
        charTimes(2);                   // "a" and "b" are in the FIFO, "c" still at the host
        assertThat(in(LSR) & 0x01).isEqualTo(1);
        out(FCR, 0x03);                 // the init sequence clears the receive FIFO
        assertThat(in(LSR) & 0x01).as("FIFO empty right after the clear").isZero();
        charTimes(3);
        assertThat((char) in(RBR)).isEqualTo('a');
        assertThat((char) in(RBR)).isEqualTo('b');
        assertThat((char) in(RBR)).isEqualTo('c');
        assertThat(in(LSR) & 0x01).isZero();
    }

    @Test
    void out2Clear_byDefault_drivesTheIrqLineAsQemuDoes() {
        assertRxInterruptRaisedThenLoweredByTheRead(0x00);
    }

    /** xv6's uartinit: FIFO off, 9600 8N1, MCR = 0, IER = receive, then LSR, IIR and RBR read to drop stale input. */
    @Test
    void typeAheadByte_survivesTheStaleInputReadOfASetUpSequence() {
        serial.feed("ls\n");
        charTimes(3);                   // 'l' waits in the holding register since boot
        out(FCR, 0x00);
        out(LCR, 0x80);
        out(DLL, 12);
        out(DLM, 0);
        out(LCR, 0x03);
        out(MCR, 0x00);
        out(IER, 0x01);
        assertThat(in(LSR) & 0x01).as("the byte arrives after the set-up").isZero();
        in(IIR);
        in(RBR);                        // the stale-input read
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            charTimes(1);
            assertThat(in(LSR) & 0x01).isEqualTo(1);
            got.append((char) in(RBR));
        }
        assertThat(got.toString()).isEqualTo("ls\n");
    }

    @Test
    void byteTheGuestSawInLsr_staysInTheFifoAcrossAConfigWrite() {
        serial.feed("ab");
        charTimes(1);
        assertThat(in(LSR) & 0x01).isEqualTo(1);   // the guest now knows about 'a'
        out(IER, 0x01);
        assertThat(in(LSR) & 0x01).isEqualTo(1);
        assertThat((char) in(RBR)).isEqualTo('a');
    }

    // ---- the character clock of a line that cannot receive stops while a tick could change nothing ----

    /** A UART on {@code --serial none} (its own clock, so that only its timer is armed). */
    private Uart16550 unconnected(VirtualClock c) {
        Uart16550 u = new Uart16550(B, IrqLine.unconnected(), new NullSerial(), c);
        bus = new IoBus();
        u.attach(bus);
        return u;
    }

    /** Advances {@code c} by one character time of {@code u} and runs what is due. */
    private static void tick(VirtualClock c, Uart16550 u) {
        c.cycles += u.characterCycles();
        c.runDueEvents();
    }

    @Test
    void unconnectedLine_clockStopsAfterOneIdleTickAndLoopbackRestartsItWithItsTimeout() {
        VirtualClock c = new VirtualClock();
        Uart16550 u = unconnected(c);
        long charCycles = u.characterCycles();
        assertThat(c.nextEventAt).isEqualTo(charCycles); // armed by reset
        tick(c, u);
        assertThat(c.nextEventAt).isEqualTo(Long.MAX_VALUE); // nothing can arrive: stopped
        c.cycles += 12_345;
        out(FCR, 0xC1); // FIFO on, trigger 14
        out(IER, 0x01);
        out(MCR, 0x10); // loopback: transmitted bytes fill the FIFO, so the clock runs again
        assertThat(c.nextEventAt).isEqualTo(c.cycles + charCycles);
        out(THR, 'z');
        for (int i = 0; i < 3; i++) {
            tick(c, u);
            assertThat(in(IIR)).isEqualTo(0xC1);
        }
        tick(c, u); // 4th idle character time: the FIFO timeout, exactly as on a connected line
        assertThat(in(IIR)).isEqualTo(0xCC);
        assertThat(in(RBR)).isEqualTo('z');
        out(MCR, 0x00);
        assertThat(c.nextEventAt).isNotEqualTo(Long.MAX_VALUE); // stops only at its next tick
        tick(c, u);
        assertThat(c.nextEventAt).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void unconnectedLine_transmitWakesTheClockForOneFlushTick() {
        VirtualClock c = new VirtualClock();
        Uart16550 u = unconnected(c);
        tick(c, u);
        assertThat(c.nextEventAt).isEqualTo(Long.MAX_VALUE);
        out(THR, 'a');
        assertThat(c.nextEventAt).isEqualTo(c.cycles + u.characterCycles());
        tick(c, u);
        assertThat(c.nextEventAt).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void lineThatMayReceive_keepsTicking_evenOnceItsInputHasEnded() {
        charTimes(5); // BufferSerial: more input may be fed at any time
        assertThat(clock.nextEventAt).isEqualTo(clock.cycles + uart.characterCycles());
        serial.feed("q");
        serial.endInput(); // seen at a host-chosen moment for piped input: no part of the schedule
        charTimes(2);
        assertThat(in(RBR)).isEqualTo('q');
        charTimes(3);
        assertThat(clock.nextEventAt).isEqualTo(clock.cycles + uart.characterCycles());
    }
}
