package jx86.script;

import java.nio.file.Path;

/**
 * A malformed or unusable script: {@code file:line: message}, reported before anything runs (status 2).
 * Line 0 means the file as a whole ({@code file: message}).
 */
public final class ScriptError extends Exception {
    private static final long serialVersionUID = 1L;

    public ScriptError(Path file, int line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message, null, false, false);
    }
}
