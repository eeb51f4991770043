package jx86.script;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import jx86.clock.VirtualClock;
import jx86.harness.ConsoleLine;
import jx86.harness.Counters;
import jx86.harness.Harness;
import jx86.harness.HarnessResult;
import jx86.harness.Step;
import jx86.host.BufferSerial;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;

/**
 * Runs one script on a {@link Harness}, step by step, and writes a line per step:
 * {@code ok 3 expect /^hello$/ (0.002 s virtual of 10 s)}, or {@code not ok ...} followed by what
 * was expected, what happened and the last console lines. Everything in the log comes from the
 * machine (virtual time, instruction counts), so a script gives the same log on every run.
 *
 * <p>Console cursor: like expect(1), {@code expect} and {@code prompt} read the console forward.
 * {@code expect} looks at the complete lines after the previous match; {@code prompt} waits for a
 * prompt printed after the previous one, and lines before that prompt are then behind the cursor.
 *
 * <p>Disks: the script's disk images are copied (sparsely) into a temporary folder when it
 * starts, every boot of the script uses the copies, and they are deleted at the end; writes
 * survive a {@code reboot} and never reach the images.
 */
public final class ScriptRunner {
    /** How many console lines a failure shows. */
    public static final int CONTEXT_LINES = 10;
    private static final Pattern ANY_LINE = Pattern.compile("");

    /**
     * The machine a script boots, with every name and path looked up.
     *
     * @param kernel  multiboot kernel, or null to boot the first disk
     * @param append  kernel command line
     * @param modules multiboot modules
     * @param disks   disk images (copied before the first boot)
     * @param memoryMiB RAM
     */
    public record Machine(Path kernel, String append, List<Path> modules, List<Path> disks, int memoryMiB) {
        public Machine {
            modules = List.copyOf(modules);
            disks = List.copyOf(disks);
        }

        MachineConfig config(List<Path> diskCopies) {
            MachineConfig.Builder b = MachineConfig.builder().memoryMiB(memoryMiB).kernel(kernel).append(append);
            modules.forEach(b::module);
            diskCopies.forEach(b::disk);
            return b.build();
        }
    }

    private final Script script;
    private final Machine machine;
    private final boolean showConsole;
    private final Consumer<String> out;
    private final StringBuilder log = new StringBuilder();

    private Harness h;
    private MachineConfig config;
    /** Index of the first console line an expect step has not looked at. */
    private int cursor;
    /** Console line count when a prompt step last matched (the prompt is on the line after them), or -1. */
    private int promptAt = -1;
    private long doneNanos;
    private long doneInstructions;

    /**
     * @param showConsole also log every console line (as {@code #   | [time] text})
     * @param out         receives each log line as it is written (may be a no-op)
     */
    public ScriptRunner(Script script, Machine machine, boolean showConsole, Consumer<String> out) {
        this.script = script;
        this.machine = machine;
        this.showConsole = showConsole;
        this.out = out;
    }

    /** Runs the script from its first boot to its last step (once: a runner is not reused). */
    public ScriptResult run() {
        emit("# " + script.name() + " (" + script.file() + ")");
        List<ScriptStep> steps = script.steps();
        ScriptResult.Failure failure = null;
        int passed = 0;
        try (DiskCopies copies = DiskCopies.of(machine.disks())) {
            config = machine.config(copies.paths());
            boot();
            for (int i = 0; i < steps.size() && failure == null; i++) {
                ScriptStep step = steps.get(i);
                Outcome o = execute(step);
                if (o.failed()) {
                    failure = new ScriptResult.Failure(i + 1, step, o.expected, o.got, lastLines());
                    logFailure(failure);
                } else {
                    passed++;
                    emit("ok " + (i + 1) + " " + step.source() + (o.detail.isEmpty() ? "" : " (" + o.detail + ")"));
                }
            }
            shutdown();
        } catch (IOException | RuntimeException e) {
            // a disk that cannot be copied, or a fault of jx86 itself: the script fails, the others go on
            failure = new ScriptResult.Failure(passed + 1, steps.get(Math.min(passed, steps.size() - 1)),
                    "the machine to " + (h == null ? "boot" : "run the step"), "jx86 could not: " + e,
                    h == null ? List.of() : lastLines());
            logFailure(failure);
            closeQuietly();
        }
        if (failure != null && failure.number() < steps.size()) {
            int from = failure.number() + 1;
            emit("# " + (from == steps.size() ? "step " + from : "steps " + from + "-" + steps.size()) + " not run");
        }
        String done = failure == null ? passed + (passed == 1 ? " step" : " steps")
                : "step " + failure.number() + " of " + steps.size() + " failed (line " + failure.step().line() + ")";
        emit(String.format(Locale.ROOT, "%s %s: %s, %s virtual, %,d instructions", failure == null ? "PASS" : "FAIL",
                script.name(), done, seconds(doneNanos), doneInstructions));
        return new ScriptResult(script, failure, passed, doneNanos, doneInstructions, log.toString());
    }

