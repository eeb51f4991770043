package jx86.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * System.out and System.err captured for each test of a class that registers this extension
 * ({@code @RegisterExtension final StdStreams std = new StdStreams();}), and put back after it:
 * the command-line tests read what {@code Main.execute} printed.
 */
public final class StdStreams implements BeforeEachCallback, AfterEachCallback {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @Override
    public void beforeEach(ExtensionContext context) {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    /** What the test has written to System.out so far (reset() empties it). */
    public ByteArrayOutputStream out() {
        return out;
    }

    /** What the test has written to System.err so far (reset() empties it). */
    public ByteArrayOutputStream err() {
        return err;
    }
}
