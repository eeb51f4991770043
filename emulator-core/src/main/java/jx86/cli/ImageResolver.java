package jx86.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds what the user asked to boot. A path that exists is used as is; a bare name such as
 * {@code monolithic}, {@code microkernel} (built by kernel-microkernel) or {@code hello} is looked up among
 * the images the build produced:
 * {@code disk-images/target/images/NAME.img}, then {@code src-test-guests/target/guests/NAME.elf}, under
 * the checkout root (the launcher passes it as the {@code jx86.root} system property); {@code vmm}
 * is the hypervisor's image, {@code vmm/target/vmm.img}.
 */
final class ImageResolver {
    /** What {@code jx86 boot} boots without arguments: kernel-monolithic's disk image. */
    static final String DEFAULT_GUEST = "monolithic";
    /** The fallback when the kernel's image has not been built (only emulator-core was built). */
    static final String FALLBACK_GUEST = "hello";
    /** The hypervisor with kernel-monolithic as its VM: vmm/target/vmm.img (vmm/vmm.manifest). */
    static final String VMM_GUEST = "vmm";

    private final Path root;

    ImageResolver(Path root) {
        this.root = root;
    }

    static Path root() {
        String prop = System.getProperty("jx86.root");
        return Path.of(prop != null ? prop : ".").toAbsolutePath().normalize();
    }

    List<Path> candidates(String name) {
        if (name.equals(VMM_GUEST)) {
            return List.of(root.resolve("vmm/target/vmm.img"));
        }
        return List.of(root.resolve("disk-images/target/images/" + name + ".img"),
                root.resolve("disk-images/target/" + name + ".img"),
                root.resolve("src-test-guests/target/guests/" + name + ".elf"));
    }

    /** Resolves a path or bare name; throws a one-line {@link UserError} when nothing matches. */
    Path resolve(String nameOrPath) {
        Path direct = Path.of(nameOrPath);
        if (Files.isRegularFile(direct)) {
            return direct;
        }
        if (!nameOrPath.contains("/") && !nameOrPath.contains(".")) {
            for (Path p : candidates(nameOrPath)) {
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
            throw new UserError("image '" + nameOrPath + "' not found (looked for " + nameOrPath
                    + ".img in disk-images/target/images and " + nameOrPath + ".elf in src-test-guests/target/guests;"
                    + " run 'mvn -q -DskipTests package' to build them)");
        }
        if (Files.isDirectory(direct)) {
            throw new UserError(nameOrPath + ": is a directory, not an image");
        }
        throw new UserError(nameOrPath + ": no such file");
    }

    /** The default guest, or the fallback greeting guest when the kernel image is not built. */
    Path defaultGuest() {
        for (Path p : candidates(DEFAULT_GUEST)) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return resolve(FALLBACK_GUEST);
    }

    /** An explicit file argument (--kernel, --disk, --module) that must exist. */
    Path existing(String path, String what) {
        Path p = Path.of(path);
        if (!Files.isRegularFile(p)) {
            throw new UserError(what + " " + path + ": " + (Files.isDirectory(p) ? "is a directory" : "no such file"));
        }
        if (!Files.isReadable(p)) {
            throw new UserError(what + " " + path + ": not readable");
        }
        return p;
    }

    /** True if the file starts with the ELF magic (so it boots like --kernel). */
    static boolean isElf(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 0x7F && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
        } catch (IOException e) {
            throw new UserError(p + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
