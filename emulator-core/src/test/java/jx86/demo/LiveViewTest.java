package jx86.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The live view's pure parts: the layout, the keys and the wall-clock pacing (no terminal, no waiting). */
class LiveViewTest {
    private static LiveModel model() {
        Map<String, String> missing = new LinkedHashMap<>();
        missing.put("vmm", "not built (vmm/target/images/vmm.img missing)");
        LiveModel m = new LiveModel(List.of("monolithic"), missing, 17, 1, 1);
        m.startRound(7, 64, List.of("monolithic"));
        return m;
    }

    @Test
    void render_putsTheKernelsSideBySide_withTheirLastLines() {
        LiveModel m = model();
        for (int i = 1; i <= 30; i++) {
            m.line("monolithic", "canary: ok " + (4 * i), i / 10.0);
        }
        m.line("monolithic", ">> burst 1 hit: 60 free, 4 kernel data", -1);     // a note keeps the status
        LiveRender.Frame f = LiveRender.render(m.snapshot(), 80, 12);
        List<String> rows = f.rows();
        assertThat(rows).hasSize(12).allMatch(r -> r.length() == 80);
        assertThat(rows.get(0)).startsWith("jx86 crash demo   N = 64 words every 1 s, seed 1   (round 7 of 17)");
        assertThat(rows.get(2)).startsWith("monolithic").contains("|vmm");
        assertThat(rows.get(3)).startsWith("running, 3.0 s").contains("|not built (vmm/target/images/vmm.img");
        // the 7 rows below the header hold the last 7 lines, oldest first
        assertThat(rows.get(LiveRender.HEADER_ROWS)).startsWith("canary: ok 100 ");
        assertThat(rows.get(10)).startsWith("canary: ok 120 ");
        assertThat(rows.get(11)).startsWith(">> burst 1 hit: 60 free, 4 kernel data ");
        assertThat(f.highlights()).isEmpty();
    }

    @Test
    void render_highlightsAnOutcome_andCutsLongLines() {
        LiveModel m = model();
        m.line("monolithic", "x".repeat(200) + "\t", 0.5);
        m.finished("monolithic", new RunRecord(new RunSpec("monolithic", 64, 1, 1, 8), Outcome.PANIC,
                "panic: page fault", RunEnd.DECISIVE_LINE, 2.0, 2, List.of(), List.of(), 1, 1, 1));
        m.setPaused(true);
        LiveRender.Frame f = LiveRender.render(m.snapshot(), 60, 8);
        assertThat(f.rows().get(0)).startsWith("[PAUSED] jx86 crash demo");
        assertThat(f.rows().get(3)).startsWith("panic after 2.0 s: panic: pag|");
        assertThat(f.highlights()).containsExactly(new LiveRender.Highlight(3, 0, 29, Outcome.PANIC));
        assertThat(f.rows().get(LiveRender.HEADER_ROWS)).isEqualTo("x".repeat(29) + "|" + " ".repeat(30));
    }

    @Test
    void keys_pauseStepAndQuit() {
        assertThat(LiveControl.onKey('p')).isEqualTo(LiveControl.Action.PAUSE_TOGGLED);
        assertThat(LiveControl.onKey(' ')).isEqualTo(LiveControl.Action.PAUSE_TOGGLED);
        assertThat(LiveControl.onKey('N')).isEqualTo(LiveControl.Action.NEXT);
        assertThat(LiveControl.onKey('q')).isEqualTo(LiveControl.Action.QUIT);
        assertThat(LiveControl.onKey('x')).isEqualTo(LiveControl.Action.NONE);
    }

    /** A fake wall clock that advances only when the pacer sleeps. */
    private static final class FakeClock {
        long now = 1_000;
        final List<Long> sleeps = new ArrayList<>();

        void sleep(long nanos) {
            sleeps.add(nanos);
            now += nanos;
        }
    }

    @Test
    void pacer_holdsEachLineUntilItsVirtualTimeHasPassedOnTheWallClock() {
        FakeClock c = new FakeClock();
        boolean[] paused = {false};
        LivePacer p = new LivePacer(() -> c.now, c::sleep, () -> paused[0], () -> false);
        p.pace(5_000_000_000L);                      // the first line sets the origin
        assertThat(c.now).isEqualTo(1_000);
        p.pace(5_120_000_000L);                      // 120 ms later in virtual time
        assertThat(c.now).isEqualTo(1_000 + 120_000_000L);
        assertThat(c.sleeps).allMatch(s -> s <= 50_000_000L);
        c.now += 500_000_000L;                       // the machine fell behind by half a second
        c.sleeps.clear();
        p.pace(5_200_000_000L);
        assertThat(c.sleeps).isEmpty();              // not held: it is late already
    }

    @Test
    void pacer_addsPausedTimeToTheSchedule_andAbortReleasesAtOnce() {
        FakeClock c = new FakeClock();
        int[] pausedChecks = {0};
        LivePacer p = new LivePacer(() -> c.now, c::sleep, () -> pausedChecks[0]++ < 4, () -> false);
        p.pace(0);                                   // paused for 4 checks of 50 ms each, then the origin
        assertThat(p.pausedNanos()).isEqualTo(200_000_000L);
        p.pace(100_000_000L);
        assertThat(c.now).isEqualTo(1_000 + 200_000_000L + 100_000_000L);

        FakeClock d = new FakeClock();
        LivePacer aborted = new LivePacer(() -> d.now, d::sleep, () -> true, () -> true);
        aborted.pace(0);
        aborted.pace(10_000_000_000L);
        assertThat(d.sleeps).isEmpty();
    }
}
