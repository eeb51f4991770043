package jx86.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import jx86.harness.ConsoleLine;
import jx86.harness.Harness;
import jx86.harness.HarnessResult;
import jx86.harness.Step;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;

/**
 * Runs one crash-demo run on the run API: boot the scenario's image, type the start script, wait
 * for the buggy component to start, then run until the first decisive line, a machine event, the
 * hang watchdog or the duration. Everything is measured in virtual time, so a run depends only on
 * the image and its {@link RunSpec}.
 */
public final class CrashRunner {
    /** The watchdog looks at the counters this often (virtual time). */
    static final Duration STEP = Duration.ofMillis(100);
    /** Virtual time allowed from power-on to the component's start line. */
    static final Duration START_BUDGET = Duration.ofSeconds(20);
    /** After a panic line: time to capture the registers and backtrace the kernel prints next. */
    static final Duration TAIL = Duration.ofMillis(300);
    /** Virtual time for the shell to answer {@link Scenario#aliveCommand()}. */
    static final Duration ALIVE_BUDGET = Duration.ofSeconds(2);
    /** Console lines kept for the record's last lines. */
    static final int LAST_LINES = 12;

    /** Shell prompts in front of a line: a background task's line printed right after a prompt. */
    private static final Pattern PROMPTS = Pattern.compile("^(?:/\\$ )+");

    private final Path root;
    private final double hangSeconds;

    /**
     * @param root        the checkout root (images and kernel ELFs are found under it)
     * @param hangSeconds virtual seconds without console progress and address-space switches that make a hang
     */
    public CrashRunner(Path root, double hangSeconds) {
        this.root = root;
        this.hangSeconds = hangSeconds;
    }

    /** The checkout root runs are built from. */
    public Path root() {
        return root;
    }

    public RunRecord run(Scenario scenario, RunSpec spec) {
        return run(scenario, spec, null, null);
    }

    /**
     * Runs {@code spec}. {@code watcher} sees every console line and the inspector's notes on the
     * machine thread (the live view); {@code started} receives the harness once it is booted (so
     * another thread may stop it).
     */
    public RunRecord run(Scenario scenario, RunSpec spec, RunWatcher watcher, Consumer<Harness> started) {
        long wallStart = System.nanoTime();
        MachineConfig config = scenario.config(root, spec);
        List<String> story = new ArrayList<>();
        CrashInspector inspector = scenario.inspector(root);
        Classifier classifier = scenario.classifier();
        Pattern decisive = scenario.stopAt();
        try (Harness h = Harness.boot(config)) {
            if (started != null) {
                started.accept(h);
            }
            long[] lastProgress = {0};
            int[] bursts = {0};
            h.onLine(line -> {
                if (scenario.isProgress(line.text())) {
                    lastProgress[0] = line.virtualNanos();
                }
                String text = PROMPTS.matcher(line.text()).replaceFirst("");   // "/$ memcorrupt: burst ..."
                if (text.startsWith("memcorrupt: burst ") || text.matches("^\\S+: burst \\d+.*")) {
                    bursts[0]++;
                }
                List<String> notes = List.of();
                if (inspector != null) {
                    try {
                        notes = inspector.onLine(line, h.machine());
                    } catch (RuntimeException e) {
                        notes = List.of("  (inspector failed on this line: " + e + ")");
                    }
                    story.addAll(notes);
                }
                if (watcher != null) {
                    watcher.line(line);
                    // the notes' first line repeats the console line itself
                    notes.stream().filter(n -> n.startsWith("  ")).forEach(watcher::note);
                }
            });
            long durationNanos = (long) (scenario.budgetSeconds(spec) * 1e9);
            Duration alive = scenario.aliveCommand() != null ? ALIVE_BUDGET : Duration.ZERO;
            h.timeLimit(START_BUDGET.plusNanos(durationNanos).plus(TAIL).plus(alive).plusSeconds(1));
            for (String command : scenario.startCommands(spec)) {
                if (h.runUntilPrompt(scenario.prompt(), START_BUDGET).matched()) {
                    h.send(command);
                }
            }
            Step loaded = h.runUntil(classifier.loaded(), START_BUDGET);
            long loadNanos = loaded.matched() ? loaded.line().virtualNanos() : h.virtualNanos();
            RunEnd end;
            if (!loaded.matched()) {
                end = loaded.ended() ? endOf(loaded.event()) : RunEnd.OTHER;
            } else {
                end = runToOutcome(h, decisive, scenario, loadNanos + durationNanos, lastProgress);
                if (end == RunEnd.DURATION && scenario.aliveCommand() != null) {
                    h.send(scenario.aliveCommand());
                    h.runUntil(scenario.aliveReply(), ALIVE_BUDGET);
                }
            }
            HarnessResult r = h.result() != null ? h.result() : finish(h);
            List<String> texts = r.lines().stream().map(ConsoleLine::text).toList();
            String com2 = h.machine().devices().capturedSerial2();
            Classification c = scenario.classify(texts, end, r, com2);
            if (end == RunEnd.EXIT_PORT && c.lineIndex() < 0) {
                c = new Classification(c.outcome(), c.reason() + " (exit value " + r.exitValue() + ")", -1);
            }
            if (c.lineIndex() >= 0) {
                story.add(r.lines().get(c.lineIndex()).toString());
                for (int i = c.lineIndex() + 1; i < Math.min(texts.size(), c.lineIndex() + 24); i++) {
                    story.add("    " + (inspector == null ? texts.get(i) : inspector.symbolize(texts.get(i))));
                }
            } else {
                story.add(String.format("[%11.6f] (%s)", r.counters().virtualNanos() / 1e9, c.reason()));
            }
            story.addAll(scenario.com2Story(com2));
            double seconds = Math.max(0, (r.counters().virtualNanos() - loadNanos) / 1e9);
            return new RunRecord(spec, c.outcome(), c.reason(), end, seconds, bursts[0], List.copyOf(story),
                    r.lastLines(LAST_LINES), r.counters().instructions(), r.counters().cycles(),
                    (System.nanoTime() - wallStart) / 1_000_000);
        }
    }

