package jx86.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageLayoutTest {
    @Test
    void smallKernelAndModules_extentsOn4KiBBoundariesAndPartitionAt1MiB() {
        // kernel 5000 bytes = 10 sectors at 64 -> next 74 -> aligned 80;
        // module 1 byte at 80 -> 81 -> 88; module 4096 bytes at 88 -> 96.
        ImageLayout l = ImageLayout.plan(5000, List.of(1L, 4096L), 8L << 20);
        assertThat(l.kernel()).isEqualTo(new ImageLayout.Extent(64, 5000));
        assertThat(l.modules()).containsExactly(new ImageLayout.Extent(80, 1), new ImageLayout.Extent(88, 4096));
        assertThat(l.partitionLba()).isEqualTo(2048);
        assertThat(l.partitionSectors()).isEqualTo(16384 - 2048);
        assertThat(l.partitionOffset()).isEqualTo(1L << 20);
    }

    @Test
    void extentsBeyondTheFirstMiB_pushThePartitionToTheNextMiB() {
        // kernel 2 MiB = 4096 sectors: 64..4159, next 4160; partition at 3 MiB (LBA 6144).
        ImageLayout l = ImageLayout.plan(2L << 20, List.of(), 16L << 20);
        assertThat(l.partitionLba()).isEqualTo(6144);
    }

    @Test
    void imageTooSmallForAPartition_failsWithOneLine() {
        assertThatThrownBy(() -> ImageLayout.plan(5000, List.of(), 1536L * 1024))
                .isInstanceOf(ImageException.class)
                .hasMessage("mkimage: image size 1536K leaves no room for the root partition"
                        + " (the loader, kernel and modules need 1M and the partition at least 1M)");
    }
}
