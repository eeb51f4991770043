package jx86.firmware;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jx86.bus.IoBus;
import jx86.clock.VirtualClock;
import jx86.cpu.Cpu;
import jx86.memory.PhysicalMemory;
import jx86.mmu.Mmu;

/** A bare CPU + memory + bus, and a builder for minimal ELF executables, for firmware tests. */
final class FirmwareTestSupport {
    final PhysicalMemory mem;
    final IoBus io = new IoBus();
    final VirtualClock clock = new VirtualClock();
    final Cpu cpu;

    FirmwareTestSupport(int ramMiB) {
        mem = new PhysicalMemory(ramMiB << 20);
        cpu = new Cpu(new Mmu(mem, clock), io, clock);
    }

    /**
     * An ELF32 i386 executable with one PT_LOAD segment at {@code paddr} holding {@code code},
     * memsz = filesz + bss, entry at paddr.
     */
    static byte[] elf(int paddr, byte[] code, int bss) {
        int phoff = 52;
        int dataOff = 0x100;
        ByteBuffer b = ByteBuffer.allocate(dataOff + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2).putShort((short) 3).putInt(1).putInt(paddr).putInt(phoff).putInt(0).putInt(0);
        b.putShort((short) 52).putShort((short) 32).putShort((short) 1).putShort((short) 40).putShort((short) 0)
                .putShort((short) 0);
        b.position(phoff);
        b.putInt(1).putInt(dataOff).putInt(paddr).putInt(paddr).putInt(code.length).putInt(code.length + bss)
                .putInt(7).putInt(0x1000);
        b.position(dataOff);
        b.put(code);
        return b.array();
    }

    /** Multiboot header (magic, flags 3, checksum) followed by {@code rest}. */
    static byte[] withMultibootHeader(byte[] rest) {
        ByteBuffer b = ByteBuffer.allocate(12 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x1BADB002).putInt(3).putInt(-(0x1BADB002 + 3)).put(rest);
        return b.array();
    }
}
