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
 * The hypervisor's own test guests (vmm/guests), bare and as the VM, on the faithful and the
 * strict CPU: the sensitive instructions, and the guest's view of the MMU through shadow paging.
 */
class TestGuestsTest {
    private static final Path GUESTS = Path.of("target/guests");

    private static RunResult run(String guest, boolean inVmm, boolean strict, String vmmOptions) {
        RunResult r = start(guest, inVmm, strict, vmmOptions);
        assertThat(r.event()).as(r.serial()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).as(r.serial()).isZero();
        return r;
    }

    private static RunResult start(String guest, boolean inVmm, boolean strict, String vmmOptions) {
        MachineConfig.Builder b = MachineConfig.builder().cpuStrict(strict).maxInstructions(50_000_000L);
        if (inVmm) {
            b.kernel(Guest.HYPERVISOR).append(vmmOptions).module(GUESTS.resolve(guest + ".elf"));
        } else {
            b.kernel(GUESTS.resolve(guest + ".elf"));
        }
        return PcMachine.run(b.build());
    }

    private static final List<String> HOSTILE = List.of(
            "hostile: iret to cs 0x38: fault 13 err 38",
            "hostile: iret to cs 0x41b: fault 13 err 418",
            "hostile: mov 0x40 to ss: fault 13 err 40",
            "hostile: mov code segment to ss: fault 13 err 18",
            "hostile: port 0x1234 reads ff",
            "hostile: loading a GDT without my segments");

    @Test
    void hostile_bare_faultsAsTheCpuDefines() {
        RunResult r = run("hostile", false, false, "");
        assertThat(r.serial().lines()).containsSubsequence(HOSTILE);
        assertThat(r.serial()).contains("hostile: still running on cached segments");
    }

    /** The same faults reach the guest; the GDT the VMM cannot follow ends the VM, not the hypervisor. */
    @Test
    void hostile_inVmm_sameFaults_andTheVmEndsCleanly() {
        RunResult r = start("hostile", true, false, "stats");
        assertThat(r.serial().lines()).containsSubsequence(HOSTILE);
        assertThat(r.serial().lines()).containsSubsequence(
                "vmm: VM 0 killed: the guest's new GDT no longer holds its current CS or SS",
                "vmm: exit statistics, VM 0");
        assertThat(r.serial()).doesNotContain("vmm: panic");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isEqualTo(3);
        assertThat(Counters.get(r.serial(), "reflected exception")).isEqualTo(4);
    }

    private static final List<String> SENSITIVE = List.of("pushf after cli: IF", "pushf after sti: IF",
            "popf sets IF", "iret to ring 0 (frame cs $0x08) restores IF",
            "iret to ring 0 (frame cs from %cs) restores IF", "sgdt base", "sidt base", "str", "sldt",
            "smsw (low CR0 bits)", "mov from cs: RPL", "push ss: RPL", "lar kernel cs: DPL",
            "lsl kernel ds: limit", "verr user cs", "verw kernel ds");
    /** What ring compression exposes on the faithful CPU (docs/vmm.md, the sensitive-instruction table). */
    private static final List<String> VISIBLE_IN_RING_1 = List.of("popf sets IF",
            "iret to ring 0 (frame cs from %cs) restores IF", "sgdt base", "sidt base", "str",
            "mov from cs: RPL", "push ss: RPL", "lar kernel cs: DPL", "lsl kernel ds: limit");

    private static void assertSensitive(RunResult r, List<String> differing) {
        for (String check : SENSITIVE) {
            if (differing.contains(check)) {
                assertThat(r.serial()).containsPattern("sensitive: " + java.util.regex.Pattern.quote(check)
                        + ": differs \\(got [0-9a-f]+, bare metal gives [0-9a-f]+\\)");
            } else {
                assertThat(r.serial()).contains("sensitive: " + check + ": ok");
            }
        }
        assertThat(r.serial()).contains("sensitive: done");
    }

    @Test
    void sensitive_bareMetal_allAsInRing0_onBothCpus() {
        assertSensitive(run("sensitive", false, false, ""), List.of());
        assertSensitive(run("sensitive", false, true, ""), List.of());
    }

    @Test
    void sensitive_inVmmOnFaithfulCpu_withoutPatching_ringCompressionShows_butIfIsRight() {
        RunResult r = run("sensitive", true, false, "stats patch=0");
        assertSensitive(r, VISIBLE_IN_RING_1);
        // nothing trapped but the privileged instructions
        assertThat(r.serial()).doesNotContain("vmm: patched");
        assertThat(Counters.get(r.serial(), "patched insn trapped")).isZero();
        assertThat(Counters.get(r.serial(), "pushf")).isZero();
        assertThat(Counters.get(r.serial(), "segment read (strict)")).isZero();
        assertThat(Counters.get(r.serial(), "sgdt/str/lar.. (strict)")).isZero();
        assertThat(Counters.get(r.serial(), "cli")).isPositive();
        assertThat(Counters.get(r.serial(), "sti")).isPositive();
    }

