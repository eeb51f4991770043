package jx86.idl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The generated files: every interface of kernel-microkernel/idl and the loopback test interface
 * compiles with the guest gcc flags and -Wall -Werror; compiling twice gives the same bytes; the
 * constants and layout comments say what the language promises.
 */
class IdlGeneratedCodeTest {
    /** All example interfaces plus the loopback guest's and the corner cases (edge.idl: 2 interfaces). */
    static List<String> allIdlFiles() throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Idlc.IDL_DIR)) {
            s.filter(p -> p.toString().endsWith(".idl")).sorted().forEach(p -> files.add(p.toString()));
        }
        files.add(Idlc.TEST_RES.resolve("guest/rt.idl").toString());
        files.add(Idlc.TEST_RES.resolve("edge.idl").toString());
        return files;
    }

    /** One interface per file, two in edge.idl. */
    private static int interfaces() throws IOException {
        return allIdlFiles().size() + 1;
    }

    private static Path compileAll(String name) throws IOException {
        Path out = Idlc.scratch(name);
        List<String> args = new ArrayList<>(List.of("--out", out.toString()));
        args.addAll(allIdlFiles());
        Idlc.Result r = Idlc.run(args.toArray(String[]::new));
        assertThat(r.errLines()).isEmpty();
        assertThat(r.status()).isZero();
        return out;
    }

    @Test
    void serverInterfacesAreAllThere() throws IOException {
        assertThat(allIdlFiles()).extracting(f -> Path.of(f).getFileName().toString())
                .contains("names.idl", "console.idl", "block.idl", "fs.idl", "proc.idl", "memory.idl", "restart.idl",
                        "rt.idl");
    }

    @Test
    void generatedCodeCompilesWithGuestFlagsAndWerror() throws Exception {
        assumeTrue(Idlc.onPath("gcc"), "gcc not installed: skipping the compile check of the generated C");
        Path out = compileAll("compile");
        List<Path> sources;
        try (Stream<Path> s = Files.list(out)) {
            sources = s.filter(p -> p.toString().endsWith(".c")).sorted().toList();
        }
        assertThat(sources).hasSize(2 * interfaces());
        for (Path src : sources) {
            // the project's guest flags (-O2 adds the flow-based warnings) ...
            Path obj = out.resolve(src.getFileName() + ".o");
            Idlc.Result r = Idlc.exec(out, Idlc.gccCommand(src, obj));
            assertThat(r.errLines()).as("gcc %s", src.getFileName()).isEmpty();
            assertThat(r.status()).as("gcc %s", src.getFileName()).isZero();
            // ... and exactly the command line of the issue, plus -Wextra for good measure
            List<String> plain = new ArrayList<>(List.of("gcc", "-m32", "-std=c11", "-ffreestanding", "-nostdlib",
                    "-fno-builtin", "-Wall", "-Wextra", "-Werror", "-I" + Idlc.STANDIN_INCLUDE,
                    "-I" + Idlc.RUNTIME_INCLUDE, "-c", src.toString(), "-o", obj.toString()));
            r = Idlc.exec(out, plain);
            assertThat(r.errLines()).as("gcc -Wextra %s", src.getFileName()).isEmpty();
            assertThat(r.status()).isZero();
        }
        // both headers of an interface in one file: the shared constants must not clash
        Path both = out.resolve("both.c");
        Files.writeString(both, "#include \"fs_client.h\"\n#include \"fs_server.h\"\n"
                + "int both(void) { return FS_READ_LABEL + FS_READ_DATA_MAX; }\n");
        Idlc.Result r = Idlc.exec(out, Idlc.gccCommand(both, out.resolve("both.o"), out));
        assertThat(r.errLines()).isEmpty();
        assertThat(r.status()).isZero();
    }

    @Test
    void compilingTwiceGivesIdenticalBytes() throws IOException {
        Path a = compileAll("determinism-a");
        Path b = compileAll("determinism-b");
        List<String> names;
        try (Stream<Path> s = Files.list(a)) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(names).hasSize(5 * interfaces());
        for (String n : names) {
            assertThat(Files.readAllBytes(b.resolve(n))).as(n).isEqualTo(Files.readAllBytes(a.resolve(n)));
        }
    }

    @Test
    void unchangedOutputIsNotRewritten() throws IOException, InterruptedException {
        Path out = compileAll("rewrite");
        Path h = out.resolve("console_client.h");
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(h, old);
        Idlc.Result r = Idlc.run("--out", out.toString(), Idlc.IDL_DIR.resolve("console.idl").toString());
        assertThat(r.status()).isZero();
        assertThat(Files.getLastModifiedTime(h)).isEqualTo(old);
    }

    @Test
    void headersDefineIdsLabelsAndBounds() throws IOException {
        Path out = compileAll("constants");
        String h = Files.readString(out.resolve("console_client.h"));
        assertThat(h).contains("#define CONSOLE_ID 0x10 ", "#define CONSOLE_WRITE_LABEL 0x1001\n",
                "#define CONSOLE_READ_LABEL 0x1002\n", "#define CONSOLE_WRITE_TEXT_MAX 120 ",
                "int console_write(l4_threadid_t server, const char *text, l4_word_t text_len, int *written);",
                "#include <idl/idl_rt.h>");
        String s = Files.readString(out.resolve("console_server.h"));
        assertThat(s).contains(
                "int console_read_impl(l4_threadid_t caller, l4_word_t max, char *data, l4_word_t *data_len);",
                "l4_msgtag_t console_dispatch(l4_threadid_t from, l4_msgtag_t tag);",
                "_Noreturn void console_server_loop(void);");
        String c = Files.readString(out.resolve("console_client.c"));
        assertThat(c).contains(" * request: MR1 = max (word)\n",
                " * reply:   MR1 = result; MR2 = data length, then ceil(length/4) words of bytes (string<120>) */");
        // /// comments travel into the headers and the reference
        assertThat(h).contains("/* write(in string<120> text, out int written) = 1, label 0x1001\n"
                + " * Writes text; returns the number of bytes written in `written`. */\n");
        assertThat(Files.readString(out.resolve("console.md")))
                .contains("\nThe serial console: text in and out, one client at a time.\n");
        String md = Files.readString(out.resolve("fs.md"));
        assertThat(md).startsWith("# Interface `fs` (id 0x30)\n")
                .contains("| [`rename`](#rename) | `0x300a` | 62 | 1 |");
    }
}
