package jx86.idl;

import java.util.ArrayList;
import java.util.List;
import jx86.idl.Lexer.Kind;
import jx86.idl.Lexer.Token;
import jx86.idl.Model.Interface;
import jx86.idl.Model.Op;
import jx86.idl.Model.Param;
import jx86.idl.Model.Type;

/**
 * Recursive-descent parser for the grammar (documented in docs/kernel-microkernel-idl.md):
 * <pre>
 * file      = { interface } ;
 * interface = "interface" NAME "=" NUMBER "{" { op } "}" ";" ;
 * op        = "op" NAME "(" [ param { "," param } ] ")" "=" NUMBER ";" ;
 * param     = ( "in" | "out" ) type NAME ;
 * type      = "word" | "int" | "fpage" | "string" "<" NUMBER ">" ;
 * </pre>
 * Only the syntax is checked here; names, numbers and sizes are the {@link Checker}'s job.
 */
final class Parser {
    private final List<Token> tokens;
    private int next;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static Model.IdlFile parse(String file, String src) throws IdlSyntaxException {
        Parser p = new Parser(Lexer.tokenize(file, src));
        List<Interface> interfaces = new ArrayList<>();
        while (p.peek().kind() != Kind.EOF) {
            interfaces.add(p.iface());
        }
        return new Model.IdlFile(file, interfaces);
    }

    private Interface iface() throws IdlSyntaxException {
        Token kw = expectWord("interface", "expected 'interface'");
        Token name = expectName("interface name");
        expect("=", "after the interface name (the interface id follows)");
        Token id = expectNumber("interface id");
        expect("{", "to open the interface body");
        List<Op> ops = new ArrayList<>();
        while (!peek().is("}")) {
            if (peek().kind() == Kind.EOF) {
                throw error(peek(), "expected '}' to close interface '" + name.text() + "', found end of file");
            }
            ops.add(op());
        }
        take();
        expect(";", "after the interface body");
        return new Interface(name.text(), id.value(), ops, kw.doc(), name.pos(), id.pos());
    }

    private Op op() throws IdlSyntaxException {
        Token kw = expectWord("op", "expected 'op' or '}'");
        Token name = expectName("operation name");
        expect("(", "after the operation name");
        List<Param> params = new ArrayList<>();
        if (!peek().is(")")) {
            params.add(param());
            while (peek().is(",")) {
                take();
                params.add(param());
            }
        }
        expect(")", "to close the parameter list");
        expect("=", "after the parameter list (the op number follows)");
        Token number = expectNumber("op number");
        expect(";", "after the op number");
        return new Op(name.text(), params, number.value(), kw.doc(), name.pos(), number.pos());
    }

    private Param param() throws IdlSyntaxException {
        Token dir = take();
        if (!dir.is("in") && !dir.is("out")) {
            throw error(dir, "expected 'in' or 'out', found " + dir.describe());
        }
        Type type = type();
        Token name = expectName("parameter name");
        return new Param(dir.is("in"), type, name.text(), name.pos());
    }

    private Type type() throws IdlSyntaxException {
        Token t = take();
        if (t.kind() == Kind.IDENT) {
            switch (t.text()) {
                case "word":
                    return new Type(Model.Kind.WORD, 0, t.pos());
                case "int":
                    return new Type(Model.Kind.INT, 0, t.pos());
                case "fpage":
                    return new Type(Model.Kind.FPAGE, 0, t.pos());
                case "string":
                    expect("<", "after 'string' (strings are string<N>, N bytes at most)");
                    Token n = expectNumber("string bound");
                    expect(">", "after the string bound");
                    return new Type(Model.Kind.STRING, n.value(), t.pos());
                default:
                    throw error(t, "unknown type '" + t.text() + "' (types are word, int, string<N>, fpage)");
            }
        }
        throw error(t, "expected a type, found " + t.describe());
    }

    private Token expect(String punct, String why) throws IdlSyntaxException {
        Token t = take();
        if (!t.is(punct)) {
            throw error(t, "expected '" + punct + "' " + why + ", found " + t.describe());
        }
        return t;
    }

    private Token expectWord(String word, String message) throws IdlSyntaxException {
        Token t = take();
        if (t.kind() != Kind.IDENT || !t.text().equals(word)) {
            throw error(t, message + ", found " + t.describe());
        }
        return t;
    }

    private Token expectName(String what) throws IdlSyntaxException {
        Token t = take();
        if (t.kind() != Kind.IDENT) {
            throw error(t, "expected " + what + ", found " + t.describe());
        }
        return t;
    }

    private Token expectNumber(String what) throws IdlSyntaxException {
        Token t = take();
        if (t.kind() != Kind.NUMBER) {
            throw error(t, "expected " + what + " (a number), found " + t.describe());
        }
        return t;
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token t = tokens.get(next);
        if (t.kind() != Kind.EOF) {
            next++;
        }
        return t;
    }

    private static IdlSyntaxException error(Token t, String message) {
        return new IdlSyntaxException(t.pos().error(message));
    }
}
