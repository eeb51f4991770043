package jx86.testsupport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper shared by the machine and debugger tests: a multiboot ELF whose code starts at {@link #ENTRY}, right after the header. */
public final class TinyKernel {
    public static final int ENTRY = 0x100010;

    private TinyKernel() {
    }

    public static Path write(Path dir, String name, int... code) throws IOException {
        byte[] bytes = new byte[code.length];
        for (int i = 0; i < code.length; i++) {
            bytes[i] = (byte) code[i];
        }
        ByteBuffer text = ByteBuffer.allocate(16 + bytes.length).order(ByteOrder.LITTLE_ENDIAN);
        text.putInt(0x1BADB002).putInt(0).putInt(-0x1BADB002).putInt(0).put(bytes);
        int paddr = 0x100000;
        ByteBuffer b = ByteBuffer.allocate(0x100 + text.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2).putShort((short) 3).putInt(1).putInt(ENTRY).putInt(52).putInt(0).putInt(0);
        b.putShort((short) 52).putShort((short) 32).putShort((short) 1).putShort((short) 40)
                .putShort((short) 0).putShort((short) 0);
        b.putInt(1).putInt(0x100).putInt(paddr).putInt(paddr).putInt(text.capacity()).putInt(text.capacity())
                .putInt(7).putInt(0x1000);
        b.position(0x100);
        b.put(text.array());
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }
}
