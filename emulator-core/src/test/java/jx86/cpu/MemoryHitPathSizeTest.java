package jx86.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import jx86.memory.CodeWriteTracker;
import jx86.memory.PhysicalMemory;
import jx86.mmu.Mmu;
import jx86.mmu.Tlb;
import org.junit.jupiter.api.Test;

/**
 * The data accesses' D-TLB hit path, from the loads and stores the compiled blocks call down to
 * the RAM array, is made of methods of at most 35 bytes of bytecode (HotSpot's MaxInlineSize): C2
 * inlines such a method at every call site, also at one its profile calls cold, so a block's loads
 * and stores do not become calls because the block happened to be compiled soon after its
 * profiling began (docs/performance.md, "Round 9: the TLB miss path"). One branch too many in any
 * of them undoes that without failing any other test; this one names the method.
 */
class MemoryHitPathSizeTest {
    private static final int MAX_INLINE_SIZE = 35;

    private static final Map<Class<?>, List<String>> HIT_PATH = Map.of(
            DecodeCache.class, List.of("load32", "load8", "store32"),
            Mem.class, List.of("laRead", "laWrite"),
            Mmu.class, List.of("read32", "read8", "write32", "write8", "readFast", "writeFast", "fastHit",
                    "dataEntry", "hitAt"),
            Tlb.class, List.of("hitData", "addHits"),
            PhysicalMemory.class, List.of("ramRead32", "ramRead8", "ramStore32", "ramStore8", "ramWrite32",
                    "ramWrite8"),
            CodeWriteTracker.class, List.of("noteWrite"));

    @Test
    void everyMethodOfTheDataHitPath_fitsMaxInlineSize() throws IOException {
        for (Map.Entry<Class<?>, List<String>> e : HIT_PATH.entrySet()) {
            Class<?> owner = e.getKey();
            String file = owner.getSimpleName() + ".class";
            List<CpuMethodSizeTest.MethodSize> sizes;
            try (InputStream in = owner.getResourceAsStream(file)) {
                sizes = CpuMethodSizeTest.methodSizes(file, in);
            }
            for (String name : e.getValue()) {
                assertThat(sizes).as("%s.%s exists", owner.getSimpleName(), name)
                        .anyMatch(m -> m.name().equals(name));
                assertThat(sizes).filteredOn(m -> m.name().equals(name))
                        .extracting(CpuMethodSizeTest.MethodSize::codeLength)
                        .as("%s.%s: bytes of bytecode", owner.getSimpleName(), name)
                        .allMatch(n -> n <= MAX_INLINE_SIZE);
            }
        }
    }
}
