package jx86.demo;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import jx86.harness.Harness;

/**
 * {@code jx86 demo crash --live}: the kernels' consoles side by side in one terminal (Lanterna),
 * paced to wall time. Each round runs every built kernel at the current N (seed 1) until its
 * outcome or the duration, shows the outcomes, and after a few seconds doubles N (the next value
 * of --n). Keys: p or space pause and resume, n steps to the next N at once, q quits.
 */
final class LiveView {
    /** Wall seconds the outcomes stay on screen before the next round. */
    static final double HOLD_SECONDS = 4;

    private LiveView() {
    }

    static int run(Path root, List<String> kernels, Map<String, String> missing, List<Integer> ns, int seeds, int period,
            double duration, double hang) throws IOException {
        LiveModel model = new LiveModel(kernels, missing, ns.size(), 1, period);
        CrashRunner runner = new CrashRunner(root, hang);
        Screen screen = new TerminalScreen(new DefaultTerminalFactory().createTerminal());
        screen.startScreen();
        screen.setCursorPosition(null);
        try {
            for (int round = 0; round < ns.size(); round++) {
                int n = ns.get(round);
                model.startRound(round + 1, n, kernels);
                model.message(kernels.isEmpty() ? "no kernel is built" : "");
                LiveControl.Action a = runRound(screen, model, runner, kernels, n, period, duration);
                if (a == LiveControl.Action.QUIT) {
                    return 0;
                }
                if (a != LiveControl.Action.NEXT) {
                    model.message(round + 1 < ns.size() ? "next N in a few seconds" : "last N done: q quits");
                    long until = System.nanoTime() + (long) (HOLD_SECONDS * 1e9);
                    while (round + 1 == ns.size() || model.paused() || System.nanoTime() < until) {
                        LiveControl.Action k = keys(screen, model);
                        if (k == LiveControl.Action.QUIT) {
                            return 0;
                        }
                        if (k == LiveControl.Action.NEXT) {
                            break;
                        }
                        draw(screen, model);
                        sleep(100);
                    }
                }
            }
            return 0;
        } finally {
            screen.stopScreen();
        }
    }

    /** One round: a thread per kernel, the screen redrawn ten times a second; returns NEXT, QUIT or NONE. */
    private static LiveControl.Action runRound(Screen screen, LiveModel model, CrashRunner runner, List<String> kernels,
            int n, int period, double duration) throws IOException {
        List<Harness> harnesses = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean abort = new java.util.concurrent.atomic.AtomicBoolean();
        for (String k : kernels) {
            Scenario scenario = Scenarios.of(k).orElseThrow();
            LivePacer pacer = new LivePacer(System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)),
                    model::paused, abort::get);
            long[] start = {-1};
            Harness[] mine = {null};
            CrashInspector symbolizer = scenario.inspector(runner.root());
            Thread t = new Thread(() -> {
                RunRecord r = runner.run(scenario, new RunSpec(k, n, 1, period, duration), new RunWatcher() {
                    @Override
                    public void line(jx86.harness.ConsoleLine line) {
                        if (abort.get()) {
                            mine[0].stop();      // stopped before the UI saw this harness: stop at the next line
                        }
                        pacer.pace(line.virtualNanos());
                        if (start[0] < 0) {
                            start[0] = line.virtualNanos();
                        }
                        model.line(k, symbolizer == null ? line.text() : symbolizer.symbolize(line.text()),
                                (line.virtualNanos() - start[0]) / 1e9);
                    }

                    @Override
                    public void note(String text) {
                        model.line(k, ">> " + text.strip(), -1);
                    }
                }, h -> {
                    mine[0] = h;
                    harnesses.add(h);
                });
                model.finished(k, r);
            }, "live-" + k);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        while (threads.stream().anyMatch(Thread::isAlive)) {
            LiveControl.Action a = keys(screen, model);
            if (a == LiveControl.Action.NEXT || a == LiveControl.Action.QUIT) {
                abort.set(true);
                harnesses.forEach(Harness::stop);
                for (Thread t : threads) {
                    join(t);
                }
                return a;
            }
            draw(screen, model);
            sleep(100);
        }
        draw(screen, model);
        return LiveControl.Action.NONE;
    }

    private static LiveControl.Action keys(Screen screen, LiveModel model) throws IOException {
        KeyStroke key;
        while ((key = screen.pollInput()) != null) {
            if (key.getKeyType() == KeyType.EOF) {
                return LiveControl.Action.QUIT;
            }
            if (key.getKeyType() != KeyType.Character) {
                continue;
            }
            LiveControl.Action a = LiveControl.onKey(key.getCharacter());
            if (a == LiveControl.Action.PAUSE_TOGGLED) {
                model.setPaused(!model.paused());
            } else if (a != LiveControl.Action.NONE) {
                return a;
            }
        }
        return LiveControl.Action.NONE;
    }

    private static void draw(Screen screen, LiveModel model) throws IOException {
        TerminalSize size = screen.doResizeIfNecessary();
        if (size == null) {
            size = screen.getTerminalSize();
        }
        LiveRender.Frame f = LiveRender.render(model.snapshot(), size.getColumns(), size.getRows());
        TextGraphics g = screen.newTextGraphics();
        for (int r = 0; r < f.rows().size(); r++) {
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
            g.putString(0, r, f.rows().get(r));
        }
        for (LiveRender.Highlight h : f.highlights()) {
            g.setForegroundColor(TextColor.Factory.fromString(h.outcome().color()));
            g.putString(h.col(), h.row(), f.rows().get(h.row()).substring(h.col(), h.col() + h.length()), SGR.BOLD);
        }
        screen.refresh();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
