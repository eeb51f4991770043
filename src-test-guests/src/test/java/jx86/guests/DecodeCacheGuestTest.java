package jx86.guests;

import static jx86.guests.GuestHarness.guest;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jx86.cpu.Engine;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import jx86.mmu.Tlb;
import jx86.mmu.TlbEvent;
import jx86.testsupport.TinyKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decoded-instruction cache, its trace runner and the translator to JVM bytecode are
 * implementation details: a guest must see exactly the same machine on every engine ({@code
 * --engine interp|cache|jit}). Runs whole guests on each and compares everything observable: serial
 * output, exit, retired instructions, virtual time and every counter of both TLBs (which the guest
 * can read through the counter device). The translator runs twice: at its default threshold, as a
 * machine runs, and compiling every block on its first run ({@code jx86.jit.threshold=1}).
 */
class DecodeCacheGuestTest {
    private record Observed(MachineEvent event, int exit, String serial, long instructions, long cycles,
            List<Long> tlbCounters) {
    }

    @TempDir
    Path dir;

    /** The translator's blocks compiled in the last {@link #run} on the jit engine. */
    private long translated;

    private Observed run(Path kernel, Engine engine, int jitThreshold) {
        MachineConfig config = MachineConfig.builder().kernel(kernel).maxInstructions(300_000_000L)
                .engine(engine).build();
        // The threshold is read when the machine selects the engine (jx86.cpu.Jit.threshold()).
        String old = System.getProperty("jx86.jit.threshold");
        if (jitThreshold > 0) {
            System.setProperty("jx86.jit.threshold", Integer.toString(jitThreshold));
        }
        try (PcMachine machine = new PcMachine(config)) {
            restore(old);
            machine.boot();
            RunResult r = machine.runToEnd();
            translated = machine.cpu().translatedBlocks();
            List<Long> counters = new ArrayList<>();
            for (Tlb tlb : List.of(machine.mmu().itlb(), machine.mmu().dtlb())) {
                for (TlbEvent ev : TlbEvent.values()) {
                    counters.add(tlb.counter(ev, false));
                    counters.add(tlb.counter(ev, true));
                }
            }
            return new Observed(r.event(), r.exitPortValue(), r.serial(), r.instructions(), r.cycles(), counters);
        } finally {
            restore(old);
        }
    }

    private static void restore(String old) {
        if (old == null) {
            System.clearProperty("jx86.jit.threshold");
        } else {
            System.setProperty("jx86.jit.threshold", old);
        }
    }

    /** Runs {@code kernel} on the interpreter, the cache and the translator (twice); returns the interpreter's run. */
    private Observed onEveryEngine(Path kernel) {
        Observed plain = run(kernel, Engine.INTERP, 0);
        assertThat(run(kernel, Engine.CACHE, 0)).as("cache").isEqualTo(plain);
        assertThat(run(kernel, Engine.JIT, 0)).as("jit").isEqualTo(plain);
        assertThat(run(kernel, Engine.JIT, 1)).as("jit, every block compiled").isEqualTo(plain);
        assertThat(translated).as("blocks the translator compiled").isPositive();
        return plain;
    }

    @Test
    void cpuBoundBenchmark_identicalOnEveryEngine() {
        Observed plain = onEveryEngine(guest("bench/cpu-bound.elf"));
        assertThat(plain.serial()).contains("bench checksum=0xeb98aa2a");
        assertThat(plain.tlbCounters().get(0)).as("supervisor I-TLB hits").isGreaterThan(1_000_000L);
    }

    /** Guests that need no disk or input; together they fault, switch tasks, take interrupts and modify code. */
    @ParameterizedTest
    @ValueSource(strings = {"cpu/smc.elf", "cpu/exceptions.elf", "cpu/rings.elf", "cpu/segments.elf",
        "cpu/callgate.elf", "cpu/iobitmap.elf", "cpu/taskgate-df.elf", "machine/apic-timer.elf",
        "machine/pit-rate.elf", "machine/multiboot-info.elf", "mmu/ad-bits.elf", "mmu/pf-cr2.elf", "mmu/pse.elf",
        "mmu/straddle.elf", "mmu/tlb.elf", "cpu/stack-size.elf", "machine/apic-nmi.elf"})
    void guest_identicalOnEveryEngine(String elf) {
        Observed plain = onEveryEngine(guest(elf));
        assertThat(plain.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(plain.exit()).isZero();
    }

    /**
     * A hot loop (compiled at the default threshold), its result on the serial port, then INT3 with
     * an empty IDT: #GP, #DF, shutdown. The run ends in the triple fault on every engine with the
     * same output, instructions, cycles and TLB counters.
     */
    @Test
    void hotLoopThenTripleFault_identicalOnEveryEngine() throws IOException {
        Path kernel = TinyKernel.write(dir, "hot-then-triple.elf",
                0xB9, 0x40, 0x0D, 0x03, 0x00,               // mov ecx, 200000
                0x01, 0xC8,                                 // L: add eax, ecx
                0x31, 0xC3,                                 // xor ebx, eax
                0xC1, 0xC3, 0x05,                           // rol ebx, 5
                0x49,                                       // dec ecx
                0x75, 0xF6,                                 // jnz L
                0x89, 0xD8,                                 // mov eax, ebx
                0x24, 0x3F,                                 // and al, 0x3f
                0x04, 0x30,                                 // add al, '0'
                0x66, 0xBA, 0xF8, 0x03,                     // mov dx, 0x3f8
                0xEE,                                       // out dx, al
                0x0F, 0x01, 0x1D, 0x40, 0x00, 0x10, 0x00,   // lidt [0x100040]: limit 0
                0xCC,                                       // int3
                0xF4, 0xF4, 0xF4, 0xF4, 0xF4, 0xF4, 0xF4, 0xF4, 0xF4, 0xF4, 0xF4, 0xF4, 0xF4, 0xF4,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00);        // at 0x100040: limit 0, base 0
        Observed plain = onEveryEngine(kernel);
        assertThat(plain.event()).isEqualTo(MachineEvent.TRIPLE_FAULT);
        assertThat(plain.serial()).hasSize(1);
        // mov ecx, 5 per pass, 6 after the loop; the int3 that shuts down does not retire
        assertThat(plain.instructions()).isEqualTo(1 + 5 * 200_000L + 6);
    }
}
