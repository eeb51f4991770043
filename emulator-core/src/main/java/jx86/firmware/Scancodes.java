package jx86.firmware;

/** Scan code set 1 make codes to ASCII (unshifted US layout), as the BIOS keyboard handler needs. */
final class Scancodes {
    private static final String ROW = "\0\0331234567890-=\b\tqwertyuiop[]\r\0asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ";

    private Scancodes() {
    }

    /** ASCII for a make code, or -1 for break codes and keys without one. */
    static int toAscii(int scancode) {
        if ((scancode & 0x80) != 0 || scancode >= ROW.length()) {
            return -1;
        }
        char c = ROW.charAt(scancode);
        return c == 0 ? -1 : c;
    }
}
