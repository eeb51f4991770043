package jx86.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestParserTest {
    @TempDir
    Path dir;

    @BeforeEach
    void files() throws IOException {
        Files.write(dir.resolve("kernel.elf"), new byte[] {1});
        Files.createDirectories(dir.resolve("mods"));
        Files.write(dir.resolve("mods/a.bin"), new byte[] {2});
        Files.write(dir.resolve("mods/b.txt"), new byte[] {3});
        Files.createDirectories(dir.resolve("tree/etc"));
    }

    private Manifest parse(String... lines) {
        return ManifestParser.parse("m.manifest", dir, List.of(lines));
    }

    @Test
    void validManifest_allKeysParsedAndPathsResolvedAgainstTheManifestDirectory() {
        Manifest m = parse(
                "# a comment",
                "",
                "kernel = kernel.elf",
                "module = mods/a.bin  key=1  two words ",
                "module=mods/b.txt",
                "cmdline = root=/dev/hda1 console=ttyS0",
                "root = tree",
                "size = 16M",
                "block-size = 4096");
        assertThat(m.kernel()).isEqualTo(dir.resolve("kernel.elf"));
        assertThat(m.modules()).containsExactly(
                new Manifest.Module(dir.resolve("mods/a.bin"), "key=1  two words"),
                new Manifest.Module(dir.resolve("mods/b.txt"), ""));
        assertThat(m.modules().get(0).bootString()).isEqualTo("/boot/a.bin key=1  two words");
        assertThat(m.modules().get(1).bootString()).isEqualTo("/boot/b.txt");
        assertThat(m.cmdline()).isEqualTo("root=/dev/hda1 console=ttyS0");
        assertThat(m.root()).isEqualTo(dir.resolve("tree"));
        assertThat(m.sizeBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(m.blockSize()).isEqualTo(4096);
    }

    @Test
    void onlyKernel_defaultsApply() {
        Manifest m = parse("kernel = kernel.elf");
        assertThat(m.modules()).isEmpty();
        assertThat(m.cmdline()).isEmpty();
        assertThat(m.root()).isNull();
        assertThat(m.sizeBytes()).isEqualTo(64L << 20);
        assertThat(m.blockSize()).isEqualTo(1024);
    }

    @Test
    void unknownKey_failsWithOneLineNamingFileLineAndKey() {
        assertThatThrownBy(() -> parse("kernel = kernel.elf", "colour = blue"))
                .isInstanceOf(ImageException.class)
                .hasMessage("mkimage: m.manifest:2: unknown key 'colour' (known: kernel, module, cmdline, root, size, block-size)");
    }

    @Test
    void missingKernel_failsWithOneLine() {
        assertThatThrownBy(() -> parse("size = 8M"))
                .isInstanceOf(ImageException.class)
                .hasMessage("mkimage: m.manifest: no kernel given (add 'kernel = path/to/kernel.elf')");
    }

    @Test
    void kernelFileMissing_failsNamingTheResolvedPath() {
        assertThatThrownBy(() -> parse("kernel = nope.elf"))
                .hasMessage("mkimage: m.manifest:1: kernel file not found: " + dir.resolve("nope.elf"));
    }

    @Test
    void badSize_failsWithOneLine() {
        for (String bad : new String[] {"12Q", "64 MB extra", "-1M", "0", "1000", "M"}) {
            assertThatThrownBy(() -> parse("kernel = kernel.elf", "size = " + bad))
                    .as(bad)
                    .hasMessage("mkimage: m.manifest:2: bad size '" + bad + "' (use e.g. 64M or 1G; a multiple of 512 bytes)");
        }
    }

    @Test
    void sizeUnits_areBinary() {
        assertThat(parse("kernel = kernel.elf", "size = 1536K").sizeBytes()).isEqualTo(1536L * 1024);
        assertThat(parse("kernel = kernel.elf", "size = 2G").sizeBytes()).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(parse("kernel = kernel.elf", "size = 4194304").sizeBytes()).isEqualTo(4194304L);
        assertThat(parse("kernel = kernel.elf", "size = 8MiB").sizeBytes()).isEqualTo(8L << 20);
    }

    @Test
    void badBlockSize_failsWithOneLine() {
        assertThatThrownBy(() -> parse("kernel = kernel.elf", "block-size = 2048"))
                .hasMessage("mkimage: m.manifest:2: block-size must be 1024 or 4096, got '2048'");
    }

    @Test
    void lineWithoutEquals_failsWithOneLine() {
        assertThatThrownBy(() -> parse("kernel kernel.elf"))
                .hasMessage("mkimage: m.manifest:1: expected 'key = value', got 'kernel kernel.elf'");
    }

    @Test
    void duplicateKernel_fails() {
        assertThatThrownBy(() -> parse("kernel = kernel.elf", "kernel = kernel.elf"))
                .hasMessage("mkimage: m.manifest:2: duplicate key 'kernel'");
    }

    @Test
    void twoModulesWithTheSameFileName_fail() throws IOException {
        Files.createDirectories(dir.resolve("other"));
        Files.write(dir.resolve("other/a.bin"), new byte[] {9});
        assertThatThrownBy(() -> parse("kernel = kernel.elf", "module = mods/a.bin", "module = other/a.bin"))
                .hasMessage("mkimage: m.manifest:3: a second file named 'a.bin' in /boot");
    }

    @Test
    void rootThatIsAFile_fails() {
        assertThatThrownBy(() -> parse("kernel = kernel.elf", "root = kernel.elf"))
                .hasMessage("mkimage: m.manifest:2: root is not a directory: " + dir.resolve("kernel.elf"));
    }

    @Test
    void parseFromFile_usesTheGivenPathInMessages() throws IOException {
        Path f = dir.resolve("x.manifest");
        Files.writeString(f, "kernel = kernel.elf\nbogus = 1\n");
        assertThatThrownBy(() -> ManifestParser.parse(f))
                .hasMessageStartingWith("mkimage: " + f + ":2: unknown key 'bogus'");
    }
}
