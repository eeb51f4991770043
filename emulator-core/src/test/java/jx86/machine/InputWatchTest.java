package jx86.machine;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.host.SerialBackend;
import org.junit.jupiter.api.Test;

class InputWatchTest {
    /** A back-end that counts the machine's hints and reports the end of its input on demand. */
    private static final class Probe implements SerialBackend {
        int waits;
        boolean ended;

        @Override
        public void write(int b) {
        }

        @Override
        public int read() {
            return -1;
        }

        @Override
        public boolean hasInput() {
            return false;
        }

        @Override
        public void guestWaiting() {
            waits++;
        }

        @Override
        public boolean inputEnded() {
            return ended;
        }

        @Override
        public void close() {
        }
    }

    private long cycles;
    private long halted;

    /** Advances virtual time by one 10 ms window in which the CPU ran for {@code ran} cycles. */
    private boolean window(InputWatch w, long ran, boolean consumed, Probe p) {
        cycles += InputWatch.WINDOW_CYCLES;
        halted += InputWatch.WINDOW_CYCLES - ran;
        return w.afterSlice(cycles, halted, consumed, p);
    }

    @Test
    void idleWithInputConsumed_for50Ms_meansTheGuestWaits() {
        InputWatch w = new InputWatch(false);
        Probe p = new Probe();
        w.afterSlice(0, 0, true, p);                 // first call starts the first window
        for (int i = 0; i < 4; i++) {
            window(w, 1_000, true, p);               // a timer tick's worth of work: idle
        }
        assertThat(p.waits).isZero();
        window(w, 1_000, true, p);
        assertThat(p.waits).isEqualTo(1);
        for (int i = 0; i < 5; i++) {                // the next line is handed over only after another 50 ms
            window(w, 1_000, true, p);
        }
        assertThat(p.waits).isEqualTo(2);
    }

    @Test
    void aBusyWindow_orUnreadInput_startsTheWaitAgain() {
        InputWatch w = new InputWatch(false);
        Probe p = new Probe();
        w.afterSlice(0, 0, true, p);
        for (int i = 0; i < 4; i++) {
            window(w, 1_000, true, p);
        }
        window(w, 200_000, true, p);                 // a fifth of the window running: busy
        for (int i = 0; i < 4; i++) {
            window(w, 1_000, true, p);
        }
        window(w, 1_000, false, p);                  // input still in the UART
        for (int i = 0; i < 4; i++) {
            window(w, 1_000, true, p);
        }
        assertThat(p.waits).isZero();
        window(w, 1_000, true, p);
        assertThat(p.waits).isEqualTo(1);
    }

    @Test
    void exitOnEof_endsTheRunAfterOneIdleVirtualSecondOnceTheInputEnded() {
        InputWatch w = new InputWatch(true);
        Probe p = new Probe();
        p.ended = true;
        w.afterSlice(0, 0, true, p);
        int windows = (int) (InputWatch.EOF_GRACE_CYCLES / InputWatch.WINDOW_CYCLES);
        for (int i = 1; i < windows; i++) {
            assertThat(window(w, 1_000, true, p)).as("window %d", i).isFalse();
        }
        assertThat(window(w, 1_000, true, p)).isTrue();
        assertThat(p.waits).isZero();
    }

    @Test
    void withoutExitOnEof_orWhileTheGuestIsBusy_theRunGoesOn() {
        InputWatch off = new InputWatch(false);
        InputWatch on = new InputWatch(true);
        Probe p = new Probe();
        p.ended = true;
        off.afterSlice(0, 0, true, p);
        on.afterSlice(0, 0, true, p);
        for (int i = 0; i < 300; i++) {
            cycles += InputWatch.WINDOW_CYCLES;     // a long-running command after the last line:
            halted += 50_000;                        // halted 5% of the time (waiting for the disk)
            assertThat(off.afterSlice(cycles, halted, true, p)).isFalse();
            assertThat(on.afterSlice(cycles, halted, true, p)).isFalse();
        }
    }
}
