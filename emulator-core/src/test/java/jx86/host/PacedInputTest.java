package jx86.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PacedInputTest {
    private static void add(PacedInput p, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        p.add(b, 0, b.length);
    }

    private static String line(PacedInput p) {
        byte[] b = p.nextLine();
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void lines_endAtNewlineReturnControlCControlDControlZAndControlBackslash() {
        PacedInput p = new PacedInput();
        add(p, "ls\rcat\n\u0003ps\n\u0004echo x\n\u001ajobs\n\u001c");
        assertThat(line(p)).isEqualTo("ls\r");
        assertThat(line(p)).isEqualTo("cat\n");
        assertThat(line(p)).isEqualTo("\u0003");
        assertThat(line(p)).isEqualTo("ps\n");
        assertThat(line(p)).isEqualTo("\u0004");
        assertThat(line(p)).isEqualTo("echo x\n");
        assertThat(line(p)).isEqualTo("\u001a");
        assertThat(line(p)).isEqualTo("jobs\n");
        assertThat(line(p)).isEqualTo("\u001c");
        assertThat(line(p)).isNull();
    }

    @Test
    void unfinishedLine_waitsForItsEndOrTheEndOfInput() {
        PacedInput p = new PacedInput();
        add(p, "ec");
        assertThat(line(p)).isNull();
        add(p, "ho");
        assertThat(p.size()).isEqualTo(4);
        assertThat(p.usedUp()).isFalse();
        p.end();
        assertThat(p.usedUp()).isFalse();
        assertThat(line(p)).isEqualTo("echo");
        assertThat(p.usedUp()).isTrue();
        assertThat(line(p)).isNull();
    }

    @Test
    void await_returnsWhenALineIsComplete() throws InterruptedException {
        PacedInput p = new PacedInput();
        Thread writer = new Thread(() -> add(p, "x\n"));
        writer.start();
        p.await(10_000);
        writer.join();
        assertThat(line(p)).isEqualTo("x\n");
    }
}
