package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The host's e2fsprogs for the file-system tests: finding the tools, running them, partition 1 of a disk. */
final class E2fsprogs {
    private E2fsprogs() {}

    /** A finished command: exit status, standard output (stderr is dropped: e2fsck's version banner). */
    record Result(int exit, String out, byte[] bytes) {}

    /** The tool in /sbin, /usr/sbin, /usr/bin or /bin, or null. */
    static Path tool(String name) {
        for (String dir : new String[] {"/sbin", "/usr/sbin", "/usr/bin", "/bin"}) {
            Path t = Path.of(dir, name);
            if (Files.isExecutable(t)) {
                return t;
            }
        }
        return null;
    }

    static Result run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), out);
    }

    /** Byte offset of partition 1: its first LBA is the little-endian word at MBR offset 446 + 8. */
    static long partitionOffset(Path disk) throws IOException {
        byte[] mbr = new byte[512];
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "r")) {
            f.readFully(mbr);
        }
        return (ByteBuffer.wrap(mbr, 454, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL) * 512;
    }

    /**
     * Partition 1 of disk (to the end of the image) copied to part: e2fsck cannot re-open an
     * "IMAGE?offset=N" name after it replayed a journal, so the checks run on a file of its own.
     */
    static Path partition(Path disk, Path part) throws IOException {
        long off = partitionOffset(disk);
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "r")) {
            byte[] data = new byte[(int) (f.length() - off)];
            f.seek(off);
            f.readFully(data);
            Files.write(part, data);
        }
        return part;
    }
}
