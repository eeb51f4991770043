package jx86.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jx86's disassembler against GNU objdump ({@code objdump -d -z -M i386}) on the text sections of
 * the project's own binaries: the monolithic kernel, the microkernel, the hypervisor and its
 * guests, src-test-guests' guests and the monolith's x87 test program (fputests). Each instruction
 * objdump prints is disassembled at the same address and must give the same text (whitespace
 * collapsed, objdump's {@code <symbol>} annotation removed) and the same length.
 *
 * <p>Rule for data in text and for instructions jx86 does not have: a line objdump prints as
 * {@code (bad)} or {@code .byte} is skipped (data); a line jx86's table does not have (the
 * disassembler says {@code (bad)}: the decoder raises #UD) is skipped only when objdump's text is
 * in {@link #NOT_JX86}, the instructions the test guests execute on purpose to get #UD.
 * The bytes compared are the ones objdump printed, so both read the same section contents.
 *
 * <p>The x87: every escape encoding (D8-DF x 256 ModR/M bytes, alone, after WAIT and after 66, and
 * a set of prefix combinations) in 32- and 16-bit code, compared line by line with objdump including
 * the lines objdump prints as {@code (bad)}; and, when tools/fetch-busybox.sh has fetched it, every
 * x87 instruction of Debian's static busybox.
 */
class DisassemblerObjdumpTest {
    /**
     * Instructions jx86 lacks that appear in the test guests (expected #UD tests), and the two x87
     * encodings objdump names that a P6 does not have: FISTTP (SSE3) and the 287's FRSTPM.
     */
    private static final Pattern NOT_JX86 = Pattern.compile(
            "mov %e[a-d]x,%cr1|mov %cr1,%e[a-d]x|(data16 |data32 |addr16 |addr32 )*(fisttp[sl]{1,2} .*|frstpm\\(287 only\\))");
    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t([0-9a-f ]+)\\t(.*)$");

    private static List<Path> binaries() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("../kernel-monolithic/target/kernel.elf"),
                Path.of("../kernel-monolithic/target/user/fputests"),
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
        return objdump(List.of("objdump", "-d", "-z", "-M", "i386", "--insn-width=16", elf.toString()));
    }

    private static List<Section> objdump(List<String> command) throws IOException, InterruptedException {
        Path elf = Path.of(command.get(command.size() - 1));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
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
        int[] counts = new int[2];
        int files = 0;
        for (Path elf : binaries()) {
            assertThat(elf).exists();
            files++;
            compare(elf, counts, mismatches);
        }
        System.out.printf("objdump vs jx86: %d instructions (%d x87) in %d binaries%n", counts[0], counts[1], files);
        assertThat(files).isGreaterThanOrEqualTo(10);
        assertThat(counts[0]).as("instructions compared").isGreaterThan(50_000);
        assertThat(mismatches).isEmpty();
    }

    /** Compares every instruction objdump prints in {@code elf}'s text; counts[0] += compared, counts[1] += x87 ones. */
    private static void compare(Path elf, int[] counts, List<String> mismatches) throws Exception {
        for (Section s : objdump(elf)) {
            for (Line l : s.lines) {
                if (l.text.startsWith("(bad)") || l.text.startsWith(".byte")) {
                    continue;
                }
                Disassembler.Insn got = Disassembler.decode(s.bytes, (int) (l.address - s.start), l.address, true);
                if (got.row() == null && NOT_JX86.matcher(l.text).matches()) {
                    continue;
                }
                counts[0]++;
                counts[1] += isX87(s.bytes, (int) (l.address - s.start), l.length) ? 1 : 0;
                String text = normalize(got.text());
                if (!text.equals(l.text) || got.length() != l.length) {
                    mismatches.add(String.format("%s %x: objdump [%s] (%d bytes), jx86 [%s] (%d bytes)",
                            elf.getFileName(), l.address, l.text, l.length, text, got.length()));
                }
            }
        }
    }

    /**
     * The project's guests hold little x87 code (the kernels are built with -mno-80387), so
     * src/test/resources/x87/x87mix.c is compiled here with -mfpmath=387 in four variants (i386 and
     * i686, which adds FCOMI and FCMOVcc; -ffast-math, which adds the transcendentals and FPREM)
     * and each object file's text is compared as the binaries' are.
     */
    @Test
    void compiledX87Code_disassemblesAsObjdump(@TempDir Path tmp) throws Exception {
        Path src = tmp.resolve("x87mix.c");
        try (var in = DisassemblerObjdumpTest.class.getResourceAsStream("/x87/x87mix.c")) {
            Files.copy(in, src);
        }
        List<List<String>> variants = List.of(List.of("-march=i386"), List.of("-march=i686"),
                List.of("-march=i686", "-ffast-math"), List.of("-march=i386", "-ffast-math", "-Os"));
        List<String> mismatches = new ArrayList<>();
        int[] counts = new int[2];
        for (int v = 0; v < variants.size(); v++) {
            Path obj = tmp.resolve("x87mix-" + v + ".o");
            List<String> gcc = new ArrayList<>(List.of("gcc", "-m32", "-O2", "-mfpmath=387", "-ffreestanding", "-fno-pic",
                    "-fno-pie", "-fno-stack-protector", "-fno-asynchronous-unwind-tables", "-Wall", "-Werror"));
            gcc.addAll(variants.get(v));
            gcc.addAll(List.of("-c", src.toString(), "-o", obj.toString()));
            Process p = new ProcessBuilder(gcc).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as("gcc %s: %s", variants.get(v), out).isZero();
            compare(obj, counts, mismatches);
        }
        System.out.printf("objdump vs jx86: %d instructions (%d x87) in x87mix.c's four builds%n", counts[0], counts[1]);
        assertThat(counts[1]).as("x87 instructions compared").isGreaterThan(600);
        assertThat(mismatches).isEmpty();
    }

    /** One escape: {@code op}, {@code modrm}, SIB 00 when rm = 4, and the displacement the ModR/M asks for (bytes 11 22 33 44). */
    private static void escape(ByteArrayOutputStream out, int op, int modrm, boolean code32) {
        out.write(op);
        out.write(modrm);
        int mod = modrm >>> 6;
        int rm = modrm & 7;
        if (mod == 3) {
            return;
        }
        if (code32 && rm == 4) {
            out.write(0);
        }
        int disp = mod == 1 ? 1 : code32 ? (mod == 2 || mod == 0 && rm == 5 ? 4 : 0) : (mod == 2 || mod == 0 && rm == 6 ? 2 : 0);
        for (int k = 0; k < disp; k++) {
            out.write(0x11 * (k + 1));
        }
    }

    /** Prefix combinations objdump treats specially (WAIT merging, the layout suffix, last-prefix-wins). */
    private static final List<String> PREFIXED = List.of("9b 66 d9 30", "66 9b d9 30", "9b 9b d9 38", "9b 9b 9b d9 c9",
            "66 66 d9 30", "66 66 d8 00", "26 3e d8 00", "67 66 d9 c0", "67 67 d9 00", "f0 9b d9 38", "f3 9b d9 38",
            "f2 9b dd 30", "2e 9b d9 38", "9b 2e d9 38", "66 f3 dd 20", "26 9b 26 d9 c0", "9b 90", "66 9b 90",
            "9b 66 90", "f0 9b 90", "9b 9b 90", "66 9b 66 d9 30", "9b 66 9b d9 30", "9b 67 d9 30", "9b 66 db e4");

    private static byte[] escapeGrid(boolean code32) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int prefix : new int[] {-1, 0x9B, 0x66}) {
            for (int op = 0xD8; op <= 0xDF; op++) {
                for (int modrm = 0; modrm < 256; modrm++) {
                    if (prefix >= 0) {
                        out.write(prefix);
                    }
                    escape(out, op, modrm, code32);
                }
            }
        }
        for (String seq : PREFIXED) {
            for (String b : seq.split(" ")) {
                out.write(Integer.parseInt(b, 16));
            }
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void everyX87Encoding_disassemblesAsObjdump(boolean code32, @TempDir Path tmp) throws Exception {
        byte[] grid = escapeGrid(code32);
        Path bin = tmp.resolve("x87.bin");
        Files.write(bin, grid);
        List<Section> sections = objdump(List.of("objdump", "-D", "-b", "binary", "-m", code32 ? "i386" : "i8086",
                "--insn-width=16", bin.toString()));
        assertThat(sections).hasSize(1);
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        int notJx86 = 0;
        for (Line l : sections.get(0).lines) {
            Disassembler.Insn got = Disassembler.decode(grid, (int) l.address, l.address, code32);
            String text = normalize(got.text());
            compared++;
            if (NOT_JX86.matcher(l.text).matches() && got.row() == null && text.matches("(\\S+ )*\\(bad\\).*")
                    && got.length() == l.length) {
                notJx86++; // FISTTP, FRSTPM: #UD on jx86's P6, so (bad) as objdump prints other #UD forms
                continue;
            }
            if (!text.equals(l.text) || got.length() != l.length) {
                mismatches.add(String.format("%x: objdump [%s] (%d bytes), jx86 [%s] (%d bytes)", l.address, l.text,
                        l.length, text, got.length()));
            }
        }
        System.out.printf("objdump vs jx86, x87 grid, %d-bit code: %d lines, %d FISTTP/FRSTPM%n", code32 ? 32 : 16,
                compared, notJx86);
        assertThat(compared).as("instructions compared").isGreaterThan(3 * 8 * 256);
        // FISTTP m16/m32/m64 (24 memory ModR/M bytes each) and DB E5, alone, after WAIT and after 66
        assertThat(notJx86).as("FISTTP and FRSTPM lines").isEqualTo(3 * (3 * 24 + 1));
        assertThat(mismatches).isEmpty();
    }

    /** Whether objdump's line is an x87 instruction: its first byte after the prefixes is D8-DF or WAIT. */
    private static boolean isX87(byte[] bytes, int off, int length) {
        for (int k = 0; k < length; k++) {
            int b = bytes[off + k] & 0xFF;
            boolean prefix = b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E || b == 0x64 || b == 0x65 || b == 0x66
                    || b == 0x67 || b == 0xF0 || b == 0xF2 || b == 0xF3;
            if (!prefix) {
                return b == 0x9B || b >= 0xD8 && b <= 0xDF;
            }
        }
        return false;
    }

    @Test
    void busyboxX87Instructions_disassembleAsObjdump() throws Exception {
        String cache = System.getenv("JX86_CACHE");
        Path busybox = (cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "jx86"))
                .resolve("busybox/bin/busybox");
        assumeTrue(Files.isRegularFile(busybox), "skipped: no busybox at " + busybox + " (run tools/fetch-busybox.sh)");
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (Section s : objdump(busybox)) {
            for (Line l : s.lines) {
                int off = (int) (l.address - s.start);
                if (l.text.startsWith("(bad)") || l.text.startsWith(".byte") || !isX87(s.bytes, off, l.length)) {
                    continue;
                }
                if (++compared > 20_000) {
                    break; // a bound on the sample: Debian's busybox has well under this many
                }
                Disassembler.Insn got = Disassembler.decode(s.bytes, off, l.address, true);
                String text = normalize(got.text());
                if (!text.equals(l.text) || got.length() != l.length) {
                    mismatches.add(String.format("busybox %x: objdump [%s] (%d bytes), jx86 [%s] (%d bytes)", l.address,
                            l.text, l.length, text, got.length()));
                }
            }
        }
        System.out.printf("objdump vs jx86: %d x87 instructions of %s%n", compared, busybox);
        assertThat(compared).as("busybox x87 instructions compared").isGreaterThan(500);
        assertThat(mismatches).isEmpty();
    }
}
