package jx86.host;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code --serial stdio}: the guest's console on the emulator's own terminal.
 *
 * <p>Output goes to standard output, buffered and flushed at each newline and whenever the UART
 * reports the line quiet (so prompts without a newline appear promptly). Input comes from standard
 * input through a daemon reader thread. When both are a terminal, the terminal is switched to raw
 * mode ({@code stty raw -echo opost}: keystrokes such as Ctrl-C go to the guest, output newlines
 * still return the carriage) and restored on close and at JVM exit. A missing {@code stty} only
 * leaves the terminal cooked. In raw mode Ctrl-A x quits (the escape handler, by default
 * {@code System.exit(0)}) and Ctrl-A Ctrl-A sends one Ctrl-A, like QEMU.
 */
public final class StdioSerial extends QueuedInputSerial {
    private static final int CTRL_A = 0x01;

    private final OutputStream out;
    private final byte[] buf = new byte[4096];
    private int len;
    private String savedStty;
    private Thread restoreHook;
    private volatile Runnable escapeHandler = () -> System.exit(0);
    private boolean closed;

    public StdioSerial() {
        this(System.in, new FileOutputStream(FileDescriptor.out), System.console() != null);
    }

    /** For tests: explicit streams; {@code terminal} selects raw mode and the Ctrl-A escape. */
    StdioSerial(InputStream stdin, OutputStream stdout, boolean terminal) {
        this.out = stdout;
        if (terminal) {
            enterRawMode();
        }
        boolean escapes = savedStty != null;
        Thread reader = new Thread(() -> pump(stdin, escapes), "jx86-stdin");
        reader.setDaemon(true);
        reader.start();
    }

    /** What Ctrl-A x does in raw mode (the machine may install an orderly shutdown). */
    public void setEscapeHandler(Runnable handler) {
        escapeHandler = handler;
    }

    private void pump(InputStream stdin, boolean escapes) {
        byte[] chunk = new byte[256];
        boolean afterCtrlA = false;
        try {
            int n;
            while ((n = stdin.read(chunk)) > 0) {
                for (int i = 0; i < n; i++) {
                    int b = chunk[i] & 0xFF;
                    if (!escapes) {
                        in.put(b);
                    } else if (afterCtrlA) {
                        afterCtrlA = false;
                        if (b == 'x' || b == 'X') {
                            restoreTerminal();
                            escapeHandler.run();
                        } else {
                            in.put(b);
                        }
                    } else if (b == CTRL_A) {
                        afterCtrlA = true;
                    } else {
                        in.put(b);
                    }
                }
            }
        } catch (IOException e) {
            // stdin closed or broken: the guest simply receives nothing more
        }
    }

    private void enterRawMode() {
        String saved = stty("-g");
        if (saved == null || saved.isBlank()) {
            return;
        }
        if (stty("raw", "-echo", "opost") == null) {
            return;
        }
        savedStty = saved.trim();
        restoreHook = new Thread(this::restoreTerminal, "jx86-tty-restore");
        try {
            Runtime.getRuntime().addShutdownHook(restoreHook);
        } catch (IllegalStateException e) {
            restoreHook = null; // JVM already shutting down
        }
    }

    private synchronized void restoreTerminal() {
        if (savedStty != null) {
            stty(savedStty);
            savedStty = null;
        }
    }

    /** Runs stty on /dev/tty; returns its output, or null when it is missing or fails. */
    private static String stty(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return p.waitFor() == 0 ? output : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void write(int b) {
        if (len == buf.length) {
            flush();
        }
        buf[len++] = (byte) b;
        if (b == '\n') {
            flush();
        }
    }

    @Override
    public void flush() {
        if (len == 0) {
            return;
        }
        try {
            out.write(buf, 0, len);
            out.flush();
        } catch (IOException e) {
            // stdout gone (closed pipe): drop output rather than disturb the guest
        }
        len = 0;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        flush();
        restoreTerminal();
        if (restoreHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(restoreHook);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs anyway and finds nothing to restore
            }
        }
    }
}
