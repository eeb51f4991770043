package jx86.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootCatalogTest {
    private final ImageLayout layout = ImageLayout.plan(5000, List.of(10L, 20000L), 8L << 20);

    @Test
    void encode_fieldsAtTheOffsetsTheLoaderReads() {
        ByteBuffer b = ByteBuffer.wrap(BootCatalog.encode(layout, "root=/dev/hda1", List.of("/boot/a x", "/boot/b")))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.capacity()).isEqualTo(2048);
        assertThat(new String(b.array(), 0, 8, StandardCharsets.US_ASCII)).isEqualTo("JX86BOOT");
        assertThat(b.getInt(0x08)).isEqualTo(1);
        assertThat(b.getInt(0x0C)).isEqualTo(2);
        assertThat(b.getInt(0x10)).isEqualTo(64);
        assertThat(b.getInt(0x14)).isEqualTo(5000);
        assertThat(b.getInt(0x18)).isEqualTo(0x120);
        assertThat(cString(b, 0x120)).isEqualTo("root=/dev/hda1");
        // module 0: LBA 80, 10 bytes, string after "root=/dev/hda1\0" (15 bytes) at 0x12F
        assertThat(b.getInt(0x20)).isEqualTo(80);
        assertThat(b.getInt(0x24)).isEqualTo(10);
        assertThat(b.getInt(0x28)).isEqualTo(0x12F);
        assertThat(cString(b, 0x12F)).isEqualTo("/boot/a x");
        // module 1: LBA 88 (81 aligned up to 8), 20000 bytes, string at 0x12F + 10
        assertThat(b.getInt(0x30)).isEqualTo(88);
        assertThat(b.getInt(0x34)).isEqualTo(20000);
        assertThat(b.getInt(0x38)).isEqualTo(0x139);
        assertThat(cString(b, 0x139)).isEqualTo("/boot/b");
        assertThat(b.get(2047)).isZero();
    }

    @Test
    void encode_dwordsSumToZero() {
        ByteBuffer b = ByteBuffer.wrap(BootCatalog.encode(layout, "x", List.of("a", "b"))).order(ByteOrder.LITTLE_ENDIAN);
        int sum = 0;
        for (int i = 0; i < 2048; i += 4) {
            sum += b.getInt(i);
        }
        assertThat(sum).isZero();
        assertThat(b.getInt(0x1C)).isNotZero();
    }

    @Test
    void stringsTooLong_failWithOneLine() {
        String longLine = "x".repeat(1800);
        assertThatThrownBy(() -> BootCatalog.encode(layout, longLine, List.of("a", "b")))
                .isInstanceOf(ImageException.class)
                .hasMessage("mkimage: the command line and module strings are too long (at most 1759 bytes together)");
    }

    private static String cString(ByteBuffer b, int at) {
        int end = at;
        while (b.get(end) != 0) {
            end++;
        }
        return new String(b.array(), at, end - at, StandardCharsets.UTF_8);
    }
}