    /** Scan-and-patch (the default): each deviating instruction was replaced by HLT and is emulated. */
    @Test
    void sensitive_inVmmOnFaithfulCpu_patchedAtLoad_allAsInRing0() {
        RunResult r = run("sensitive", true, false, "stats");
        assertSensitive(r, List.of());
        // popf, push cs, sgdt, sidt, str, sldt, smsw, mov from cs, push ss, lar, lsl
        assertThat(r.serial()).contains("vmm: patched 11 sensitive instruction(s) in the guest kernel");
        assertThat(Counters.get(r.serial(), "patched insn trapped")).isEqualTo(11);
        assertThat(Counters.get(r.serial(), "pushf")).isZero();   // PUSHF needs no patch
    }

    @Test
    void sensitive_inVmmOnStrictCpu_everyInstructionTrapsAndIsEmulated() {
        RunResult r = run("sensitive", true, true, "stats");
        assertSensitive(r, List.of());
        assertThat(Counters.get(r.serial(), "pushf")).isPositive();
        assertThat(Counters.get(r.serial(), "popf")).isPositive();
        assertThat(Counters.get(r.serial(), "segment read (strict)")).isEqualTo(3);  // iret's push %cs, mov %cs, push %ss
        assertThat(Counters.get(r.serial(), "sgdt/str/lar.. (strict)")).isEqualTo(9);
    }

    private static final List<String> PAGING_COMMON = List.of(
            "paging: on",
            "paging: mapped page reads without a guest fault: ok",
            "paging: unmapped read: fault 14 err 0 cr2 40001000",
            "paging: write to read-only page: fault 14 err 3 cr2 40000000",
            "paging: after a read: A=1 D=0",
            "paging: after a write: A=1 D=1",
            "paging: cleared, then a write: A=1 D=1",
            "paging: remapped with invlpg: ok",
            "paging: cr3 switch: two address spaces: ok",
            "paging: 4 MiB page, seen through a 4 KiB one: ok",
            "paging: 4 MiB page after a write: A=1 D=1",
            "paging: paging off, then on again: ok");

    @Test
    void paging_bare() {
        RunResult r = run("paging", false, false, "");
        assertThat(r.serial().lines()).containsSubsequence(PAGING_COMMON);
        assertThat(r.serial().lines()).containsSubsequence("paging: read 0xf8100000: value 1badb002",
                "paging: read guest-physical 120 MiB: value 0", "paging: still running");
    }

    @Test
    void paging_inVmm_sameViewOfTheMmu_andTheHypervisorIsOutOfReach() {
        RunResult r = run("paging", true, false, "stats");
        assertThat(r.serial().lines()).containsSubsequence(PAGING_COMMON);
        // the segment limit stops the ring-1 guest at 0xF8000000 (#GP); a guest frame beyond its
        // memory is refused with a protection #PF; the guest goes on and powers off
        assertThat(r.serial().lines()).containsSubsequence("paging: read 0xf8100000: fault 13 err 0",
                "paging: read guest-physical 120 MiB: fault 14 err 1", "paging: still running",
                "vmm: VM 0 powered off (status 0)");
        String s = r.serial();
        assertThat(Counters.get(s, "hidden page fault")).isPositive();
        assertThat(Counters.get(s, "true page fault")).isEqualTo(2);
        assertThat(Counters.get(s, "a/d-bit fault")).isPositive();
        assertThat(Counters.get(s, "refused access")).isEqualTo(1);
        assertThat(Counters.get(s, "reflected exception")).isEqualTo(1);
        assertThat(Counters.get(s, "invlpg")).isEqualTo(4);
        // page-table write tracing: the guest's writes to pt1 after a shadow was built from it trap
        assertThat(Counters.get(s, "page-table write trap")).isPositive();
        assertThat(Counters.get(s, "shadow cache hit")).isPositive();
    }

    @Test
    void paging_inVmm_flushStrategy_sameView_noTracing() {
        RunResult r = run("paging", true, false, "stats shadow=flush");
        assertThat(r.serial().lines()).containsSubsequence(PAGING_COMMON);
        String s = r.serial();
        assertThat(Counters.get(s, "page-table write trap")).isZero();
        assertThat(Counters.get(s, "shadow cache hit")).isZero();
        assertThat(Counters.get(s, "write-protected mapping")).isZero();
        assertThat(Counters.get(s, "shadow flush")).isPositive();
        assertThat(Counters.get(s, "shadow entry dropped")).isPositive();
    }

    @Test
    void paging_inVmm_withoutExactDirtyBits_noDirtyFaults_andDIsSetEarly() {
        RunResult r = run("paging", true, false, "stats ad=0");
        assertThat(r.serial()).contains("paging: after a read: A=1 D=1");
        assertThat(Counters.get(r.serial(), "a/d-bit fault")).isZero();
        assertThat(Counters.get(r.serial(), "hidden page fault")).isPositive();
    }

    @Test
    void paging_inVmmOnStrictCpu_same() {
        RunResult r = run("paging", true, true, "");
        assertThat(r.serial().lines()).containsSubsequence(PAGING_COMMON);
        assertThat(r.serial()).contains("paging: read guest-physical 120 MiB: fault 14 err 1");
    }
}
