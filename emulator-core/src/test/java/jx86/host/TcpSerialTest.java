package jx86.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TcpSerialTest {
    @Test
    void tcpSerial_clientBytesArriveAndOutputReachesClient() throws IOException {
        try (TcpSerial t = new TcpSerial(0);
                Socket client = new Socket(InetAddress.getLoopbackAddress(), t.port())) {
            OutputStream os = client.getOutputStream();
            os.write("in".getBytes(StandardCharsets.US_ASCII));
            os.flush();
            StringBuilder got = new StringBuilder();
            while (got.length() < 2) {
                assertThat(t.awaitInput(10_000)).isTrue();
                got.append((char) t.read());
            }
            assertThat(got.toString()).isEqualTo("in");
            assertThat(t.connected()).isTrue();
            t.write('o');
            t.write('k');
            t.flush();
            InputStream is = client.getInputStream();
            assertThat(is.read()).isEqualTo('o');
            assertThat(is.read()).isEqualTo('k');
        }
    }
}
