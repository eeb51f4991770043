package jx86.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jx86.host.OutputFile;

/**
 * Builds a bootable jx86 disk image from a {@link Manifest}: MBR and loader, boot catalog, the
 * kernel and modules as raw extents, and an ext2 (revision 1) root partition made by the host's
 * mke2fs from the root tree plus /boot. The layout is {@link ImageLayout}'s.
 *
 * <p>The image is assembled in a temporary file next to the target and renamed over it at the
 * end, so a failure never leaves a half-written image; an existing target that another process
 * (a running jx86) holds locked is never replaced.
 */
public final class ImageBuilder {
    static final String MKE2FS_MISSING = "mkimage: mke2fs not found: install it with 'apt-get install e2fsprogs'";
    private static final int COPY_CHUNK = 64 * 1024;

    /** What was written, for the summary line. */
    public record Result(Path image, ImageLayout layout, long sizeBytes) {
        public String summary() {
            return "mkimage: wrote " + image + " (" + ImageLayout.sizeText(sizeBytes) + ": kernel at LBA "
                    + layout.kernel().lba() + ", " + layout.modules().size() + " module(s), ext2 root partition at LBA "
                    + layout.partitionLba() + ", byte offset " + layout.partitionOffset() + ")";
        }
    }

    private ImageBuilder() {
    }

    /**
     * Builds the image {@code output} from {@code manifest}.
     *
     * @throws ImageException on bad input (one line); no file is left behind
     */
    public static Result build(Manifest manifest, Path output) {
        return build(manifest, output, HostTools.find("mke2fs"));
    }

    /** As {@link #build(Manifest, Path)} with the mke2fs to use (tests: a host without it). */
    static Result build(Manifest manifest, Path output, Optional<Path> mke2fsTool) {
        return build(manifest, output, mke2fsTool, List.of());
    }

    /** As {@link #build(Manifest, Path)} with host files added to the root tree ({@code --add}). */
    static Result build(Manifest manifest, Path output, List<RootTree.Extra> extras) {
        return build(manifest, output, HostTools.find("mke2fs"), extras);
    }