    /** Steps until a decisive line, the machine's end, the watchdog or the deadline. */
    private RunEnd runToOutcome(Harness h, Pattern decisive, Scenario scenario, long deadlineNanos,
            long[] lastProgress) {
        long hangNanos = (long) (hangSeconds * 1e9);
        long lastCr3 = h.counters().cr3Loads();
        long lastActivity = h.virtualNanos();
        while (true) {
            long now = h.virtualNanos();
            if (now >= deadlineNanos) {
                return RunEnd.DURATION;
            }
            Duration slice = Duration.ofNanos(Math.min(STEP.toNanos(), deadlineNanos - now));
            Step s = h.runUntil(decisive, slice);
            if (s.ended()) {
                return endOf(s.event());
            }
            if (s.matched()) {
                if (scenario.needsTail().matcher(s.line().text()).find()) {
                    h.runFor(TAIL);          // the registers and backtrace follow; the kernel then halts
                }
                return RunEnd.DECISIVE_LINE;
            }
            long cr3 = h.counters().cr3Loads();
            now = h.virtualNanos();
            if (cr3 != lastCr3) {
                lastCr3 = cr3;
                lastActivity = now;
            }
            lastActivity = Math.max(lastActivity, lastProgress[0]);
            if (now - lastActivity >= hangNanos) {
                return RunEnd.WATCHDOG;
            }
        }
    }

    private static HarnessResult finish(Harness h) {
        h.stop();
        return h.runToEnd();
    }

    static RunEnd endOf(MachineEvent event) {
        return switch (event) {
            case TRIPLE_FAULT -> RunEnd.TRIPLE_FAULT;
            case RESET -> RunEnd.RESET;
            case HALTED_FOREVER -> RunEnd.HALTED_FOREVER;
            case EXIT_PORT -> RunEnd.EXIT_PORT;
            default -> RunEnd.OTHER;
        };
    }
}
