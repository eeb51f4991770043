package jx86.demo;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Placeholder for the live view. */
final class LiveView {
    private LiveView() {
    }

    static int run(Path root, List<String> kernels, Map<String, String> missing, List<Integer> ns, int seeds, int period,
            double duration, double hang) {
        System.err.println("jx86: --live is not available yet");
        return 1;
    }
}
