package jx86.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BufferSerialTest {
    @Test
    void bufferSerial_capturesOutputAndFeedsScriptInOrder() {
        BufferSerial b = new BufferSerial("ab");
        b.write('O');
        b.write('K');
        b.write(0x1FF); // only the low byte is transmitted
        assertThat(b.outputBytes()).containsExactly('O', 'K', 0xFF);
        assertThat(b.read()).isEqualTo('a');
        b.feed(new byte[] {(byte) 0xE9});
        assertThat(b.read()).isEqualTo('b');
        assertThat(b.read()).isEqualTo(0xE9);
        assertThat(b.hasInput()).isFalse();
        assertThat(b.read()).isEqualTo(-1);
    }
}
