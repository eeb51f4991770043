package jx86.debug.gdb;

import java.nio.charset.StandardCharsets;

/**
 * Framing and hex helpers of the GDB Remote Serial Protocol (GDB manual, appendix E "Remote
 * Protocol", "Overview"): a packet is {@code $payload#cc} where {@code cc} is the modulo-256 sum of
 * the payload bytes as two lower-case hex digits, and the bytes {@code $ # } *} inside a payload are
 * escaped as {@code 0x7d} followed by the byte XOR 0x20. Run-length encoding is never sent (it is
 * optional for stubs) and received packets are never run-length encoded by GDB.
 */
public final class RspCodec {
    private static final String HEX = "0123456789abcdef";

    private RspCodec() {
    }

    /** The modulo-256 sum of {@code bytes[from..to)}. */
    public static int checksum(byte[] bytes, int from, int to) {
        int sum = 0;
        for (int i = from; i < to; i++) {
            sum += bytes[i] & 0xFF;
        }
        return sum & 0xFF;
    }

    /** The complete packet for {@code payload}: escaped, framed and check-summed. */
    public static byte[] frame(String payload) {
        byte[] raw = payload.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[raw.length * 2 + 4];
        int n = 0;
        out[n++] = '$';
        for (byte b : raw) {
            if (b == '$' || b == '#' || b == '}' || b == '*') {
                out[n++] = '}';
                out[n++] = (byte) (b ^ 0x20);
            } else {
                out[n++] = b;
            }
        }
        int sum = checksum(out, 1, n);
        out[n++] = '#';
        out[n++] = (byte) HEX.charAt(sum >>> 4);
        out[n++] = (byte) HEX.charAt(sum & 15);
        return java.util.Arrays.copyOf(out, n);
    }

    /** Undoes the {@code }}-escaping of a received payload (binary data in X and vFile packets). */
    public static String unescape(String escaped) {
        StringBuilder sb = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '}' && i + 1 < escaped.length()) {
                sb.append((char) (escaped.charAt(++i) ^ 0x20));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The value of one hex digit, or -1. */
    public static int hexDigit(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Parses an unsigned hex number (at most 32 bits significant); throws on a bad digit. */
    public static int parseHex(String s) {
        if (s.isEmpty() || s.length() > 8) {
            throw new IllegalArgumentException("bad hex number: '" + s + "'");
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = hexDigit(s.charAt(i));
            if (d < 0) {
                throw new IllegalArgumentException("bad hex number: '" + s + "'");
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /** Appends {@code value} as 8 hex digits in little-endian byte order (GDB's register format). */
    public static void appendLe32(StringBuilder sb, int value) {
        for (int i = 0; i < 4; i++) {
            appendByte(sb, value >>> (8 * i));
        }
    }

    /** Reads 8 little-endian hex digits at {@code pos}. */
    public static int parseLe32(String s, int pos) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= parseByte(s, pos + 2 * i) << (8 * i);
        }
        return v;
    }

    public static void appendByte(StringBuilder sb, int value) {
        sb.append(HEX.charAt((value >>> 4) & 15)).append(HEX.charAt(value & 15));
    }

    /** The byte whose two hex digits start at {@code pos}. */
    public static int parseByte(String s, int pos) {
        int hi = hexDigit(s.charAt(pos));
        int lo = hexDigit(s.charAt(pos + 1));
        if (hi < 0 || lo < 0) {
            throw new IllegalArgumentException("bad hex byte at " + pos + " in '" + s + "'");
        }
        return (hi << 4) | lo;
    }

    /** Hex-encodes text (qRcmd output, O packets). */
    public static String hexText(String text) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
            appendByte(sb, b);
        }
        return sb.toString();
    }
}
