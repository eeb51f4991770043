package jx86.harness;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import jx86.clock.VirtualClock;
import jx86.host.BufferSerial;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.mmu.TlbEvent;

/**
 * The run API for scripted machines (the crash demo, tests, CI scripts): boot a machine, run it
 * until a console line matches, send it input, watch its lines with their virtual timestamps,
 * and read its counters and how it ended.
 *
 * <pre>
 *   try (Harness h = Harness.boot(config)) {
 *       h.runUntilPrompt("$ ", Duration.ofSeconds(5));                  // virtual seconds
 *       h.send("ls /\r");
 *       Step s = h.runUntil(Pattern.compile("bin"), Duration.ofSeconds(1));
 *       HarnessResult r = h.runToEnd();
 *   }
 * </pre>
 *
 * <p>Determinism: every step stops at an exact instruction boundary chosen by the machine thread
 * itself (the UART sees the newline and asks the CPU to stop; a clock timer ends a budget), so a
 * script of steps and sends made on the machine thread gives the same run every time. Only
 * {@link #stop} and {@link #send} called from other threads depend on the host's timing.
 *
 * <p>Threading: the run methods are called by one thread (the machine thread); line listeners run
 * on it. {@link #stop}, {@link #send}, {@link #lines} and {@link #counters} may be called from any
 * thread. Each harness owns its machine, so any number run in parallel, one per thread.
 */
public final class Harness implements AutoCloseable {
    private final PcMachine machine;
    private final BufferSerial serial;
    private final VirtualClock clock;
    private final VirtualClock.Timer deadlineTimer;
    private final List<Consumer<ConsoleLine>> listeners = new CopyOnWriteArrayList<>();
    private final List<ConsoleLine> lines = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();

    /** Set by another thread; the run loop sees it between CPU slices. */
    private volatile boolean stopRequested;
    /** Virtual-time limit of the whole run in cycles (Long.MAX_VALUE: none). */
    private long limitCycles = Long.MAX_VALUE;
    /** The current step: what it waits for and whether it was reached. */
    private Pattern wanted;
    private String wantedPrompt;
    private ConsoleLine matchedLine;
    private boolean promptSeen;
    private long stepDeadline;
    private boolean deadlineReached;
    /** Lines up to this index have been looked at by an earlier step. */
    private int consumed;
    private long wallNanos;
    private HarnessResult result;

    private Harness(PcMachine machine) {
        this.machine = machine;
        if (!(machine.devices().serialBackend(0) instanceof BufferSerial b)) {
            throw new IllegalArgumentException("a harness needs COM1 on the \"buffer\" back-end (MachineConfig's default)");
        }
        this.serial = b;
        this.clock = machine.clock();
        this.deadlineTimer = clock.newTimer("harness-deadline", this::onDeadline);
        serial.setOutputListener(this::onByte);
    }

    /** Builds the machine described by {@code config} and boots it (nothing runs yet). */
    public static Harness boot(MachineConfig config) {
        PcMachine machine = new PcMachine(config);
        try {
            machine.boot();
            return new Harness(machine);
        } catch (RuntimeException e) {
            machine.close();
            throw e;
        }
    }

    /** The machine, for its counters and memory (read it only between steps, on the machine thread). */
    public PcMachine machine() {
        return machine;
    }

    /** Calls {@code listener} with every complete console line from now on, on the machine thread. */
    public void onLine(Consumer<ConsoleLine> listener) {
        listeners.add(listener);
    }

    /** Ends the run with {@link MachineEvent#TIME_LIMIT} once virtual time reaches {@code limit} since power-on. */
    public void timeLimit(Duration limit) {
        limitCycles = clock.nanosToCycles(limit.toNanos());
    }

