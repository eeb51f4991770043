package jx86.idl;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an .idl file into tokens. Comments are {@code // ...} and {@code /* ... * /}; a {@code ///}
 * line comment is documentation and is attached to the next token (the Markdown reference prints
 * it). Numbers are decimal or {@code 0x} hexadecimal and at most 0xFFFFFFFF. Columns count
 * characters from 1 (a tab is one column).
 */
final class Lexer {
    enum Kind { IDENT, NUMBER, PUNCT, EOF }

    /** A token; {@code doc} holds the {@code ///} lines just before it ("" if none). */
    record Token(Kind kind, String text, long value, Model.Pos pos, String doc) {
        boolean is(String s) {
            return (kind == Kind.PUNCT || kind == Kind.IDENT) && text.equals(s);
        }

        String describe() {
            return kind == Kind.EOF ? "end of file" : "'" + text + "'";
        }
    }

    private final String file;
    private final String src;
    private int i;
    private int line = 1;
    private int col = 1;

    private Lexer(String file, String src) {
        this.file = file;
        this.src = src;
    }

    static List<Token> tokenize(String file, String src) throws IdlSyntaxException {
        return new Lexer(file, src).run();
    }

    private List<Token> run() throws IdlSyntaxException {
        List<Token> out = new ArrayList<>();
        StringBuilder doc = new StringBuilder();
        while (true) {
            skipBlanks(doc);
            Model.Pos pos = pos();
            if (i >= src.length()) {
                out.add(new Token(Kind.EOF, "", 0, pos, ""));
                return out;
            }
            char c = src.charAt(i);
            Token t;
            if (Character.isLetter(c) && c < 128 || c == '_') {
                int start = i;
                while (i < src.length() && isIdentChar(src.charAt(i))) {
                    advance();
                }
                t = new Token(Kind.IDENT, src.substring(start, i), 0, pos, doc.toString());
            } else if (c >= '0' && c <= '9') {
                t = number(pos, doc.toString());
            } else if ("{}()<>=;,".indexOf(c) >= 0) {
                advance();
                t = new Token(Kind.PUNCT, String.valueOf(c), 0, pos, doc.toString());
            } else {
                String shown = c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format("0x%02x", (int) c);
                throw new IdlSyntaxException(pos.error("unexpected character " + shown));
            }
            doc.setLength(0);
            out.add(t);
        }
    }

    private Token number(Model.Pos pos, String doc) throws IdlSyntaxException {
        int start = i;
        int radix = 10;
        if (src.startsWith("0x", i) || src.startsWith("0X", i)) {
            radix = 16;
            advance();
            advance();
        }
        int digits = i;
        while (i < src.length() && isIdentChar(src.charAt(i))) {
            advance();
        }
        String text = src.substring(start, i);
        String body = src.substring(digits, i);
        long value = 0;
        if (body.isEmpty()) {
            throw new IdlSyntaxException(pos.error("malformed number '" + text + "'"));
        }
        for (char d : body.toCharArray()) {
            int v = Character.digit(d, radix);
            if (v < 0) {
                throw new IdlSyntaxException(pos.error("malformed number '" + text + "'"));
            }
            value = value * radix + v;
            if (value > 0xFFFF_FFFFL) {
                throw new IdlSyntaxException(pos.error("number '" + text + "' is larger than 0xffffffff"));
            }
        }
        return new Token(Kind.NUMBER, text, value, pos, doc);
    }

    /** Skips white space and comments, collecting {@code ///} documentation lines into {@code doc}. */
    private void skipBlanks(StringBuilder doc) throws IdlSyntaxException {
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
                advance();
            } else if (src.startsWith("//", i)) {
                boolean isDoc = src.startsWith("///", i);
                int start = i + (isDoc ? 3 : 2);
                while (i < src.length() && src.charAt(i) != '\n') {
                    advance();
                }
                if (isDoc) {
                    if (!doc.isEmpty()) {
                        doc.append('\n');
                    }
                    doc.append(src.substring(start, i).strip());
                }
            } else if (src.startsWith("/*", i)) {
                Model.Pos open = pos();
                advance();
                advance();
                while (i < src.length() && !src.startsWith("*/", i)) {
                    advance();
                }
                if (i >= src.length()) {
                    throw new IdlSyntaxException(open.error("unterminated comment"));
                }
                advance();
                advance();
            } else {
                return;
            }
        }
    }

    private static boolean isIdentChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_');
    }

    private void advance() {
        if (src.charAt(i) == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        i++;
    }

    private Model.Pos pos() {
        return new Model.Pos(file, line, col);
    }
}
