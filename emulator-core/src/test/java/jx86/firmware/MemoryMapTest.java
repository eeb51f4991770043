package jx86.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryMapTest {

    @Test
    void threeGiB_isRamUpTo0xC0000000_andTheHoleAboveKeepsTheApicsAndTheBiosReserved() {
        List<MemoryMap.Entry> map = MemoryMap.forRam(3L << 30);
        assertThat(map).containsExactly(
                new MemoryMap.Entry(0, 0x9FC00, MemoryMap.TYPE_RAM),
                new MemoryMap.Entry(0x9FC00, 0x400, MemoryMap.TYPE_RESERVED),
                new MemoryMap.Entry(0xF0000, 0x10000, MemoryMap.TYPE_RESERVED),
                new MemoryMap.Entry(0x100000, 0xBFF00000L, MemoryMap.TYPE_RAM),
                new MemoryMap.Entry(0xFEC00000L, 0x1000, MemoryMap.TYPE_RESERVED),
                new MemoryMap.Entry(0xFEE00000L, 0x1000, MemoryMap.TYPE_RESERVED),
                new MemoryMap.Entry(0xFFFE0000L, 0x20000, MemoryMap.TYPE_RESERVED));
    }

    @Test
    void noTwoRangesOverlap_forAnySizeUpTo3GiB() {
        for (long mib : new long[] {2, 128, 2047, 2048, 2200, 3072}) {
            List<MemoryMap.Entry> map = MemoryMap.forRam(mib << 20);
            for (int i = 1; i < map.size(); i++) {
                MemoryMap.Entry prev = map.get(i - 1);
                assertThat(map.get(i).base()).as("%d MiB, entry %d", mib, i).isGreaterThanOrEqualTo(prev.base() + prev.length());
            }
            assertThat(map.get(3).base() + map.get(3).length()).isEqualTo(mib << 20);
        }
    }
}
