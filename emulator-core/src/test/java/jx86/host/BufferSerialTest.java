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

    @Test
    void pacedBufferSerial_holdsLinesBackUntilTheGuestWaits() {
        BufferSerial b = new BufferSerial("one\ntwo\n", true);
        assertThat(b.hasInput()).isFalse();
        assertThat(b.pendingInput()).isEqualTo(8);
        b.guestWaiting();
        assertThat(b.read()).isEqualTo('o');
        b.guestWaiting();                            // the line is not yet read: nothing more
        assertThat(b.pendingInput()).isEqualTo(7);
        for (int i = 0; i < 3; i++) {
            b.read();
        }
        b.guestWaiting();
        assertThat(b.read()).isEqualTo('t');
        assertThat(b.inputEnded()).isFalse();        // a test may still feed more
        b.endInput();
        b.read();
        b.read();
        assertThat(b.inputEnded()).isFalse();        // one byte left
        b.read();
        assertThat(b.inputEnded()).isTrue();
    }
}
