package jx86.machine;

import jx86.clock.VirtualClock;
import jx86.devices.kbc.I8042;
import jx86.host.SerialBackend;

/**
 * Types host characters on the 8042 keyboard: each virtual millisecond in which the guest has taken
 * every earlier scan code, the next character becomes its make and break codes (scan code set 1,
 * which is what the controller's set 2 translation delivers; shift and ctrl added as needed; Enter
 * for CR or LF, Backspace for DEL). Typing starts {@link #FIRST_KEY_CYCLES} after power-on, once
 * the firmware and a kernel's controller set-up (flush, self test) are done with the controller,
 * so keys typed ahead are not flushed away. The source is standard input with {@code --display text} (the
 * display has the keyboard) or {@link MachineConfig#keyboardInput} in tests.
 */
final class KeyboardFeed {
    /** One character per virtual millisecond at most: no guest loses keys to a full controller. */
    static final long INTERVAL_CYCLES = VirtualClock.DEFAULT_HZ / 1000;

    /** 10 ms of virtual time: the first key comes after a kernel's early 8042 set-up. */
    static final long FIRST_KEY_CYCLES = VirtualClock.DEFAULT_HZ / 100;

    private final SerialBackend source;
    private final I8042 kbc;
    private final VirtualClock.Timer timer;

    KeyboardFeed(SerialBackend source, I8042 kbc, VirtualClock clock) {
        this.source = source;
        this.kbc = kbc;
        this.timer = clock.newTimer("keyboard", this::tick);
        this.timer.setWakeSource(false);    // like a UART: polling wakes nobody; see hasInput()
        this.timer.setDelay(FIRST_KEY_CYCLES);
    }

    SerialBackend source() {
        return source;
    }

    /** Whether characters wait to be typed. */
    boolean hasInput() {
        return source.hasInput();
    }

    private void tick() {
        if (kbc.outputIdle() && source.hasInput()) {
            type(source.read());
        }
        timer.setDelay(INTERVAL_CYCLES);
    }

    private void type(int b) {
        if (b == '\r' || b == '\n') {
            kbc.pressKey(0x1C);
        } else if (b == 0x7F) {
            kbc.pressKey(0x0E);
        } else if (b >= 1 && b <= 26 && b != '\t' && b != '\b' && b != 0x1B) {
            kbc.typeControl((char) ('a' + b - 1));
        } else if (b >= 0 && b < 0x80) {
            kbc.typeAscii((char) b);
        }
    }
}
