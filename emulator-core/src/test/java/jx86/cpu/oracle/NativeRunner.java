package jx86.cpu.oracle;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jx86.testsupport.Oracles;

/**
 * Builds and drives the native runner (src/test/native/oracle): a freestanding 32-bit Linux ELF
 * that executes each block on the host CPU in user mode. One process runs a whole batch; cases go
 * in and results come out through files, in the binary format described in runner.c.
 */
final class NativeRunner {
    static final Path SOURCE_DIR = Path.of("src", "test", "native", "oracle");
    static final Path BUILD_DIR = Path.of("target", "oracle");

    private final Path binary;

    private NativeRunner(Path binary) {
        this.binary = binary;
    }

    /**
     * The runner for a test that needs it: without it the test is skipped, or fails under
     * -Djx86.requireOracles=true (jx86.testsupport.Oracles).
     */
    static NativeRunner required() {
        String[] why = new String[1];
        NativeRunner nat = build(why);
        Oracles.assume(nat != null, "the native CPU oracle: " + why[0]);
        return nat;
    }

    /** The runner for a case printed on request: the test is skipped ("skipping WHAT: reason") without it. */
    static NativeRunner forRequest(String what) {
        String[] why = new String[1];
        NativeRunner nat = build(why);
        assumeTrue(nat != null, () -> "skipping " + what + ": " + why[0]);
        return nat;
    }

    /**
     * Builds the runner if its sources are newer than the binary. Returns null, with the reason in
     * {@code why[0]}, when this host cannot build or run it (no gcc -m32, not x86 Linux).
     */
    static NativeRunner build(String[] why) {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.toLowerCase().contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64")
                || arch.equals("i386") || arch.equals("x86"))) {
            why[0] = "the native oracle needs an x86 Linux host (found " + os + "/" + arch + ")";
            return null;
        }
        try {
            Files.createDirectories(BUILD_DIR);
            Path bin = BUILD_DIR.resolve("oracle-runner");
            Path c = SOURCE_DIR.resolve("runner.c");
            Path s = SOURCE_DIR.resolve("runner_entry.S");
            if (Files.exists(bin) && newer(bin, c) && newer(bin, s)) {
                return smokeTested(new NativeRunner(bin), why);
            }
            String err = exec(List.of("gcc", "-m32", "-std=c11", "-O1", "-ffreestanding", "-fno-pic",
                    "-fno-stack-protector", "-nostdlib", "-mgeneral-regs-only", "-Wall", "-Werror", "-c", "-o",
                    BUILD_DIR.resolve("runner.o").toString(), c.toString()));
            if (err == null) {
                err = exec(List.of("gcc", "-m32", "-c", "-o", BUILD_DIR.resolve("runner_entry.o").toString(),
                        s.toString()));
            }
            if (err == null) {
                err = exec(List.of("ld", "-m", "elf_i386", "-static", "-o", bin.toString(),
                        BUILD_DIR.resolve("runner_entry.o").toString(), BUILD_DIR.resolve("runner.o").toString()));
            }
            if (err != null) {
                why[0] = "cannot build the native oracle runner with gcc -m32 / ld -m elf_i386: " + err;
                return null;
            }
            return smokeTested(new NativeRunner(bin), why);
        } catch (IOException e) {
            why[0] = "cannot build the native oracle runner: " + e;
            return null;
        }
    }

    /** Runs one trivial block (INC EAX) so a host that cannot run the binary skips instead of failing. */
    private static NativeRunner smokeTested(NativeRunner runner, String[] why) {
        int[] regs = {41, 0, 0, 0, OracleCase.WINDOW_ADDRESS + 0x1C00, 0, 0, 0};
        OracleCase inc = new OracleCase(0, new byte[] {0x40}, List.of(), regs, 0,
                new byte[OracleCase.WINDOW_SIZE], 0);
        try {
            List<OracleResult> r = runner.run(List.of(inc));
            if (r.get(0).vector == OracleResult.COMPLETED && r.get(0).regs[0] == 42) {
                return runner;
            }
            why[0] = "the native oracle runner gave a wrong result for INC EAX: " + r.get(0).describe();
        } catch (IOException e) {
            why[0] = "the native oracle runner does not run on this host: " + e.getMessage();
        }
        return null;
    }

    private static boolean newer(Path a, Path b) throws IOException {
        FileTime ta = Files.getLastModifiedTime(a);
        return ta.compareTo(Files.getLastModifiedTime(b)) > 0;
    }

    /** Runs a command; returns null on success, else its output. */
    private static String exec(List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return cmd.get(0) + " not found (" + e.getMessage() + ")";
        }
        byte[] out = p.getInputStream().readAllBytes();
        try {
            int rc = p.waitFor();
            return rc == 0 ? null : String.join(" ", cmd) + " failed: " + new String(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Runs every case in one process and returns the results in order. */
    List<OracleResult> run(List<OracleCase> cases) throws IOException {
        Path in = Files.createTempFile(BUILD_DIR, "cases", ".bin");
        Path out = Files.createTempFile(BUILD_DIR, "results", ".bin");
        try {
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(in), 1 << 16)) {
                ByteBuffer bb = ByteBuffer.allocate(4 * 11).order(ByteOrder.LITTLE_ENDIAN);
                for (OracleCase c : cases) {
                    bb.clear();
                    bb.putInt(c.code.length);
                    bb.putInt(c.codeAddress - OracleCase.CODE_ADDRESS);
                    for (int r : c.regs) {
                        bb.putInt(r);
                    }
                    bb.putInt(c.eflags);
                    os.write(bb.array(), 0, bb.position());
                    os.write(c.window);
                    os.write(c.code);
                }
                bb.clear();
                bb.putInt(-1);
                os.write(bb.array(), 0, 4);
            }
            Process p = new ProcessBuilder(binary.toAbsolutePath().toString()).redirectInput(in.toFile())
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IOException("native runner timed out");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (p.exitValue() != 0) {
                throw new IOException("native runner exited with status " + p.exitValue());
            }
            return parse(Files.newInputStream(out), cases.size());
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    private static List<OracleResult> parse(InputStream raw, int count) throws IOException {
        List<OracleResult> results = new ArrayList<>(count);
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
            byte[] head = new byte[4 * 14];
            for (int i = 0; i < count; i++) {
                in.readFully(head);
                ByteBuffer bb = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
                int signo = bb.getInt();
                int trapno = bb.getInt();
                int err = bb.getInt();
                int eip = bb.getInt();
                int addr = bb.getInt();
                int[] regs = new int[8];
                for (int r = 0; r < 8; r++) {
                    regs[r] = bb.getInt();
                }
                int eflags = bb.getInt();
                byte[] window = new byte[OracleCase.WINDOW_SIZE];
                in.readFully(window);
                int vector = signo == 0 ? OracleResult.COMPLETED : trapno;
                OracleResult r = new OracleResult(vector, eip, regs, eflags, window, null);
                if (vector == 14) {
                    r.errorCode = err;
                    r.faultAddress = addr;
                }
                results.add(r);
            }
        }
        return results;
    }
}
