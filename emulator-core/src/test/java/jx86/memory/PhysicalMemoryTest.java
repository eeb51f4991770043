package jx86.memory;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.bus.MmioDevice;
import org.junit.jupiter.api.Test;

class PhysicalMemoryTest {
    private final PhysicalMemory mem = new PhysicalMemory(2 << 20);

    /** The page map at every boundary, for the smallest RAM, a typical one and one with a chunk. */
    @Test
    void pageKinds_atEveryBoundary() {
        int ram = PhysicalMemory.KIND_RAM;
        int rom = PhysicalMemory.KIND_ROM;
        int none = PhysicalMemory.KIND_UNASSIGNED;
        PhysicalMemory oneMiB = new PhysicalMemory(1 << 20);
        assertThat(new int[] {oneMiB.kindOf(0), oneMiB.kindOf(0xBFFFF), oneMiB.kindOf(0xC0000), oneMiB.kindOf(0xFFFFF),
            oneMiB.kindOf(0x100000), oneMiB.kindOf(0xFFFDFFFF), oneMiB.kindOf(0xFFFE0000), oneMiB.kindOf(0xFFFFFFFF)})
                .containsExactly(ram, ram, rom, rom, none, none, rom, rom);
        assertThat(new int[] {mem.kindOf(0xBF000), mem.kindOf(0xC0000), mem.kindOf(0xFF000), mem.kindOf(0x100000),
            mem.kindOf(0x1FFFFF), mem.kindOf(0x200000), mem.kindOf(0x7FFFFFFF), mem.kindOf(0xFFFDF000), mem.kindOf(0xFFFE0000)})
                .containsExactly(ram, rom, rom, ram, ram, none, none, none, rom);
        PhysicalMemory chunked = new PhysicalMemory(PhysicalMemory.CHUNK_BYTES + (4L << 20), PhysicalMemory.CHUNK_BYTES);
        int end = PhysicalMemory.CHUNK_BYTES + (4 << 20);
        assertThat(new int[] {chunked.kindOf(PhysicalMemory.CHUNK_BYTES), chunked.kindOf(end - 1), chunked.kindOf(end)})
                .containsExactly(ram, ram, none);
    }

    @Test
    void ram_isLittleEndianAtAnyAlignment() {
        mem.write32(0x1001, 0x11223344);
        assertThat(mem.read8(0x1001)).isEqualTo(0x44);
        assertThat(mem.read16(0x1002)).isEqualTo(0x2233);
        assertThat(mem.read32(0x1001)).isEqualTo(0x11223344);
    }

    @Test
    void accessStraddlingTwoPages_readsBothPages() {
        mem.write32(0x1FFE, 0xA1B2C3D4);
        assertThat(mem.read8(0x2000)).isEqualTo(0xB2);
        assertThat(mem.read32(0x1FFE)).isEqualTo(0xA1B2C3D4);
    }

    @Test
    void rom_ignoresGuestWritesButFirmwareCanLoadIt() {
        mem.poke8(0xF0000, 0xEA);
        mem.write8(0xF0000, 0x90);
        assertThat(mem.read8(0xF0000)).isEqualTo(0xEA);
        assertThat(mem.read8(0xFFFF0000)).as("high alias of the BIOS").isEqualTo(0xEA);
    }

    @Test
    void unassigned_readsAllOnes() {
        assertThat(mem.read32(0x4000_0000)).isEqualTo(0xFFFF_FFFF);
        mem.write32(0x4000_0000, 0);
        assertThat(mem.read8(0x4000_0000)).isEqualTo(0xFF);
    }

    @Test
    void a20Disabled_wrapsAtOneMegabyte() {
        mem.write8(0x100010, 0x5A);
        mem.write8(0x000010, 0xA5);
        mem.setA20(false);
        assertThat(mem.read8(0x100010)).isEqualTo(0xA5);
        mem.setA20(true);
        assertThat(mem.read8(0x100010)).isEqualTo(0x5A);
    }

    @Test
    void mmio_routesToTheDeviceWithPhysicalAddressAndSize() {
        int[] last = new int[3];
        mem.registerMmio(0xFEE00000, 0x1000, "lapic", new MmioDevice() {
            @Override
            public int mmioRead(int address, int size) {
                return address + size;
            }

            @Override
            public void mmioWrite(int address, int size, int value) {
                last[0] = address;
                last[1] = size;
                last[2] = value;
            }
        });
        assertThat(mem.read32(0xFEE00020)).isEqualTo(0xFEE00024);
        mem.write32(0xFEE000B0, 7);
        assertThat(last).containsExactly(0xFEE000B0, 4, 7);
    }

