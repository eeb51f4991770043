package jx86.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines the test kernel (disk-images/testkernel) prints when the loader boots it from an image
 * built from {@code manifest}, derived from the input files alone: the entry point and segment ends
 * from the kernel's ELF headers, module placement by the Multiboot rule "page-aligned after the
 * kernel", module bytes and sums from the module files.
 */
final class TestKernelOutput {
    private TestKernelOutput() {
    }

    /**
     * Asserts each line. {@code memLine} is the exact mem_lower/mem_upper line, or null to check
     * only "mem_lower 639" (firmware-dependent upper size); {@code mmapEntries} &lt; 0 skips the count.
     */
    static void assertHandOff(List<String> lines, Manifest manifest, String memLine, int mmapEntries) {
        List<String> expected = expectedLines(manifest);
        assertThat(lines).as("serial output").hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            String want = expected.get(i);
            if (want.startsWith("testkernel: mem_lower")) {
                if (memLine != null) {
                    assertThat(lines.get(i)).isEqualTo(memLine);
                } else {
                    assertThat(lines.get(i)).startsWith("testkernel: mem_lower 639 mem_upper ");
                }
            } else if (want.startsWith("testkernel: mmap")) {
                assertThat(lines.get(i)).matches(mmapEntries >= 0
                        ? "testkernel: mmap " + mmapEntries + " entries" : "testkernel: mmap \\d+ entries");
            } else {
                assertThat(lines.get(i)).as("line %d", i).isEqualTo(want);
            }
        }
    }

    static List<String> expectedLines(Manifest m) {
        try {
            ByteBuffer elf = ByteBuffer.wrap(Files.readAllBytes(m.kernel())).order(ByteOrder.LITTLE_ENDIAN);
            long end = 0;
            for (int i = 0; i < (elf.getShort(44) & 0xFFFF); i++) {
                int ph = elf.getInt(28) + i * (elf.getShort(42) & 0xFFFF);
                if (elf.getInt(ph) == 1) {   // PT_LOAD: p_paddr + p_memsz
                    end = Math.max(end, (elf.getInt(ph + 12) & 0xFFFFFFFFL) + (elf.getInt(ph + 20) & 0xFFFFFFFFL));
                }
            }
            List<String> out = new ArrayList<>();
            out.add(String.format("jx86-loader: kernel entry 0x%08x, %d module(s)", elf.getInt(24), m.modules().size()));
            out.add("testkernel: magic 2badb002");
            // mem, boot device, cmdline, mods, mmap, loader name: bits 0, 1, 2, 3, 6, 9
            out.add(m.modules().isEmpty() ? "testkernel: flags 00000247" : "testkernel: flags 0000024f");
            out.add("testkernel: mem_lower");
            out.add("testkernel: mmap");
            out.add("testkernel: bss zeroed, data intact");
            out.add("testkernel: cmdline [" + m.cmdline() + "]");
            out.add("testkernel: modules " + m.modules().size());
            long at = (end + 4095) & ~4095L;
            for (int i = 0; i < m.modules().size(); i++) {
                Manifest.Module mod = m.modules().get(i);
                byte[] data = Files.readAllBytes(mod.file());
                StringBuilder line = new StringBuilder(String.format("testkernel: module %d [/boot/%s%s] at %08x size %d bytes",
                        i, mod.file().getFileName(), mod.args().isEmpty() ? "" : " " + mod.args(), at, data.length));
                int sum = 0;
                for (int j = 0; j < data.length; j++) {
                    if (j < 8) {
                        line.append(String.format(" %02x", data[j] & 0xFF));
                    }
                    sum += data[j] & 0xFF;
                }
                out.add(line.append(String.format(" sum %08x", sum)).toString());
                at = (at + data.length + 4095) & ~4095L;
            }
            out.add("testkernel: done");
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
