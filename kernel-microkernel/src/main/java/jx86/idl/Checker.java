package jx86.idl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jx86.idl.Model.Interface;
import jx86.idl.Model.Op;
import jx86.idl.Model.Param;
import jx86.idl.Model.Pos;

/**
 * The semantic checks after parsing: names, interface ids, op numbers (labels), string bounds and
 * the message-register budget. All errors are collected, in source order; interfaces of every file
 * given in one run share the label space, so ids and names must be unique across them.
 */
final class Checker {
    /** MR1..MR63: MR0 is the message tag. */
    static final int MAX_MRS = 63;
    static final long MAX_IFACE_ID = 0xEF;

    private static final Set<String> C_KEYWORDS = Set.of(
            "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
            "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return",
            "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void",
            "volatile", "while", "asm", "typeof");
    /** Parameter names the generated functions use themselves (client stub, server function). */
    private static final Set<String> RESERVED_PARAMS = Set.of("server", "caller");

    private final List<Diagnostic> errors = new ArrayList<>();
    /** Positions with a reported name collision: one message each is enough. */
    private final Set<Pos> collided = new java.util.HashSet<>();

    private Checker() {
    }

    static List<Diagnostic> check(List<Model.IdlFile> files) {
        Checker c = new Checker();
        Map<String, Interface> byName = new HashMap<>();
        Map<Long, Interface> byId = new HashMap<>();
        for (Model.IdlFile f : files) {
            for (Interface itf : f.interfaces()) {
                c.iface(itf, byName, byId);
            }
        }
        if (!c.errors.isEmpty()) {
            return c.errors;           // duplicates already reported would only repeat as collisions
        }
        Map<String, Generated> generated = new HashMap<>();
        for (Model.IdlFile f : files) {
            for (Interface itf : f.interfaces()) {
                c.generatedNames(itf, generated);
            }
        }
        return c.errors;
    }

    /** A C identifier the generator will define, and what it is, for collision messages. */
    private record Generated(String what, Pos pos) {
    }

    /**
     * The C names (functions and macros) generated for an interface must not collide with those of
     * another operation or interface: op "read_reply" next to op "read", or interface "a_b" op "c"
     * next to interface "a" op "b_c", would define the same function twice.
     */
    private void generatedNames(Interface itf, Map<String, Generated> seen) {
        String n = itf.name();
        String u = n.toUpperCase(java.util.Locale.ROOT);
        String of = "of interface '" + n + "'";
        define(seen, n + "_dispatch", "the dispatch function " + of, itf.pos());
        define(seen, n + "_server_loop", "the server loop " + of, itf.pos());
        define(seen, n + "_owns", "the label test " + of, itf.pos());
        define(seen, u + "_ID", "the id macro " + of, itf.pos());
        for (Op op : itf.ops()) {
            String o = n + "_" + op.name();
            String ofOp = "of operation '" + op.name() + "' of interface '" + n + "'";
            define(seen, o, "the client stub " + ofOp, op.pos());
            define(seen, o + "_impl", "the server function " + ofOp, op.pos());
            define(seen, o + "_reply", "the reply builder " + ofOp, op.pos());
            define(seen, n + "_do_" + op.name(), "the skeleton's handler " + ofOp, op.pos());
            String ou = o.toUpperCase(java.util.Locale.ROOT);
            define(seen, ou + "_LABEL", "the label macro " + ofOp, op.pos());
            for (Param q : op.params()) {
                if (q.type().kind() == Model.Kind.STRING) {
                    define(seen, ou + "_" + q.name().toUpperCase(java.util.Locale.ROOT) + "_MAX",
                            "the bound macro of parameter '" + q.name() + "' " + ofOp, q.pos());
                }
            }
        }
    }

    private void define(Map<String, Generated> seen, String name, String what, Pos pos) {
        Generated first = seen.putIfAbsent(name, new Generated(what, pos));
        if (first != null && !first.pos().equals(pos) && collided.add(pos)) {
            error(pos, "the generated name '" + name + "' (" + what + ") is already " + first.what() + " at "
                    + where(first.pos()));
        }
    }