    private void boot() {
        h = Harness.boot(config);
        cursor = 0;
        promptAt = -1;
        if (showConsole) {
            h.onLine(l -> emit("#   | " + printable(l.toString())));
        }
    }

    /** Adds this boot's counters to the script's totals and closes the machine. */
    private void shutdown() {
        if (h == null) {
            return;
        }
        Counters c = h.counters();
        doneNanos += c.virtualNanos();
        doneInstructions += c.instructions();
        h.close();
        h = null;
    }

    private void closeQuietly() {
        if (h != null) {
            try {
                h.close();
            } catch (RuntimeException e) {
                // already failing; the machine's files are released as far as they can be
            }
            h = null;
        }
    }

    /** What a step did: passed with a detail for the log, or failed with what and why. */
    private record Outcome(String detail, String expected, String got) {
        static Outcome ok(String detail) {
            return new Outcome(detail, null, null);
        }

        static Outcome fail(String expected, String got) {
            return new Outcome(null, expected, got);
        }

        boolean failed() {
            return got != null;
        }
    }

    private Outcome execute(ScriptStep step) {
        if (step instanceof ScriptStep.Expect e) {
            return expect(e);
        }
        if (step instanceof ScriptStep.Prompt p) {
            return prompt(p);
        }
        if (step instanceof ScriptStep.Send s) {
            return send(s);
        }
        if (step instanceof ScriptStep.ExpectExit x) {
            return expectEnd(x.budget(), MachineEvent.EXIT_PORT, x.value(),
                    "the run to end through the exit port with value " + x.value());
        }
        if (step instanceof ScriptStep.ExpectEnd x) {
            return expectEnd(x.budget(), x.event(), 0, "the run to end: " + x.event().description());
        }
        return reboot();
    }

    private Outcome expect(ScriptStep.Expect e) {
        String expected = "a console line matching /" + e.pattern().pattern() + "/ within " + within(e.budget());
        if (h.result() != null) {
            List<ConsoleLine> lines = h.result().lines();
            for (int i = cursor; i < lines.size(); i++) {
                if (e.pattern().matcher(lines.get(i).text()).find()) {
                    cursor = i + 1;
                    return Outcome.ok("line printed before the end");
                }
            }
            return Outcome.fail(expected, ended("had already ended"));
        }
        List<ConsoleLine> lines = h.lines();
        for (int i = cursor; i < lines.size(); i++) {
            if (e.pattern().matcher(lines.get(i).text()).find()) {
                cursor = i + 1;
                return Outcome.ok("already printed");
            }
        }
        Meter m = new Meter(e.budget());
        ConsoleLine found = waitLine(e.pattern(), cursor, m);
        if (found == null) {
            return Outcome.fail(expected, m.why());
        }
        cursor = found.index() + 1;
        return Outcome.ok(m.used());
    }

    /**
     * Runs until a console line with index {@code from} or later matches. The harness may first
     * return lines this script has already passed: those are skipped without running the machine.
     */
    private ConsoleLine waitLine(Pattern p, int from, Meter m) {
        for (;;) {
            Duration slice = m.slice();
            if (slice == null) {
                return null;
            }
            Step s = h.runUntil(p, slice);
            if (s.ended()) {
                return null;
            }
            if (s.matched() && s.line().index() >= from) {
                return s.line();
            }
        }
    }

    private Outcome prompt(ScriptStep.Prompt p) {
        String expected = "a prompt ending in \"" + printable(p.text()) + "\" within " + within(p.budget());
        if (h.result() != null) {
            return Outcome.fail(expected, ended("had already ended"));
        }
        Meter m = new Meter(p.budget());
        int n = h.lines().size();
        if (n == promptAt && waitLine(ANY_LINE, n, m) == null) {
            // the unfinished line is the prompt an earlier step matched: a new one comes after a newline
            return Outcome.fail(expected, m.why());
        }
        for (;;) {
            Duration slice = m.slice();
            if (slice == null) {
                return Outcome.fail(expected, m.why());
            }
            Step s = h.runUntilPrompt(p.text(), slice);
            if (s.ended()) {
                return Outcome.fail(expected, m.why());
            }
            if (s.matched()) {
                break;
            }
        }
        promptAt = h.lines().size();
        cursor = promptAt;
        return Outcome.ok(m.used());
    }

