package jx86.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MbrTest {
    private static byte[] stage1() {
        byte[] s = new byte[512];
        Arrays.fill(s, 0, 510, (byte) 0x90);
        s[510] = 0x55;
        s[511] = (byte) 0xAA;
        return s;
    }

    @Test
    void build_oneBootableLinuxPartitionAndSignature() {
        byte[] mbr = Mbr.build(stage1(), 2048, 14336);
        ByteBuffer b = ByteBuffer.wrap(mbr).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(mbr[439]).isEqualTo((byte) 0x90);                 // stage 1 code kept
        assertThat(Arrays.copyOfRange(mbr, 440, 446)).containsOnly(0);  // disk signature cleared
        assertThat(mbr[0x1BE] & 0xFF).isEqualTo(0x80);
        assertThat(mbr[0x1C2] & 0xFF).isEqualTo(0x83);
        assertThat(b.getInt(0x1C6)).isEqualTo(2048);
        assertThat(b.getInt(0x1CA)).isEqualTo(14336);
        // LBA 2048 with 255 heads x 63 sectors: cylinder 0, head 32, sector 33
        assertThat(Arrays.copyOfRange(mbr, 0x1BF, 0x1C2)).containsExactly(32, 33, 0);
        // last LBA 16383: cylinder 1 (16383 / 16065), head 5 ((16383 - 16065) / 63), sector 4
        assertThat(Arrays.copyOfRange(mbr, 0x1C3, 0x1C6)).containsExactly(5, 4, 1);
        assertThat(Arrays.copyOfRange(mbr, 0x1CE, 0x1FE)).containsOnly(0);  // entries 2-4 empty
        assertThat(mbr[510] & 0xFF).isEqualTo(0x55);
        assertThat(mbr[511] & 0xFF).isEqualTo(0xAA);
    }

    @Test
    void build_beyondCylinder1023_chsSaturates() {
        byte[] mbr = Mbr.build(stage1(), 2048, 40_000_000L);
        assertThat(Arrays.copyOfRange(mbr, 0x1C3, 0x1C6)).containsExactly(0xFE, 0xFF, 0xFF);
    }

    @Test
    void build_stage1WithoutSignature_isRejected() {
        assertThatThrownBy(() -> Mbr.build(new byte[512], 2048, 100)).isInstanceOf(IllegalStateException.class);
    }
}