    @Test
    void writeToMarkedCodePage_notifiesTheListener() {
        int[] hit = {-1};
        mem.codeWrites().setListener(page -> hit[0] = page);
        mem.codeWrites().markCodePage(0x12);
        mem.write8(0x11FFF, 1);
        assertThat(hit[0]).isEqualTo(-1);
        mem.write16(0x12004, 1);
        assertThat(hit[0]).isEqualTo(0x12);
    }

    @Test
    void writeNextToDecodedLines_leavesTheGenerationAlone_writeIntoThemBumpsItOnce() {
        CodeWriteTracker cw = mem.codeWrites();
        int[] hits = {0};
        cw.setListener(page -> hits[0]++);
        cw.markCodeLines(0x12, CodeWriteTracker.lineMask(0x40, 16)); // bytes 0x40-0x4F: line 1
        int before = cw.generations()[0x12];
        mem.write32(0x12000, 1);
        mem.write8(0x1203F, 1);
        mem.write8(0x12080, 1);
        assertThat(cw.generations()[0x12]).isEqualTo(before);
        mem.write32(0x1203E, 1); // reaches 0x40
        assertThat(cw.generations()[0x12]).isEqualTo(before + 1);
        assertThat(cw.isCodePage(0x12)).isFalse();
        mem.write8(0x12040, 2); // nothing decoded there any more
        assertThat(cw.generations()[0x12]).isEqualTo(before + 1);
        assertThat(hits[0]).isEqualTo(1);
    }

    @Test
    void lineMask_coversFirstToLastLineTouched() {
        assertThat(CodeWriteTracker.lineMask(0, 1)).isEqualTo(1L);
        assertThat(CodeWriteTracker.lineMask(0x3E, 4)).isEqualTo(0b11L);
        assertThat(CodeWriteTracker.lineMask(0xFC0, 64)).isEqualTo(1L << 63);
        assertThat(CodeWriteTracker.lineMask(0, 0x1000)).isEqualTo(-1L);
        assertThat(CodeWriteTracker.lineMask(0x100, 0)).isZero();
    }

    // ---- RAM in several arrays: the low one, then chunks of PhysicalMemory.CHUNK_BYTES ----

    /** Where the low array ends in these tests (a real machine: LOW_BYTES); RAM ends 4 MiB later, in chunk 1. */
    private static final int BOUNDARY = PhysicalMemory.CHUNK_BYTES;

    private static PhysicalMemory twoArrays() {
        return new PhysicalMemory(BOUNDARY + (4 << 20), BOUNDARY);
    }

    @Test
    void accessesAcrossTheEndOfTheLowArray_keepEveryByte() {
        PhysicalMemory big = twoArrays();
        big.write32(BOUNDARY - 2, 0xA1B2C3D4);
        assertThat(big.read8(BOUNDARY - 2)).isEqualTo(0xD4);
        assertThat(big.read8(BOUNDARY - 1)).isEqualTo(0xC3);
        assertThat(big.read8(BOUNDARY)).isEqualTo(0xB2);
        assertThat(big.read8(BOUNDARY + 1)).isEqualTo(0xA1);
        assertThat(big.read32(BOUNDARY - 2)).isEqualTo(0xA1B2C3D4);
        big.write16(BOUNDARY - 1, 0x5AA5);
        assertThat(big.read16(BOUNDARY - 1)).isEqualTo(0x5AA5);
        assertThat(big.read32(BOUNDARY - 2)).isEqualTo(0xA15AA5D4);
        assertThat(big.ramRead32(BOUNDARY)).isEqualTo(0x0000A15A);
        assertThat(big.read32(0)).as("the low array is not chunk 1").isZero();
    }

