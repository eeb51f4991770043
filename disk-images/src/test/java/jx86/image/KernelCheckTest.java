package jx86.image;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class KernelCheckTest {
    /** A minimal ELF32 i386 header with one program header at 52 and a Multiboot header at {@code mb}. */
    private static byte[] kernel(int size, int mb) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x464C457F);
        b.put(4, (byte) 1);
        b.putShort(18, (short) 3);
        b.putInt(28, 52);
        b.putShort(42, (short) 32);
        b.putShort(44, (short) 1);
        if (mb >= 0) {
            b.putInt(mb, 0x1BADB002);
            b.putInt(mb + 4, 3);
            b.putInt(mb + 8, -(0x1BADB002 + 3));
        }
        return b.array();
    }

    @Test
    void elfWithHeaderInTheFirst8KiB_passes() {
        assertThatCode(() -> KernelCheck.check("k", kernel(10000, 8180))).doesNotThrowAnyException();
    }

    @Test
    void headerPast8KiB_fails() {
        assertThatThrownBy(() -> KernelCheck.check("k", kernel(10000, 8184)))
                .hasMessage("mkimage: k: not a Multiboot v1 kernel (no header in its first 8 KiB)");
    }

    @Test
    void badChecksum_fails() {
        byte[] k = kernel(4096, 96);
        k[104]++;
        assertThatThrownBy(() -> KernelCheck.check("k", k))
                .hasMessage("mkimage: k: not a Multiboot v1 kernel (no header in its first 8 KiB)");
    }

    @Test
    void notElf_fails() {
        assertThatThrownBy(() -> KernelCheck.check("k", "MODULE-A: hello".getBytes()))
                .hasMessage("mkimage: k: not a 32-bit i386 ELF file");
        byte[] x8664 = kernel(4096, 96);
        x8664[4] = 2;   // ELFCLASS64
        assertThatThrownBy(() -> KernelCheck.check("k", x8664)).hasMessage("mkimage: k: not a 32-bit i386 ELF file");
    }

    @Test
    void programHeadersPast8KiB_fail() {
        byte[] k = kernel(20000, 96);
        ByteBuffer.wrap(k).order(ByteOrder.LITTLE_ENDIAN).putInt(28, 9000);
        assertThatThrownBy(() -> KernelCheck.check("k", k))
                .hasMessage("mkimage: k: ELF program headers are not within the first 8 KiB");
    }
}
