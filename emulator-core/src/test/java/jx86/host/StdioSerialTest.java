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

    /** A pipe's worth of input, ended, to a paced back-end; waits until the reader thread has it all. */
    private static StdioSerial paced(String input, ByteArrayOutputStream stdout, boolean echoInput)
            throws InterruptedException {
        StdioSerial s = new StdioSerial(new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)),
                stdout, false, true, echoInput);
        for (int i = 0; i < 1000 && s.pendingBytes() < input.length(); i++) {
            Thread.sleep(10);
        }
        return s;
    }

    private static String take(StdioSerial s) {
        StringBuilder got = new StringBuilder();
        for (int b; (b = s.read()) >= 0; ) {
            got.append((char) b);
        }
        return got.toString();
    }

    @Test
    void pipedInput_isHandedOverALineAtATimeWhenTheGuestWaits() throws InterruptedException {
        StdioSerial s = paced("ls\nps\n", new ByteArrayOutputStream(), true);
        assertThat(s.hasInput()).isFalse();          // held back: the guest is still booting
        s.guestWaiting();
        assertThat(take(s)).isEqualTo("ls\n");
        assertThat(s.inputEnded()).isFalse();
        s.guestWaiting();
        assertThat(take(s)).isEqualTo("ps\n");
        assertThat(s.inputEnded()).isTrue();
        s.close();
    }

    @Test
    void pipedInput_theGuestsEchoIsDroppedUnlessEchoInputIsSet() throws InterruptedException {
        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        for (StdioSerial s : new StdioSerial[] {paced("echo hi\n", quiet, false), paced("echo hi\n", echoed, true)}) {
            s.guestWaiting();
            take(s);
            for (char c : "echo hi\r\nhi\r\n/$ ".toCharArray()) {   // kernel-monolithic's echo, output, prompt
                s.write(c);
            }
            s.close();
        }
        assertThat(quiet.toString(StandardCharsets.ISO_8859_1)).isEqualTo("hi\r\n/$ ");
        assertThat(echoed.toString(StandardCharsets.ISO_8859_1)).isEqualTo("echo hi\r\nhi\r\n/$ ");
    }

    @Test
    void awaitInput_handsOverTheNextLineToAGuestThatCanOnlyWaitForInput() throws InterruptedException {
        StdioSerial s = paced("a\nb", new ByteArrayOutputStream(), true);
        assertThat(s.awaitInput(10_000)).isTrue();
        assertThat(take(s)).isEqualTo("a\n");
        assertThat(s.awaitInput(10_000)).isTrue();
        assertThat(take(s)).isEqualTo("b");          // the unterminated rest, once the input has ended
        assertThat(s.awaitInput(10)).isFalse();
        assertThat(s.inputEnded()).isTrue();
        s.close();
    }
}
