package jx86.image;

/**
 * A problem with the user's input to the image builder (bad manifest, missing file, tree too large,
 * locked target). The message is one line, already prefixed with "mkimage: ".
 */
public final class ImageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImageException(String message) {
        super(message, null, false, false);
    }
}
