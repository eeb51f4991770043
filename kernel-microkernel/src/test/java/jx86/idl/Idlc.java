package jx86.idl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test helpers: running the compiler in-process, scratch directories under target/, running gcc. */
final class Idlc {
    /** The module directory (surefire runs the tests there). */
    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path IDL_DIR = MODULE.resolve("idl");
    static final Path TEST_RES = MODULE.resolve("src/test/resources/idl");
    static final Path RUNTIME_INCLUDE = MODULE.resolve("include");
    static final Path STANDIN_INCLUDE = TEST_RES.resolve("include");

    /** The guest compiler flags of the project (docs: /work/shared and kernel-monolithic/Makefile). */
    static final List<String> GUEST_CFLAGS = List.of("-m32", "-march=i686", "-std=c11", "-O2", "-ffreestanding",
            "-fno-pic", "-fno-pie", "-fno-stack-protector", "-nostdlib", "-fno-builtin", "-mno-sse", "-mno-mmx",
            "-mno-80387", "-fno-asynchronous-unwind-tables", "-Wall", "-Werror");

    record Result(int status, List<String> errLines) {
    }

    private Idlc() {
    }

    static Result run(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int status;
        try (PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            status = IdlCompiler.run(args, err);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        return new Result(status, text.isEmpty() ? List.of() : List.of(text.split("\n")));
    }

    /** A fresh scratch directory target/idl-test/NAME. */
    static Path scratch(String name) {
        Path dir = MODULE.resolve("target/idl-test").resolve(name);
        try {
            if (Files.exists(dir)) {
                try (var walk = Files.walk(dir)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a tool; returns its exit status and output (stdout and stderr together). */
    static Result exec(Path dir, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {   // a hang guard, not a timing assertion
            p.destroyForcibly();
        }
        String text = new String(out, StandardCharsets.UTF_8);
        return new Result(p.exitValue(), text.isEmpty() ? List.of() : List.of(text.split("\n")));
    }

    /** gcc -c with the guest flags, the stand-in l4/ipc.h and the IDL runtime on the include path. */
    static List<String> gccCommand(Path src, Path obj, Path... includes) {
        List<String> cmd = new ArrayList<>(List.of("gcc"));
        cmd.addAll(GUEST_CFLAGS);
        for (Path inc : includes) {
            cmd.add("-I" + inc);
        }
        cmd.add("-I" + STANDIN_INCLUDE);
        cmd.add("-I" + RUNTIME_INCLUDE);
        cmd.addAll(List.of("-c", src.toString(), "-o", obj.toString()));
        return cmd;
    }
}
