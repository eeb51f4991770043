package jx86.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;

/**
 * Each VM has an x87 FPU of its own (the hypervisor saves and restores it at the world switch) and
 * the CR0.TS/EM/MP it set (guests/fpu.c). The guest reads one byte from its console and keeps
 * state derived from it in the FPU over many time slices: a count, a rounding mode, a register
 * stack depth, a pending unmasked exception.
 */
class FpuIsolationTest {
    private static final Path FPU = Path.of("target/guests/fpu.elf");

    /** The guest's lines for console byte c ('a': rounding up, two registers; 'b': down, three). */
    private static List<String> expected(char c) {
        int start = c * 1000 + 24;
        boolean up = (c & 1) != 0;
        int depth = (c & 3) + 1;
        return List.of(
                "fpu: " + c + ": ok count in st(0) kept (" + Integer.toHexString(start) + ")",
                "fpu: " + c + ": ok control word kept (" + (up ? "b7f" : "77f") + ")",
                "fpu: " + c + ": ok register stack depth kept (" + (8 - depth) + ")",
                "fpu: " + c + ": ok rounding mode of my control word (" + (up ? 4 : 3) + ")",
                "fpu: " + c + ": ok zero divide pending (ES, ZE) (b884)",
                "fpu: " + c + ": ok #MF at my FWAIT (10)",
                "fpu: " + c + ": ok no exception after FNCLEX (0)",
                "fpu: " + c + ": ok CR0.TS: fld1 raises #NM (7)",
                "fpu: " + c + ": ok CR0.MP+TS: fwait raises #NM (7)",
                "fpu: " + c + ": ok CR0.TS without MP: fwait runs (ffffffff)",
                "fpu: " + c + ": ok CLTS: fld1 runs (ffffffff)",
                "fpu: " + c + ": ok CR0.EM: fld1 raises #NM (7)",
                "fpu: " + c + ": ok EM clear: fld1 runs (ffffffff)",
                "fpu: " + c + ": all passed");
    }

    private static List<String> fpuLines(String console) {
        return console.lines().filter(l -> l.startsWith("fpu: ")).toList();
    }

    @Test
    void bare_theGuestsChecksPass() {
        for (char c : new char[] {'a', 'b'}) {
            RunResult r = PcMachine.run(MachineConfig.builder().kernel(FPU).serialInput(String.valueOf(c))
                    .maxInstructions(400_000_000L).build());
            assertThat(fpuLines(r.serial())).as(r.serial()).isEqualTo(expected(c));
            assertThat(r.exitPortValue()).isZero();
        }
    }

    /** Both VMs run the guest at once, switched many times while their FPUs hold their state. */
    @Test
    void twoVms_eachSeesOnlyItsOwnFpu() {
        TwoVms t = TwoVms.run(MachineConfig.builder().kernel(Guest.HYPERVISOR).module(FPU).module(FPU)
                .append("vm1=1 stats").serialInput("a").serial2("buffer").serial2Input("b")
                .maxInstructions(1_500_000_000L).build());
        String com1 = t.run().serial();

        assertThat(fpuLines(com1)).as(com1).isEqualTo(expected('a'));
        assertThat(fpuLines(t.com2())).as(t.com2()).isEqualTo(expected('b'));
        assertThat(com1).contains("vmm: VM 0 powered off (status 0)", "vmm: VM 1 powered off (status 0)");
        // the checks spanned many world switches each way
        assertThat(Counters.get(com1, "world switches in")).isGreaterThan(20);
        assertThat(t.run().event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(t.run().exitPortValue()).isZero();
    }

    /** One VM: the guest's CR0.TS/EM/MP reach the real CPU as well (no world switch involved). */
    @Test
    void oneVm_theGuestsCr0FpuBitsAreHonoured() {
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(Guest.HYPERVISOR).module(FPU).append("stats")
                .serialInput("b").maxInstructions(600_000_000L).build());
        assertThat(fpuLines(r.serial())).as(r.serial()).isEqualTo(expected('b'));
        assertThat(r.exitPortValue()).isZero();
    }
}
