package jx86.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run API on hand-assembled guests (GuestCode): steps, input, events, parallel machines, stop. */
class HarnessTest {
    /** LOOP iterations between the ticker's lines: each is one instruction, one virtual cycle. */
    private static final int DELAY = 100_000;

    @TempDir
    Path dir;

    private MachineConfig config(GuestCode code, String name) throws IOException {
        return MachineConfig.builder().kernel(code.write(dir, name)).memoryMiB(4).maxInstructions(50_000_000).build();
    }

    @Test
    void runUntil_stopsAtTheMatchingLine_andTheMachineGoesOn() throws IOException {
        try (Harness h = Harness.boot(config(GuestCode.ticker(5, DELAY), "ticker.elf"))) {
            Step boot = h.runUntil(Pattern.compile("^boot$"), Duration.ofSeconds(1));
            assertThat(boot.kind()).isEqualTo(Step.Kind.MATCHED);
            assertThat(boot.line().text()).isEqualTo("boot");
            assertThat(boot.line().index()).isZero();
            // stopped right after the newline: no tick yet (the first needs DELAY more instructions)
            assertThat(h.lines()).extracting(ConsoleLine::text).containsExactly("boot");
            assertThat(h.counters().instructions()).isLessThan(DELAY);

            Step tick = h.runUntil(Pattern.compile("tick"), Duration.ofSeconds(1));
            assertThat(tick.line().index()).isEqualTo(1);
            assertThat(tick.line().text()).isEqualTo("tick");       // CR dropped
            assertThat(tick.line().cycles() - boot.line().cycles()).isGreaterThanOrEqualTo(DELAY);

            HarnessResult r = h.runToEnd();
            assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
            assertThat(r.exitValue()).isEqualTo(7);
            assertThat(r.lines()).extracting(ConsoleLine::text).containsExactly("boot", "tick", "tick", "tick", "tick", "tick");
            assertThat(r.counters().consoleLines()).isEqualTo(6);
        }
    }

    @Test
    void lines_carryIncreasingVirtualTimestamps_andListenersSeeEachOnce() throws IOException {
        List<ConsoleLine> seen = new ArrayList<>();
        try (Harness h = Harness.boot(config(GuestCode.ticker(3, DELAY), "ticker.elf"))) {
            h.onLine(seen::add);
            HarnessResult r = h.runToEnd();
            assertThat(seen).isEqualTo(r.lines());
            for (int i = 1; i < seen.size(); i++) {
                ConsoleLine prev = seen.get(i - 1);
                ConsoleLine cur = seen.get(i);
                assertThat(cur.cycles() - prev.cycles()).isBetween((long) DELAY, DELAY + 200L);
                assertThat(cur.instructions()).isGreaterThan(prev.instructions());
                assertThat(cur.virtualNanos()).isEqualTo(cur.cycles() * 10);    // 100 MHz: 10 ns a cycle
            }
            assertThat(seen.get(1).toString()).matches("\\[   0\\.001\\d{3}\\] tick");
        }
    }

    @Test
    void aBudgetRunsOut_withoutEndingTheRun() throws IOException {
        try (Harness h = Harness.boot(config(GuestCode.ticker(2, DELAY), "ticker.elf"))) {
            Step s = h.runUntil(Pattern.compile("never printed"), Duration.ofNanos(5L * DELAY)); // half a delay (10 ns a cycle)
            assertThat(s.kind()).isEqualTo(Step.Kind.BUDGET);
            assertThat(h.counters().cycles()).isBetween(DELAY / 2L, DELAY / 2L + 1);
            assertThat(h.result()).isNull();
            Step tick = h.runUntil(Pattern.compile("tick"), Duration.ofSeconds(1));
            assertThat(tick.matched()).isTrue();
        }
    }

    @Test
    void linesPrintedBetweenSteps_areSearchedByTheNextRunUntil() throws IOException {
        try (Harness h = Harness.boot(config(GuestCode.ticker(2, DELAY), "ticker.elf"))) {
            h.runFor(Duration.ofNanos(15L * DELAY));         // 1.5 delays: past "boot" and the first "tick"
            assertThat(h.lines()).hasSize(2);
            Step boot = h.runUntil(Pattern.compile("boot"), Duration.ofNanos(1));
            assertThat(boot.matched()).isTrue();
            assertThat(boot.line().index()).isZero();
            Step tick = h.runUntil(Pattern.compile("tick"), Duration.ofNanos(1));
            assertThat(tick.line().index()).isEqualTo(1);   // the one already printed, not a new one
        }
    }

    @Test
    void send_feedsTheGuestsUart() throws IOException {
        try (Harness h = Harness.boot(config(GuestCode.echo(), "echo.elf"))) {
            assertThat(h.runUntil(Pattern.compile("ready"), Duration.ofSeconds(1)).matched()).isTrue();
            h.send("hello\r\n");
            Step echoed = h.runUntil(Pattern.compile("hel+o"), Duration.ofSeconds(1));
            assertThat(echoed.line().text()).isEqualTo("hello");
            h.send("ab");
            assertThat(h.runUntilPrompt("ab", Duration.ofSeconds(1)).matched()).isTrue();
            h.send("q");
            HarnessResult r = h.runToEnd();
            assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
            assertThat(r.exitValue()).isEqualTo('q');
            assertThat(r.tail()).isEqualTo("abq");
            assertThat(r.lastLines(1)).containsExactly("hello", "abq");
        }
    }