    @Test
    void stringFastPaths_copyAndFillBetweenTheArrays() {
        PhysicalMemory big = twoArrays();
        for (int i = 0; i < 64; i++) {
            big.write8(BOUNDARY - 0x1000 + i, i * 7 + 1);
        }
        big.ramCopyUp(BOUNDARY + 0x10, BOUNDARY - 0x1000, 16, 4);   // low array -> chunk 1
        big.ramCopyUp(BOUNDARY - 0x800, BOUNDARY + 0x10, 32, 2);    // chunk 1 -> low array
        big.ramFill(BOUNDARY + 0x100, 0xCAFEF00D, 4, 4);
        for (int i = 0; i < 64; i++) {
            assertThat(big.read8(BOUNDARY + 0x10 + i)).as("byte %d in chunk 1", i).isEqualTo((i * 7 + 1) & 0xFF);
            assertThat(big.read8(BOUNDARY - 0x800 + i)).as("byte %d back in the low array", i).isEqualTo((i * 7 + 1) & 0xFF);
        }
        assertThat(big.read32(BOUNDARY + 0x10C)).isEqualTo(0xCAFEF00D);
        assertThat(big.read32(BOUNDARY + 0x110)).isZero();
    }

    @Test
    void overlappingCopyInsideAChunk_replicatesLikeTheCpu() {
        PhysicalMemory big = twoArrays();
        big.write8(BOUNDARY + 0x2000, 0x5A);
        big.ramCopyUp(BOUNDARY + 0x2001, BOUNDARY + 0x2000, 15, 1);    // REP MOVSB with dst = src + 1
        assertThat(big.dump(BOUNDARY + 0x2000, 16)).containsOnly((byte) 0x5A);
    }

    @Test
    void codeWritesInAChunk_areTrackedByTheirPage() {
        PhysicalMemory big = twoArrays();
        int page = (BOUNDARY >>> 12) + 3;
        int[] hit = {-1};
        big.codeWrites().setListener(p -> hit[0] = p);
        big.codeWrites().markCodePage(page);
        big.write32((page << 12) + 0x10, 1);
        assertThat(hit[0]).isEqualTo(page);
        assertThat(big.codeWrites().generations()[page]).isEqualTo(1);
    }

    @Test
    void theEndOfRamInAChunk_isFollowedByUnassignedSpace() {
        int size = BOUNDARY + (4 << 20);
        PhysicalMemory big = twoArrays();
        big.write32(size - 4, 0x7E57AB1E);
        assertThat(big.read32(size - 4)).isEqualTo(0x7E57AB1E);
        assertThat(big.kindOf(size)).isEqualTo(PhysicalMemory.KIND_UNASSIGNED);
        big.write32(size - 2, 0);       // half in RAM, half unassigned
        assertThat(big.read32(size - 2)).isEqualTo(0xFFFF_0000);
        assertThat(big.read32(size - 4)).isEqualTo(0x0000_AB1E);
        assertThat(big.ramSize()).isEqualTo(size);
    }

    // ---- chunks allocated at their first use ----

    /** RAM: the low array (BOUNDARY), then three whole chunks and a short fourth one (1 MiB). */
    private static PhysicalMemory fourChunks() {
        return new PhysicalMemory(BOUNDARY + 3L * PhysicalMemory.CHUNK_BYTES + (1 << 20), BOUNDARY);
    }

    @Test
    void anUntouchedChunk_readsAsZerosWithoutBeingAllocated() {
        PhysicalMemory big = fourChunks();
        int c1 = BOUNDARY;
        int c2 = BOUNDARY + PhysicalMemory.CHUNK_BYTES;
        assertThat(new int[] {big.read8(c1), big.read16(c1 + 0x7FF), big.read32(c2 - 2), big.read32(c2 + 0x10),
            big.ramRead8(c2 + 1), big.ramRead16(c2 + 2), big.ramRead32(c2 + 4), big.readAligned32(c2 + 8)})
                .containsOnly(0);
        assertThat(big.dump(c1 - 4, 16)).containsOnly((byte) 0);
        assertThat(big.chunkAllocated(c1) || big.chunkAllocated(c2)).as("reads allocate nothing").isFalse();
    }

