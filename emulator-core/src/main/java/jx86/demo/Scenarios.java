package jx86.demo;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The kernels {@code jx86 demo crash} knows. A kernel whose build outputs are missing is reported
 * ("not built") and the sweep goes on with the others.
 */
public final class Scenarios {
    private Scenarios() {
    }

    /** Every kernel name the command accepts, in the default order. */
    public static List<String> names() {
        return List.of("monolithic", "microkernel", "vmm");
    }

    /** The scenario for {@code name}, or empty if there is no class for it yet. */
    public static Optional<Scenario> of(String name) {
        return switch (name) {
            case "monolithic" -> Optional.of(new MonolithicScenario());
            case "microkernel" -> Optional.of(new MicrokernelScenario());
            case "vmm" -> Optional.of(new VmmScenario());
            default -> Optional.empty();
        };
    }

    /** Why {@code name} cannot run under {@code root}, or empty if it can. */
    public static Optional<String> unavailable(String name, Path root) {
        Optional<Scenario> s = of(name);
        if (s.isPresent()) {
            return s.get().missingArtifact(root).map(a -> "not built (" + a + " missing)");
        }
        return Optional.of("no crash scenario yet");
    }
}
