package jx86.demo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * What the live view shows, apart from the terminal: one pane per kernel with its last console
 * lines and its state, the current N and round, and the pause state. Thread-safe: machine threads
 * add lines, the UI thread takes {@link #snapshot}s.
 */
final class LiveModel {
    /** Lines kept per pane (more than any terminal shows). */
    static final int KEEP = 200;

    /** A pane's state for one frame. */
    record Pane(String kernel, String status, Outcome outcome, List<String> lines) {
    }

    /** Everything one frame shows. */
    record Snapshot(int n, int seed, int period, int round, int rounds, boolean paused, String message, List<Pane> panes) {
    }

    private static final class PaneState {
        final String kernel;
        final Deque<String> lines = new ArrayDeque<>();
        String status;
        Outcome outcome;

        PaneState(String kernel, String status) {
            this.kernel = kernel;
            this.status = status;
        }
    }

    private final List<PaneState> panes = new ArrayList<>();
    private final int rounds;
    private final int seed;
    private final int period;
    private int n;
    private int round;
    private boolean paused;
    private String message = "";

    LiveModel(List<String> kernels, Map<String, String> missing, int rounds, int seed, int period) {
        for (String k : kernels) {
            panes.add(new PaneState(k, "waiting"));
        }
        missing.forEach((k, why) -> {
            PaneState p = new PaneState(k, why);
            panes.add(p);
        });
        this.rounds = rounds;
        this.seed = seed;
        this.period = period;
    }

    private PaneState pane(String kernel) {
        for (PaneState p : panes) {
            if (p.kernel.equals(kernel)) {
                return p;
            }
        }
        throw new IllegalArgumentException(kernel);
    }

    synchronized void startRound(int round, int n, List<String> running) {
        this.round = round;
        this.n = n;
        for (String k : running) {
            PaneState p = pane(k);
            p.lines.clear();
            p.outcome = null;
            p.status = "booting";
        }
    }

    /** Adds a line to the kernel's pane; {@code seconds} (since its first line) updates the status unless negative. */
    synchronized void line(String kernel, String text, double seconds) {
        PaneState p = pane(kernel);
        p.lines.addLast(text);
        while (p.lines.size() > KEEP) {
            p.lines.removeFirst();
        }
        if (seconds >= 0) {
            p.status = String.format(java.util.Locale.ROOT, "running, %.1f s", seconds);
        }
    }

    synchronized void finished(String kernel, RunRecord r) {
        PaneState p = pane(kernel);
        p.outcome = r.outcome();
        p.status = String.format(java.util.Locale.ROOT, "%s after %.1f s: %s", r.outcome().label(), r.outcomeSeconds(),
                r.reason());
    }

    synchronized void setPaused(boolean value) {
        paused = value;
    }

    synchronized boolean paused() {
        return paused;
    }

    synchronized void message(String text) {
        message = text;
    }

    synchronized Snapshot snapshot() {
        List<Pane> list = new ArrayList<>();
        for (PaneState p : panes) {
            list.add(new Pane(p.kernel, p.status, p.outcome, List.copyOf(p.lines)));
        }
        return new Snapshot(n, seed, period, round, rounds, paused, message, list);
    }
}