    /**
     * Queues {@code text} (ISO-8859-1) for COM1's receiver; the guest reads it at the pace of its
     * UART. Thread-safe.
     */
    public void send(String text) {
        serial.feed(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Ends the run with {@link MachineEvent#STOPPED} within one CPU slice (about 200,000
     * instructions). Safe from any thread; a run method in progress returns {@link Step.Kind#ENDED}.
     */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Runs until a complete console line matches {@code pattern} ({@link java.util.regex.Matcher#find}),
     * the budget of virtual time runs out, or the run ends. Lines printed before this call but
     * after the previous match are searched first.
     */
    public Step runUntil(Pattern pattern, Duration virtualBudget) {
        for (int i = consumed; i < lines.size(); i++) {
            if (pattern.matcher(lines.get(i).text()).find()) {
                consumed = i + 1;
                return new Step(Step.Kind.MATCHED, lines.get(i), null);
            }
        }
        consumed = lines.size();
        wanted = pattern;
        try {
            return step(virtualBudget);
        } finally {
            wanted = null;
        }
    }

    /**
     * Runs until output written from now on makes the unfinished line end with {@code prompt} (a
     * shell prompt has no newline), the budget runs out, or the run ends. A prompt already on
     * screen does not count: after typing a command, this waits for the next prompt.
     */
    public Step runUntilPrompt(String prompt, Duration virtualBudget) {
        wantedPrompt = prompt;
        try {
            return step(virtualBudget);
        } finally {
            wantedPrompt = null;
        }
    }

    /** Runs for {@code virtualBudget} of virtual time, or until the run ends. */
    public Step runFor(Duration virtualBudget) {
        return step(virtualBudget);
    }

    /** Runs to the end of the run (a machine event, the time limit or {@link #stop}). */
    public HarnessResult runToEnd() {
        while (result == null) {
            step(null);
        }
        return result;
    }

    /** The result once the run has ended, else null. */
    public HarnessResult result() {
        return result;
    }

    /** Complete console lines so far (a copy). Thread-safe. */
    public List<ConsoleLine> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The counters now. Exact between steps; approximate while another thread runs the machine. */
    public Counters counters() {
        var mmu = machine.mmu();
        int n;
        synchronized (lines) {
            n = lines.size();
        }
        return new Counters(machine.cpu().instructions, clock.cycles, clock.nanos(), n,
                mmu.dtlb().total(TlbEvent.CR3_FLUSHES), mmu.itlb().total(TlbEvent.MISSES),
                mmu.dtlb().total(TlbEvent.MISSES),
                mmu.itlb().total(TlbEvent.PAGE_FAULTS) + mmu.dtlb().total(TlbEvent.PAGE_FAULTS), wallNanos);
    }

    /** Virtual nanoseconds since power-on. */
    public long virtualNanos() {
        return clock.nanos();
    }

    private Step step(Duration budget) {
        if (result != null) {
            return new Step(Step.Kind.ENDED, null, result.event());
        }
        matchedLine = null;
        promptSeen = false;
        deadlineReached = false;
        long budgetEnd = budget == null ? Long.MAX_VALUE : clock.cycles + clock.nanosToCycles(budget.toNanos());
        stepDeadline = Math.min(budgetEnd, limitCycles);
        if (stepDeadline != Long.MAX_VALUE) {
            deadlineTimer.setDeadline(stepDeadline);
        }
        long start = System.nanoTime();
        MachineEvent event;
        try {
            event = machine.runUntil(() -> stopRequested || matchedLine != null || promptSeen || deadlineReached);
        } finally {
            deadlineTimer.cancel();
            wallNanos += System.nanoTime() - start;
        }
        if (event == null && stopRequested) {
            machine.endRun(MachineEvent.STOPPED);
            event = MachineEvent.STOPPED;
        } else if (event == null && matchedLine == null && !promptSeen && clock.cycles >= limitCycles) {
            machine.endRun(MachineEvent.TIME_LIMIT);
            event = MachineEvent.TIME_LIMIT;
        }
        if (event != null) {
            finish();
            return new Step(Step.Kind.ENDED, null, event);
        }
        if (matchedLine != null || promptSeen) {
            return new Step(Step.Kind.MATCHED, matchedLine, null);
        }
        return new Step(Step.Kind.BUDGET, null, null);
    }

    private void finish() {
        var r = machine.finishRun();
        String tail = partial.toString();
        result = new HarnessResult(r.event(), r.exitPortValue(), counters(), lines(), tail);
    }

    /** The harness's clock timer: the step's budget or the run's time limit is reached. */
    private void onDeadline() {
        deadlineReached = true;
        machine.cpu().requestStop();
    }

    /** Every byte the guest transmits, on the machine thread, as the OUT instruction runs. */
    private void onByte(int b) {
        if (b == '\r') {
            return;
        }
        if (b != '\n') {
            partial.append((char) b);
            if (wantedPrompt != null && !promptSeen && endsWith(partial, wantedPrompt)) {
                promptSeen = true;
                machine.cpu().requestStop();
            }
            return;
        }
        ConsoleLine line;
        synchronized (lines) {
            line = new ConsoleLine(lines.size(), partial.toString(), clock.cycles, machine.cpu().instructions,
                    clock.nanos());
            lines.add(line);
        }
        partial.setLength(0);
        for (Consumer<ConsoleLine> l : listeners) {
            l.accept(line);
        }
        if (wanted != null && matchedLine == null && wanted.matcher(line.text()).find()) {
            matchedLine = line;
            consumed = line.index() + 1;
            machine.cpu().requestStop();
        }
    }

    private static boolean endsWith(StringBuilder sb, String suffix) {
        int n = sb.length();
        int k = suffix.length();
        if (n < k) {
            return false;
        }
        for (int i = 0; i < k; i++) {
            if (sb.charAt(n - k + i) != suffix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Closes the machine's files (disk images, overlays). */
    @Override
    public void close() {
        machine.close();
    }
}
