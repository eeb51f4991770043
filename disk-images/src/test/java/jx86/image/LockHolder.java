package jx86.image;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Run in a second JVM by ImageBuilderTest: locks a file the way a running jx86 does until stdin closes. */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws IOException {
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE);
                FileLock lock = ch.lock()) {
            System.out.println("locked");
            System.out.flush();
            System.in.readAllBytes();
        }
    }
}
