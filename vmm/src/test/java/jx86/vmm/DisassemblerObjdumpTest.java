package jx86.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jx86.cpu.Disassembler;
import org.junit.jupiter.api.Test;

/**
 * jx86's disassembler against GNU objdump ({@code objdump -d -z -M i386}) on the text sections of
 * the project's own binaries: the monolithic kernel, the microkernel, the hypervisor and its
 * guests, and src-test-guests' guests. Each instruction objdump prints is disassembled at the same
 * address and must give the same text (whitespace collapsed, objdump's {@code <symbol>} annotation
 * removed) and the same length.
 *
 * <p>Rule for data in text and for instructions jx86 does not have: a line objdump prints as
 * {@code (bad)} or {@code .byte} is skipped (data); a line jx86's table does not have (the
 * disassembler says {@code (bad)}: the decoder raises #UD) is skipped only when objdump's text is
 * in {@link #NOT_JX86}, the instructions the test guests execute on purpose to get #UD or #NM.
 * The bytes compared are the ones objdump printed, so both read the same section contents.
 */
class DisassemblerObjdumpTest {
    /** Instructions jx86 lacks that appear in the test guests (expected #UD / #NM tests); x87 until the FPU lands. */
    private static final Pattern NOT_JX86 = Pattern.compile("mov %e[a-d]x,%cr1|mov %cr1,%e[a-d]x|f[a-z0-9]+( .*)?");
    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t([0-9a-f ]+)\\t(.*)$");

    private static List<Path> binaries() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("../kernel-monolithic/target/kernel.elf"),
                Path.of("../kernel-microkernel/target/kernel.elf"), Path.of("target/vmm.elf")));
        for (Path dir : List.of(Path.of("target/guests"), Path.of("../src-test-guests/target/guests"))) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(p -> p.toString().endsWith(".elf")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    private record Line(long address, int length, String text) {
    }

    private record Section(long start, byte[] bytes, List<Line> lines) {
    }

    private static List<Section> objdump(Path elf) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("objdump", "-d", "-z", "-M", "i386", "--insn-width=16", elf.toString())
                .redirectErrorStream(true).start();
        List<Section> sections = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Line> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            String l;
            while ((l = r.readLine()) != null) {
                if (l.startsWith("Disassembly of section")) {
                    if (!lines.isEmpty()) {
                        sections.add(new Section(lines.get(0).address, bytes.toByteArray(), lines));
                    }
                    bytes = new ByteArrayOutputStream();
                    lines = new ArrayList<>();
                    continue;
                }
                Matcher m = LINE.matcher(l);
                if (!m.matches()) {
                    continue;
                }
                String[] bs = m.group(2).trim().split(" ");
                for (String b : bs) {
                    bytes.write(Integer.parseInt(b, 16));
                }
                lines.add(new Line(Long.parseLong(m.group(1), 16), bs.length, normalize(m.group(3))));
            }
        }
        if (!lines.isEmpty()) {
            sections.add(new Section(lines.get(0).address, bytes.toByteArray(), lines));
        }
        assertThat(p.waitFor()).as("objdump on " + elf).isZero();
        return sections;
    }

    private static String normalize(String s) {
        return s.replaceAll(" <[^>]*>", "").replaceAll("\\s+", " ").trim();
    }

    @Test
    void disassembly_equalsObjdump_onTheProjectsBinaries() throws Exception {
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        int files = 0;
        for (Path elf : binaries()) {
            assertThat(elf).exists();
            files++;
            for (Section s : objdump(elf)) {
                for (Line l : s.lines) {
                    if (l.text.startsWith("(bad)") || l.text.startsWith(".byte")) {
                        continue;
                    }
                    Disassembler.Insn got = Disassembler.decode(s.bytes, (int) (l.address - s.start), l.address, true);
                    if (got.row() == null && NOT_JX86.matcher(l.text).matches()) {
                        continue;
                    }
                    compared++;
                    String text = normalize(got.text());
                    if (!text.equals(l.text) || got.length() != l.length) {
                        mismatches.add(String.format("%s %x: objdump [%s] (%d bytes), jx86 [%s] (%d bytes)",
                                elf.getFileName(), l.address, l.text, l.length, text, got.length()));
                    }
                }
            }
        }
        assertThat(files).isGreaterThanOrEqualTo(10);
        assertThat(compared).as("instructions compared").isGreaterThan(50_000);
        assertThat(mismatches).isEmpty();
    }
}
