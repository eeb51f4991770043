package jx86.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ElfImageTest {
    @Test
    void validExecutable_yieldsEntryAndLoadSegment() {
        byte[] elf = FirmwareTestSupport.elf(0x100000, new byte[] {1, 2, 3}, 16);
        ElfImage image = ElfImage.parse(elf, "k");
        assertThat(image.entry()).isEqualTo(0x100000);
        assertThat(image.segments()).containsExactly(new ElfImage.Segment(0x100000, 0x100, 3, 19));
    }

    @Test
    void notElf_isRejectedWithOneLine() {
        assertThatThrownBy(() -> ElfImage.parse("hello world, not an elf".getBytes(), "k.bin"))
                .isInstanceOf(BadImageException.class).hasMessage("k.bin: not an ELF file");
    }

    @Test
    void sixtyFourBitElf_isRejected() {
        byte[] elf = FirmwareTestSupport.elf(0x100000, new byte[4], 0);
        elf[4] = 2;
        assertThatThrownBy(() -> ElfImage.parse(elf, "k")).hasMessageContaining("not a 32-bit ELF");
    }

    @Test
    void wrongMachine_isRejected() {
        byte[] elf = FirmwareTestSupport.elf(0x100000, new byte[4], 0);
        elf[18] = 62; // EM_X86_64
        assertThatThrownBy(() -> ElfImage.parse(elf, "k")).hasMessage("k: ELF machine 62 is not i386");
    }

    @Test
    void truncatedSegment_isRejected() {
        byte[] elf = FirmwareTestSupport.elf(0x100000, new byte[64], 0);
        byte[] cut = Arrays.copyOf(elf, elf.length - 10);
        assertThatThrownBy(() -> ElfImage.parse(cut, "k")).hasMessage("k: ELF segment 0 lies outside the file");
    }

    @Test
    void truncatedHeader_isRejected() {
        byte[] elf = Arrays.copyOf(FirmwareTestSupport.elf(0x100000, new byte[4], 0), 30);
        assertThatThrownBy(() -> ElfImage.parse(elf, "k")).hasMessage("k: truncated ELF header");
    }
}
