package jx86.host;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * {@code --serial tcp:PORT}: a server socket on 127.0.0.1 (never other interfaces) that serves one
 * client at a time, like a null-modem cable to a terminal program ({@code nc 127.0.0.1 PORT}). An
 * accept thread takes the next client when the previous one leaves and reads its bytes into the
 * input queue. Output while no client is connected is discarded. Port 0 picks a free port
 * ({@link #port()}).
 */
public final class TcpSerial extends QueuedInputSerial {
    private final ServerSocket server;
    private final Thread acceptor;
    private volatile Socket client;
    private OutputStream clientOut;
    private Socket clientOfOut;
    private volatile boolean closed;

    /** @throws IllegalArgumentException with a one-line message when the port cannot be bound */
    public TcpSerial(int port) {
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
        }
        acceptor = new Thread(this::serve, "jx86-serial-tcp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * QEMU's spelling {@code tcp:[HOST]:PORT,server[,wait|,nowait]} (also {@code server=on},
     * {@code wait=on|off}): jx86 only listens, on the loopback interface. With {@code wait} (QEMU's
     * default for a server) this blocks until the first client connects, saying so on stderr.
     *
     * @throws IllegalArgumentException with a one-line message for anything else
     */
    static TcpSerial fromQemuSpec(String spec) {
        String[] parts = spec.substring(4).split(",");
        int colon = parts[0].lastIndexOf(':');
        String host = parts[0].substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(parts[0].substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("bad serial spec '" + spec + "': needs a port 0-65535");
        }
        if (!host.isEmpty() && !host.equals("localhost") && !host.equals("127.0.0.1")) {
            throw new IllegalArgumentException("bad serial spec '" + spec + "': jx86 listens on 127.0.0.1 only");
        }
        boolean server = false;
        boolean wait = true;
        for (int i = 1; i < parts.length; i++) {
            switch (parts[i]) {
                case "server", "server=on" -> server = true;
                case "wait", "wait=on" -> wait = true;
                case "nowait", "wait=off" -> wait = false;
                default -> throw new IllegalArgumentException("bad serial spec '" + spec + "': unknown option '"
                        + parts[i] + "' (server, wait, nowait)");
            }
        }
        if (!server) {
            throw new IllegalArgumentException("bad serial spec '" + spec + "': jx86 does not connect out; add ,server");
        }
        TcpSerial serial = new TcpSerial(port);
        if (wait) {
            System.err.println("jx86: waiting for a connection on 127.0.0.1:" + serial.port() + " (serial " + spec + ")");
            serial.awaitClient();
        }
        return serial;
    }

    /** Blocks until a client is connected (or the back-end is closed). */
    void awaitClient() {
        while (!closed && !connected()) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The port actually listened on. */
    public int port() {
        return server.getLocalPort();
    }

    /** Whether a client is connected now. */
    public boolean connected() {
        Socket s = client;
        return s != null && !s.isClosed();
    }

    private void serve() {
        byte[] chunk = new byte[512];
        while (!closed) {
            try (Socket s = server.accept()) {
                s.setTcpNoDelay(true);
                client = s;
                InputStream is = s.getInputStream();
                int n;
                while ((n = is.read(chunk)) > 0) {
                    in.put(chunk, 0, n);
                }
            } catch (IOException e) {
                // client reset or server closed: wait for the next client (or stop when closed)
            } finally {
                client = null;
            }
        }
    }

    private OutputStream out() {
        Socket s = client;
        if (s == null || s.isClosed()) {
            clientOut = null;
            clientOfOut = null;
            return null;
        }
        if (s != clientOfOut) {
            try {
                clientOut = new BufferedOutputStream(s.getOutputStream(), 4096);
                clientOfOut = s;
            } catch (IOException e) {
                return null;
            }
        }
        return clientOut;
    }

    @Override
    public void write(int b) {
        OutputStream o = out();
        if (o == null) {
            return;
        }
        try {
            o.write(b);
            if (b == '\n') {
                o.flush();
            }
        } catch (IOException e) {
            clientOut = null;
            clientOfOut = null;
        }
    }

    @Override
    public void flush() {
        OutputStream o = clientOut;
        if (o != null) {
            try {
                o.flush();
            } catch (IOException e) {
                clientOut = null;
                clientOfOut = null;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        flush();
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        Socket s = client;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
