package jx86.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The hot-path rule "no method over 8000 bytes of bytecode" (HotSpot does not JIT-compile larger
 * methods, -XX:-DontCompileHugeMethods aside) checked on the compiled classes of jx86.cpu, jx86.mmu
 * and jx86.memory. A minimal class-file reader (JVMS 4.1, 4.4, 4.7.3): skip the constant pool,
 * fields and non-Code attributes, read each method's code_length.
 */
class CpuMethodSizeTest {
    private static final int LIMIT = 8000;
    private static final String[] PACKAGES = {"jx86/cpu", "jx86/mmu", "jx86/memory"};

    record MethodSize(String owner, String name, int codeLength) {
    }

    @Test
    void everyHotPathMethod_isUnder8000BytesOfBytecode() throws IOException, URISyntaxException {
        List<MethodSize> all = new ArrayList<>();
        Path root = Path.of(Cpu.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(root).as("classes directory").isDirectory();
        for (String pkg : PACKAGES) {
            try (Stream<Path> files = Files.list(root.resolve(pkg))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    try (InputStream in = Files.newInputStream(f)) {
                        all.addAll(methodSizes(f.getFileName().toString(), in));
                    }
                }
            }
        }
        MethodSize largest = all.stream().max((a, b) -> Integer.compare(a.codeLength, b.codeLength)).orElseThrow();
        assertThat(all.size()).as("methods found (reader sanity)").isGreaterThan(300);
        assertThat(largest.codeLength).as("reader sanity: some method has real code").isGreaterThan(100);
        assertThat(all).filteredOn(m -> m.codeLength >= LIMIT)
                .as("methods of %d bytes or more (largest: %s)", LIMIT, largest).isEmpty();
    }

    /**
     * The cache runner's rare paths stay calls: C2 inlines a method called on most of its caller's
     * runs up to FreqInlineSize (325 bytes of bytecode), and a branch of an inlined method that C2
     * never saw taken becomes an uncommon trap discarding the whole compiled caller when it is
     * taken (DecodeCache.end: a fault, an INT n / IRET; generic: the helpers' forms;
     * docs/performance.md, round 9). fastRare and fastRareMore stay calls for their inlining
     * budget: each is compiled on its own, with its own DesiredMethodLimit (round 10).
     */
    @Test
    void theRunnersRarePaths_stayAboveFreqInlineSize() throws IOException {
        try (InputStream in = DecodeCache.class.getResourceAsStream("DecodeCache.class")) {
            List<MethodSize> sizes = methodSizes("DecodeCache.class", in);
            List<String> names = List.of("end", "generic", "fastRare", "fastRareMore");
            assertThat(sizes).filteredOn(m -> names.contains(m.name))
                    .hasSize(names.size()).allMatch(m -> m.codeLength > 325, "over 325 bytes of bytecode");
        }
    }

    @Test
    void reader_findsExecuteInExec_withPlausibleLength() throws IOException {
        try (InputStream in = Exec.class.getResourceAsStream("Exec.class")) {
            List<MethodSize> sizes = methodSizes("Exec.class", in);
            assertThat(sizes).extracting(MethodSize::name).contains("execute");
            assertThat(sizes).filteredOn(m -> m.name.equals("execute")).allMatch(m -> m.codeLength > 10);
        }
    }

    /** Code lengths of the methods of one class file (abstract and native methods have none). */
    static List<MethodSize> methodSizes(String owner, InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException(owner + ": not a class file");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.skipNBytes(4); // Integer, Float
                case 5, 6 -> { // Long, Double take two slots
                    in.skipNBytes(8);
                    i++;
                }
                case 7, 8, 16, 19, 20 -> in.skipNBytes(2); // Class, String, MethodType, Module, Package
                case 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4); // refs, NameAndType, (Invoke)Dynamic
                case 15 -> in.skipNBytes(3); // MethodHandle
                default -> throw new IOException(owner + ": unknown constant pool tag " + tag);
            }
        }
        in.skipNBytes(6); // access, this, super
        in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
        int fields = in.readUnsignedShort();
        for (int i = 0; i < fields; i++) {
            in.skipNBytes(6);
            skipAttributes(in);
        }
        List<MethodSize> out = new ArrayList<>();
        int methods = in.readUnsignedShort();
        for (int i = 0; i < methods; i++) {
            in.readUnsignedShort(); // access
            String name = utf8[in.readUnsignedShort()];
            in.readUnsignedShort(); // descriptor
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                String attr = utf8[in.readUnsignedShort()];
                int length = in.readInt();
                if ("Code".equals(attr)) {
                    in.skipNBytes(4); // max_stack, max_locals
                    int codeLength = in.readInt();
                    out.add(new MethodSize(owner, name, codeLength));
                    in.skipNBytes(length - 8L);
                } else {
                    in.skipNBytes(length);
                }
            }
        }
        return out;
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        for (int i = 0; i < n; i++) {
            in.readUnsignedShort();
            in.skipNBytes(in.readInt() & 0xFFFF_FFFFL);
        }
    }
}
