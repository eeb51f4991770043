package jx86.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The staging directory handed to {@code mke2fs -d}: a copy of the manifest's root tree plus
 * /boot with the kernel and the modules. Copying keeps the user's tree untouched and lets /boot
 * be added without write access to it. Symbolic links are copied as links.
 */
final class RootTree {
    private RootTree() {
    }

    /**
     * Copies the manifest's root tree (may be null: an empty root) into the empty directory
     * {@code staging}, then the kernel and modules into its /boot. The staging directory itself is
     * skipped should it lie inside the root tree (an image built next to its manifest with root = .).
     */
    static void stage(Manifest manifest, Path staging) throws IOException {
        stage(manifest, staging, List.of());
    }

    /**
     * A host file that {@code jx86 mkimage --add HOSTFILE:/PATH} puts into the root tree.
     *
     * @param host the file on the host (a regular file)
     * @param guestPath its absolute path in the image, without "." or ".." parts
     */
    record Extra(Path host, String guestPath) {
        /**
         * Parses "HOSTFILE:/PATH" (split at the last ':' followed by '/'); the message of an
         * {@link ImageException} says what is wrong, in one line.
         */
        static Extra parse(String spec) {
            int colon = spec.lastIndexOf(":/");
            if (colon <= 0) {
                throw new ImageException("mkimage: --add " + spec + ": expected HOSTFILE:/PATH/IN/IMAGE");
            }
            Path host = Path.of(spec.substring(0, colon));
            String guest = spec.substring(colon + 1);
            for (String part : guest.substring(1).split("/", -1)) {
                if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                    throw new ImageException("mkimage: --add " + spec + ": the image path must be absolute, "
                            + "without empty, '.' or '..' parts");
                }
            }
            if (!Files.isRegularFile(host)) {
                throw new ImageException("mkimage: --add " + spec + ": " + host + " is not a regular file");
            }
            return new Extra(host, guest);
        }
    }

    /** As {@link #stage(Manifest, Path)}, then the extra host files at their paths (replacing any). */
    static void stage(Manifest manifest, Path staging, List<Extra> extras) throws IOException {
        if (manifest.root() != null) {
            copyTree(manifest.root().toAbsolutePath(), staging.toAbsolutePath());
        }
        for (Extra e : extras) {
            Path to = staging.resolve(e.guestPath().substring(1));
            Files.createDirectories(to.getParent());
            Files.copy(e.host(), to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path boot = staging.resolve(ImageLayout.BOOT_DIR.substring(1));
        Files.createDirectories(boot);
        Files.copy(manifest.kernel(), boot.resolve(manifest.kernel().getFileName().toString()),
                StandardCopyOption.REPLACE_EXISTING);
        for (Manifest.Module m : manifest.modules()) {
            Files.copy(m.file(), boot.resolve(m.file().getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * A lower bound of the bytes the tree needs in an ext2 file system with the given block size:
     * each file and directory rounded up to whole blocks (no metadata counted).
     */
    static long estimateBytes(Path tree, int blockSize) throws IOException {
        long[] total = {0};
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                total[0] += blockSize;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                total[0] += ImageLayout.alignUp(attrs.size(), blockSize);
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(target)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path to = target.resolve(source.relativize(file).toString());
                if (attrs.isSymbolicLink() || attrs.isRegularFile()) {
                    Files.copy(file, to, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
                    return FileVisitResult.CONTINUE;
                }
                throw new ImageException("mkimage: root tree: cannot copy special file " + file);
            }
        });
    }
}
