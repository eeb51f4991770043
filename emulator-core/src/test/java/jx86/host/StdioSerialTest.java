package jx86.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StdioSerialTest {
    @Test
    void stdioSerial_pipedStreams_passBytesBothWays() {
        InputStream stdin = new ByteArrayInputStream("hey".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        StdioSerial s = new StdioSerial(stdin, stdout, false);
        s.write('a');
        assertThat(stdout.size()).isZero(); // buffered until newline or flush
        s.write('\n');
        assertThat(stdout.toString(StandardCharsets.US_ASCII)).isEqualTo("a\n");
        s.write('b');
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            assertThat(s.awaitInput(10_000)).isTrue();
            got.append((char) s.read());
        }
        assertThat(got.toString()).isEqualTo("hey");
        assertThat(stdout.toString(StandardCharsets.US_ASCII)).isEqualTo("a\nb"); // awaitInput flushed
        s.close();
    }
}
