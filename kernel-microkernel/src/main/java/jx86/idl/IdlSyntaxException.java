package jx86.idl;

/** A lexical or syntax error: parsing a file stops at the first one. */
final class IdlSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Diagnostic diagnostic;

    IdlSyntaxException(Diagnostic diagnostic) {
        super(diagnostic.toString(), null, false, false);
        this.diagnostic = diagnostic;
    }

    Diagnostic diagnostic() {
        return diagnostic;
    }
}
