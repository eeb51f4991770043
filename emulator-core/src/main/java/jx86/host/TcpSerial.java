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
