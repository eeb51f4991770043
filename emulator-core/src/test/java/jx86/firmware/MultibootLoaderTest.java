package jx86.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import jx86.cpu.Cpu;
import org.junit.jupiter.api.Test;

class MultibootLoaderTest {
    private final FirmwareTestSupport t = new FirmwareTestSupport(32);
    private final byte[] kernel = FirmwareTestSupport.elf(0x100000,
            FirmwareTestSupport.withMultibootHeader(new byte[] {(byte) 0xF4}), 0x1000);

    private String cString(int address) {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = t.mem.read8(address)) != 0; address++) {
            sb.append((char) c);
        }
        return sb.toString();
    }

    @Test
    void load_entersKernelInFlatProtectedModeWithMagicAndInfo() {
        new MultibootLoader(t.mem).load(t.cpu, kernel, "k", "console=ttyS0", List.of());
        assertThat(t.cpu.eip).isEqualTo(0x100000);
        assertThat(t.cpu.regs[Cpu.EAX]).isEqualTo(0x2BADB002);
        assertThat(t.cpu.regs[Cpu.EBX]).isEqualTo(MultibootLoader.INFO_BASE);
        assertThat(t.cpu.protectedMode()).isTrue();
        assertThat(t.cpu.codeSize32()).isTrue();
        assertThat(t.cpu.segSel[Cpu.CS]).isEqualTo(0x08);
        assertThat(t.cpu.segSel[Cpu.DS]).isEqualTo(0x10);
        assertThat(t.cpu.getEflags() & Cpu.IF).isZero();
        assertThat(t.mem.a20Enabled()).isTrue();
        assertThat(t.mem.read8(0x10000C)).as("code after the header").isEqualTo(0xF4);
        assertThat(t.mem.read8(0x100010)).as("bss zeroed").isZero();
    }

    @Test
    void info_carriesMemoryCommandLineAndMemoryMap() {
        new MultibootLoader(t.mem).load(t.cpu, kernel, "k", "console=ttyS0 quiet", List.of());
        int info = MultibootLoader.INFO_BASE;
        int flags = t.mem.read32(info);
        assertThat(flags & 0x1).as("mem").isEqualTo(1);
        assertThat(flags & 0x4).as("cmdline").isEqualTo(4);
        assertThat(flags & 0x40).as("mmap").isEqualTo(0x40);
        assertThat(flags & 0x8).as("no modules").isZero();
        assertThat(t.mem.read32(info + 4)).isEqualTo(639);
        assertThat(t.mem.read32(info + 8)).isEqualTo(32 * 1024 - 1024);
        assertThat(cString(t.mem.read32(info + 16))).isEqualTo("console=ttyS0 quiet");
        assertThat(cString(t.mem.read32(info + 64))).isEqualTo("jx86");
        int mmap = t.mem.read32(info + 48);
        int length = t.mem.read32(info + 44);
        assertThat(length).isEqualTo(7 * 24);
        assertThat(t.mem.read32(mmap)).as("entry size").isEqualTo(20);
        assertThat(t.mem.read32(mmap + 4)).as("first base").isZero();
        assertThat(t.mem.read32(mmap + 12)).as("first length").isEqualTo(0x9FC00);
        assertThat(t.mem.read32(mmap + 20)).as("first type").isEqualTo(1);
        int fourth = mmap + 3 * 24;
        assertThat(t.mem.read32(fourth + 4)).isEqualTo(0x100000);
        assertThat(t.mem.read32(fourth + 12)).isEqualTo(31 << 20);
    }

    @Test
    void modules_arePageAlignedAfterTheKernelWithTheirStrings() {
        byte[] m1 = "first module".getBytes(StandardCharsets.US_ASCII);
        byte[] m2 = new byte[5000];
        m2[4999] = 0x42;
        new MultibootLoader(t.mem).load(t.cpu, kernel, "k", "",
                List.of(new MultibootLoader.Module(m1, "/m1 a=1"), new MultibootLoader.Module(m2, "/m2")));
        int info = MultibootLoader.INFO_BASE;
        assertThat(t.mem.read32(info) & 0x8).isEqualTo(8);
        assertThat(t.mem.read32(info + 20)).isEqualTo(2);
        int list = t.mem.read32(info + 24);
        int start1 = t.mem.read32(list);
        assertThat(start1).isEqualTo(0x102000); // kernel ends at 0x100000 + 13 + 0x1000 → next page
        assertThat(t.mem.read32(list + 4)).isEqualTo(start1 + m1.length);
        assertThat(cString(t.mem.read32(list + 8))).isEqualTo("/m1 a=1");
        assertThat(new String(t.mem.dump(start1, m1.length), StandardCharsets.US_ASCII)).isEqualTo("first module");
        int start2 = t.mem.read32(list + 16);
        assertThat(start2).isEqualTo(0x103000);
        assertThat(t.mem.read8(start2 + 4999)).isEqualTo(0x42);
        assertThat(cString(t.mem.read32(list + 24))).isEqualTo("/m2");
    }

    @Test
    void kernelLargerThanRam_isRejected() {
        byte[] big = FirmwareTestSupport.elf(0x100000, new byte[16], 64 << 20);
        assertThatThrownBy(() -> new MultibootLoader(t.mem).load(t.cpu, big, "big.elf", "", List.of()))
                .isInstanceOf(BadImageException.class).hasMessageContaining("big.elf").hasMessageContaining("RAM");
    }

    @Test
    void headerSearch_findsOnlyValidChecksums() {
        byte[] good = FirmwareTestSupport.withMultibootHeader(new byte[0]);
        assertThat(MultibootLoader.findHeader(good)).isZero();
        good[8] ^= 1;
        assertThat(MultibootLoader.findHeader(good)).isEqualTo(-1);
    }
}