    private void iface(Interface itf, Map<String, Interface> byName, Map<Long, Interface> byId) {
        name(itf.name(), itf.pos(), "interface");
        Interface other = byName.putIfAbsent(itf.name(), itf);
        if (other != null) {
            error(itf.pos(), "interface '" + itf.name() + "' is already defined at " + where(other.pos()));
        }
        long id = itf.id();
        if (id == 0) {
            error(itf.idPos(), "interface id 0 is reserved (ids are 1..0xef)");
        } else if (id > 0xFF) {
            error(itf.idPos(), "interface id " + hex(id) + " does not fit in 8 bits (ids are 1..0xef)");
        } else if (id == 0xFF) {
            error(itf.idPos(), "interface id 0xff would use labels 0xff00..0xffff, which the kernel reserves"
                    + " (page faults 0xffe0|rwx, interrupts 0xfff0, exceptions)");
        } else if (id > MAX_IFACE_ID) {
            error(itf.idPos(), "interface id " + hex(id) + " is reserved for the kernel (ids are 1..0xef)");
        } else {
            Interface same = byId.putIfAbsent(id, itf);
            if (same != null) {
                error(itf.idPos(), "interface id " + hex(id) + " is already used by interface '" + same.name()
                        + "' at " + where(same.pos()));
            }
        }
        Map<String, Op> opNames = new HashMap<>();
        Map<Long, Op> opNumbers = new HashMap<>();
        for (Op op : itf.ops()) {
            op(itf, op, opNames, opNumbers);
        }
    }

    private void op(Interface itf, Op op, Map<String, Op> names, Map<Long, Op> numbers) {
        name(op.name(), op.pos(), "operation");
        Op other = names.putIfAbsent(op.name(), op);
        if (other != null) {
            error(op.pos(), "operation '" + op.name() + "' is already defined at " + where(other.pos()));
        }
        long n = op.number();
        if (n == 0) {
            error(op.numberPos(), "op number 0 is reserved (op numbers are 1..255)");
        } else if (n > 0xFF) {
            error(op.numberPos(), "op number " + n + " does not fit in 8 bits (op numbers are 1..255)");
        } else {
            Op same = numbers.putIfAbsent(n, op);
            if (same != null && itf.id() <= 0xFF) {
                error(op.numberPos(), "label " + hex(itf.label(op)) + " (op number " + n
                        + ") is already used by operation '" + same.name() + "'");
            }
        }
        Map<String, Param> params = new HashMap<>();
        for (Param p : op.params()) {
            name(p.name(), p.pos(), "parameter");
            if (RESERVED_PARAMS.contains(p.name())) {
                error(p.pos(), "parameter name '" + p.name() + "' is reserved (the generated functions use it)");
            }
            Param dup = params.putIfAbsent(p.name(), p);
            if (dup != null) {
                error(p.pos(), "parameter '" + p.name() + "' is already defined at " + where(dup.pos()));
            }
            if (p.type().kind() == Model.Kind.STRING && p.type().bound() == 0) {
                error(p.type().pos(), "string bound must be at least 1");
            }
        }
        for (Param p : op.params()) {
            Param s = params.get(lengthOwner(p.name()));
            if (s != null && s.type().kind() == Model.Kind.STRING) {
                error(p.pos(), "parameter name '" + p.name() + "' collides with the length of string '"
                        + s.name() + "'");
            }
        }
        long in = op.ins().stream().mapToLong(p -> p.type().maxWords()).sum();
        long out = 1 + op.outs().stream().mapToLong(p -> p.type().maxWords()).sum();
        if (in > MAX_MRS) {
            error(op.pos(), "operation '" + op.name() + "': the request needs " + in
                    + " message registers, more than the " + MAX_MRS + " there are (MR1..MR63)");
        }
        if (out > MAX_MRS) {
            error(op.pos(), "operation '" + op.name() + "': the reply needs " + out
                    + " message registers (the return value and the out parameters), more than the "
                    + MAX_MRS + " there are (MR1..MR63)");
        }
    }

    /** "text" for "text_len", else null. */
    private static String lengthOwner(String name) {
        return name.endsWith("_len") ? name.substring(0, name.length() - 4) : null;
    }

    private void name(String name, Pos pos, String what) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            error(pos, what + " name '" + name + "' must be lower case: a letter, then letters, digits or '_'");
        } else if (C_KEYWORDS.contains(name)) {
            error(pos, what + " name '" + name + "' is a C keyword");
        } else if (name.startsWith("idl_") || name.startsWith("l4_")) {
            error(pos, what + " name '" + name + "' uses a reserved prefix (idl_ and l4_ belong to the runtime)");
        }
    }

    private void error(Pos pos, String message) {
        errors.add(pos.error(message));
    }

    private static String where(Pos p) {
        return p.file() + ":" + p.line() + ":" + p.col();
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
