package jx86.devices.kbc;

import java.util.ArrayDeque;
import jx86.bus.IoBus;
import jx86.bus.IoDevice;
import jx86.bus.IrqLine;
import jx86.devices.misc.A20Gate;

/**
 * The PC/AT keyboard controller (Intel 8042 running the IBM AT/PS2 firmware: data port 0x60,
 * status/command port 0x64) with an MF2 keyboard attached, interrupting on ISA IRQ1 (keyboard)
 * and IRQ12 (auxiliary port).
 *
 * <p>Controller: command byte (0x20 read, 0x60 write, 0x20-0x3F/0x60-0x7F internal RAM), self test
 * 0xAA → 0x55, interface tests 0xAB/0xA9 → 0x00, keyboard/aux enable and disable (0xAE/0xAD,
 * 0xA8/0xA7), output port read/write 0xD0/0xD1 (bit 1 = A20 gate, bit 0 = 0 resets the CPU), fast
 * A20 0xDD/0xDF, 0xD2/0xD3 write keyboard/aux output buffer, pulse output port 0xF0-0xFF (0xFE =
 * CPU reset). Status: OBF, SYS (command byte bit 2), command/data, keyboard unlocked, AUXB. The
 * input buffer is processed at once, so IBF always reads 0.
 *
 * <p>Keyboard: scan code set 1 as seen through the controller's set 2 → set 1 translation (the
 * codes are produced in set 1 directly). Commands 0xFF reset → 0xFA 0xAA, 0xFE resend, 0xF6
 * defaults, 0xF5/0xF4 disable/enable scanning, 0xF3 typematic, 0xF2 identify → 0xFA 0xAB 0x41
 * (0x83 untranslated), 0xF0 scan code set (reports set 2, translated 0x41; other sets are
 * acknowledged and ignored), 0xED LEDs, 0xEE echo. Host input arrives through {@link #keyDown},
 * {@link #keyUp}, {@link #pressKey} and {@link #typeAscii}, on the machine thread.
 *
 * <p>Not modelled: a PS/2 mouse (commands sent to the aux device through 0xD4 are answered 0xFE
 * on the aux port, which guests treat as "no mouse"), untranslated scan code sets 2 and 3,
 * typematic repeat, the keyboard's transmission delay (bytes are available at once), password
 * commands (0xA4 reports none installed).
 */
public final class I8042 implements IoDevice {
    private static final int STAT_OBF = 0x01;
    private static final int STAT_SYS = 0x04;
    private static final int STAT_CMD = 0x08;
    private static final int STAT_UNLOCKED = 0x10;
    private static final int STAT_AUXB = 0x20;

    private static final int CB_KBD_INT = 0x01;
    private static final int CB_AUX_INT = 0x02;
    private static final int CB_SYS = 0x04;
    private static final int CB_KBD_DISABLED = 0x10;
    private static final int CB_AUX_DISABLED = 0x20;
    private static final int CB_TRANSLATE = 0x40;

    /** Source tags of queued bytes (bits 8-9 of a queue entry). */
    private static final int FROM_CONTROLLER = 0x000;
    private static final int FROM_KEYBOARD = 0x100;
    private static final int FROM_AUX = 0x200;
    private static final int MAX_QUEUE = 64;

    private static final String UNSHIFTED_ROW1 = "1234567890-=";
    private static final String SHIFTED_ROW1 = "!@#$%^&*()_+";
    private static final String UNSHIFTED_ROW2 = "qwertyuiop[]";
    private static final String SHIFTED_ROW2 = "QWERTYUIOP{}";
    private static final String UNSHIFTED_ROW3 = "asdfghjkl;'`";
    private static final String SHIFTED_ROW3 = "ASDFGHJKL:\"~";
    private static final String UNSHIFTED_ROW4 = "\\zxcvbnm,./";
    private static final String SHIFTED_ROW4 = "|ZXCVBNM<>?";
    public static final int LEFT_SHIFT = 0x2A;
    public static final int LEFT_CTRL = 0x1D;

