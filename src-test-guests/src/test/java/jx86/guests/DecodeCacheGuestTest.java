package jx86.guests;

import static jx86.guests.GuestHarness.guest;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import jx86.mmu.Tlb;
import jx86.mmu.TlbEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decoded-instruction cache and its trace runner are an implementation detail: a guest must
 * see exactly the same machine with and without them. Runs whole guests both ways and compares
 * everything observable: serial output, exit, retired instructions, virtual time and every TLB
 * counter of both TLBs (which the guest can read through the counter device).
 */
class DecodeCacheGuestTest {
    private record Observed(MachineEvent event, int exit, String serial, long instructions, long cycles,
            List<Long> tlbCounters) {
    }

    private static Observed run(String elf, boolean decodeCache) {
        MachineConfig config = MachineConfig.builder().kernel(guest(elf)).maxInstructions(300_000_000L)
                .decodeCache(decodeCache).build();
        try (PcMachine machine = new PcMachine(config)) {
            machine.boot();
            RunResult r = machine.runToEnd();
            List<Long> counters = new ArrayList<>();
            for (Tlb tlb : List.of(machine.mmu().itlb(), machine.mmu().dtlb())) {
                for (TlbEvent ev : TlbEvent.values()) {
                    counters.add(tlb.counter(ev, false));
                    counters.add(tlb.counter(ev, true));
                }
            }
            return new Observed(r.event(), r.exitPortValue(), r.serial(), r.instructions(), r.cycles(), counters);
        }
    }

    @Test
    void cpuBoundBenchmark_identicalWithAndWithoutTheCache() {
        Observed cached = run("bench/cpu-bound.elf", true);
        Observed decoded = run("bench/cpu-bound.elf", false);
        assertThat(cached.serial()).contains("bench checksum=0xeb98aa2a");
        assertThat(cached.tlbCounters().get(0)).as("supervisor I-TLB hits").isGreaterThan(1_000_000L);
        assertThat(cached).isEqualTo(decoded);
    }

    /** Guests that need no disk or input; together they fault, switch tasks, take interrupts and modify code. */
    @ParameterizedTest
    @ValueSource(strings = {"cpu/smc.elf", "cpu/exceptions.elf", "cpu/rings.elf", "cpu/segments.elf",
        "cpu/callgate.elf", "cpu/iobitmap.elf", "cpu/taskgate-df.elf", "machine/apic-timer.elf",
        "machine/pit-rate.elf", "machine/multiboot-info.elf", "mmu/ad-bits.elf", "mmu/pf-cr2.elf", "mmu/pse.elf",
        "mmu/straddle.elf", "mmu/tlb.elf", "cpu/stack-size.elf", "machine/apic-nmi.elf"})
    void guest_identicalWithAndWithoutTheCache(String elf) {
        Observed cached = run(elf, true);
        assertThat(cached.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(cached.exit()).isZero();
        assertThat(cached).isEqualTo(run(elf, false));
    }
}