    @Test
    void theFirstStore_allocatesOnlyItsChunk_andEveryStoreWidthLands() {
        PhysicalMemory big = fourChunks();
        int c2 = BOUNDARY + PhysicalMemory.CHUNK_BYTES;
        int c3 = c2 + PhysicalMemory.CHUNK_BYTES;
        big.write8(c2 + 0x10, 0x5A);
        assertThat(new boolean[] {big.chunkAllocated(BOUNDARY), big.chunkAllocated(c2), big.chunkAllocated(c3)})
                .containsExactly(false, true, false);
        big.ramStore16(c2 + 0x20, 0xBEEF);
        big.ramStore32(c2 + 0x30, 0x01234567);
        big.write32(c3 - 2, 0xA1B2C3D4);       // across the end of chunk 2 into untouched chunk 3
        assertThat(new int[] {big.read8(c2 + 0x10), big.read16(c2 + 0x20), big.read32(c2 + 0x30),
            big.read32(c3 - 2), big.read16(c3)}).containsExactly(0x5A, 0xBEEF, 0x01234567, 0xA1B2C3D4, 0xA1B2);
        assertThat(big.chunkAllocated(c3)).isTrue();
    }

    @Test
    void theShortLastChunk_endsWithRam() {
        PhysicalMemory big = fourChunks();
        int size = (int) big.ramSize();
        big.write32(size - 4, 0x600DF00D);
        assertThat(big.read32(size - 4)).isEqualTo(0x600DF00D);
        big.write32(size - 2, 0);          // half in RAM, half unassigned
        assertThat(big.read32(size - 4)).isEqualTo(0x0000F00D);
        assertThat(big.read32(size)).isEqualTo(0xFFFF_FFFF);
    }

    @Test
    void copiesFillsAndLoads_intoAndOutOfUntouchedChunks() {
        PhysicalMemory big = fourChunks();
        int c1 = BOUNDARY;
        int c2 = BOUNDARY + PhysicalMemory.CHUNK_BYTES;
        int c3 = c2 + PhysicalMemory.CHUNK_BYTES;
        big.ramFill(0x3000, 0x77, 64, 1);
        big.ramCopyUp(0x3000, c1 + 0x5000, 16, 4);          // untouched chunk 1 -> low: zeros
        assertThat(big.dump(0x3000, 64)).containsOnly((byte) 0);
        big.ramFill(c2 + 0x100, 0x1234, 8, 2);               // fill into untouched chunk 2
        big.ramCopyUp(c3 + 0x200, c2 + 0x100, 4, 4);         // chunk 2 -> untouched chunk 3
        assertThat(new int[] {big.read32(c2 + 0x100), big.read32(c3 + 0x20C), big.read32(c3 + 0x210)})
                .containsExactly(0x12341234, 0x12341234, 0);
        byte[] sector = new byte[512];
        for (int i = 0; i < sector.length; i++) {
            sector[i] = (byte) (i * 3 + 1);
        }
        big.load(c2 - 256, sector);                          // a device's DMA across two chunks
        assertThat(big.dump(c2 - 256, 512)).isEqualTo(sector);
    }

    @Test
    void aMachineAboveLowBytes_allocatesOnlyTheLowArrayAtFirst() {
        PhysicalMemory big = new PhysicalMemory(PhysicalMemory.LOW_BYTES + 2L * PhysicalMemory.CHUNK_BYTES);
        int top = PhysicalMemory.LOW_BYTES + 2 * PhysicalMemory.CHUNK_BYTES;
        assertThat(big.chunkAllocated(PhysicalMemory.LOW_BYTES) || big.chunkAllocated(top - 1)).isFalse();
        big.write32(PhysicalMemory.LOW_BYTES - 2, 0xCAFEBABE);    // the low array's end into chunk 32
        assertThat(big.read32(PhysicalMemory.LOW_BYTES - 2)).isEqualTo(0xCAFEBABE);
        assertThat(big.ramRead16(PhysicalMemory.LOW_BYTES)).isEqualTo(0xCAFE);
        assertThat(new boolean[] {big.chunkAllocated(PhysicalMemory.LOW_BYTES), big.chunkAllocated(top - 1)})
                .containsExactly(true, false);
    }

    @Test
    void ramAbove3GiB_isRefusedBeforeAnythingIsAllocated() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PhysicalMemory((3L << 30) + 4096))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 3 GiB");
    }

    @Test
    void addressesAtAndAbove2GiB_areUnassignedWithoutThatMuchRam() {
        assertThat(mem.kindOf(0x8000_0000)).isEqualTo(PhysicalMemory.KIND_UNASSIGNED);
        assertThat(mem.read32(0xBFFF_FFF0)).isEqualTo(0xFFFF_FFFF);
        mem.write32(0x8000_0000, 0);
        assertThat(mem.read8(0x8000_0000)).isEqualTo(0xFF);
    }
}