    static Result build(Manifest manifest, Path output, Optional<Path> mke2fsTool, List<RootTree.Extra> extras) {
        Path mke2fs = mke2fsTool.orElseThrow(() -> new ImageException(MKE2FS_MISSING));
        Path target = output.toAbsolutePath().normalize();
        Path dir = target.getParent();
        List<Path> inputs = new ArrayList<>();
        inputs.add(manifest.kernel());
        manifest.modules().forEach(m -> inputs.add(m.file()));
        extras.forEach(e -> inputs.add(e.host()));
        try {
            OutputFile.check(target, "mkimage: output", inputs);
        } catch (IllegalArgumentException e) {
            throw new ImageException(e.getMessage());
        }
        Path tmpImage = null;
        Path tmpFs = null;
        Path staging = null;
        try {
            Inputs in = readInputs(manifest);
            String base = "." + target.getFileName();
            staging = Files.createTempDirectory(dir, base + ".root.");
            RootTree.stage(manifest, staging, extras);   // before other temporary files: root may be "."
            tmpFs = Files.createTempFile(dir, base + ".ext2.", ".tmp");
            makeRootFileSystem(mke2fs, manifest, in.layout(), staging, tmpFs);
            tmpImage = Files.createTempFile(dir, base + ".", ".tmp");
            assemble(tmpImage, manifest.sizeBytes(), in, tmpFs);
            setReadable(tmpImage);
            replace(tmpImage, target);
            tmpImage = null;
            return new Result(target, in.layout(), manifest.sizeBytes());
        } catch (IOException e) {
            throw new ImageException("mkimage: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            deleteQuietly(tmpImage);
            deleteQuietly(tmpFs);
            try {
                RootTree.deleteRecursively(staging);
            } catch (UncheckedIOException e) {
                // Leftover staging files are harmless; the build result stands.
            }
        }
    }

    /** Everything outside the file system, checked and laid out before any file is created. */
    private record Inputs(byte[] kernel, List<byte[]> modules, ImageLayout layout, byte[] mbr, byte[] stage2,
            byte[] catalog) {
    }

    private static Inputs readInputs(Manifest manifest) throws IOException {
        byte[] kernel = Files.readAllBytes(manifest.kernel());
        KernelCheck.check(manifest.kernel().toString(), kernel);
        List<byte[]> modules = new ArrayList<>();
        List<Long> moduleSizes = new ArrayList<>();
        List<String> moduleStrings = new ArrayList<>();
        for (Manifest.Module m : manifest.modules()) {
            byte[] data = Files.readAllBytes(m.file());
            modules.add(data);
            moduleSizes.add((long) data.length);
            moduleStrings.add(m.bootString());
        }
        ImageLayout layout = ImageLayout.plan(kernel.length, moduleSizes, manifest.sizeBytes());
        byte[] catalog = BootCatalog.encode(layout, manifest.cmdline(), moduleStrings);
        byte[] mbr = Mbr.build(loaderFile("mbr.bin"), layout.partitionLba(), layout.partitionSectors());
        byte[] stage2 = loaderFile("stage2.bin");
        if (stage2.length > ImageLayout.STAGE2_MAX_SECTORS * ImageLayout.SECTOR) {
            throw new IllegalStateException("loader stage2.bin is larger than its reserved sectors");
        }
        return new Inputs(kernel, modules, layout, mbr, stage2, catalog);
    }

    /** Runs mke2fs on the staged tree into {@code fs}, after a quick size check. */
    private static void makeRootFileSystem(Path mke2fs, Manifest manifest, ImageLayout layout, Path staging, Path fs)
            throws IOException {
        long partitionBytes = layout.partitionSectors() * ImageLayout.SECTOR;
        long needed = RootTree.estimateBytes(staging, manifest.blockSize());
        if (needed > partitionBytes) {
            throw tooLarge(needed, partitionBytes, "");
        }
        makeFileSystem(mke2fs, staging, fs, manifest.blockSize(), partitionBytes / manifest.blockSize(),
                needed, partitionBytes);
    }

    /** Writes the sparse image: MBR, stage 2, catalog, extents, then the file system at its offset. */
    private static void assemble(Path image, long size, Inputs in, Path fs) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw")) {
            raf.setLength(size);
            FileChannel ch = raf.getChannel();
            writeAt(ch, 0, in.mbr());
            writeAt(ch, (long) ImageLayout.STAGE2_LBA * ImageLayout.SECTOR, in.stage2());
            writeAt(ch, (long) ImageLayout.CATALOG_LBA * ImageLayout.SECTOR, in.catalog());
            writeAt(ch, in.layout().kernel().lba() * ImageLayout.SECTOR, in.kernel());
            for (int i = 0; i < in.modules().size(); i++) {
                writeAt(ch, in.layout().modules().get(i).lba() * ImageLayout.SECTOR, in.modules().get(i));
            }
            copySparse(fs, ch, in.layout().partitionOffset());
            ch.force(true);
        }
    }

    private static void makeFileSystem(Path mke2fs, Path tree, Path fs, int blockSize, long blocks,
            long needed, long partitionBytes) {
        List<String> cmd = List.of(mke2fs.toString(), "-q", "-t", "ext3", "-r", "1", "-b", Integer.toString(blockSize),
                "-d", tree.toString(), "-F", fs.toString(), Long.toString(blocks));
        HostTools.Result r = HostTools.run(cmd, Map.of());
        if (r.exitCode() != 0) {
            String why = HostTools.lastLine(r.stderr() + "\n" + r.stdoutText()).replaceFirst("^mke2fs: ", "");
            if (why.contains("allocate") || why.contains("No space") || why.contains("too small")
                    || why.contains("inode")) {
                throw tooLarge(needed, partitionBytes, " (mke2fs: " + why + ")");
            }
            throw new ImageException("mkimage: mke2fs failed: " + why);
        }
    }

    private static ImageException tooLarge(long needed, long partitionBytes, String detail) {
        return new ImageException("mkimage: the root tree (at least " + (needed + 1023) / 1024
                + "K with /boot) does not fit in the " + partitionBytes / 1024
                + "K root partition: raise 'size'" + detail);
    }

    /**
     * Replaces {@code target} atomically, unless a running jx86 holds it locked. The lock is looked
     * for on the image itself and on a companion {@code IMAGE.lock} file, if one exists (a stale
     * companion that nobody locks does not block).
     */
    private static void replace(Path tmp, Path target) throws IOException {
        for (Path p : List.of(target, target.resolveSibling(target.getFileName() + ".lock"))) {
            if (Files.isRegularFile(p) && isLockedByOthers(p)) {
                throw new ImageException("mkimage: " + target
                        + " is in use by a running jx86 (locked); stop it or choose another output");
            }
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static boolean isLockedByOthers(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                return true;                // another process holds a lock
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;                    // this JVM holds it (a machine running in-process)
        }
    }

    /** Copies the file system into the image, skipping all-zero chunks (the image is sparse). */
    private static void copySparse(Path fs, FileChannel image, long offset) throws IOException {
        try (FileChannel in = FileChannel.open(fs, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(COPY_CHUNK);
            long pos = 0;
            while (true) {
                buf.clear();
                int n = in.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                buf.flip();
                if (!allZero(buf.array(), n)) {
                    while (buf.hasRemaining()) {
                        image.write(buf, offset + pos + buf.position());
                    }
                }
                pos += n;
            }
        }
    }

    private static boolean allZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static void writeAt(FileChannel ch, long pos, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
            ch.write(b, pos + b.position());
        }
    }

    /** The loader binaries are packaged as resources from target/loader (see pom.xml). */
    static byte[] loaderFile(String name) throws IOException {
        try (InputStream in = ImageBuilder.class.getResourceAsStream("loader/" + name)) {
            if (in == null) {
                throw new IllegalStateException("loader file " + name + " is missing from the class path"
                        + " (build disk-images with Maven first)");
            }
            return in.readAllBytes();
        }
    }

    private static void setReadable(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException | IOException e) {
            // Non-POSIX file systems keep the temporary file's default permissions.
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // Nothing more to do: the temporary name starts with a dot and says what it is.
            }
        }
    }
}
