package jx86.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerialBackendTest {
    @TempDir
    Path tmp;

    @Test
    void parse_knownSpecs_buildTheMatchingBackends() {
        try (SerialBackend none = SerialBackend.parse("none")) {
            assertThat(none).isInstanceOf(NullSerial.class);
        }
        Path log = tmp.resolve("com1.log");
        try (SerialBackend file = SerialBackend.parse("file:" + log)) {
            assertThat(file).isInstanceOf(FileSerial.class);
        }
        try (SerialBackend tcp = SerialBackend.parse("tcp:0")) {
            assertThat(tcp).isInstanceOf(TcpSerial.class);
        }
    }

    @Test
    void parse_unknownSpec_throwsOneLineMessage() {
        assertThatThrownBy(() -> SerialBackend.parse("pty"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown serial back-end 'pty': use stdio, file:PATH, tcp:PORT or none");
        assertThatThrownBy(() -> SerialBackend.parse("tcp:http"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tcp:PORT");
        assertThatThrownBy(() -> SerialBackend.parse("file:"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullSerial_discardsAndNeverReceives() {
        NullSerial n = new NullSerial();
        n.write('x');
        assertThat(n.hasInput()).isFalse();
        assertThat(n.read()).isEqualTo(-1);
    }

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
    void fileSerial_appendsOutputToTheFile() throws IOException {
        Path log = tmp.resolve("out.txt");
        Files.writeString(log, "old\n");
        try (FileSerial f = new FileSerial(log)) {
            for (char c : "new".toCharArray()) {
                f.write(c);
            }
            assertThat(f.read()).isEqualTo(-1);
        }
        assertThat(Files.readString(log)).isEqualTo("old\nnew");
    }

    @Test
    void fileSerial_unopenableFile_throwsIllegalArgument() {
        Path bad = tmp.resolve("no/such/dir/log");
        assertThatThrownBy(() -> new FileSerial(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(bad.toString());
    }

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
