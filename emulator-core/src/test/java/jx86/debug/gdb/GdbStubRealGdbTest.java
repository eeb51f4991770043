package jx86.debug.gdb;

import jx86.testsupport.Oracles;
import jx86.testsupport.TinyKernel;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real GDB in batch mode against the stub; skipped where gdb is not installed (a failure
 * instead under -Djx86.requireOracles=true, as .ci/run runs).
 */
class GdbStubRealGdbTest {
    @TempDir
    Path dir;

    @Test
    void gdbBatchSession_readsRegistersStopsAtABreakpointStepsAndSeesTheExit() throws Exception {
        Oracles.assumeInstalled("gdb");
        Path k = TinyKernel.write(dir, "k.elf",
                0xB8, 0x11, 0, 0, 0,      // 100010: mov $0x11, %eax
                0xBB, 0x22, 0, 0, 0,      // 100015: mov $0x22, %ebx
                0x40,                     // 10001a: inc %eax
                0x31, 0xC0,               // 10001b: xor %eax, %eax
                0xE7, 0xF4);              // 10001d: out %eax, $0xf4
        try (PcMachine machine = new PcMachine(MachineConfig.builder().kernel(k).maxInstructions(1_000_000).build())) {
            machine.boot();
            try (GdbStub stub = new GdbStub(machine, 0, true)) {
                machine.setDebugger(stub);
                CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(machine::runToEnd);
                List<String> cmd = new ArrayList<>(List.of("gdb", "-nx", "-batch",
                        "-ex", "set architecture i386",
                        "-ex", "target remote 127.0.0.1:" + stub.port(),
                        "-ex", "info registers eip",
                        "-ex", "break *0x10001a",
                        "-ex", "continue",
                        "-ex", "info registers eax ebx eip",
                        "-ex", "stepi",
                        "-ex", "info registers eax eip",
                        "-ex", "x/2xb 0x10001b",
                        "-ex", "delete",
                        "-ex", "continue"));
                Process gdb = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                boolean done = gdb.waitFor(60, TimeUnit.SECONDS);
                if (!done) {
                    gdb.destroyForcibly();
                }
                String log = new String(gdb.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(done).as(log).isTrue();
                assertThat(log).containsPattern("eip\\s+0x100010\\s")
                        .containsPattern("eax\\s+0x11\\s")
                        .containsPattern("ebx\\s+0x22\\s")
                        .containsPattern("eip\\s+0x10001a\\s")
                        .containsPattern("eax\\s+0x12\\s")
                        .containsPattern("eip\\s+0x10001b\\s")
                        .containsPattern("0x10001b:\\s+0x31\\s+0xc0")
                        .contains("exited normally");
                RunResult r = run.get(10, TimeUnit.SECONDS);
                assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
            }
        }
    }
}
