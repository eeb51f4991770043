package jx86.devices.ata;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AtaIdentifyTest {
    @Test
    void diskAbove128GiB_clampsLba28AndChsButReportsFullLba48Capacity() {
        long sectors = 1L << 30; // 512 GiB
        int[] w = AtaIdentify.words(sectors, "X", 16383, 0, 16383, 16, 63);
        assertThat(w[1]).isEqualTo(16383);
        assertThat(w[60]).isEqualTo(0xFFFF);
        assertThat(w[61]).isEqualTo(0x0FFF);
        assertThat(w[100]).isZero();
        assertThat(w[101]).isEqualTo(0x4000);
        assertThat(w[102]).isZero();
        assertThat(w[57] | w[58] << 16).isEqualTo(16383 * 16 * 63);
    }

    @Test
    void multipleSetting_appearsInWord59WithTheValidBit() {
        int[] w = AtaIdentify.words(1000, "X", 1, 8, 1, 16, 63);
        assertThat(w[47]).isEqualTo(0x8010);
        assertThat(w[59]).isEqualTo(0x0108);
    }

    @Test
    void firmwareString_isSpacePaddedHighByteFirst() {
        int[] w = AtaIdentify.words(1000, "X", 1, 0, 1, 16, 63);
        assertThat(w[23]).isEqualTo(('1' << 8) | '.');
        assertThat(w[24]).isEqualTo(('0' << 8) | ' ');
        assertThat(w[25]).isEqualTo(0x2020);
    }
}
