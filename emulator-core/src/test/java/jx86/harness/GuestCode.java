package jx86.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import jx86.testsupport.TinyKernel;

/**
 * Hand-assembled 32-bit guest code for the harness tests (the multiboot loader leaves flat 32-bit
 * segments): a handful of encodings with labels and short or near jumps patched at the end.
 * Code starts at {@link TinyKernel#ENTRY}.
 */
final class GuestCode {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, Integer> labels = new HashMap<>();
    /** Patch sites: position of a rel8/rel32/abs32 field -> label. */
    private final Map<Integer, String> rel8 = new HashMap<>();
    private final Map<Integer, String> rel32 = new HashMap<>();
    private final Map<Integer, String> abs32 = new HashMap<>();

    GuestCode b(int... bytes) {
        for (int x : bytes) {
            out.write(x);
        }
        return this;
    }

    private GuestCode imm32(int v) {
        return b(v, v >>> 8, v >>> 16, v >>> 24);
    }

    GuestCode label(String name) {
        labels.put(name, out.size());
        return this;
    }

    /** mov $label, %esi */
    GuestCode movEsiLabel(String label) {
        b(0xBE);
        abs32.put(out.size(), label);
        return imm32(0);
    }

    /** lidt label (a 6-byte limit and base). */
    GuestCode lidt(String label) {
        b(0x0F, 0x01, 0x1D);
        abs32.put(out.size(), label);
        return imm32(0);
    }

    GuestCode movEsp(int v) {
        return b(0xBC).imm32(v);
    }

    GuestCode movEbx(int v) {
        return b(0xBB).imm32(v);
    }

    GuestCode movEcx(int v) {
        return b(0xB9).imm32(v);
    }

    /** A conditional or unconditional short jump: opcode 0x74 jz, 0x75 jnz, 0xEB jmp, 0xE2 loop. */
    GuestCode jump8(int opcode, String label) {
        b(opcode);
        rel8.put(out.size(), label);
        return b(0);
    }

    GuestCode call(String label) {
        b(0xE8);
        rel32.put(out.size(), label);
        return imm32(0);
    }

    /** The string's bytes and a terminating zero. */
    GuestCode asciz(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        out.write(bytes, 0, bytes.length);
        return b(0);
    }

    /** print: writes the zero-terminated string at %esi to COM1; clobbers %eax, %edx, %esi. */
    GuestCode printRoutine() {
        return label("print").b(0xAC)           // lodsb
                .b(0x84, 0xC0)                    // test %al, %al
                .jump8(0x74, "print.done")        // jz
                .b(0x66, 0xBA, 0xF8, 0x03)        // mov $0x3f8, %dx
                .b(0xEE)                          // out %al, %dx
                .jump8(0xEB, "print")
                .label("print.done").b(0xC3);     // ret
    }

    /** mov $value, %al; out %al, $0xf4 (the exit port). */
    GuestCode exit(int value) {
        return b(0xB0, value, 0xE6, 0xF4);
    }

    int[] assemble() {
        byte[] code = out.toByteArray();
        rel8.forEach((pos, l) -> code[pos] = (byte) (target(l) - (pos + 1)));
        rel32.forEach((pos, l) -> put32(code, pos, target(l) - (pos + 4)));
        abs32.forEach((pos, l) -> put32(code, pos, TinyKernel.ENTRY + target(l)));
        int[] ints = new int[code.length];
        for (int i = 0; i < code.length; i++) {
            ints[i] = code[i] & 0xFF;
        }
        return ints;
    }

    Path write(Path dir, String name) throws IOException {
        return TinyKernel.write(dir, name, assemble());
    }

    private int target(String label) {
        Integer at = labels.get(label);
        if (at == null) {
            throw new IllegalStateException("undefined label " + label);
        }
        return at;
    }

    private static void put32(byte[] code, int pos, int v) {
        code[pos] = (byte) v;
        code[pos + 1] = (byte) (v >>> 8);
        code[pos + 2] = (byte) (v >>> 16);
        code[pos + 3] = (byte) (v >>> 24);
    }

    // ---- the guests the tests boot ----

    /** Prints "boot", then {@code ticks} times: a delay of {@code delay} LOOP iterations and "tick"; exits with 7. */
    static GuestCode ticker(int ticks, int delay) {
        return new GuestCode().movEsp(0x90000)
                .movEsiLabel("s.boot").call("print")
                .movEbx(ticks)
                .label("again").movEcx(delay).label("delay").jump8(0xE2, "delay")
                .movEsiLabel("s.tick").call("print")
                .b(0x4B)                          // dec %ebx
                .jump8(0x75, "again")
                .exit(7)
                .printRoutine()
                .label("s.boot").asciz("boot\n")
                .label("s.tick").asciz("tick\r\n");
    }

    /** Prints "ready", then echoes every byte COM1 receives; after echoing 'q' exits with 'q'. */
    static GuestCode echo() {
        return new GuestCode().movEsp(0x90000)
                .movEsiLabel("s.ready").call("print")
                .label("poll")
                .b(0x66, 0xBA, 0xFD, 0x03)        // mov $0x3fd, %dx (LSR)
                .b(0xEC)                          // in %dx, %al
                .b(0xA8, 0x01)                    // test $1, %al (data ready)
                .jump8(0x74, "poll")
                .b(0x66, 0xBA, 0xF8, 0x03)        // mov $0x3f8, %dx
                .b(0xEC)                          // in %dx, %al
                .b(0xEE)                          // out %al, %dx
                .b(0x3C, 'q')                     // cmp $'q', %al
                .jump8(0x75, "poll")
                .b(0xE6, 0xF4)                    // out %al, $0xf4
                .printRoutine()
                .label("s.ready").asciz("ready\n");
    }

    /** Prints "spinning" and then loops forever. */
    static GuestCode spinner() {
        return new GuestCode().movEsp(0x90000)
                .movEsiLabel("s.spin").call("print")
                .label("forever").jump8(0xEB, "forever")
                .printRoutine()
                .label("s.spin").asciz("spinning\n");
    }

    /** Prints "bye" and halts with interrupts off. */
    static GuestCode haltForever() {
        return new GuestCode().movEsp(0x90000)
                .movEsiLabel("s.bye").call("print")
                .b(0xFA, 0xF4)                    // cli; hlt
                .printRoutine()
                .label("s.bye").asciz("bye\n");
    }

    /** Loads an empty IDT and raises int3: #GP, #DF, shutdown. */
    static GuestCode tripleFault() {
        return new GuestCode().movEsp(0x90000)
                .movEsiLabel("s.pre").call("print")
                .lidt("idt.empty")
                .b(0xCC)                          // int3
                .printRoutine()
                .label("s.pre").asciz("about to fault\n")
                .label("idt.empty").b(0, 0, 0, 0, 0, 0);
    }
}
