package jx86.idl;

/** One error in an .idl file, printed as {@code file:line:col: message} (line and column count from 1). */
record Diagnostic(String file, int line, int col, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + col + ": " + message;
    }
}
