package jx86.demo;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernels {@code jx86 demo crash} knows. The microkernel is still being built: until its
 * scenario class exists it is listed with the artifact it will need, so asking for it reports
 * "not built" and the sweep goes on with the others (as for any scenario whose artifacts are missing).
 */
public final class Scenarios {
    /** Kernel name to the build output that must exist before a scenario for it can run. */
    private static final Map<String, String> PLANNED = new LinkedHashMap<>();

    static {
        PLANNED.put("microkernel", "kernel-microkernel/target/images/microkernel.img");
    }

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
        String artifact = PLANNED.get(name);
        return Optional.of("not built (" + artifact + " missing)");
    }
}
