package jx86.debug.gdb;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One GDB Remote Serial Protocol connection (GDB manual, appendix E, "Overview", "Interrupts" and
 * "Packet Acknowledgment"): receives packets with their {@code +}/{@code -} acknowledgments, sends
 * replies (resending on {@code -}), and spots the out-of-band interrupt byte 0x03 (Ctrl-C). After
 * {@code QStartNoAckMode} neither side acknowledges. Not modelled: run-length-encoded input (GDB
 * never sends it) and asynchronous notifications (%-packets, non-stop mode only).
 */
public final class RspConnection {
    /** The payload {@link #readPacket} returns for an interrupt byte received between packets. */
    public static final String INTERRUPT = "\u0003";
    private static final int MAX_RESENDS = 8;

    private final InputStream in;
    private final OutputStream out;
    private boolean noAck;
    private boolean interruptSeen;

    public RspConnection(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    /** Stops acknowledging (after replying OK to {@code QStartNoAckMode}). */
    public void setNoAck(boolean value) {
        noAck = value;
    }

    public boolean noAck() {
        return noAck;
    }

    /**
     * Blocks until a well-formed packet arrives and returns its payload (still escaped), or
     * {@link #INTERRUPT}; a packet with a bad checksum is answered {@code -} and skipped.
     */
    public String readPacket() throws IOException {
        if (interruptSeen) {
            interruptSeen = false;
            return INTERRUPT;
        }
        while (true) {
            int c = readByte();
            if (c == 0x03) {
                return INTERRUPT;
            }
            if (c != '$') {
                continue;       // acks for our replies and line noise between packets
            }
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            while ((c = readByte()) != '#') {
                payload.write(c);
            }
            int hi = RspCodec.hexDigit(readByte());
            int lo = RspCodec.hexDigit(readByte());
            byte[] bytes = payload.toByteArray();
            boolean ok = hi >= 0 && lo >= 0 && ((hi << 4) | lo) == RspCodec.checksum(bytes, 0, bytes.length);
            if (!noAck) {
                out.write(ok ? '+' : '-');
                out.flush();
            }
            if (ok || noAck) {
                return new String(bytes, StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** Sends one reply and, unless in no-ack mode, waits for its {@code +} (resending on {@code -}). */
    public void sendPacket(String payload) throws IOException {
        byte[] frame = RspCodec.frame(payload);
        for (int attempt = 0; ; attempt++) {
            out.write(frame);
            out.flush();
            if (noAck) {
                return;
            }
            int c;
            do {
                c = readByte();
                if (c == 0x03) {
                    interruptSeen = true;
                }
            } while (c != '+' && c != '-');
            if (c == '+' || attempt >= MAX_RESENDS) {
                return;
            }
        }
    }

    /**
     * True if an interrupt byte arrived since the last call (which consumes it); never blocks: reads
     * only what is already buffered.
     */
    public boolean pollInterrupt() throws IOException {
        while (!interruptSeen && in.available() > 0) {
            if (readByte() == 0x03) {
                interruptSeen = true;
            }
        }
        boolean seen = interruptSeen;
        interruptSeen = false;
        return seen;
    }

    private int readByte() throws IOException {
        int c = in.read();
        if (c < 0) {
            throw new EOFException("debugger disconnected");
        }
        return c;
    }
}
