package jx86.idl;

import java.util.List;

/** The parsed form of an .idl file: interfaces, their operations and parameters. */
final class Model {
    private Model() {
    }

    /** A source position, for error messages. */
    record Pos(String file, int line, int col) {
        Diagnostic error(String message) {
            return new Diagnostic(file, line, col, message);
        }
    }

    /** The parameter types: {@code word}, {@code int}, {@code string<N>}, {@code fpage}. */
    enum Kind { WORD, INT, STRING, FPAGE }

    /** A type; {@code bound} is N for {@code string<N>} and 0 otherwise. */
    record Type(Kind kind, long bound, Pos pos) {
        boolean isScalar() {
            return kind == Kind.WORD || kind == Kind.INT;
        }

        /** Message words this type needs at most: strings a length word plus ceil(N/4) words, fpages two. */
        long maxWords() {
            return switch (kind) {
                case WORD, INT -> 1;
                case STRING -> 1 + (bound + 3) / 4;
                case FPAGE -> 2;
            };
        }

        String spelling() {
            return kind == Kind.STRING ? "string<" + bound + ">" : kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    record Param(boolean in, Type type, String name, Pos pos) {
    }

    /** An operation; {@code number} is its 8-bit op number, the label is (interface id << 8) | number. */
    record Op(String name, List<Param> params, long number, String doc, Pos pos, Pos numberPos) {
        List<Param> ins() {
            return params.stream().filter(Param::in).toList();
        }

        List<Param> outs() {
            return params.stream().filter(p -> !p.in()).toList();
        }
    }

    record Interface(String name, long id, List<Op> ops, String doc, Pos pos, Pos idPos) {
        long label(Op op) {
            return (id << 8) | op.number();
        }
    }

    /** One parsed file. */
    record IdlFile(String path, List<Interface> interfaces) {
    }
}
