package jx86.debug.gdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RspCodecTest {
    private static String framed(String payload) {
        return new String(RspCodec.frame(payload), StandardCharsets.ISO_8859_1);
    }

    @Test
    void frame_appendsTheModulo256SumAsTwoLowerCaseHexDigits() {
        // 'O' 0x4f + 'K' 0x4b = 0x9a
        assertThat(framed("OK")).isEqualTo("$OK#9a");
        // 'S' 0x53 + '0' 0x30 + '5' 0x35 = 0xb8
        assertThat(framed("S05")).isEqualTo("$S05#b8");
        assertThat(framed("")).isEqualTo("$#00");
    }

    @Test
    void frame_escapesBraceDollarHashAndStarWithXor20_andSumsTheEscapedBytes() {
        // a } b → a } ] b ; sum 0x61 + 0x7d + 0x5d + 0x62 = 0x19d → 9d
        assertThat(framed("a}b")).isEqualTo("$a}]b#9d");
        // $ → } 0x04, # → } 0x03, * → } 0x0a; sum 3 * 0x7d + 0x04 + 0x03 + 0x0a = 0x188 → 88
        assertThat(framed("$#*")).isEqualTo("$}\u0004}\u0003}\n#" + "88");
    }

    @Test
    void unescape_undoesTheEscape() {
        assertThat(RspCodec.unescape("a}]b}\u0004")).isEqualTo("a}b$");
    }

    @Test
    void checksum_wrapsModulo256() {
        byte[] b = {(byte) 0xff, (byte) 0xff, 3};
        assertThat(RspCodec.checksum(b, 0, 3)).isEqualTo(0x01);
        assertThat(RspCodec.checksum(b, 2, 3)).isEqualTo(0x03);
    }

    @Test
    void le32_isLittleEndianByteOrder() {
        StringBuilder sb = new StringBuilder();
        RspCodec.appendLe32(sb, 0x12345678);
        assertThat(sb.toString()).isEqualTo("78563412");
        assertThat(RspCodec.parseLe32("xx78563412", 2)).isEqualTo(0x12345678);
        assertThat(RspCodec.parseLe32("ffffff80", 0)).isEqualTo(0x80ffffff);
    }

    @Test
    void parseHex_acceptsBothCasesUpTo32Bits_andRejectsGarbage() {
        assertThat(RspCodec.parseHex("fFfF0010")).isEqualTo(0xffff0010);
        assertThat(RspCodec.parseHex("0")).isZero();
        assertThatThrownBy(() -> RspCodec.parseHex("12g")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RspCodec.parseHex("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RspCodec.parseHex("123456789")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hexText_encodesEachCharacterAsTwoDigits() {
        assertThat(RspCodec.hexText("Hi\n")).isEqualTo("48690a");
    }
}
