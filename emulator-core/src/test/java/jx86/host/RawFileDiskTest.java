package jx86.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawFileDiskTest {
    @TempDir
    Path tmp;

    Path image(int bytes) throws IOException {
        Path p = tmp.resolve("d.img");
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            b[i] = (byte) (i / 512 + 1);
        }
        Files.write(p, b);
        return p;
    }

    @Test
    void readWrite_reachTheFile() throws IOException {
        Path p = image(4 * 512);
        byte[] buf = new byte[1024];
        try (RawFileDisk d = RawFileDisk.open(p, false)) {
            assertThat(d.sectorCount()).isEqualTo(4);
            d.read(2, buf, 512);
            assertThat(buf[512]).isEqualTo((byte) 3);
            assertThat(buf[1023]).isEqualTo((byte) 3);
            Arrays.fill(buf, (byte) 0x7E);
            d.write(1, buf, 0);
            d.flush();
            assertThat(Files.readAllBytes(p)[512]).isEqualTo((byte) 0x7E);
        }
        byte[] file = Files.readAllBytes(p);
        assertThat(file).hasSize(2048);
        assertThat(file[1023]).isEqualTo((byte) 0x7E);
        assertThat(file[1024]).isEqualTo((byte) 3);
    }

    @Test
    void secondWriterInThisJvm_isRefusedWithClearMessage() throws IOException {
        Path p = image(1024);
        try (RawFileDisk first = RawFileDisk.open(p, false)) {
            assertThat(first.readOnly()).isFalse();
            assertThatThrownBy(() -> RawFileDisk.open(p, false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("disk image " + p + " is in use by another jx86");
        }
        try (RawFileDisk again = RawFileDisk.open(p, false)) { // the lock went with close()
            assertThat(again.sectorCount()).isEqualTo(2);
        }
    }

    /** Run in a child JVM: tries to open args[0] for writing and prints the outcome. */
    public static final class SecondProcess {
        public static void main(String[] args) throws IOException {
            try (RawFileDisk d = RawFileDisk.open(Path.of(args[0]), false)) {
                System.out.println(d.sectorCount() > 0 ? "opened" : "empty");
            } catch (IllegalStateException e) {
                System.out.println(e.getMessage());
            }
        }
    }

    @Test
    void secondWriterInAnotherProcess_isRefusedWithClearMessage() throws Exception {
        Path p = image(1024);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SecondProcess.class.getName(), p.toString()).redirectErrorStream(true);
        try (RawFileDisk first = RawFileDisk.open(p, false)) {
            assertThat(first.sectorCount()).isEqualTo(2);
            Process child = pb.start();
            String out = new String(child.getInputStream().readAllBytes()).trim();
            child.waitFor();
            assertThat(out).isEqualTo("disk image " + p + " is in use by another jx86");
        }
        Process child = pb.start();
        String out = new String(child.getInputStream().readAllBytes()).trim();
        child.waitFor();
        assertThat(out).isEqualTo("opened");
    }

    @Test
    void writerAfterAReader_isRefused() throws IOException {
        Path p = image(1024);
        try (RawFileDisk reader = RawFileDisk.open(p, true)) {
            assertThat(reader.readOnly()).isTrue();
            assertThatThrownBy(() -> RawFileDisk.open(p, false))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use by another jx86");
        }
    }

    @Test
    void partialLastSector_readsPaddedWithZeros() throws IOException {
        Path p = image(512 + 100);
        byte[] buf = new byte[512];
        Arrays.fill(buf, (byte) 0x55);
        try (RawFileDisk d = RawFileDisk.open(p, true)) {
            assertThat(d.sectorCount()).isEqualTo(2);
            d.read(1, buf, 0);
        }
        assertThat(buf[99]).isEqualTo((byte) 2);
        assertThat(buf[100]).isZero();
        assertThat(buf[511]).isZero();
    }

    @Test
    void readOnly_refusesWritesAndOutOfRangeSectorsFail() throws IOException {
        Path p = image(1024);
        try (RawFileDisk d = RawFileDisk.open(p, true)) {
            assertThat(d.readOnly()).isTrue();
            assertThatThrownBy(() -> d.write(0, new byte[512], 0)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> d.read(2, new byte[512], 0)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void missingImage_isAOneLineIllegalArgument() {
        Path p = tmp.resolve("nope.img");
        assertThatThrownBy(() -> RawFileDisk.open(p, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("disk image " + p + " does not exist");
    }
}
