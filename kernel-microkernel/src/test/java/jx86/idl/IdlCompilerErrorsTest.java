package jx86.idl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parser and checker: every kind of error gives exactly {@code file:line:col: message} on
 * stderr and exit status 1 (and writes nothing); good input exits 0; bad usage exits 2 with one line.
 */
class IdlCompilerErrorsTest {
    private static final String OK_OP = "    op f(in word a) = 1;\n";

    static Stream<Arguments> errors() {
        return Stream.of(
                // lexer
                Arguments.of("char", "interface a = 1 { # };\n", "1:19: unexpected character '#'"),
                Arguments.of("comment", "interface a = 1 {\n/* never closed\n", "2:1: unterminated comment"),
                Arguments.of("big-number", "interface a = 0x100000000 { };\n",
                        "1:15: number '0x100000000' is larger than 0xffffffff"),
                Arguments.of("bad-number", "interface a = 12ab { };\n", "1:15: malformed number '12ab'"),
                Arguments.of("bad-hex", "interface a = 0x { };\n", "1:15: malformed number '0x'"),
                // parser
                Arguments.of("no-interface", "op f() = 1;\n", "1:1: expected 'interface', found 'op'"),
                Arguments.of("no-id", "interface a { };\n",
                        "1:13: expected '=' after the interface name (the interface id follows), found '{'"),
                Arguments.of("id-not-number", "interface a = b { };\n",
                        "1:15: expected interface id (a number), found 'b'"),
                Arguments.of("no-semicolon-op", "interface a = 1 {\n    op f() = 1\n};\n",
                        "3:1: expected ';' after the op number, found '}'"),
                Arguments.of("no-semicolon-iface", "interface a = 1 {\n" + OK_OP + "}\n",
                        "4:1: expected ';' after the interface body, found end of file"),
                Arguments.of("eof-in-body", "interface a = 1 {\n" + OK_OP,
                        "3:1: expected '}' to close interface 'a', found end of file"),
                Arguments.of("not-op", "interface a = 1 {\n    f() = 1;\n};\n", "2:5: expected 'op' or '}', found 'f'"),
                Arguments.of("direction", "interface a = 1 {\n    op f(word a) = 1;\n};\n",
                        "2:10: expected 'in' or 'out', found 'word'"),
                Arguments.of("unknown-type", "interface a = 1 {\n    op f(in float x) = 1;\n};\n",
                        "2:13: unknown type 'float' (types are word, int, string<N>, fpage)"),
                Arguments.of("string-no-bound", "interface a = 1 {\n    op f(in string s) = 1;\n};\n",
                        "2:20: expected '<' after 'string' (strings are string<N>, N bytes at most), found 's'"),
                Arguments.of("no-param-name", "interface a = 1 {\n    op f(in word) = 1;\n};\n",
                        "2:17: expected parameter name, found ')'"),
                Arguments.of("no-op-number", "interface a = 1 {\n    op f(in word x);\n};\n",
                        "2:20: expected '=' after the parameter list (the op number follows), found ';'"),
                // checker: ids and labels
                Arguments.of("id-0", "interface a = 0 {\n" + OK_OP + "};\n",
                        "1:15: interface id 0 is reserved (ids are 1..0xef)"),
                Arguments.of("id-f0", "interface a = 0xf0 {\n" + OK_OP + "};\n",
                        "1:15: interface id 0xf0 is reserved for the kernel (ids are 1..0xef)"),
                Arguments.of("id-ff", "interface a = 0xFF {\n" + OK_OP + "};\n",
                        "1:15: interface id 0xff would use labels 0xff00..0xffff, which the kernel reserves"
                                + " (page faults 0xffe0|rwx, interrupts 0xfff0, exceptions)"),
                Arguments.of("id-9bit", "interface a = 0x100 {\n" + OK_OP + "};\n",
                        "1:15: interface id 0x100 does not fit in 8 bits (ids are 1..0xef)"),
                Arguments.of("op-0", "interface a = 1 {\n    op f() = 0;\n};\n",
                        "2:14: op number 0 is reserved (op numbers are 1..255)"),
                Arguments.of("op-256", "interface a = 1 {\n    op f() = 256;\n};\n",
                        "2:14: op number 256 does not fit in 8 bits (op numbers are 1..255)"),
                Arguments.of("dup-label", "interface a = 0x20 {\n    op f() = 1;\n    op g() = 1;\n};\n",
                        "3:14: label 0x2001 (op number 1) is already used by operation 'f'"),
                // checker: names
                Arguments.of("dup-op", "interface a = 1 {\n    op f() = 1;\n    op f() = 2;\n};\n",
                        "3:8: operation 'f' is already defined at " + "%F" + ":2:8"),
                Arguments.of("dup-param", "interface a = 1 {\n    op f(in word x, out int x) = 1;\n};\n",
                        "2:29: parameter 'x' is already defined at %F:2:18"),
                Arguments.of("dup-iface", "interface a = 1 {\n};\ninterface a = 2 {\n};\n",
                        "3:11: interface 'a' is already defined at %F:1:11"),
                Arguments.of("dup-id", "interface a = 7 {\n};\ninterface b = 7 {\n};\n",
                        "3:15: interface id 0x7 is already used by interface 'a' at %F:1:11"),
                Arguments.of("upper", "interface Console = 1 {\n};\n",
                        "1:11: interface name 'Console' must be lower case: a letter, then letters, digits or '_'"),
                Arguments.of("keyword", "interface a = 1 {\n    op f(in word int) = 1;\n};\n",
                        "2:18: parameter name 'int' is a C keyword"),
                Arguments.of("prefix", "interface a = 1 {\n    op idl_f() = 1;\n};\n",
                        "2:8: operation name 'idl_f' uses a reserved prefix (idl_ and l4_ belong to the runtime)"),
                Arguments.of("reserved-param", "interface a = 1 {\n    op f(in word caller) = 1;\n};\n",
                        "2:18: parameter name 'caller' is reserved (the generated functions use it)"),
                Arguments.of("len-collision", "interface a = 1 {\n    op f(in string<4> s, out word s_len) = 1;\n};\n",
                        "2:35: parameter name 's_len' collides with the length of string 's'"),
                Arguments.of("generated-reply", "interface a = 1 {\n    op read() = 1;\n    op read_reply() = 2;\n};\n",
                        "3:8: the generated name 'a_read_reply' (the client stub of operation 'read_reply' of interface"
                                + " 'a') is already the reply builder of operation 'read' of interface 'a' at %F:2:8"),
                Arguments.of("generated-across", "interface x = 1 {\n    op b_c() = 1;\n};\ninterface x_b = 2 {\n"
                                + "    op c() = 1;\n};\n",
                        "5:8: the generated name 'x_b_c' (the client stub of operation 'c' of interface 'x_b') is"
                                + " already the client stub of operation 'b_c' of interface 'x' at %F:2:8"),
                // checker: sizes
                Arguments.of("string-0", "interface a = 1 {\n    op f(in string<0> s) = 1;\n};\n",
                        "2:13: string bound must be at least 1"),
                Arguments.of("request-64", "interface a = 1 {\n    op big(in string<245> s, in word w) = 1;\n};\n",
                        "2:8: operation 'big': the request needs 64 message registers, more than the 63 there are"
                                + " (MR1..MR63)"),
                Arguments.of("reply-64", "interface a = 1 {\n    op big(out string<245> s) = 1;\n};\n",
                        "2:8: operation 'big': the reply needs 64 message registers (the return value and the out"
                                + " parameters), more than the 63 there are (MR1..MR63)"),
                Arguments.of("reply-fpages", "interface a = 1 {\n    op big(out string<240> s, out fpage p) = 1;\n};\n",
                        "2:8: operation 'big': the reply needs 64 message registers (the return value and the out"
                                + " parameters), more than the 63 there are (MR1..MR63)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void errorGivesFileLineColAndStatus1(String name, String source, String expected) throws IOException {
        Path dir = Idlc.scratch("errors/" + name);
        Path file = Path.of("target/idl-test/errors/" + name + "/bad.idl");
        Files.writeString(file, source);
        Idlc.Result r = Idlc.run("--out", dir.resolve("out").toString(), file.toString());
        assertThat(r.errLines()).containsExactly(file + ":" + expected.replace("%F", file.toString()));
        assertThat(r.status()).isEqualTo(1);
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void everyCheckerErrorIsReportedInSourceOrder() throws IOException {
        Idlc.scratch("errors/several");
        Path file = Path.of("target/idl-test/errors/several/bad.idl");
        Files.writeString(file, "interface a = 0 {\n    op f() = 0;\n    op g(in string<0> s) = 2;\n};\n");
        Idlc.Result r = Idlc.run("--out", "target/idl-test/errors/several/out", file.toString());
        assertThat(r.errLines()).containsExactly(
                file + ":1:15: interface id 0 is reserved (ids are 1..0xef)",
                file + ":2:14: op number 0 is reserved (op numbers are 1..255)",
                file + ":3:13: string bound must be at least 1");
        assertThat(r.status()).isEqualTo(1);
    }

    @Test
    void idsMustBeUniqueAcrossFiles() throws IOException {
        Idlc.scratch("errors/two-files");
        Path one = Path.of("target/idl-test/errors/two-files/one.idl");
        Path two = Path.of("target/idl-test/errors/two-files/two.idl");
        Files.writeString(one, "interface a = 9 {\n};\n");
        Files.writeString(two, "\n interface b = 9 {\n};\n");
        Idlc.Result r = Idlc.run("--out", "target/idl-test/errors/two-files/out", one.toString(), two.toString());
        assertThat(r.errLines()).containsExactly(
                two + ":2:16: interface id 0x9 is already used by interface 'a' at " + one + ":1:11");
        assertThat(r.status()).isEqualTo(1);
    }

    @Test
    void goodInputExits0AndWritesFiveFilesPerInterface() throws IOException {
        Path dir = Idlc.scratch("errors/good");
        Path file = dir.resolve("good.idl");
        Files.writeString(file, "// two interfaces\ninterface one = 1 {\n    op f(in word a, out int b) = 1;\n};\n"
                + "interface two = 0xef {\n    op g() = 255;\n};\n");
        Idlc.Result r = Idlc.run("--out", dir.resolve("out").toString(), file.toString());
        assertThat(r.errLines()).isEmpty();
        assertThat(r.status()).isZero();
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    "one.md", "one_client.c", "one_client.h", "one_server.c", "one_server.h",
                    "two.md", "two_client.c", "two_client.h", "two_server.c", "two_server.h");
        }
        assertThat(Files.readString(dir.resolve("out/two_client.h"))).contains("#define TWO_G_LABEL 0xefff\n");
    }

    static Stream<Arguments> usage() {
        return Stream.of(
                Arguments.of(new String[] {}, "idlc: no input files; usage: idlc [--out DIR] FILE.idl..."),
                Arguments.of(new String[] {"--out"}, "idlc: --out needs a directory; usage: idlc [--out DIR] FILE.idl..."),
                Arguments.of(new String[] {"--verbose", "x.idl"},
                        "idlc: unknown option '--verbose'; usage: idlc [--out DIR] FILE.idl..."),
                Arguments.of(new String[] {"--out", "target/idl-test/usage", "target/idl-test/does-not-exist.idl"},
                        "idlc: cannot read target/idl-test/does-not-exist.idl: no such file"));
    }

    @ParameterizedTest
    @MethodSource("usage")
    void badUsageIsOneLineAndStatus2(String[] args, String expected) {
        Idlc.Result r = Idlc.run(args);
        assertThat(r.errLines()).containsExactly(expected);
        assertThat(r.status()).isEqualTo(2);
    }

    @Test
    void mainExitsWithTheStatusThroughAProcess() throws Exception {
        // the real entry point, as the Makefile runs it: java -cp target/classes jx86.idl.IdlCompiler
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Idlc.Result r = Idlc.exec(Idlc.MODULE, java.util.List.of(javaBin, "-cp", "target/classes",
                "jx86.idl.IdlCompiler", "--nope"));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("idlc: unknown option '--nope'; usage: idlc [--out DIR] FILE.idl...");
    }
}
