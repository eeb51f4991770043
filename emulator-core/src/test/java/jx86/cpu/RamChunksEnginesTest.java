package jx86.cpu;

import static jx86.cpu.CpuTestSupport.cat;
import static jx86.cpu.CpuTestSupport.le32;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.memory.PhysicalMemory;
import jx86.mmu.TlbEvent;
import org.junit.jupiter.api.Test;

/**
 * Guest RAM above {@link PhysicalMemory#LOW_BYTES} lies in chunks allocated at their first use
 * (docs/machine.md, "Guest RAM in the host"): stores, REP STOS and REP MOVS across the low array's
 * end and across a chunk boundary, and loads from chunks never written, give every engine the same
 * run and the hand-worked values.
 */
class RamChunksEnginesTest {
    private static final int LOW = PhysicalMemory.LOW_BYTES;
    private static final int CHUNK = PhysicalMemory.CHUNK_BYTES;
    private static final long RAM = LOW + 4L * CHUNK;
    private static final int PATTERN = 0x11223344;

    /** The program: each step touches RAM the step before has not. */
    private static int[] program() {
        return cat(
                new int[] {0xB8}, le32(PATTERN),                  // mov eax, PATTERN
                new int[] {0xBF}, le32(LOW - 8),                  // mov edi, LOW-8
                new int[] {0xB9}, le32(4),                        // mov ecx, 4
                new int[] {0xF3, 0xAB},                           // rep stosd: the low array's end into chunk 0
                new int[] {0xBE}, le32(LOW - 8),                  // mov esi, LOW-8
                new int[] {0xBF}, le32(LOW + CHUNK - 4),          // mov edi, the end of chunk 0
                new int[] {0xB9}, le32(16),                       // mov ecx, 16
                new int[] {0xF3, 0xA4},                           // rep movsb: into chunk 1 (untouched)
                new int[] {0x8B, 0x1D}, le32(LOW + CHUNK),        // mov ebx, [chunk 1]
                new int[] {0x8B, 0x15}, le32(LOW + 3 * CHUNK - 2), // mov edx, [chunks 2|3, untouched]
                new int[] {0x89, 0x05}, le32((int) RAM - 4),      // mov [RAM's last dword], eax
                new int[] {0x8B, 0x2D}, le32((int) RAM - 4));     // mov ebp, [RAM's last dword]
    }

    private static CpuTestSupport run(Engine engine) {
        return CpuTestSupport.flat32(engine, RAM).exec(program());
    }

    @Test
    void storesCopiesAndLoadsAcrossChunks_areTheSameOnEveryEngine() {
        CpuTestSupport plain = run(Engine.INTERP);
        assertThat(new int[] {plain.reg(Cpu.EBX), plain.reg(Cpu.EDX), plain.reg(Cpu.EBP), plain.reg(Cpu.ECX)})
                .containsExactly(PATTERN, 0, PATTERN, 0);
        assertThat(new int[] {plain.read32(LOW - 8), plain.read32(LOW + 4), plain.read32(LOW + CHUNK - 4),
            plain.read32(LOW + CHUNK + 8), plain.read32(LOW + CHUNK + 12), plain.read32((int) RAM - 4)})
                .containsExactly(PATTERN, PATTERN, PATTERN, PATTERN, 0, PATTERN);
        for (Engine engine : new Engine[] {Engine.CACHE, Engine.JIT}) {
            CpuTestSupport other = run(engine);
            String at = engine.cliName();
            assertThat(other.cpu.instructions).as(at).isEqualTo(plain.cpu.instructions);
            assertThat(other.clock.cycles).as(at).isEqualTo(plain.clock.cycles);
            assertThat(other.cpu.eip).as(at).isEqualTo(plain.cpu.eip);
            assertThat(other.cpu.regs).as(at).containsExactly(plain.cpu.regs);
            assertThat(other.mmu.dtlb().total(TlbEvent.HITS)).as(at).isEqualTo(plain.mmu.dtlb().total(TlbEvent.HITS));
            assertThat(other.mem.dump(LOW - 16, 32)).as(at).isEqualTo(plain.mem.dump(LOW - 16, 32));
            assertThat(other.mem.dump(LOW + CHUNK - 16, 32)).as(at).isEqualTo(plain.mem.dump(LOW + CHUNK - 16, 32));
        }
    }
}
