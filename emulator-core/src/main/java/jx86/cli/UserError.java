package jx86.cli;

/** Bad input from the user (missing image, malformed ELF, bad option): one line, exit status 2. */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message, null, false, false);
    }
}
