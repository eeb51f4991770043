package jx86.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageResolverTest {
    @TempDir
    Path root;

    @Test
    void bareName_prefersBuiltDiskImagesOverGuestElfs() throws IOException {
        Files.createDirectories(root.resolve("disk-images/target/images"));
        Files.createDirectories(root.resolve("src-test-guests/target/guests"));
        Files.write(root.resolve("disk-images/target/images/demo.img"), new byte[1]);
        Files.write(root.resolve("src-test-guests/target/guests/demo.elf"), new byte[1]);
        Files.write(root.resolve("src-test-guests/target/guests/hello.elf"), new byte[1]);
        ImageResolver r = new ImageResolver(root);
        assertThat(r.resolve("demo")).isEqualTo(root.resolve("disk-images/target/images/demo.img"));
        assertThat(r.resolve("hello")).isEqualTo(root.resolve("src-test-guests/target/guests/hello.elf"));
    }

    @Test
    void defaultGuest_isTheMonolithicImageAndFallsBackToHello() throws IOException {
        Files.createDirectories(root.resolve("src-test-guests/target/guests"));
        Files.write(root.resolve("src-test-guests/target/guests/hello.elf"), new byte[1]);
        ImageResolver r = new ImageResolver(root);
        assertThat(r.defaultGuest()).isEqualTo(root.resolve("src-test-guests/target/guests/hello.elf"));
        Files.createDirectories(root.resolve("disk-images/target/images"));
        Files.write(root.resolve("disk-images/target/images/monolithic.img"), new byte[1]);
        assertThat(r.defaultGuest()).isEqualTo(root.resolve("disk-images/target/images/monolithic.img"));
    }

    @Test
    void unknownBareName_saysWhereItLooked() {
        assertThatThrownBy(() -> new ImageResolver(root).resolve("monolithic"))
                .isInstanceOf(UserError.class).hasMessageContaining("image 'monolithic' not found")
                .hasMessageContaining("disk-images/target/images");
    }

    @Test
    void directoryOrMissingPath_isRejected() {
        ImageResolver r = new ImageResolver(root);
        assertThatThrownBy(() -> r.resolve(root.toString())).hasMessageContaining("is a directory");
        assertThatThrownBy(() -> r.resolve(root.resolve("x.img").toString())).hasMessageContaining("no such file");
    }

    @Test
    void vmm_isTheHypervisorWithBothImagesAsDisks_vmm2TheModuleImage_vmm1TheOneVmImage() throws IOException {
        Files.createDirectories(root.resolve("vmm/target"));
        Files.write(root.resolve("vmm/target/vmm.elf"), new byte[1]);
        Files.write(root.resolve("vmm/target/vmm2.img"), new byte[1]);
        Files.write(root.resolve("vmm/target/vmm.img"), new byte[1]);
        ImageResolver r = new ImageResolver(root);
        assertThat(r.resolve("vmm")).isEqualTo(root.resolve("vmm/target/vmm.elf"));
        assertThat(r.resolve("vmm2")).isEqualTo(root.resolve("vmm/target/vmm2.img"));
        assertThat(r.resolve("vmm1")).isEqualTo(root.resolve("vmm/target/vmm.img"));
        assertThat(ImageResolver.hypervisorWords("vmm")).isEqualTo("vm0=disk vm1=disk");
        assertThat(ImageResolver.hypervisorWords("vmm2")).isEmpty();
        assertThat(ImageResolver.twoVms("vmm")).isTrue();
        assertThat(ImageResolver.twoVms("vmm2")).isTrue();
        assertThat(ImageResolver.twoVms("vmm1")).isFalse();
        assertThat(r.companionDisks("vmm1")).isEmpty();
        assertThat(r.companionDisks("monolithic")).isEmpty();
        assertThatThrownBy(() -> r.companionDisks("vmm")).isInstanceOf(UserError.class)
                .hasMessageContaining("VM 0's disk").hasMessageContaining("monolithic.img");
        assertThatThrownBy(() -> r.companionDisks("vmm2")).isInstanceOf(UserError.class)
                .hasMessageContaining("VM 1's disk").hasMessageContaining("microkernel.img");
        Files.createDirectories(root.resolve("disk-images/target/images"));
        Files.write(root.resolve("disk-images/target/images/monolithic.img"), new byte[1]);
        assertThatThrownBy(() -> r.companionDisks("vmm")).isInstanceOf(UserError.class)
                .hasMessageContaining("VM 1's disk").hasMessageContaining("microkernel.img");
        Files.write(root.resolve("disk-images/target/images/microkernel.img"), new byte[1]);
        assertThat(r.companionDisks("vmm")).containsExactly(root.resolve("disk-images/target/images/monolithic.img"),
                root.resolve("disk-images/target/images/microkernel.img"));
        assertThat(r.companionDisks("vmm2")).containsExactly(root.resolve("disk-images/target/images/microkernel.img"));
    }

    @Test
    void elfMagic_isDetected() throws IOException {
        Path elf = root.resolve("k");
        Files.write(elf, new byte[] {0x7F, 'E', 'L', 'F', 1});
        Path raw = root.resolve("d");
        Files.write(raw, new byte[] {0x33, (byte) 0xC0});
        assertThat(ImageResolver.isElf(elf)).isTrue();
        assertThat(ImageResolver.isElf(raw)).isFalse();
    }
}
