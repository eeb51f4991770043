package jx86.host;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
 *
 * <p>When standard input is not a terminal (a pipe or a file: a scripted run), its bytes are
 * {@link PacedInput paced}: held back and handed to the guest a line at a time whenever the machine
 * reports the guest waiting for input ({@link #guestWaiting}), and {@link #inputEnded} reports the
 * end of the script. Unless {@code echoInput} is set, the guest's echo of those lines is dropped
 * from standard output ({@link EchoFilter}), so the log shows what the guest printed.
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
    /** Drops the guest's echo of paced lines, or null when the echo is kept. */
    private final EchoFilter echoFilter;

    public StdioSerial() {
        this(true);
    }

    /** Standard input and output; {@code echoInput} keeps the guest's echo of piped input. */
    public StdioSerial(boolean echoInput) {
        this(System.in, new FileOutputStream(FileDescriptor.out), System.console() != null,
                !stdinIsTerminal(), echoInput);
    }

    /**
     * Standard input as a keyboard ({@code --display text}: the screen is on standard output, so
     * nothing is written here): raw terminal mode with the Ctrl-A x escape, input as typed.
     */
    public static StdioSerial keyboard() {
        return new StdioSerial(System.in, OutputStream.nullOutputStream(), System.console() != null, false, true);
    }

    /** For tests: explicit streams; {@code terminal} selects raw mode and the Ctrl-A escape. */
    StdioSerial(InputStream stdin, OutputStream stdout, boolean terminal) {
        this(stdin, stdout, terminal, false, true);
    }

    /**
     * For tests: explicit streams; {@code terminal} selects raw mode and the Ctrl-A escape,
     * {@code paced} holds input back until the guest waits for it, {@code echoInput} (with paced)
     * keeps the guest's echo of it.
     */
    StdioSerial(InputStream stdin, OutputStream stdout, boolean terminal, boolean paced, boolean echoInput) {
        super(paced);
        this.out = stdout;
        this.echoFilter = paced && !echoInput ? new EchoFilter() : null;
        if (terminal) {
            enterRawMode();
        }
        boolean escapes = savedStty != null;
        Thread reader = new Thread(() -> pump(stdin, escapes), "jx86-stdin");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Whether this process's standard input is a terminal. Java has no isatty(0): Linux names the
     * file behind descriptor 0 in /proc; elsewhere, {@link System#console} (both ends) decides.
     */
    static boolean stdinIsTerminal() {
        try {
            String fd0 = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return fd0.startsWith("/dev/pts/") || fd0.startsWith("/dev/tty") || fd0.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    @Override
    public void guestWaiting() {
        if (echoFilter != null) {
            echoFilter.clear();            // an echo that has not come by now never will
        }
        super.guestWaiting();
    }

    @Override
    protected void released(byte[] line) {
        if (echoFilter != null) {
            echoFilter.expect(line);
        }
    }

    private void pump(InputStream stdin, boolean escapes) {
        byte[] chunk = new byte[256];
        boolean afterCtrlA = false;
        try {
            int n;
            while ((n = stdin.read(chunk)) > 0) {
                if (isPaced()) {
                    receive(chunk, 0, n);
                    continue;
                }
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
        endOfInput();
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
        if (echoFilter != null && echoFilter.swallow(b)) {
            return;
        }
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
