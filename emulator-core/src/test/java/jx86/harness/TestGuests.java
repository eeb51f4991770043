package jx86.harness;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The harness tests' hand-assembled guests ({@link GuestCode}) as multiboot ELF files, for tests in
 * other packages (jx86.script, jx86.cli) that drive the same guests through scripts.
 */
public final class TestGuests {
    private TestGuests() {
    }

    /** Prints "boot", then {@code ticks} times a delay of {@code delay} LOOPs and "tick"; exits with 7. */
    public static Path ticker(Path dir, String name, int ticks, int delay) throws IOException {
        return GuestCode.ticker(ticks, delay).write(dir, name);
    }

    /** Prints "ready", then echoes every byte COM1 receives; after echoing 'q' exits with 'q' (113). */
    public static Path echo(Path dir, String name) throws IOException {
        return GuestCode.echo().write(dir, name);
    }

    /** Prints "spinning" and loops forever. */
    public static Path spinner(Path dir, String name) throws IOException {
        return GuestCode.spinner().write(dir, name);
    }

    /** Prints "bye" and halts with interrupts off. */
    public static Path haltForever(Path dir, String name) throws IOException {
        return GuestCode.haltForever().write(dir, name);
    }

    /** Prints "about to fault" and triple-faults. */
    public static Path tripleFault(Path dir, String name) throws IOException {
        return GuestCode.tripleFault().write(dir, name);
    }
}
