package jx86.demo;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A finished sweep: what was asked, which kernels were missing, and every run's record.
 *
 * @param command  the command line that produced it (for the docs and the HTML page)
 * @param kernels  kernels that ran, in the order asked
 * @param missing  kernels asked for but not built: name to the reason
 * @param ns       the burst sizes, ascending
 * @param seeds    seeds 1..seeds per (kernel, n)
 * @param period   seconds between bursts
 * @param duration virtual seconds per run after the component started
 * @param records  one per run, in (kernel, n, seed) order
 */
public record SweepResult(String command, List<String> kernels, Map<String, String> missing, List<Integer> ns,
        int seeds, int period, double duration, List<RunRecord> records) {

    /** How many runs of {@code kernel} with burst size {@code n} ended in each outcome. */
    public EnumMap<Outcome, Integer> counts(String kernel, int n) {
        EnumMap<Outcome, Integer> m = new EnumMap<>(Outcome.class);
        for (RunRecord r : records) {
            if (r.spec().kernel().equals(kernel) && r.spec().n() == n) {
                m.merge(r.outcome(), 1, Integer::sum);
            }
        }
        return m;
    }

    /** Runs of {@code kernel} with burst size {@code n}. */
    public int runs(String kernel, int n) {
        return counts(kernel, n).values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Fraction of those runs that survived (survived clean or restarted). */
    public double survival(String kernel, int n) {
        int runs = runs(kernel, n);
        if (runs == 0) {
            return 0;
        }
        int ok = 0;
        for (Map.Entry<Outcome, Integer> e : counts(kernel, n).entrySet()) {
            if (e.getKey().survived()) {
                ok += e.getValue();
            }
        }
        return ok / (double) runs;
    }
}
