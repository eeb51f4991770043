package jx86.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data archive (docs/performance.md, "Start-up"): whatever state the archive
 * or its directory is in, a run prints the same standard output (the guest's console) and ends
 * with the same status as a run without any archive (JX86_CDS=off).
 *
 * <p>The launcher script runs as a process, in a copy of the repository layout under a temporary
 * directory (the script, emulator-core/target/emulator-core.jar made from target/classes, the
 * dependency jars in target/lib), so it never builds and never touches this checkout's archive.
 * The guest is a boot sector that prints "CDS!" on COM1 and writes 5 to the exit port.
 *
 * <p>Also the launcher's own JVM options (docs/performance.md, "Round 5"): they reach the JVM, and a
 * collector named in JX86_JAVA_OPTS replaces them.
 */
class LauncherCdsTest {
    /** mov dx,0x3f8; mov al,c; out dx,al (x4: "CDS!"); mov al,'\n'; out dx,al; mov al,5; out 0xf4,al; hlt. */
    private static final byte[] CODE = {
        (byte) 0xBA, (byte) 0xF8, 0x03,
        (byte) 0xB0, 'C', (byte) 0xEE, (byte) 0xB0, 'D', (byte) 0xEE, (byte) 0xB0, 'S', (byte) 0xEE,
        (byte) 0xB0, '!', (byte) 0xEE, (byte) 0xB0, '\n', (byte) 0xEE,
        (byte) 0xB0, 0x05, (byte) 0xE6, (byte) 0xF4, (byte) 0xF4};

    @TempDir
    static Path root;
    private static Path image;

    record Run(int status, String stdout, String stderr) {
    }

    @BeforeAll
    static void layOutRepository() throws IOException {
        Path script = Path.of("..", "jx86").toAbsolutePath().normalize();
        Path classes = Path.of("target", "classes").toAbsolutePath();
        assumeTrue(Files.isRegularFile(script) && Files.isDirectory(classes) && new File("/bin/bash").canExecute(),
                "launcher test skipped: needs ../jx86, target/classes and /bin/bash");
        Files.copy(script, root.resolve("jx86"));
        root.resolve("jx86").toFile().setExecutable(true);
        Path target = Files.createDirectories(root.resolve("emulator-core/target/lib"));
        ToolProvider jar = ToolProvider.findFirst("jar").orElseThrow();
        int status = jar.run(System.out, System.err, "--create", "--file",
                target.getParent().resolve("emulator-core.jar").toString(), "-C", classes.toString(), ".");
        assertThat(status).as("jar tool").isZero();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p) && !Files.exists(target.resolve(p.getFileName()))) {
                Files.copy(p, target.resolve(p.getFileName()));
            }
        }
        byte[] sector = new byte[512];
        System.arraycopy(CODE, 0, sector, 0, CODE.length);
        sector[510] = 0x55;
        sector[511] = (byte) 0xAA;
        image = root.resolve("cds-test.img");
        Files.write(image, sector);
    }

    private static Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/bin/bash", root.resolve("jx86").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().remove("JX86_JAVA_OPTS");
        pb.environment().remove("JX86_CDS");
        pb.environment().remove("JX86_CDS_DIR");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Run boot(Map<String, String> env) throws IOException, InterruptedException {
        return launch(env, "boot", image.toString(), "--snapshot", "--max-instructions", "10000000");
    }

    private static List<Path> archives(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsa")).sorted().toList();
        }
    }

    @Test
    void everyArchiveState_sameConsoleAndStatusAsWithout() throws Exception {
        Run without = boot(Map.of("JX86_CDS", "off"));
        assertThat(without.status()).as("exit status from port 0xF4").isEqualTo(5);
        assertThat(without.stdout()).contains("CDS!\n");

        Path dir = root.resolve("cache/cds");
        Map<String, String> env = Map.of("JX86_CDS_DIR", dir.toString());

        // missing: the first run writes the archive (one line on stderr) and runs as without
        Run first = boot(env);
        assertThat(first.status()).isEqualTo(without.status());
        assertThat(first.stdout()).isEqualTo(without.stdout());
        assertThat(first.stderr()).contains("jx86: writing the class-data archive");
        List<Path> written = archives(dir);
        assertThat(written).hasSize(1);
        assertThat(Files.size(written.get(0))).isGreaterThan(1 << 20);

        // present: used (-Xshare:on makes the JVM fail if it could not map it), nothing written again
        Run second = boot(Map.of("JX86_CDS_DIR", dir.toString(), "JX86_JAVA_OPTS", "-Xshare:on"));
        assertThat(second.status()).isEqualTo(without.status());
        assertThat(second.stdout()).isEqualTo(without.stdout());
        assertThat(second.stderr()).doesNotContain("class-data archive");

        // corrupt (same name, not an archive): ignored without a word
        Files.writeString(written.get(0), "not a class-data archive\n");
        Run corrupt = boot(env);
        assertThat(corrupt.status()).isEqualTo(without.status());
        assertThat(corrupt.stdout()).isEqualTo(without.stdout());
        assertThat(corrupt.stderr()).doesNotContain("cds").doesNotContain("shared archive");

        // stale (the jar changed): a new archive replaces the old one
        Path jar = root.resolve("emulator-core/target/emulator-core.jar");
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));
        Run stale = boot(env);
        assertThat(stale.status()).isEqualTo(without.status());
        assertThat(stale.stdout()).isEqualTo(without.stdout());
        assertThat(archives(dir)).hasSize(1).doesNotContainAnyElementsOf(written);
    }

    @Test
    void unwritableDirectory_runsWithoutArchive() throws Exception {
        Run without = boot(Map.of("JX86_CDS", "off"));
        Path file = Files.writeString(root.resolve("a-file"), "x");
        // a directory below a regular file can never be created, not even by root
        Run run = boot(Map.of("JX86_CDS_DIR", file.resolve("cds").toString()));
        assertThat(run.status()).isEqualTo(without.status()).isEqualTo(5);
        assertThat(run.stdout()).isEqualTo(without.stdout());
        assertThat(run.stderr()).isEqualTo(without.stderr());
    }

    @Test
    void parallelCollector_byDefault_andACollectorInJavaOptsReplacesIt() throws Exception {
        Run own = boot(Map.of("JX86_CDS", "off", "JX86_JAVA_OPTS", "-XX:+PrintCommandLineFlags"));
        assertThat(own.status()).isEqualTo(5);
        assertThat(own.stdout().lines().findFirst().orElse("")).contains("-XX:+UseParallelGC", "-XX:NewSize=67108864");
        // two collectors would stop the JVM before main(): the launcher leaves its own out
        Run g1 = boot(Map.of("JX86_CDS", "off", "JX86_JAVA_OPTS", "-XX:+UseG1GC -XX:+PrintCommandLineFlags"));
        assertThat(g1.status()).isEqualTo(5);
        assertThat(g1.stdout().lines().findFirst().orElse("")).contains("-XX:+UseG1GC").doesNotContain("UseParallelGC")
                .doesNotContain("NewSize=67108864");
        assertThat(g1.stdout()).contains("CDS!\n");
    }

    /** JAVA_VERSION from a JDK's release file, or null. */
    private static String release(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=\"")) {
                    return line.substring("JAVA_VERSION=\"".length(), line.length() - 1);
                }
            }
        } catch (IOException e) {
            // no release file: not a candidate
        }
        return null;
    }

    private static Path thisJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    @Test
    void javaOverride_runsTheNamedJvm_andABadOneIsOneLineAndStatusTwo() throws Exception {
        Run run = launch(Map.of("JX86_CDS", "off", "JX86_JAVA", thisJava().toString()), "--version");
        assertThat(run.status()).isZero();
        assertThat(run.stdout()).contains("Java " + System.getProperty("java.version") + " (");

        Run bad = launch(Map.of("JX86_CDS", "off", "JX86_JAVA", root.resolve("no-such-java").toString()), "--version");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.stdout()).isEmpty();
        assertThat(bad.stderr().lines()).containsExactly("jx86: JX86_JAVA=" + root.resolve("no-such-java")
                + ": not an executable java binary");
    }

    @Test
    void newestJdk_isChosenOverAnOlderDefault() throws Exception {
        // every JDK 17 or later under /usr/lib/jvm, by version; links to the same JDK count once
        java.util.TreeMap<Runtime.Version, Path> jdks = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.isDirectory(Path.of("/usr/lib/jvm")) ? Files.list(Path.of("/usr/lib/jvm")) : Stream.empty()) {
            for (Path home : s.toList()) {
                String v = release(home);
                if (v != null && v.matches("[1-9][0-9]*(\\.[0-9]+)*") && Files.isExecutable(home.resolve("bin/java"))
                        && Runtime.Version.parse(v).feature() >= 17) {   // JDK 8's "1.8.0_x" is not a candidate
                    jdks.putIfAbsent(Runtime.Version.parse(v), home.toRealPath());
                }
            }
        }
        assumeTrue(jdks.size() >= 2, "JDK choice test skipped: fewer than two JDKs (17 or later) under /usr/lib/jvm");
        Path oldest = jdks.firstEntry().getValue();
        String newest = jdks.lastKey().toString();
        // the oldest is the default java (first on PATH); the launcher takes the newest instead
        Run run = launch(Map.of("JX86_CDS", "off", "PATH", oldest.resolve("bin") + ":/usr/bin:/bin"), "--version");
        assertThat(run.status()).isZero();
        assertThat(run.stdout()).contains("Java " + newest + " (");
        // JX86_JAVA wins over the choice
        Run named = launch(Map.of("JX86_CDS", "off", "PATH", oldest.resolve("bin") + ":/usr/bin:/bin",
                "JX86_JAVA", oldest.resolve("bin/java").toString()), "--version");
        assertThat(named.stdout()).contains("Java " + jdks.firstKey() + " (");
    }

    @Test
    void badUsage_statusTwoAndNothingOnStdout() throws Exception {
        Run run = launch(Map.of("JX86_CDS_DIR", root.resolve("cache/usage").toString()), "boot", "-m", "1");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains("jx86: -m 1: memory size must be between 2 and");
    }
}
