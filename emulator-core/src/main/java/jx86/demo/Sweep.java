package jx86.demo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs every {@link RunSpec} of a sweep on {@code jobs} threads, one machine per thread, and
 * returns the records in spec order (kernel, n, seed) whatever order they finished in, so the
 * results of a sweep do not depend on the host.
 */
public final class Sweep {
    private Sweep() {
    }

    /** The specs of a sweep: every kernel x every n x seeds 1..seeds. */
    public static List<RunSpec> specs(List<String> kernels, List<Integer> ns, int seeds, int period, double duration) {
        List<RunSpec> specs = new ArrayList<>();
        for (String k : kernels) {
            for (int n : ns) {
                for (int seed = 1; seed <= seeds; seed++) {
                    specs.add(new RunSpec(k, n, seed, period, duration));
                }
            }
        }
        return specs;
    }

    /**
     * Runs {@code specs}; {@code done} is called (on a worker thread, serialised) as each finishes.
     * Long runs go first: specs with the smallest n usually last the whole duration.
     */
    public static List<RunRecord> run(CrashRunner runner, List<RunSpec> specs, java.util.function.Function<String, Scenario> scenarios,
            int jobs, Consumer<RunRecord> done) {
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "crash-run");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingInt(i -> specs.get(i).n()));
            List<Future<RunRecord>> futures = new ArrayList<>(java.util.Collections.nCopies(specs.size(), null));
            Object lock = new Object();
            for (int i : order) {
                RunSpec spec = specs.get(i);
                futures.set(i, pool.submit(() -> {
                    RunRecord r = runner.run(scenarios.apply(spec.kernel()), spec);
                    synchronized (lock) {
                        done.accept(r);
                    }
                    return r;
                }));
            }
            List<RunRecord> records = new ArrayList<>();
            for (Future<RunRecord> f : futures) {     // spec order, whatever order they finished in
                records.add(f.get());
            }
            return records;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a run failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
