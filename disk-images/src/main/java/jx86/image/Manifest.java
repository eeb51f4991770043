package jx86.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@code jx86 mkimage} puts into a disk image: a multiboot kernel, its modules and command
 * line, the tree that becomes the root file system, the image size and the ext2 block size.
 * Paths are absolute (the parser resolves them against the manifest's directory).
 *
 * @param kernel the kernel ELF file
 * @param modules the boot modules, in the order the kernel sees them
 * @param cmdline the kernel command line (may be empty)
 * @param root the root file system tree, or null for an empty root (only /boot)
 * @param sizeBytes the size of the whole image in bytes (a multiple of 512)
 * @param blockSize the ext2 block size, 1024 or 4096
 */
public record Manifest(Path kernel, List<Module> modules, String cmdline, Path root, long sizeBytes, int blockSize) {
    /** Default image size when the manifest gives none. */
    public static final long DEFAULT_SIZE = 64L << 20;
    /** Default ext2 block size. */
    public static final int DEFAULT_BLOCK_SIZE = 1024;

    public Manifest {
        Objects.requireNonNull(kernel, "kernel");
        modules = List.copyOf(modules);
        Objects.requireNonNull(cmdline, "cmdline");
    }

    /**
     * One boot module.
     *
     * @param file the module file on the host
     * @param args the text after the path on the manifest line (may be empty)
     */
    public record Module(Path file, String args) {
        public Module {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(args, "args");
        }

        /** The module's multiboot string: its path in the image, then its arguments. */
        public String bootString() {
            String path = ImageLayout.BOOT_DIR + "/" + file.getFileName();
            return args.isEmpty() ? path : path + " " + args;
        }
    }
}
