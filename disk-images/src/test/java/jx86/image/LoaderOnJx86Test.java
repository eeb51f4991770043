package jx86.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Boots manifests/test.manifest's image on jx86: firmware INT 13h/15h, mode switches, Multiboot hand-off. */
class LoaderOnJx86Test {
    @TempDir
    Path dir;

    private Path image() throws IOException {
        assumeTrue(HostTools.find("mke2fs").isPresent(), "mke2fs not installed");
        Path image = dir.resolve("test.img");
        ImageBuilder.build(ManifestParser.parse(Path.of("manifests/test.manifest")), image);
        return image;
    }

    private static RunResult run(Path image) {
        return PcMachine.run(MachineConfig.builder().disk(image).snapshot(true).maxInstructions(200_000_000L).build());
    }

    private static void assertBooted(RunResult r, List<String> lines) {
        assertThat(r.event()).as(r.report() + "\n" + r.serial()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
        // 128 MiB default RAM: E820 RAM from 1 MiB to 128 MiB = 130048 KiB; jx86's MemoryMap has 7 ranges.
        TestKernelOutput.assertHandOff(lines, ManifestParser.parse(Path.of("manifests/test.manifest")),
                "testkernel: mem_lower 639 mem_upper 130048", 7);
    }

    @Test
    void loader_bootsTheTestKernelWithCommandLineAndModules() throws IOException {
        Path image = image();
        byte[] before = Files.readAllBytes(image);
        RunResult r = run(image);
        assertBooted(r, r.serial().lines().map(String::stripTrailing).toList());
        assertThat(Files.readAllBytes(image)).as("--snapshot leaves the image untouched").isEqualTo(before);
        Ext2Check.assertClean(image);
    }

    /** jx86 boot IMAGE --append TEXT: the loader reads it from fw_cfg and appends it to the catalog's line. */
    @Test
    void appendForADiskImage_reachesTheKernelAfterTheImagesCommandLine() throws IOException {
        Path image = image();
        RunResult r = PcMachine.run(MachineConfig.builder().disk(image).snapshot(true).append("quiet test=c")
                .maxInstructions(200_000_000L).build());
        assertThat(r.serial().lines().map(String::stripTrailing).toList())
                .contains("testkernel: cmdline [console=ttyS0 root=/dev/hda1 test=\"a b\" quiet test=c]");
    }

    @Test
    void loaderWithoutInt13Extensions_bootsThroughChsReadsWithJx86Geometry() throws IOException {
        Path image = image();
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.write(Files.readAllBytes(Path.of("target/loader-chs/mbr.bin")), 0, Mbr.CODE_LIMIT);
            f.seek(ImageLayout.SECTOR);
            f.write(Files.readAllBytes(Path.of("target/loader-chs/stage2.bin")));
        }
        RunResult r = run(image);
        List<String> lines = r.serial().lines().map(String::stripTrailing).toList();
        assertThat(lines).first().isEqualTo("jx86-loader: no INT 13h extensions, using CHS reads");
        assertBooted(r, lines.subList(1, lines.size()));
    }

    @Test
    void higherHalfKernel_virtualEntryTranslated() throws IOException {
        assumeTrue(HostTools.find("mke2fs").isPresent(), "mke2fs not installed");
        Files.copy(Path.of("target/testkernel/higherhalf.elf"), dir.resolve("hh.elf"));
        Files.writeString(dir.resolve("hh.manifest"), "kernel = hh.elf\nsize = 2M\n");
        ImageBuilder.build(ManifestParser.parse(dir.resolve("hh.manifest")), dir.resolve("hh.img"));
        RunResult r = run(dir.resolve("hh.img"));
        assertThat(r.event()).as(r.report()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.serial().lines().toList())
                .containsExactly("jx86-loader: kernel entry 0x0010000c, 0 module(s)", "higher-half: ok");
    }

    @Test
    void corruptBootCatalog_loaderSaysSoAndHalts() throws IOException {
        Path image = image();
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(ImageLayout.CATALOG_LBA * ImageLayout.SECTOR + 0x7F0);   // an unused string byte
            f.write(0x41);
        }
        RunResult r = run(image);
        assertThat(r.event()).as(r.report()).isEqualTo(MachineEvent.HALTED_FOREVER);
        assertThat(r.serial().lines().toList()).containsExactly("jx86-loader: error: boot catalog checksum mismatch");
    }
}
