package jx86.host;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;

/**
 * The rules every file jx86 writes follows (screenshots, serial logs, images, reports): it is checked
 * before anything runs — never a directory, a device or other non-regular file, never one of the
 * run's inputs, and its directory must already exist — and files that are replaced are written to a
 * temporary file beside the target and renamed into place, so a failure never leaves half a file.
 */
public final class OutputFile {
    private OutputFile() {
    }

    /** Writes an output through a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Checks {@code out} as the output {@code what} (an option name, for the message) of a run whose
     * inputs are {@code inputs}.
     *
     * @throws IllegalArgumentException with a one-line message when the path is not a safe output
     */
    public static void check(Path out, String what, Collection<Path> inputs) {
        String name = what + " " + out;
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) || Files.exists(out)) {
            if (Files.isDirectory(out)) {
                throw new IllegalArgumentException(name + ": is a directory");
            }
            if (!Files.isRegularFile(out)) {
                throw new IllegalArgumentException(name + ": not a regular file (a device or special file is never overwritten)");
            }
            for (Path in : inputs) {
                if (in != null && sameFile(out, in)) {
                    throw new IllegalArgumentException(name + ": is an input of this run (" + in + ")");
                }
            }
            if (!Files.isWritable(out)) {
                throw new IllegalArgumentException(name + ": not writable");
            }
            return;
        }
        Path dir = out.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(name + ": directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException(name + ": directory " + dir + " is not writable");
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    /** Writes {@code target} through a temporary file in its directory, renamed into place when complete. */
    public static void replace(Path target, Writer body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.write(out);
            }
            keepPermissions(tmp, abs);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * A temporary file is created private (rw-------); the result gets the permissions of the file it
     * replaces, or rw-r--r-- as a new file would under the usual umask.
     */
    private static void keepPermissions(Path tmp, Path target) throws IOException {
        if (!tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Files.setPosixFilePermissions(tmp, Files.exists(target) ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString("rw-r--r--"));
    }
}
