package jx86.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import jx86.cpu.Cpu;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BiosTest {
    private final FirmwareTestSupport t = new FirmwareTestSupport(16);
    private final MemDisk disk = new MemDisk(2048);
    private Bios bios;

    /** A RAM-backed disk whose sector n is filled with the byte n & 0xFF. */
    static final class MemDisk implements BiosDisk {
        final byte[] data;
        final List<Long> writes = new ArrayList<>();

        MemDisk(int sectors) {
            data = new byte[sectors * 512];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i / 512);
            }
        }

        @Override
        public long sectorCount() {
            return data.length / 512;
        }

        @Override
        public void readSector(long lba, byte[] buf, int off) {
            System.arraycopy(data, (int) lba * 512, buf, off, 512);
        }

        @Override
        public void writeSector(long lba, byte[] buf, int off) {
            writes.add(lba);
            System.arraycopy(buf, off, data, (int) lba * 512, 512);
        }
    }

    @BeforeEach
    void setUp() {
        bios = new Bios(t.mem, t.io, List.of(disk));
        bios.install();
        // Real mode, stack at 0000:7000 holding an INT frame with FLAGS = 0x0202 (CF clear).
        for (int s = 0; s < 6; s++) {
            t.cpu.setSegmentCache(s, 0, 0, 0xFFFF, 0x93);
        }
        t.cpu.regs[Cpu.ESP] = 0x7000;
        t.mem.write16(0x7004, 0x0202);
    }

    private boolean carry() {
        return (t.mem.read16(0x7004) & Cpu.CF) != 0;
    }

    @Test
    void install_pointsServicedVectorsAtStubsAndOthersAtIret() {
        assertThat(t.mem.read16(0x13 * 4 + 2)).isEqualTo(0xF000);
        int off = t.mem.read16(0x13 * 4);
        assertThat(t.mem.dump(0xF0000 + off, 4)).containsExactly(0x0F, 0xFF, 0x13, 0xCF);
        assertThat(t.mem.read16(0x60 * 4)).isEqualTo(Bios.IRET_STUB);
        assertThat(t.mem.read8(0xF0000 + Bios.IRET_STUB)).isEqualTo(0xCF);
        assertThat(t.mem.read16(0x413)).as("base memory KiB").isEqualTo(639);
        assertThat(t.mem.read16(0x400)).as("COM1 base").isEqualTo(0x3F8);
    }

    @Test
    void int13ChsRead_copiesSectorsToEsBx() {
        t.cpu.regs[Cpu.EAX] = 0x0202;            // read 2 sectors
        t.cpu.regs[Cpu.ECX] = 0x0003;            // cylinder 0, sector 3
        t.cpu.regs[Cpu.EDX] = 0x0180;            // head 1, drive 80h
        t.cpu.setSegmentCache(Cpu.ES, 0x1000, 0x10000, 0xFFFF, 0x93);
        t.cpu.regs[Cpu.EBX] = 0x0200;
        bios.biosCall(t.cpu, 0x13);
        long lba = 63 + 2;                       // (0 * 16 + 1) * 63 + 3 - 1
        assertThat(t.mem.read8(0x10200)).isEqualTo((int) lba);
        assertThat(t.mem.read8(0x10200 + 512)).isEqualTo((int) lba + 1);
        assertThat(t.cpu.regs[Cpu.EAX] & 0xFFFF).isEqualTo(0x0002);
        assertThat(carry()).isFalse();
    }

    /**
     * INT 13h function ah (42h read, 43h write) on drive 80h with its disk address packet at 0x600:
     * count sectors from lba, to or from seg:off. Returns the packet's address.
     */
    private int extendedDiskCall(Bios b, int ah, int count, int seg, int off, int lba) {
        int dap = 0x600;
        t.mem.write8(dap, 16);
        t.mem.write16(dap + 2, count);
        t.mem.write16(dap + 4, off);
        t.mem.write16(dap + 6, seg);
        t.mem.write32(dap + 8, lba);
        t.mem.write32(dap + 12, 0);
        t.cpu.regs[Cpu.EAX] = ah << 8;
        t.cpu.regs[Cpu.EDX] = 0x80;
        t.cpu.regs[Cpu.ESI] = dap;
        b.biosCall(t.cpu, 0x13);
        return dap;
    }

    @Test
    void int13ExtendedRead_usesTheDiskAddressPacket() {
        extendedDiskCall(bios, 0x42, 3, 0x2000, 0x0000, 1000);
        assertThat(t.mem.read8(0x20000)).isEqualTo(1000 & 0xFF);
        assertThat(t.mem.read8(0x20000 + 1024)).isEqualTo(1002 & 0xFF);
        assertThat(carry()).isFalse();
    }

    @Test
    void int13ExtendedWrite_reachesTheDisk() {
        t.mem.write8(0x3000, 0xAB);
        extendedDiskCall(bios, 0x43, 1, 0, 0x3000, 7);
        assertThat(disk.writes).containsExactly(7L);
        assertThat(disk.data[7 * 512]).isEqualTo((byte) 0xAB);
    }

    @Test
    void int13ReadPastTheEnd_setsCarryAndStatus() {
        int dap = extendedDiskCall(bios, 0x42, 4, 0, 0, 2046);
        assertThat(carry()).isTrue();
        assertThat(t.mem.read16(dap + 2)).as("sectors transferred").isEqualTo(2);
    }

    @Test
    void int13OnAMissingDrive_fails() {
        t.cpu.regs[Cpu.EAX] = 0x0201;
        t.cpu.regs[Cpu.EDX] = 0x81;
        bios.biosCall(t.cpu, 0x13);
        assertThat(carry()).isTrue();
    }

    @Test
    void int13Extensions_areReported() {
        t.cpu.regs[Cpu.EAX] = 0x4100;
        t.cpu.regs[Cpu.EBX] = 0x55AA;
        t.cpu.regs[Cpu.EDX] = 0x80;
        bios.biosCall(t.cpu, 0x13);
        assertThat(t.cpu.regs[Cpu.EBX] & 0xFFFF).isEqualTo(0xAA55);
        assertThat(carry()).isFalse();
    }

    @Test
    void e820_walksTheMemoryMap() {
        List<long[]> seen = new ArrayList<>();
        int ebx = 0;
        do {
            t.cpu.regs[Cpu.EAX] = 0xE820;
            t.cpu.regs[Cpu.EBX] = ebx;
            t.cpu.regs[Cpu.ECX] = 24;
            t.cpu.regs[Cpu.EDX] = 0x534D4150;
            t.cpu.regs[Cpu.EDI] = 0x500;
            bios.biosCall(t.cpu, 0x15);
            assertThat(carry()).isFalse();
            assertThat(t.cpu.regs[Cpu.EAX]).isEqualTo(0x534D4150);
            seen.add(new long[] {t.mem.read32(0x500) & 0xFFFF_FFFFL, t.mem.read32(0x508) & 0xFFFF_FFFFL,
                t.mem.read32(0x510)});
            ebx = t.cpu.regs[Cpu.EBX];
        } while (ebx != 0);
        assertThat(seen).hasSize(7);
        assertThat(seen.get(0)).containsExactly(0, 0x9FC00, 1);
        assertThat(seen.get(3)).containsExactly(0x100000, 15 << 20, 1);
    }

    @Test
    void e820_aContinuationPastTheEnd_orWithoutSmap_setsCarry() {
        t.cpu.regs[Cpu.EAX] = 0xE820;
        t.cpu.regs[Cpu.EBX] = 7;                       // the map has 7 entries: 0-6
        t.cpu.regs[Cpu.ECX] = 20;
        t.cpu.regs[Cpu.EDX] = 0x534D4150;
        bios.biosCall(t.cpu, 0x15);
        assertThat(carry()).isTrue();
        t.mem.write16(0x7004, 0x0202);
        t.cpu.regs[Cpu.EAX] = 0xE820;
        t.cpu.regs[Cpu.EBX] = 0;
        t.cpu.regs[Cpu.EDX] = 0;                       // no "SMAP" signature
        bios.biosCall(t.cpu, 0x15);
        assertThat(carry()).isTrue();
    }

    @Test
    void e801And88h_giveTheRamAbove1MiB() {
        FirmwareTestSupport big = new FirmwareTestSupport(40);
        Bios b = new Bios(big.mem, big.io, List.of());
        b.install();
        for (int s = 0; s < 6; s++) {
            big.cpu.setSegmentCache(s, 0, 0, 0xFFFF, 0x93);
        }
        big.cpu.regs[Cpu.ESP] = 0x7000;
        big.mem.write16(0x7004, 0x0203);              // CF set before the call
        big.cpu.regs[Cpu.EAX] = 0xE801;
        big.cpu.regs[Cpu.EBX] = 0x5555_5555;
        b.biosCall(big.cpu, 0x15);
        assertThat(big.mem.read16(0x7004) & Cpu.CF).isZero();
        assertThat(big.cpu.regs[Cpu.EAX] & 0xFFFF).as("KiB between 1 and 16 MiB").isEqualTo(15 * 1024);
        assertThat(big.cpu.regs[Cpu.ECX] & 0xFFFF).isEqualTo(15 * 1024);
        assertThat(big.cpu.regs[Cpu.EBX]).as("64 KiB blocks above 16 MiB: 24 MiB").isEqualTo(0x5555_0180);
        assertThat(big.cpu.regs[Cpu.EDX] & 0xFFFF).isEqualTo(0x0180);
        big.mem.write16(0x7004, 0x0203);
        big.cpu.regs[Cpu.EAX] = 0x8800;
        b.biosCall(big.cpu, 0x15);
        assertThat(big.mem.read16(0x7004) & Cpu.CF).isZero();
        assertThat(big.cpu.regs[Cpu.EAX] & 0xFFFF).as("KiB above 1 MiB").isEqualTo(39 * 1024);
    }

    @Test
    void int10ModeQueries_reportAColourVgaInMode3() {
        t.cpu.regs[Cpu.EAX] = 0x0F00;
        t.cpu.regs[Cpu.EBX] = 0x0700;
        bios.biosCall(t.cpu, 0x10);
        assertThat(t.cpu.regs[Cpu.EAX] & 0xFFFF).as("AH = 80 columns, AL = mode 3").isEqualTo(0x5003);
        assertThat((t.cpu.regs[Cpu.EBX] >> 8) & 0xFF).as("BH = active page").isZero();
        t.cpu.regs[Cpu.EAX] = 0x1200;
        t.cpu.regs[Cpu.EBX] = 0x0010;
        bios.biosCall(t.cpu, 0x10);
        assertThat(t.cpu.regs[Cpu.EBX] & 0xFFFF).as("EGA/VGA information: colour, 256 KiB").isEqualTo(0x0003);
        t.cpu.regs[Cpu.EAX] = 0x1A00;
        bios.biosCall(t.cpu, 0x10);
        assertThat(t.cpu.regs[Cpu.EAX] & 0xFF).as("display combination supported").isEqualTo(0x1A);
        assertThat(t.cpu.regs[Cpu.EBX] & 0xFF).as("VGA with colour display").isEqualTo(0x08);
        // what Linux's setup (store_mode_params) reads from the BDA: columns, rows - 1, font height
        assertThat(t.mem.read16(0x44A)).isEqualTo(80);
        assertThat(t.mem.read8(0x484)).isEqualTo(24);
        assertThat(t.mem.read16(0x485)).isEqualTo(16);
    }

    @Test
    void vbe4F00_isUnsupported_axIsNot004F_andTheBufferIsUntouched() {
        t.mem.write32(0x600, 0x1234_5678);
        t.cpu.regs[Cpu.EAX] = 0x4F00;
        t.cpu.regs[Cpu.EDI] = 0x600;
        bios.biosCall(t.cpu, 0x10);
        assertThat(t.cpu.regs[Cpu.EAX] & 0xFFFF).isNotEqualTo(0x004F);
        assertThat(t.mem.read32(0x600)).as("no \"VESA\" block").isEqualTo(0x1234_5678);
    }

    @Test
    void a20Services_toggleTheGate() {
        t.cpu.regs[Cpu.EAX] = 0x2400;
        bios.biosCall(t.cpu, 0x15);
        assertThat(t.mem.a20Enabled()).isFalse();
        t.cpu.regs[Cpu.EAX] = 0x2402;
        bios.biosCall(t.cpu, 0x15);
        assertThat(t.cpu.regs[Cpu.EAX] & 0xFF).isZero();
        t.cpu.regs[Cpu.EAX] = 0x2401;
        bios.biosCall(t.cpu, 0x15);
        assertThat(t.mem.a20Enabled()).isTrue();
    }

    @Test
    void teletype_writesTextMemoryAndScrollsAtTheBottom() {
        for (char c : "hi\r\n".toCharArray()) {
            t.cpu.regs[Cpu.EAX] = 0x0E00 | c;
            bios.biosCall(t.cpu, 0x10);
        }
        assertThat(t.mem.read8(0xB8000)).isEqualTo('h');
        assertThat(t.mem.read8(0xB8002)).isEqualTo('i');
        assertThat(t.mem.read16(0x450)).as("cursor row 1, col 0").isEqualTo(0x0100);
        t.mem.write8(0xB8000 + 160, 'x');
        t.mem.write8(0xB8000 + 24 * 160, 'y');
        t.mem.write16(0x450, 24 << 8);
        t.cpu.regs[Cpu.EAX] = 0x0E00 | '\n';
        bios.biosCall(t.cpu, 0x10);
        assertThat(t.mem.read8(0xB8000)).as("row 1 moved up").isEqualTo('x');
        assertThat(t.mem.read8(0xB8000 + 23 * 160)).as("row 24 moved up").isEqualTo('y');
        assertThat(t.mem.read8(0xB8000 + 24 * 160)).as("bottom row blank").isEqualTo(' ');
        assertThat(t.mem.read16(0x450)).isEqualTo(24 << 8);
    }

    @Test
    void keyboardRead_withEmptyBuffer_haltsAndRewindsToTheStub() {
        t.cpu.eip = Bios.STUB_BASE + 4 * 0x16 + 3;
        t.cpu.regs[Cpu.EAX] = 0;
        bios.biosCall(t.cpu, 0x16);
        assertThat(t.cpu.halted()).isTrue();
        assertThat(t.cpu.eip).isEqualTo(Bios.STUB_BASE + 4 * 0x16);
        assertThat(t.cpu.getEflags() & Cpu.IF).isNotZero();
    }

    @Test
    void bootFromDisk_withoutSignature_isRejected() {
        assertThatThrownBy(() -> bios.bootFromDisk(t.cpu, "x.img"))
                .isInstanceOf(BadImageException.class).hasMessageContaining("x.img: not bootable");
    }

    @Test
    void bootFromDisk_loadsSectorZeroAndEntersRealMode() {
        disk.data[510] = 0x55;
        disk.data[511] = (byte) 0xAA;
        disk.data[0] = (byte) 0xEB;
        bios.bootFromDisk(t.cpu, "x.img");
        assertThat(t.mem.read8(0x7C00)).isEqualTo(0xEB);
        assertThat(t.cpu.eip).isEqualTo(0x7C00);
        assertThat(t.cpu.segSel[Cpu.CS]).isZero();
        assertThat(t.cpu.regs[Cpu.EDX] & 0xFF).isEqualTo(0x80);
    }

    @Test
    void hostReadError_isADiskErrorForTheGuestNotACrash() {
        BiosDisk broken = new BiosDisk() {
            @Override
            public long sectorCount() {
                return 100;
            }

            @Override
            public void readSector(long lba, byte[] buf, int off) {
                throw new java.io.UncheckedIOException(new java.io.IOException("EIO"));
            }

            @Override
            public void writeSector(long lba, byte[] buf, int off) {
                throw new java.io.UncheckedIOException(new java.io.IOException("EIO"));
            }
        };
        Bios b = new Bios(t.mem, t.io, List.of(broken));
        int dap = extendedDiskCall(b, 0x42, 2, 0, 0, 5);
        assertThat(carry()).isTrue();
        assertThat(t.mem.read16(dap + 2)).as("sectors transferred").isZero();
    }
}
