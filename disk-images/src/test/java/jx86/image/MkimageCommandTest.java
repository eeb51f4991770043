package jx86.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jx86.cli.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code jx86 mkimage} through the real CLI, which finds it with the ServiceLoader. */
class MkimageCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream oldErr;
    private PrintStream oldOut;

    @BeforeEach
    void capture() {
        oldErr = System.err;
        oldOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(oldErr);
        System.setOut(oldOut);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void unknownKey_exitStatus2AndOneLine() throws IOException {
        Path m = TestImages.write(dir, "bad.manifest", "kernel = k\nflavour = mild\n");
        Files.write(dir.resolve("k"), new byte[] {1});
        assertThat(Main.execute("mkimage", m.toString(), "-o", dir.resolve("x.img").toString())).isEqualTo(2);
        assertThat(stderr()).isEqualTo("jx86: mkimage: " + m + ":2: unknown key 'flavour'"
                + " (known: kernel, module, cmdline, root, size, block-size)" + System.lineSeparator());
        assertThat(dir.resolve("x.img")).doesNotExist();
    }

    @Test
    void missingKernel_exitStatus2AndOneLine() throws IOException {
        Path m = TestImages.write(dir, "bad.manifest", "size = 8M\n");
        assertThat(Main.execute("mkimage", m.toString())).isEqualTo(2);
        assertThat(stderr()).isEqualTo("jx86: mkimage: " + m + ": no kernel given (add 'kernel = path/to/kernel.elf')"
                + System.lineSeparator());
        assertThat(dir.resolve("bad.img")).doesNotExist();
    }

    @Test
    void unknownOption_exitStatus2AndOneLine() throws IOException {
        Path m = TestImages.write(dir, "a.manifest", "kernel = k\n");
        assertThat(Main.execute("mkimage", "--frobnicate", m.toString())).isEqualTo(2);
        assertThat(stderr().lines().count()).isEqualTo(1);
        assertThat(stderr()).startsWith("jx86: Unknown option: '--frobnicate'");
    }

    @Test
    void outputInAMissingDirectory_isRefusedAndNoDirectoryIsCreated() throws IOException {
        Files.copy(TestImages.testKernel(), dir.resolve("k.elf"));
        Path m = TestImages.write(dir, "small.manifest", "kernel = k.elf\nsize = 2M\n");
        Path missing = dir.resolve("no/such/x.img");
        assertThat(Main.execute("mkimage", m.toString(), "-o", missing.toString())).isEqualTo(2);
        assertThat(stderr().lines()).hasSize(1).first().asString().contains("does not exist");
        assertThat(dir.resolve("no")).doesNotExist();
    }

    @Test
    void outputNamingItsOwnKernel_isRefusedAndTheKernelIsUntouched() throws IOException {
        Path kernel = Files.copy(TestImages.testKernel(), dir.resolve("k.elf"));
        byte[] before = Files.readAllBytes(kernel);
        Path m = TestImages.write(dir, "small.manifest", "kernel = k.elf\nsize = 2M\n");
        assertThat(Main.execute("mkimage", m.toString(), "-o", kernel.toString())).isEqualTo(2);
        assertThat(stderr().lines()).hasSize(1).first().asString().contains("is an input of this run");
        assertThat(Files.readAllBytes(kernel)).isEqualTo(before);
    }

    @Test
    void validManifest_exitStatus0AndTheImageNextToTheManifest() throws IOException {
        assumeTrue(HostTools.find("mke2fs").isPresent(), "mke2fs not installed");
        Files.copy(TestImages.testKernel(), dir.resolve("k.elf"));
        Path m = TestImages.write(dir, "small.manifest", "kernel = k.elf\nsize = 2M\n");
        assertThat(Main.execute("mkimage", m.toString())).isEqualTo(0);
        assertThat(stderr()).isEmpty();
        assertThat(Files.size(dir.resolve("small.img"))).isEqualTo(2L << 20);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("mkimage: wrote " + dir.resolve("small.img")
                + " (2M: kernel at LBA 64, 0 module(s), ext2 root partition at LBA 2048, byte offset 1048576)"
                + System.lineSeparator());
    }

    @Test
    void quiet_printsNothing() throws IOException {
        assumeTrue(HostTools.find("mke2fs").isPresent(), "mke2fs not installed");
        Files.copy(TestImages.testKernel(), dir.resolve("k.elf"));
        Path m = TestImages.write(dir, "small.manifest", "kernel = k.elf\nsize = 2M\n");
        assertThat(Main.execute("mkimage", "-q", m.toString(), "-o", dir.resolve("q.img").toString())).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(dir.resolve("q.img")).exists();
    }

    @Test
    void addPutsHostFilesIntoTheRoot() throws IOException {
        assumeTrue(Ext2Check.available(), "e2fsprogs (e2fsck, debugfs) not installed");
        Files.copy(TestImages.testKernel(), dir.resolve("k.elf"));
        Path m = TestImages.write(dir, "a.manifest", "kernel = k.elf\nsize = 4M\n");
        Path tool = TestImages.write(dir, "tool", "#!/bin/sh\necho hi\n");
        Path note = TestImages.write(dir, "note.txt", "a note\n");
        tool.toFile().setExecutable(true);
        Path img = dir.resolve("a.img");
        assertThat(Main.execute("mkimage", "-q", m.toString(), "-o", img.toString(),
                "--add", tool + ":/bin/tool", "--add", note + ":/usr/share/note")).isZero();
        Ext2Check.assertClean(img);
        assertThat(new String(Ext2Check.readFile(img, "/bin/tool"), StandardCharsets.UTF_8)).isEqualTo("#!/bin/sh\necho hi\n");
        assertThat(new String(Ext2Check.readFile(img, "/usr/share/note"), StandardCharsets.UTF_8)).isEqualTo("a note\n");
    }

    @Test
    void addWithoutAnImagePath_exitStatus2AndOneLine() throws IOException {
        Path m = TestImages.write(dir, "a.manifest", "kernel = k\n");
        Path f = TestImages.write(dir, "f", "x");
        assertThat(Main.execute("mkimage", m.toString(), "--add", f.toString())).isEqualTo(2);
        assertThat(stderr()).isEqualTo("jx86: mkimage: --add " + f + ": expected HOSTFILE:/PATH/IN/IMAGE"
                + System.lineSeparator());
        assertThat(dir.resolve("a.img")).doesNotExist();
    }

    @Test
    void addOfAMissingFileOrADotDotPath_exitStatus2AndOneLine() throws IOException {
        Path m = TestImages.write(dir, "a.manifest", "kernel = k\n");
        Path f = TestImages.write(dir, "f", "x");
        assertThat(Main.execute("mkimage", m.toString(), "--add", dir.resolve("nope") + ":/bin/x")).isEqualTo(2);
        assertThat(stderr().lines()).hasSize(1).first().asString().endsWith("is not a regular file");
        err.reset();
        assertThat(Main.execute("mkimage", m.toString(), "--add", f + ":/bin/../x")).isEqualTo(2);
        assertThat(stderr().lines()).hasSize(1).first().asString().contains("without empty, '.' or '..' parts");
        assertThat(dir.resolve("a.img")).doesNotExist();
    }
}
