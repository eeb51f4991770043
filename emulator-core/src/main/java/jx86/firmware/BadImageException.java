package jx86.firmware;

/** A kernel, module or disk image that cannot be booted (missing, unreadable, malformed). One line. */
public final class BadImageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadImageException(String message) {
        super(message, null, false, false);
    }
}
