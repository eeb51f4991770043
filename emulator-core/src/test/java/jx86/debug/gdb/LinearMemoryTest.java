package jx86.debug.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.bus.MmioDevice;
import jx86.clock.VirtualClock;
import jx86.memory.PhysicalMemory;
import jx86.mmu.Mmu;
import org.junit.jupiter.api.Test;

class LinearMemoryTest {
    private static final int DIR = 0x10000;
    private static final int TABLE = 0x11000;
    private final PhysicalMemory phys = new PhysicalMemory(16 << 20);
    private final Mmu mmu = new Mmu(phys, new VirtualClock());
    private final LinearMemory mem = new LinearMemory(mmu);
    private int mmioReads;

    /**
     * Linear 0x400000 → 0x200000, 0x401000 not present, 0x402000 → 0x300000, 0x403000 → 0x250000
     * (present + writable PDE/PTEs: bits 0 and 1).
     */
    private void enablePaging() {
        phys.write32(DIR + 4 * 1, TABLE | 3);
        phys.write32(TABLE, 0x200000 | 3);
        phys.write32(TABLE + 8, 0x300000 | 3);
        phys.write32(TABLE + 12, 0x250000 | 3);
        mmu.setCr3(DIR);
        mmu.setCr0(0x8000_0001);
    }

    @Test
    void pagingOff_linearIsPhysical() {
        phys.write8(0x1234, 0x5A);
        assertThat(mem.read(0x1234, 1)).containsExactly(0x5A);
    }

    @Test
    void pagingOn_readsThroughThePageTables() {
        enablePaging();
        phys.write32(0x200010, 0x44332211);
        assertThat(mem.read(0x400010, 4)).containsExactly(0x11, 0x22, 0x33, 0x44);
    }

    @Test
    void readAcrossAPageBoundary_translatesEachPage() {
        enablePaging();
        phys.write8(0x300FFF, 0xAA);
        phys.write8(0x250000, 0xBB);
        assertThat(mem.read(0x402FFF, 2)).containsExactly(0xAA, 0xBB);
    }

    @Test
    void readTouchingAnUnmappedPage_fails() {
        enablePaging();
        assertThat(mem.read(0x400FFE, 4)).isNull();
        assertThat(mem.read(0x401000, 1)).isNull();
        assertThat(mem.read(0x800000, 1)).isNull();           // no page table at all
    }

    @Test
    void peekingSetsNoAccessedBit() {
        enablePaging();
        mem.read(0x400000, 1);
        assertThat(phys.read32(TABLE) & 0x20).isZero();
        assertThat(phys.read32(DIR + 4) & 0x20).isZero();
    }

    @Test
    void write_storesThroughThePageTablesAcrossPages() {
        enablePaging();
        assertThat(mem.write(0x402FFE, new byte[] {1, 2, 3, 4})).isTrue();
        assertThat(phys.read16(0x300FFE)).isEqualTo(0x0201);
        assertThat(phys.read16(0x250000)).isEqualTo(0x0403);
    }

    @Test
    void writeTouchingAnUnmappedPage_writesNothing() {
        enablePaging();
        phys.write16(0x200FFE, 0x7777);
        assertThat(mem.write(0x400FFE, new byte[] {1, 2, 3, 4})).isFalse();
        assertThat(phys.read16(0x200FFE)).isEqualTo(0x7777);
    }

    @Test
    void romCanBePatchedByTheDebugger() {
        assertThat(mem.write(0xF0000, new byte[] {(byte) 0xCC})).isTrue();
        assertThat(phys.read8(0xF0000)).isEqualTo(0xCC);
        phys.write8(0xF0000, 0x90);                           // the guest still cannot write ROM
        assertThat(phys.read8(0xF0000)).isEqualTo(0xCC);
    }

    @Test
    void mmioPages_areNeitherReadNorWritten() {
        phys.registerMmio(0xFEE00000, 0x1000, "test", new MmioDevice() {
            @Override
            public int mmioRead(int address, int size) {
                mmioReads++;
                return 0;
            }

            @Override
            public void mmioWrite(int address, int size, int value) {
                mmioReads++;
            }
        });
        assertThat(mem.read(0xFEE00000, 4)).isNull();
        assertThat(mem.write(0xFEE00000, new byte[] {1})).isFalse();
        assertThat(mmioReads).isZero();
    }
}
