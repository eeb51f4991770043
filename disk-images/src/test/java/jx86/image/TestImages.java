package jx86.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared fixtures: the test kernel built by the Makefile, and manifests in temporary directories. */
final class TestImages {
    private TestImages() {
    }

    /** target/testkernel/testkernel.elf of this module (surefire runs in the module directory). */
    static Path testKernel() {
        Path p = Path.of("target/testkernel/testkernel.elf").toAbsolutePath();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("test kernel missing: " + p + " (run the Maven build)");
        }
        return p;
    }

    static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes {@code text} as dir/name and returns its path. */
    static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }
}