    private final IrqLine irq1;
    private final IrqLine irq12;
    private final A20Gate a20;
    private final Runnable resetRequest;
    private final ArrayDeque<Integer> queue = new ArrayDeque<>();
    private final byte[] ram = new byte[32];

    private int status = STAT_UNLOCKED;
    private int outputBuffer;
    private boolean outputFull;
    private boolean outputAux;
    /** Controller command waiting for its data byte at port 0x60, or 0. */
    private int pendingCommand;
    /** Keyboard command waiting for its parameter byte, or 0. */
    private int keyboardPending;
    private boolean scanning = true;
    private int leds;
    private int lastKeyboardByte = 0xAA;

    /**
     * @param irq1         keyboard interrupt (ISA IRQ1)
     * @param irq12        auxiliary port interrupt (ISA IRQ12)
     * @param a20          the gate driven by output port bit 1
     * @param resetRequest called when the controller pulses the CPU reset line
     */
    public I8042(IrqLine irq1, IrqLine irq12, A20Gate a20, Runnable resetRequest) {
        this.irq1 = irq1;
        this.irq12 = irq12;
        this.a20 = a20;
        this.resetRequest = resetRequest;
        // The command byte a PC BIOS leaves after POST: keyboard IRQ on, translation on, SYS set.
        ram[0] = CB_KBD_INT | CB_SYS | CB_TRANSLATE;
    }

    /** Registers ports 0x60 and 0x64 (byte ports). */
    public void attach(IoBus bus) {
        bus.register(0x60, 1, "8042 data", IoBus.W8, this);
        bus.register(0x64, 1, "8042 status/command", IoBus.W8, this);
    }

    public int commandByte() {
        return ram[0] & 0xFF;
    }

    public int leds() {
        return leds;
    }

    /** True when the guest has taken every byte the keyboard and controller sent (OBF clear, nothing queued). */
    public boolean outputIdle() {
        return !outputFull && queue.isEmpty();
    }

    /** Ctrl plus the key of {@code c} (a letter or one of {@code [\\]}), as a terminal's control characters arrive. */
    public boolean typeControl(char c) {
        int code = scanCodeOf(Character.toLowerCase(c));
        if (code < 0) {
            return false;
        }
        keyDown(LEFT_CTRL);
        pressKey(code);
        keyUp(LEFT_CTRL);
        return true;
    }

    // ---- host input ----

    /** A key goes down: its set 1 make code; codes above 0xFF are 0xE0-prefixed (0xE048 = up arrow). */
    public void keyDown(int scancode) {
        if (scancode > 0xFF) {
            sendKeyboard(scancode >>> 8 & 0xFF);
        }
        sendKeyboard(scancode & 0x7F);
    }

    /** A key goes up: the break code (make | 0x80), with the same prefix rule as {@link #keyDown}. */
    public void keyUp(int scancode) {
        if (scancode > 0xFF) {
            sendKeyboard(scancode >>> 8 & 0xFF);
        }
        sendKeyboard(scancode & 0x7F | 0x80);
    }

    /** Make then break. */
    public void pressKey(int scancode) {
        keyDown(scancode);
        keyUp(scancode);
    }

    /**
     * Types one ASCII character on a US layout (with left shift when needed).
     *
     * @return false when the character has no key (it is then ignored)
     */
    public boolean typeAscii(char c) {
        int code = scanCodeOf(c);
        if (code < 0) {
            return false;
        }
        boolean shift = isShifted(c);
        if (shift) {
            keyDown(LEFT_SHIFT);
        }
        pressKey(code);
        if (shift) {
            keyUp(LEFT_SHIFT);
        }
        return true;
    }

    /** Types every character of {@code text} that has a key; returns how many were typed. */
    public int typeString(String text) {
        int typed = 0;
        for (int i = 0; i < text.length(); i++) {
            if (typeAscii(text.charAt(i))) {
                typed++;
            }
        }
        return typed;
    }

