package jx86.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jx86.machine.MachineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchSpecTest {
    @TempDir
    Path root;

    private Path touch(String rel) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {1});
        return p;
    }

    @Test
    void kernelMonolithicSpec_bootsTheKernelWithInitFromTheDiskInSnapshotMode() throws IOException {
        Path kernel = touch("kernel-monolithic/target/kernel.elf");
        Path disk = touch("kernel-monolithic/target/disk.img");

        BenchSpec s = BenchSpec.parse("kernel-monolithic:kbench", root);

        assertThat(s.kernel()).isEqualTo(kernel);
        assertThat(s.disk()).isEqualTo(disk);
        assertThat(s.append()).isEqualTo("console=ttyS0 init=/bin/kbench");
        assertThat(s.bootPrompt()).isFalse();
        assertThat(s.plainElf()).isFalse();
        MachineConfig c = s.config(64, jx86.cpu.Engine.CACHE);
        assertThat(c.snapshot).isTrue();
        assertThat(c.disks).containsExactly(disk);
        assertThat(c.memoryMiB).isEqualTo(64);
        assertThat(c.serial).isEqualTo("buffer");
        assertThat(c.decodeCache).isTrue();
        assertThat(s.config(64, jx86.cpu.Engine.INTERP).decodeCache).isFalse();
    }

    @Test
    void bootSpec_bootsTheImageWithPoweroffTypedAheadAndWatchesForThePrompt() throws IOException {
        Path img = touch("disk-images/target/images/monolithic.img");

        BenchSpec s = BenchSpec.parse("boot:monolithic", root);

        assertThat(s.kernel()).isNull();
        assertThat(s.disk()).isEqualTo(img);
        assertThat(s.serialInput()).isEqualTo("poweroff\n");
        assertThat(s.prompt()).isEqualTo("/$ ");
        assertThat(s.bootPrompt()).isTrue();
        assertThat(s.config(128, jx86.cpu.Engine.CACHE).snapshot).isTrue();
        assertThat(s.config(128, jx86.cpu.Engine.CACHE).serialInput).isEqualTo("poweroff\n");
    }

    @Test
    void elfSpec_findsAGuestByNameUnderSrcTestGuests() throws IOException {
        Path elf = touch("src-test-guests/target/guests/bench/cpu-bound.elf");

        BenchSpec s = BenchSpec.parse("bench/cpu-bound", root);

        assertThat(s.kernel()).isEqualTo(elf);
        assertThat(s.plainElf()).isTrue();
        assertThat(s.config(128, jx86.cpu.Engine.CACHE).disks).isEmpty();
    }

    @Test
    void missingFilesAndBadNames_areUserErrors() throws IOException {
        assertThatThrownBy(() -> BenchSpec.parse("kernel-monolithic:kbench", root))
                .isInstanceOf(UserError.class).hasMessageContaining("kernel.elf not found");
        assertThatThrownBy(() -> BenchSpec.parse("boot:monolithic", root))
                .isInstanceOf(UserError.class).hasMessageContaining("monolithic.img not found");
        touch("kernel-monolithic/target/kernel.elf");
        touch("kernel-monolithic/target/disk.img");
        assertThatThrownBy(() -> BenchSpec.parse("kernel-monolithic:kbench x", root)).isInstanceOf(UserError.class);
        assertThatThrownBy(() -> BenchSpec.parse("boot:../x", root)).isInstanceOf(UserError.class);
        assertThatThrownBy(() -> BenchSpec.parse("no/such", root))
                .isInstanceOf(UserError.class).hasMessageContaining("not found");
    }
}
