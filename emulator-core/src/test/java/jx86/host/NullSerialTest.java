package jx86.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NullSerialTest {
    @Test
    void nullSerial_discardsAndNeverReceives() {
        NullSerial n = new NullSerial();
        n.write('x');
        assertThat(n.hasInput()).isFalse();
        assertThat(n.read()).isEqualTo(-1);
    }
}
