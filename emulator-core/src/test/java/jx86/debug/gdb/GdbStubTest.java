package jx86.debug.gdb;

import jx86.testsupport.TinyKernel;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GdbStubTest {
    /** Safety net only: a broken stub fails the test instead of hanging it. */
    private static final int SOCKET_TIMEOUT_MS = 5000;
    /** Bounds the endless-loop guests, so a failed test's machine thread ends on its own. */
    private static final long LOOP_LIMIT = 300_000_000;

    @TempDir
    Path dir;
    private PcMachine machine;
    private GdbStub stub;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean noAck;

    @AfterEach
    void cleanUp() throws IOException {
        if (socket != null) {
            socket.close();
        }
        if (stub != null) {
            stub.close();
        }
        if (machine != null) {
            machine.close();
        }
    }

    /** Boots {@code code} with the stub on an ephemeral port and runs the machine on another thread. */
    private CompletableFuture<RunResult> start(boolean waitForAttach, long maxInstructions, int... code)
            throws IOException {
        Path k = TinyKernel.write(dir, "k.elf", code);
        machine = new PcMachine(MachineConfig.builder().kernel(k).maxInstructions(maxInstructions).build());
        machine.boot();
        stub = new GdbStub(machine, 0, waitForAttach);
        machine.setDebugger(stub);
        return CompletableFuture.supplyAsync(machine::runToEnd);
    }

    private void connect() throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), stub.port());
        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    private void send(String payload) throws IOException {
        out.write(RspCodec.frame(payload));
        out.flush();
        if (!noAck) {
            assertThat(in.read()).as("ack for " + payload).isEqualTo('+');
        }
    }

    private String receive() throws IOException {
        int c;
        while ((c = in.read()) != '$') {
            assertThat(c).as("stream open").isNotNegative();
        }
        StringBuilder sb = new StringBuilder();
        while ((c = in.read()) != '#') {
            assertThat(c).isNotNegative();
            sb.append((char) c);
        }
        String sum = "" + (char) in.read() + (char) in.read();
        byte[] payload = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Integer.parseInt(sum, 16)).isEqualTo(RspCodec.checksum(payload, 0, payload.length));
        if (!noAck) {
            out.write('+');
        }
        return sb.toString();
    }

    private String ask(String payload) throws IOException {
        send(payload);
        return receive();
    }

    private int eip() throws IOException {
        return RspCodec.parseLe32(ask("p8"), 0);
    }

    @Test
    void breakpointStepAndExit_overTheWire() throws Exception {
        CompletableFuture<RunResult> run = start(true, 1_000_000,
                0xB8, 0x11, 0, 0, 0,      // 100010: mov $0x11, %eax
                0xBB, 0x22, 0, 0, 0,      // 100015: mov $0x22, %ebx
                0x40,                     // 10001a: inc %eax
                0x31, 0xC0,               // 10001b: xor %eax, %eax
                0xE7, 0xF4);              // 10001d: out %eax, $0xf4
        connect();
        assertThat(ask("qSupported:multiprocess+")).contains("PacketSize=").contains("QStartNoAckMode+");
        assertThat(ask("QStartNoAckMode")).isEqualTo("OK");
        noAck = true;
        assertThat(ask("?")).isEqualTo("S05");
        assertThat(ask("vCont?")).isEmpty();
        String g = ask("g");
        assertThat(g).hasSize(128);
        assertThat(RspCodec.parseLe32(g, 8 * 8)).isEqualTo(0x100010);          // EIP = entry
        assertThat(RspCodec.parseLe32(g, 0)).isEqualTo(0x2BADB002);            // multiboot magic in EAX
        assertThat(ask("Z0,10001a,1")).isEqualTo("OK");
        send("c");
        assertThat(receive()).isEqualTo("S05");
        assertThat(eip()).isEqualTo(0x10001a);
        assertThat(ask("p0")).isEqualTo("11000000");
        assertThat(ask("p3")).isEqualTo("22000000");
        assertThat(ask("m10001a,3")).isEqualTo("4031c0");
        send("s");
        assertThat(receive()).isEqualTo("S05");
        assertThat(eip()).isEqualTo(0x10001b);
        assertThat(ask("p0")).isEqualTo("12000000");
        assertThat(ask("z0,10001a,1")).isEqualTo("OK");
        send("c");
        assertThat(receive()).isEqualTo("W00");
        RunResult r = run.get(10, TimeUnit.SECONDS);
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.instructions()).isEqualTo(5);
    }

    @Test
    void breakpointAtTheCurrentEip_isSteppedOverOnContinue_andHitAgainInALoop() throws Exception {
        CompletableFuture<RunResult> run = start(true, 1_000_000,
                0xB9, 3, 0, 0, 0,         // 100010: mov $3, %ecx
                0x49,                     // 100015: dec %ecx
                0x75, 0xFD,               // 100016: jnz 100015
                0xE7, 0xF4);              // 100018: out %eax, $0xf4
        connect();
        assertThat(ask("Z0,100015,1")).isEqualTo("OK");
        send("c");
        assertThat(receive()).isEqualTo("S05");
        assertThat(ask("p1")).isEqualTo("03000000");
        send("c");
        assertThat(receive()).isEqualTo("S05");
        assertThat(ask("p1")).isEqualTo("02000000");
        assertThat(eip()).isEqualTo(0x100015);
        assertThat(ask("D")).isEqualTo("OK");
        RunResult r = run.get(10, TimeUnit.SECONDS);
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
    }

    @Test
    void registerAndMemoryWrites_changeTheGuest() throws Exception {
        CompletableFuture<RunResult> run = start(true, 1_000_000,
                0xB8, 0x11, 0, 0, 0,      // 100010: mov $0x11, %eax
                0xE7, 0xF4);              // 100015: out %eax, $0xf4
        connect();
        assertThat(ask("M100011,1:2a")).isEqualTo("OK");           // mov $0x2a, %eax
        send("s");
        assertThat(receive()).isEqualTo("S05");
        assertThat(ask("p0")).isEqualTo("2a000000");
        assertThat(ask("P0=07000000")).isEqualTo("OK");
        send("c");
        assertThat(receive()).isEqualTo("W07");
        assertThat(run.get(10, TimeUnit.SECONDS).exitPortValue()).isEqualTo(7);
    }

    @Test
    void ctrlC_stopsARunningGuestWithSigint_andKillEndsTheRun() throws Exception {
        CompletableFuture<RunResult> run = start(true, LOOP_LIMIT, 0xEB, 0xFE);   // jmp . (forever)
        connect();
        send("c");
        out.write(0x03);
        out.flush();
        assertThat(receive()).isEqualTo("S02");
        assertThat(eip()).isEqualTo(0x100010);
        assertThat(ask("?")).isEqualTo("S02");
        out.write(RspCodec.frame("k"));
        out.flush();
        RunResult r = run.get(10, TimeUnit.SECONDS);
        assertThat(stub.killed()).isTrue();
        assertThat(r.instructions()).isPositive();
    }

    @Test
    void ctrlC_stopsAGuestIdlingInHlt() throws Exception {
        // The PIT ticks (the BIOS left it at 18.2 Hz) but the PIC masks every IRQ: the machine idles
        // from timer event to timer event without ever waking the CPU, until the debugger steps in.
        Path k = TinyKernel.write(dir, "idle.elf",
                0xB0, 0xFF,               // 100010: mov $0xff, %al
                0xE6, 0x21,               // 100012: out %al, $0x21   (mask IRQ 0-7)
                0xE6, 0xA1,               // 100014: out %al, $0xa1   (mask IRQ 8-15)
                0xFB,                     // 100016: sti
                0xF4,                     // 100017: hlt
                0xEB, 0xFD);              // 100018: jmp 100017
        machine = new PcMachine(MachineConfig.builder().kernel(k).timeoutSeconds(30).build());
        machine.boot();
        stub = new GdbStub(machine, 0, true);
        machine.setDebugger(stub);
        CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(machine::runToEnd);
        connect();
        assertThat(ask("Z0,100018,1")).isEqualTo("OK");   // never reached: the CPU stays halted
        send("c");
        out.write(0x03);
        out.flush();
        assertThat(receive()).isEqualTo("S02");
        assertThat(eip()).isEqualTo(0x100018);             // HLT done, the next instruction not yet run
        out.write(RspCodec.frame("k"));
        out.flush();
        RunResult r = run.get(10, TimeUnit.SECONDS);
        assertThat(stub.killed()).isTrue();
        assertThat(r.instructions()).isEqualTo(5);
    }

    @Test
    void withoutWaiting_theGuestRunsAndALateDebuggerStopsIt() throws Exception {
        CompletableFuture<RunResult> run = start(false, LOOP_LIMIT, 0xEB, 0xFE);  // jmp . (forever)
        connect();
        assertThat(ask("?")).isEqualTo("S05");
        assertThat(eip()).isEqualTo(0x100010);
        out.write(RspCodec.frame("k"));
        out.flush();
        run.get(10, TimeUnit.SECONDS);
        assertThat(stub.killed()).isTrue();
    }

    @Test
    void afterDetach_aNewDebuggerCanAttach() throws Exception {
        CompletableFuture<RunResult> run = start(true, LOOP_LIMIT, 0xEB, 0xFE);  // jmp . (forever)
        connect();
        assertThat(ask("Z0,100010,1")).isEqualTo("OK");
        assertThat(ask("D")).isEqualTo("OK");
        socket.close();
        connect();                                  // the breakpoint went with the first debugger
        assertThat(ask("?")).isEqualTo("S05");
        assertThat(stub.breakpoints().isEmpty()).isTrue();
        out.write(RspCodec.frame("k"));
        out.flush();
        run.get(10, TimeUnit.SECONDS);
        assertThat(stub.killed()).isTrue();
    }

    @Test
    void withoutADebugger_theGuestRunsToItsEnd() throws Exception {
        CompletableFuture<RunResult> run = start(false, 1000, 0xB0, 0x03, 0xE6, 0xF4);  // mov $3,%al; out
        RunResult r = run.get(10, TimeUnit.SECONDS);
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isEqualTo(3);
    }

    @Test
    void exitReplies_areWForExitsAndXForAbnormalEnds() {
        assertThat(GdbStub.exitReply(MachineEvent.EXIT_PORT, 0x1234)).isEqualTo("W34");
        assertThat(GdbStub.exitReply(MachineEvent.TRIPLE_FAULT, 0)).isEqualTo("X0b");
        assertThat(GdbStub.exitReply(MachineEvent.INSTRUCTION_LIMIT, 0)).isEqualTo("X09");
        assertThat(GdbStub.exitReply(MachineEvent.HALTED_FOREVER, 0)).isEqualTo("W47");   // status 71
    }
}
