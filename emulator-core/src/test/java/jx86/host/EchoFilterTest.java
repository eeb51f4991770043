package jx86.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EchoFilterTest {
    /** What passes the filter when the guest transmits {@code sent}. */
    private static String pass(EchoFilter f, String sent) {
        StringBuilder out = new StringBuilder();
        for (char c : sent.toCharArray()) {
            if (!f.swallow(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theEchoOfALine_isDroppedAndTheOutputAfterItKept() {
        EchoFilter f = new EchoFilter();
        f.expect(bytes("echo hi\n"));
        assertThat(pass(f, "echo hi\r\nhi\r\n/$ ")).isEqualTo("hi\r\n/$ ");
    }

    @Test
    void controlC_isEchoedAsCaretC_andControlDNotAtAll() {
        EchoFilter f = new EchoFilter();
        f.expect(bytes("\u0003"));
        f.expect(bytes("\u0004"));
        f.expect(bytes("ls\r"));
        assertThat(pass(f, "^C\r\nls\r\nout\n")).isEqualTo("out\n");
    }

    @Test
    void aDifferentByte_endsTheExpectation_soNothingElseIsLost() {
        EchoFilter f = new EchoFilter();
        f.expect(bytes("abc\n"));
        assertThat(pass(f, "aXbc\r\n")).isEqualTo("Xbc\r\n");
        assertThat(pass(f, "abc")).isEqualTo("abc");
    }

    @Test
    void clear_forgetsAnEchoThatNeverCame() {
        EchoFilter f = new EchoFilter();
        f.expect(bytes("hi\n"));
        f.clear();
        assertThat(pass(f, "hi\r\n")).isEqualTo("hi\r\n");
    }
}
