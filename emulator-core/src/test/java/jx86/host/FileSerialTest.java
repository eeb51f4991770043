package jx86.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSerialTest {
    @TempDir
    Path tmp;

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
}