    private Outcome send(ScriptStep.Send s) {
        if (h.result() != null) {
            return Outcome.fail("a running machine to read the input", ended("had already ended"));
        }
        h.send(s.bytes());
        return Outcome.ok("");
    }

    private Outcome expectEnd(Budget budget, MachineEvent event, int value, String what) {
        String expected = what + " within " + within(budget);
        Meter m = h.result() == null ? new Meter(budget) : null;
        while (h.result() == null) {
            Duration slice = m.slice();
            if (slice == null) {
                return Outcome.fail(expected, m.why());
            }
            h.runFor(slice);
        }
        HarnessResult r = h.result();
        boolean ok = r.event() == event && (event != MachineEvent.EXIT_PORT || r.exitValue() == value);
        if (!ok) {
            return Outcome.fail(expected, ended(m == null ? "had already ended" : "ended"));
        }
        return Outcome.ok(m == null ? "had already ended" : m.used());
    }

    private Outcome reboot() {
        shutdown();
        boot();
        return Outcome.ok("powered on again, same disks");
    }

    /** "the run ended: triple fault ... at 1.234 s virtual" */
    private String ended(String verb) {
        HarnessResult r = h.result();
        String what = r.event() == MachineEvent.EXIT_PORT
                ? "the guest exited with value " + r.exitValue() + " through port 0xf4" : r.event().description();
        return "the run " + verb + ": " + what + " at " + seconds(r.counters().virtualNanos()) + " virtual";
    }

    private static String within(Budget b) {
        return b.instructions() ? b.toString() : b + " virtual";
    }

    /** The budget of one step, counted in cycles or instructions on the current machine. */
    private final class Meter {
        private final Budget budget;
        private final VirtualClock clock;
        private final long startNanos;
        private final long startInstructions;
        private final long deadline;

        Meter(Budget budget) {
            this.budget = budget;
            this.clock = h.machine().clock();
            this.startNanos = clock.nanos();
            this.startInstructions = instructions();
            this.deadline = budget.instructions() ? startInstructions + budget.amount()
                    : clock.cycles + clock.nanosToCycles(budget.amount());
        }

        private long instructions() {
            return h.machine().cpu().instructions;
        }

        /**
         * The next stretch to run, or null when the budget is spent. An instruction budget runs in
         * stretches of as many cycles as instructions are left: an instruction takes at least one
         * cycle, so no stretch overshoots.
         */
        Duration slice() {
            long left = budget.instructions() ? deadline - instructions() : deadline - clock.cycles;
            if (left <= 0) {
                return null;
            }
            long hz = clock.hz();
            return Duration.ofNanos(left / hz * 1_000_000_000L + left % hz * 1_000_000_000L / hz);
        }

        String used() {
            if (budget.instructions()) {
                return String.format(Locale.ROOT, "%,d instructions of %s", instructions() - startInstructions, budget);
            }
            return seconds(clock.nanos() - startNanos) + " virtual of " + budget;
        }

        /** Why the step stopped without a match: the run ended, or the budget ran out. */
        String why() {
            if (h.result() != null) {
                return ended("ended");
            }
            return "nothing matched before the budget ran out (" + used() + ", at "
                    + seconds(clock.nanos()) + " virtual since power-on)";
        }
    }

    private List<String> lastLines() {
        HarnessResult r = h.result();
        List<ConsoleLine> lines = r != null ? r.lines() : h.lines();
        List<String> out = new ArrayList<>();
        for (ConsoleLine l : lines.subList(Math.max(0, lines.size() - CONTEXT_LINES), lines.size())) {
            out.add(printable(l.toString()));
        }
        String tail = r != null ? r.tail() : unfinishedLine();
        if (!tail.isEmpty()) {
            out.add("(unfinished) " + printable(tail));
        }
        return out;
    }

    /** The output after the last newline (a prompt, typically), from COM1's capture buffer. */
    private String unfinishedLine() {
        if (!(h.machine().devices().serialBackend(0) instanceof BufferSerial b)) {
            return "";
        }
        String all = b.output();
        return all.substring(all.lastIndexOf('\n') + 1).replace("\r", "");
    }

    private void logFailure(ScriptResult.Failure f) {
        emit("not ok " + f.number() + " " + f.step().source() + " (line " + f.step().line() + ")");
        emit("#   expected: " + f.expected());
        emit("#   got:      " + f.got());
        if (f.lastLines().isEmpty()) {
            emit("#   no console output");
        } else {
            emit("#   last console lines:");
            for (String l : f.lastLines()) {
                emit("#     " + l);
            }
        }
    }

    private void emit(String line) {
        log.append(line).append('\n');
        out.accept(line);
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }

    /** Control characters from the guest as \xHH, so a console line cannot upset a CI log. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
