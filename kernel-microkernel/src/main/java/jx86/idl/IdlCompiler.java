package jx86.idl;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The IDL compiler: {@code IdlCompiler [--out DIR] FILE.idl...} writes, for every interface,
 * {@code NAME_client.h}, {@code NAME_client.c}, {@code NAME_server.h}, {@code NAME_server.c} and
 * {@code NAME.md} into DIR (default: the current directory).
 *
 * <p>Exit status: 0 done; 1 an .idl file is malformed (every error printed on stderr as
 * {@code file:line:col: message}, nothing written); 2 bad usage or an unreadable input or
 * unwritable output (one line). All interfaces of one run share the label space: their names and
 * ids must be unique. The output depends only on the input's bytes and file name, and a file whose
 * content would not change is not rewritten (so make does not rebuild what uses it).
 */
public final class IdlCompiler {
    static final String USAGE = "usage: idlc [--out DIR] FILE.idl...";

    private IdlCompiler() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    /** Runs the compiler; returns the exit status. */
    static int run(String[] args, PrintStream err) {
        Path out = Path.of(".");
        List<Path> inputs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--out")) {
                if (i + 1 >= args.length) {
                    err.println("idlc: --out needs a directory; " + USAGE);
                    return 2;
                }
                out = Path.of(args[++i]);
            } else if (a.startsWith("--out=")) {
                out = Path.of(a.substring("--out=".length()));
            } else if (a.equals("-h") || a.equals("--help")) {
                err.println(USAGE);
                return 0;
            } else if (a.startsWith("-")) {
                err.println("idlc: unknown option '" + a + "'; " + USAGE);
                return 2;
            } else {
                inputs.add(Path.of(a));
            }
        }
        if (inputs.isEmpty()) {
            err.println("idlc: no input files; " + USAGE);
            return 2;
        }

        List<Model.IdlFile> files = new ArrayList<>();
        List<Diagnostic> errors = new ArrayList<>();
        for (Path in : inputs) {
            String src;
            try {
                src = Files.readString(in, StandardCharsets.UTF_8);
            } catch (IOException | java.io.UncheckedIOException e) {
                err.println("idlc: cannot read " + in + ": " + reason(e));
                return 2;
            }
            try {
                files.add(Parser.parse(in.toString(), src));
            } catch (IdlSyntaxException e) {
                errors.add(e.diagnostic());
            }
        }
        errors.addAll(Checker.check(files));
        if (!errors.isEmpty()) {
            errors.forEach(d -> err.println(d));
            return 1;
        }

        Map<String, String> outputs = new LinkedHashMap<>();
        for (Model.IdlFile f : files) {
            String source = Path.of(f.path()).getFileName().toString();
            for (Model.Interface itf : f.interfaces()) {
                CGenerator c = new CGenerator(itf, source);
                String n = itf.name();
                outputs.put(n + "_client.h", c.clientHeader());
                outputs.put(n + "_client.c", c.clientSource());
                outputs.put(n + "_server.h", c.serverHeader());
                outputs.put(n + "_server.c", c.serverSource());
                outputs.put(n + ".md", MarkdownGenerator.generate(itf, source, c));
            }
        }
        try {
            Files.createDirectories(out);
            for (Map.Entry<String, String> e : outputs.entrySet()) {
                writeIfChanged(out.resolve(e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            err.println("idlc: cannot write to " + out + ": " + reason(e));
            return 2;
        }
        return 0;
    }

    private static void writeIfChanged(Path file, byte[] bytes) throws IOException {
        if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bytes)) {
            return;
        }
        Files.write(file, bytes);
    }

    private static String reason(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.charset.CharacterCodingException
                || e.getCause() instanceof java.nio.charset.CharacterCodingException) {
            return "not UTF-8 text";
        }
        return e.getClass().getSimpleName() + (e.getMessage() != null ? " " + e.getMessage() : "");
    }
}