    /** Set 1 make code of the key producing {@code c}, or -1. */
    static int scanCodeOf(char c) {
        switch (c) {
            case ' ':
                return 0x39;
            case '\n':
            case '\r':
                return 0x1C;
            case '\t':
                return 0x0F;
            case '\b':
                return 0x0E;
            case 0x1B:
                return 0x01;
            default:
                break;
        }
        int i;
        if ((i = indexIn(c, UNSHIFTED_ROW1, SHIFTED_ROW1)) >= 0) {
            return 0x02 + i;
        }
        if ((i = indexIn(c, UNSHIFTED_ROW2, SHIFTED_ROW2)) >= 0) {
            return 0x10 + i;
        }
        if ((i = indexIn(c, UNSHIFTED_ROW3, SHIFTED_ROW3)) >= 0) {
            return 0x1E + i;
        }
        if ((i = indexIn(c, UNSHIFTED_ROW4, SHIFTED_ROW4)) >= 0) {
            return i == 0 ? 0x2B : 0x2C + i - 1;
        }
        return -1;
    }

    private static int indexIn(char c, String unshifted, String shifted) {
        int i = unshifted.indexOf(c);
        return i >= 0 ? i : shifted.indexOf(c);
    }

    private static boolean isShifted(char c) {
        return SHIFTED_ROW1.indexOf(c) >= 0 || SHIFTED_ROW2.indexOf(c) >= 0 || SHIFTED_ROW3.indexOf(c) >= 0
                || SHIFTED_ROW4.indexOf(c) >= 0;
    }

    private void sendKeyboard(int b) {
        if (scanning && queue.size() < MAX_QUEUE) {
            queue.addLast(FROM_KEYBOARD | b);
            refill();
        }
    }

    // ---- ports ----

    @Override
    public int ioRead(int port, int size) {
        if (port == 0x64) {
            int s = status & ~(STAT_OBF | STAT_AUXB | STAT_SYS);
            if (outputFull) {
                s |= STAT_OBF | (outputAux ? STAT_AUXB : 0);
            }
            return s | (ram[0] & CB_SYS);
        }
        int value = outputBuffer;
        if (outputFull) {
            outputFull = false;
            updateIrqs();
            refill();
        }
        return value;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        value &= 0xFF;
        if (port == 0x64) {
            status |= STAT_CMD;
            controllerCommand(value);
        } else {
            status &= ~STAT_CMD;
            dataWrite(value);
        }
    }

    private void controllerCommand(int cmd) {
        pendingCommand = 0;
        if (cmd >= 0x20 && cmd <= 0x3F) {
            reply(ram[cmd & 0x1F] & 0xFF);
            return;
        }
        if ((cmd >= 0x60 && cmd <= 0x7F) || cmd == 0xD1 || cmd == 0xD2 || cmd == 0xD3 || cmd == 0xD4) {
            pendingCommand = cmd;
            return;
        }
        if (cmd >= 0xF0) {
            if ((cmd & 1) == 0) {
                resetRequest.run(); // output port bit 0 pulsed low: CPU reset
            }
            return;
        }
        switch (cmd) {
            case 0xA4 -> reply(0xF1);
            case 0xA7 -> setCommandByte(commandByte() | CB_AUX_DISABLED);
            case 0xA8 -> setCommandByte(commandByte() & ~CB_AUX_DISABLED);
            case 0xA9, 0xAB, 0xE0 -> reply(0x00);
            case 0xAA -> reply(0x55);
            case 0xAD -> setCommandByte(commandByte() | CB_KBD_DISABLED);
            case 0xAE -> setCommandByte(commandByte() & ~CB_KBD_DISABLED);
            case 0xC0 -> reply(0x80);
            case 0xD0 -> reply(outputPort());
            case 0xDD -> a20.setA20(false);
            case 0xDF -> a20.setA20(true);
            default -> { } // unknown commands are ignored
        }
    }

    private int outputPort() {
        int v = 0x01 | (a20.a20Enabled() ? 0x02 : 0);
        if (outputFull) {
            v |= outputAux ? 0x20 : 0x10;
        }
        return v;
    }

    private void setCommandByte(int value) {
        ram[0] = (byte) value;
        updateIrqs();
        refill();
    }

