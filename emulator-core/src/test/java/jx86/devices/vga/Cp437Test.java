package jx86.devices.vga;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Cp437Test {
    @Test
    void asciiIsIdentityAndGraphicsMapToTheirUnicodeGlyphs() {
        assertThat(Cp437.toUnicode('A')).isEqualTo('A');
        assertThat(Cp437.toUnicode(0x00)).isEqualTo(' ');
        assertThat(Cp437.toUnicode(0x03)).isEqualTo('\u2665'); // heart
        assertThat(Cp437.toUnicode(0x7F)).isEqualTo('\u2302'); // house
        assertThat(Cp437.toUnicode(0x82)).isEqualTo('\u00E9'); // e acute
        assertThat(Cp437.toUnicode(0xC4)).isEqualTo('\u2500'); // box horizontal
        assertThat(Cp437.toUnicode(0xDB)).isEqualTo('\u2588'); // full block
        assertThat(Cp437.toUnicode(0xE1)).isEqualTo('\u00DF'); // sharp s / beta
        assertThat(Cp437.toUnicode(0xFF)).isEqualTo(' ');
    }
}
