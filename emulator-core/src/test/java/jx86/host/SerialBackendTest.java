package jx86.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
