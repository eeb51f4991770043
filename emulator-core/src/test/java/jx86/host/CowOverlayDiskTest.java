package jx86.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CowOverlayDiskTest {
    @TempDir
    Path tmp;

    @Test
    void writes_stayInMemoryAndTheImageIsUntouched() throws IOException {
        Path p = tmp.resolve("base.img");
        byte[] original = new byte[8 * 512];
        for (int i = 0; i < original.length; i++) {
            original[i] = (byte) (i * 7);
        }
        Files.write(p, original);
        byte[] data = new byte[512];
        Arrays.fill(data, (byte) 0xC3);
        byte[] buf = new byte[512];
        try (DiskBackend d = DiskBackend.open(p, true, false)) {
            assertThat(d).isInstanceOf(CowOverlayDisk.class);
            assertThat(d.readOnly()).isFalse();
            d.write(3, data, 0);
            d.flush();
            d.read(3, buf, 0);
            assertThat(buf).isEqualTo(data);
            d.read(4, buf, 0);
            assertThat(buf).isEqualTo(Arrays.copyOfRange(original, 2048, 2560));
            assertThat(((CowOverlayDisk) d).dirtySectors()).isEqualTo(1);
            assertThatThrownBy(() -> d.write(8, data, 0)).isInstanceOf(IOException.class);
        }
        assertThat(Files.readAllBytes(p)).isEqualTo(original);
    }

    @Test
    void twoSnapshotsOfOneImage_canRunTogether() throws IOException {
        Path p = tmp.resolve("shared.img");
        Files.write(p, new byte[1024]);
        try (DiskBackend a = DiskBackend.open(p, true, false); DiskBackend b = DiskBackend.open(p, true, false)) {
            assertThat(a.sectorCount()).isEqualTo(2);
            assertThat(b.sectorCount()).isEqualTo(2);
        }
    }
}
