package jx86.debug.gdb;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import jx86.cpu.Cpu;
import jx86.cpu.StopReason;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GDB remote stub for one {@link PcMachine} (GDB manual, appendix E "Remote Protocol"), listening
 * on 127.0.0.1 like QEMU's {@code -gdb tcp::PORT}. It runs on the machine thread as the machine's
 * {@link PcMachine.Debugger}: with nobody attached the guest runs in full slices and the listening
 * socket is polled between them; once GDB attaches the guest stops, and while it continues the CPU
 * runs in slices of {@link #FREE_SLICE} instructions (Ctrl-C polled between them) or, when
 * breakpoints are set, one instruction at a time with the linear EIP (CS.base + EIP) checked
 * before each. One connection at a time; after {@code D} or a disconnect the guest runs on and a
 * new debugger may attach.
 *
 * <p>Not modelled: watchpoints (Z2-Z4), target descriptions (qXfer), threads (one CPU is thread 1),
 * non-stop mode, and a breakpoint on the first instruction of an external interrupt handler (the CPU
 * delivers the interrupt and executes that instruction in one step).
 */
public final class GdbStub implements PcMachine.Debugger, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GdbStub.class);
    /** Instructions between Ctrl-C polls while continuing without breakpoints. */
    static final long FREE_SLICE = 10_000;
    /** Single-stepped instructions between Ctrl-C polls while continuing with breakpoints. */
    private static final int POLL_MASK = 4095;
    private static final int SIGINT = 2;
    private static final int SIGTRAP = 5;

    private final Cpu cpu;
    private final ServerSocketChannel server;
    private final GdbCommands commands;
    private final Breakpoints breakpoints = new Breakpoints();
    private Socket socket;
    private RspConnection conn;
    /** The guest is stopped: run() serves the debugger before running anything. */
    private boolean stopped;
    /** The stop reply owed to GDB when it next gets control (after s, a breakpoint, Ctrl-C). */
    private String pendingStop;
    private boolean stepping;
    /** Resuming at a breakpoint executes its instruction instead of stopping again at once. */
    private boolean skipBreakpointOnce;
    private boolean killed;
    /** False once the listening socket failed: the guest then simply runs. */
    private boolean listening = true;

    /**
     * Listens on 127.0.0.1:{@code port} (0 picks a free port, see {@link #port()}). With
     * {@code waitForAttach} (QEMU's -S) the first slice blocks until GDB connects and resumes.
     */
    public GdbStub(PcMachine machine, int port, boolean waitForAttach) throws IOException {
        this.cpu = machine.cpu();
        this.commands = new GdbCommands(cpu, new LinearMemory(machine.mmu()), breakpoints);
        this.server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        this.stopped = waitForAttach;
    }

    /** The port actually listened on. */
    public int port() {
        return ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort();
    }

    /** The breakpoints GDB set (for tests). */
    Breakpoints breakpoints() {
        return breakpoints;
    }

    @Override
    public StopReason run(long budget) {
        try {
            if (conn == null && !accept(stopped)) {
                return cpu.run(budget);
            }
            if (!stopped && conn.pollInterrupt()) {
                stopWith(SIGINT);
            }
            if (stopped) {
                if (pendingStop != null) {
                    String reply = pendingStop;
                    pendingStop = null;
                    conn.sendPacket(reply);
                }
                serve();
                if (killed) {
                    return StopReason.REQUESTED;
                }
                if (conn == null) {
                    return cpu.run(budget);
                }
            }
            return stepping ? step() : proceed(budget);
        } catch (IOException e) {
            lost(e);
            return StopReason.BUDGET;
        }
    }

    /** A broken connection lets the guest run on; a broken listening socket ends debugging. */
    private void lost(IOException e) {
        if (conn == null) {
            LOG.warn("gdb: cannot accept connections ({}); the guest runs without a debugger", e.getMessage());
            listening = false;
        } else {
            LOG.info("gdb: connection lost ({}); the guest runs on", e.getMessage());
        }
        disconnect();
    }

    @Override
    public boolean wantsControl() {
        try {
            if (conn == null) {
                return accept(false);
            }
            if (!stopped && conn.pollInterrupt()) {
                stopWith(SIGINT);
            }
            return stopped;
        } catch (IOException e) {
            lost(e);
            return false;
        }
    }

    @Override
    public boolean killed() {
        return killed;
    }

    @Override
    public void machineEnded(MachineEvent event, int exitPortValue) {
        if (conn != null && !killed) {
            try {
                conn.sendPacket(exitReply(event, exitPortValue));
            } catch (IOException e) {
                LOG.debug("gdb: could not report the end of the run", e);
            }
        }
        close();
    }

    /** GDB's W (exited with status) or X (terminated by signal) reply for the end of a run. */
    static String exitReply(MachineEvent event, int exitPortValue) {
        return switch (event) {
            case EXIT_PORT -> String.format("W%02x", exitPortValue & 0xFF);
            case TRIPLE_FAULT -> "X0b";                       // SIGSEGV: the processor shut down
            case TIMEOUT, INSTRUCTION_LIMIT, KILLED -> "X09"; // SIGKILL: ended from outside
            default -> String.format("W%02x", event.exitStatus() & 0xFF);
        };
    }

    /** Takes a new connection if one is waiting (or blocks for one); a new debugger stops the guest. */
    private boolean accept(boolean block) throws IOException {
        if (!listening) {
            return false;
        }
        if (server.isBlocking() != block) {
            server.configureBlocking(block);
        }
        SocketChannel ch = server.accept();
        if (ch == null) {
            return false;
        }
        ch.configureBlocking(true);
        socket = ch.socket();
        socket.setTcpNoDelay(true);
        conn = new RspConnection(socket.getInputStream(), socket.getOutputStream());
        LOG.info("gdb: debugger attached from {}", socket.getRemoteSocketAddress());
        stopped = true;
        pendingStop = null;           // GDB asks with '?' first
        commands.setLastSignal(SIGTRAP);
        return true;
    }

    /** Answers packets until GDB resumes the guest, detaches or kills it. */
    private void serve() throws IOException {
        while (true) {
            String packet = conn.readPacket();
            if (packet.equals(RspConnection.INTERRUPT)) {
                continue;                         // already stopped
            }
            GdbCommands.Reply r = commands.handle(packet);
            switch (r.action()) {
                case REPLY -> {
                    conn.sendPacket(r.text());
                    if (r.enterNoAck()) {
                        conn.setNoAck(true);
                    }
                }
                case CONTINUE, STEP -> {
                    stopped = false;
                    stepping = r.action() == GdbCommands.Action.STEP;
                    skipBreakpointOnce = true;
                    return;
                }
                case DETACH -> {
                    conn.sendPacket("OK");
                    LOG.info("gdb: detached; the guest runs on");
                    disconnect();
                    return;
                }
                case KILL -> {
                    LOG.info("gdb: killed the run");
                    killed = true;
                    cpu.requestStop();
                    return;
                }
                default -> throw new IllegalStateException(r.action().name());
            }
        }
    }

    private StopReason step() {
        StopReason r = cpu.run(1);
        stepping = false;
        stopWith(SIGTRAP);
        return r;
    }

    /** Continues: slices without breakpoints, else single instructions checked against them. */
    private StopReason proceed(long budget) throws IOException {
        if (breakpoints.isEmpty()) {
            skipBreakpointOnce = false;
            return cpu.run(Math.min(budget, FREE_SLICE));
        }
        for (long n = 0; n < budget; n++) {
            // a halted CPU is not about to execute EIP's instruction: HLT leaves EIP after itself
            if (!skipBreakpointOnce && !cpu.halted() && breakpoints.contains(cpu.segBase[Cpu.CS] + cpu.eip)) {
                stopWith(SIGTRAP);
                return StopReason.BUDGET;
            }
            skipBreakpointOnce = false;
            StopReason r = cpu.run(1);
            if (r != StopReason.BUDGET) {
                return r;
            }
            if ((n & POLL_MASK) == POLL_MASK && conn.pollInterrupt()) {
                stopWith(SIGINT);
                return StopReason.BUDGET;
            }
        }
        return StopReason.BUDGET;
    }

    private void stopWith(int signal) {
        stopped = true;
        commands.setLastSignal(signal);
        pendingStop = String.format("S%02x", signal);
    }

    private void disconnect() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException e) {
            LOG.debug("gdb: close failed", e);
        }
        socket = null;
        conn = null;
        stopped = false;
        stepping = false;
        pendingStop = null;
        breakpoints.clear();
    }

    @Override
    public void close() {
        disconnect();
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("gdb: closing the listening socket failed", e);
        }
    }
}
