package jx86.testsupport;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place the tests that consult an oracle (QEMU, GDB, the host CPU running i386 code) decide
 * whether they can: on a developer's machine without the oracle such a test is skipped, with its
 * reason as the skip's one line; with {@code -Djx86.requireOracles=true} (what {@code .ci/run}
 * passes, after installing the tools) the same situation fails the test, so a green CI run means
 * every oracle was consulted. Shared with the other modules through emulator-core's test jar.
 */
public final class Oracles {
    /** The system property that turns a missing oracle from a skip into a failure. */
    public static final String REQUIRE = "jx86.requireOracles";

    private Oracles() {
    }

    /** Whether missing oracles fail (CI) rather than skip (a developer's machine). */
    public static boolean required() {
        return Boolean.getBoolean(REQUIRE);
    }

    /**
     * Goes on only when {@code available}; otherwise skips the calling test (or fails it when
     * oracles are required) saying {@code why}, for example "qemu-system-i386 not installed".
     */
    public static void assume(boolean available, String why) {
        if (available) {
            return;
        }
        if (required()) {
            fail("oracle missing: " + why + " (-D" + REQUIRE + "=true: .ci/run installs the oracle tools)");
        }
        assumeTrue(false, "skipped, oracle missing: " + why);
    }

    /** {@link #assume} that the executable {@code tool} is on the PATH ("... not installed"). */
    public static void assumeInstalled(String tool) {
        assume(onPath(tool), tool + " not installed");
    }

    /** Whether an executable named {@code tool} is in a directory of the PATH. */
    public static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