    @Test
    void machineEvents_endTheRun() throws IOException {
        try (Harness h = Harness.boot(config(GuestCode.haltForever(), "halt.elf"))) {
            Step s = h.runUntil(Pattern.compile("never"), Duration.ofSeconds(1));
            assertThat(s.kind()).isEqualTo(Step.Kind.ENDED);
            assertThat(s.event()).isEqualTo(MachineEvent.HALTED_FOREVER);
            assertThat(h.result().lines()).extracting(ConsoleLine::text).containsExactly("bye");
            // a step after the end reports the end again
            assertThat(h.runFor(Duration.ofSeconds(1)).event()).isEqualTo(MachineEvent.HALTED_FOREVER);
        }
        try (Harness h = Harness.boot(config(GuestCode.tripleFault(), "triple.elf"))) {
            assertThat(h.runToEnd().event()).isEqualTo(MachineEvent.TRIPLE_FAULT);
        }
        MachineConfig limited = MachineConfig.builder().kernel(GuestCode.spinner().write(dir, "spin.elf"))
                .memoryMiB(4).maxInstructions(300_000).build();
        try (Harness h = Harness.boot(limited)) {
            HarnessResult r = h.runToEnd();
            assertThat(r.event()).isEqualTo(MachineEvent.INSTRUCTION_LIMIT);
            assertThat(r.counters().instructions()).isEqualTo(300_000);
        }
    }

    @Test
    void timeLimit_endsTheRunAtThatVirtualTime() throws IOException {
        try (Harness h = Harness.boot(config(GuestCode.spinner(), "spin.elf"))) {
            h.timeLimit(Duration.ofMillis(20));
            Step s = h.runUntil(Pattern.compile("never"), Duration.ofSeconds(5));
            assertThat(s.event()).isEqualTo(MachineEvent.TIME_LIMIT);
            assertThat(h.result().counters().cycles()).isBetween(2_000_000L, 2_000_001L);
            assertThat(h.result().counters().virtualNanos()).isBetween(20_000_000L, 20_000_010L);
        }
    }

    @Test
    void stop_fromAnotherThread_endsARunThatWouldNeverEnd() throws Exception {
        MachineConfig endless = MachineConfig.builder().kernel(GuestCode.spinner().write(dir, "spin.elf"))
                .memoryMiB(4).build();                      // no instruction limit
        try (Harness h = Harness.boot(endless)) {
            CountDownLatch spinning = new CountDownLatch(1);
            h.onLine(l -> spinning.countDown());
            Thread stopper = new Thread(() -> {
                try {
                    spinning.await();
                    h.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            stopper.start();
            HarnessResult r = h.runToEnd();
            stopper.join();
            assertThat(r.event()).isEqualTo(MachineEvent.STOPPED);
            assertThat(r.lines()).extracting(ConsoleLine::text).containsExactly("spinning");
            assertThat(r.counters().instructions()).isPositive();
        }
    }

    @Test
    void machinesInParallel_giveTheSameRunsAsOneAtATime() throws Exception {
        MachineConfig config = config(GuestCode.ticker(20, DELAY), "ticker.elf");
        HarnessResult alone;
        try (Harness h = Harness.boot(config)) {
            alone = h.runToEnd();
        }
        int n = 6;
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<HarnessResult>> runs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                runs.add(pool.submit(() -> {
                    try (Harness h = Harness.boot(config)) {
                        // steps in between must not change the run either
                        h.runUntil(Pattern.compile("tick"), Duration.ofMillis(1));
                        return h.runToEnd();
                    }
                }));
            }
            for (Future<HarnessResult> f : runs) {
                HarnessResult r = f.get(5, TimeUnit.MINUTES);
                assertThat(r.lines()).isEqualTo(alone.lines());
                assertThat(r.counters().cycles()).isEqualTo(alone.counters().cycles());
                assertThat(r.counters().instructions()).isEqualTo(alone.counters().instructions());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void counters_countTheRun() throws IOException {
        try (Harness h = Harness.boot(config(GuestCode.ticker(2, DELAY), "ticker.elf"))) {
            HarnessResult r = h.runToEnd();
            Counters c = r.counters();
            // 2 delays of DELAY LOOPs plus the printing: instructions and (unpaged) cycles agree
            assertThat(c.instructions()).isBetween(2L * DELAY, 2L * DELAY + 300);
            assertThat(c.cycles()).isEqualTo(c.instructions());
            assertThat(c.cr3Loads()).isZero();
            assertThat(c.pageFaults()).isZero();
            assertThat(c.wallNanos()).isPositive();
        }
    }
}