    private void dataWrite(int value) {
        int cmd = pendingCommand;
        pendingCommand = 0;
        if (cmd >= 0x60 && cmd <= 0x7F) {
            if (cmd == 0x60) {
                setCommandByte(value);
            } else {
                ram[cmd & 0x1F] = (byte) value;
            }
            return;
        }
        switch (cmd) {
            case 0xD1 -> {
                a20.setA20((value & 0x02) != 0);
                if ((value & 0x01) == 0) {
                    resetRequest.run();
                }
            }
            case 0xD2 -> enqueue(FROM_KEYBOARD | value);
            case 0xD3 -> enqueue(FROM_AUX | value);
            case 0xD4 -> enqueue(FROM_AUX | 0xFE); // no mouse: the device never acknowledges
            default -> keyboardCommand(value);
        }
    }

    private void keyboardCommand(int value) {
        int pending = keyboardPending;
        keyboardPending = 0;
        switch (pending) {
            case 0xED -> {
                leds = value & 0x07;
                keyboardReply(0xFA);
                return;
            }
            case 0xF3 -> {
                keyboardReply(0xFA);
                return;
            }
            case 0xF0 -> {
                keyboardReply(0xFA);
                if (value == 0) {
                    keyboardReply(translating() ? 0x41 : 0x02);
                }
                return;
            }
            default -> { }
        }
        switch (value) {
            case 0xED, 0xF3, 0xF0 -> {
                keyboardPending = value;
                keyboardReply(0xFA);
            }
            case 0xEE -> keyboardReply(0xEE);
            case 0xF2 -> {
                keyboardReply(0xFA);
                keyboardReply(0xAB);
                keyboardReply(translating() ? 0x41 : 0x83);
            }
            case 0xF4 -> {
                scanning = true;
                keyboardReply(0xFA);
            }
            case 0xF5 -> {
                scanning = false;
                keyboardReply(0xFA);
            }
            case 0xF6 -> {
                scanning = true;
                keyboardReply(0xFA);
            }
            case 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD -> keyboardReply(0xFA);
            case 0xFE -> enqueue(FROM_KEYBOARD | lastKeyboardByte);
            case 0xFF -> {
                queue.removeIf(e -> (e & 0x300) == FROM_KEYBOARD);
                scanning = true;
                leds = 0;
                keyboardReply(0xFA);
                keyboardReply(0xAA);
            }
            default -> keyboardReply(0xFE);
        }
    }

    private boolean translating() {
        return (ram[0] & CB_TRANSLATE) != 0;
    }

    private void keyboardReply(int b) {
        lastKeyboardByte = b;
        enqueue(FROM_KEYBOARD | b);
    }

    /** A controller response goes ahead of anything the devices have queued. */
    private void reply(int b) {
        queue.addFirst(FROM_CONTROLLER | b);
        refill();
    }

    private void enqueue(int entry) {
        if (queue.size() < MAX_QUEUE) {
            queue.addLast(entry);
        }
        refill();
    }

    /**
     * Moves the oldest byte whose interface is enabled into the output buffer, when it is empty. A
     * byte for a disabled interface waits without blocking the other interface's bytes.
     */
    private void refill() {
        if (outputFull || queue.isEmpty()) {
            return;
        }
        Integer next = null;
        for (Integer entry : queue) {
            int source = entry & 0x300;
            if (!(source == FROM_KEYBOARD && (ram[0] & CB_KBD_DISABLED) != 0)
                    && !(source == FROM_AUX && (ram[0] & CB_AUX_DISABLED) != 0)) {
                next = entry;
                break;
            }
        }
        if (next == null) {
            return;
        }
        queue.removeFirstOccurrence(next);
        int source = next & 0x300;
        outputBuffer = next & 0xFF;
        outputAux = source == FROM_AUX;
        outputFull = true;
        if (source == FROM_KEYBOARD) {
            lastKeyboardByte = outputBuffer;
        }
        updateIrqs();
    }

    private void updateIrqs() {
        irq1.set(outputFull && !outputAux && (ram[0] & CB_KBD_INT) != 0);
        irq12.set(outputFull && outputAux && (ram[0] & CB_AUX_INT) != 0);
    }
}
