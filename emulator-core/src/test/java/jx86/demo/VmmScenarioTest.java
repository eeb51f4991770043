package jx86.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import org.junit.jupiter.api.Test;

/** The vmm scenario's wiring and the edges of its classifier that the transcripts do not show. */
class VmmScenarioTest {
    private static final List<String> BOOT = List.of(
            "vmm: VM 1 kernel code [100000, 111bb8) checksum beb0a18e",
            "/$ insmod /lib/modules/memcorrupt.ko n=4096 period=1 seed=1",
            "memcorrupt: 4096 words every 1 s over 49152 KiB of RAM, seed 1",
            "/$ canary: ok 4");
    private static final String COM2 = "canary: ok 4\ncanary: all rounds passed\n/$ vm1 alive\n/$ reboot: power down\n";

    private static List<String> com1(String... more) {
        List<String> l = new java.util.ArrayList<>(BOOT);
        l.addAll(List.of(more));
        return l;
    }

    /** The run is unclassified, for the reason that contains {@code because}. */
    private static void assertUnclassified(Classification c, String because) {
        assertThat(c.outcome()).isEqualTo(Outcome.UNCLASSIFIED);
        assertThat(c.reason()).contains(because);
    }

    @Test
    void scenario_isKnownByName_andNeedsTheHypervisorKernelAndDisk() {
        assertThat(Scenarios.of("vmm")).get().isInstanceOf(VmmScenario.class);
        assertThat(new VmmScenario().artifacts()).containsExactly("vmm/target/vmm.elf",
                "kernel-monolithic/target/kernel.elf", "kernel-monolithic/target/disk.img");
        assertThat(Scenarios.unavailable("vmm", Path.of("/nonexistent"))).contains("not built (vmm/target/vmm.elf missing)");
    }

    @Test
    void vm0GetsTheModule_vm1GetsCanaryRoundsForTheDuration() {
        RunSpec spec = new RunSpec("vmm", 64, 3, 1, 8);
        VmmScenario s = new VmmScenario();
        assertThat(s.startCommands(spec)).containsExactly("canary &\r",
                "insmod /lib/modules/memcorrupt.ko n=64 period=1 seed=3\r");
        assertThat(VmmScenario.vm1Script(spec)).isEqualTo("canary -r 18\recho vm1 alive\rpoweroff\r");
        MachineConfig c = s.config(Path.of("/r"), spec);
        assertThat(c.serial2).isEqualTo("buffer");
        assertThat(c.serial2Input).isEqualTo("canary -r 18\recho vm1 alive\rpoweroff\r");
        assertThat(s.budgetSeconds(spec)).isEqualTo(29.0);
        assertThat(s.stopAt().matcher("vmm: VM 1 powered off (status 0)").find()).isTrue();
        assertThat(s.stopAt().matcher("vmm: VM 0 powered off (status 1)").find()).isFalse();
    }

    @Test
    void vm0StoppedButTheMachineDidNotEndAtTheExitPort_isUnclassified() {
        Classification c = VmmScenario.classify(com1("vmm: VM 0 powered off (status 1)", "vm0: eip=c0101d4c",
                "vmm: VM 1 runs on; its kernel code checksum beb0a18e", "vmm: VM 1 powered off (status 0)"),
                COM2, RunEnd.DECISIVE_LINE, MachineEvent.STOPPED, 0);
        assertUnclassified(c, "did not end at the exit port");
    }

    @Test
    void vm0StoppedWithoutItsRegisters_isUnclassified() {
        Classification c = VmmScenario.classify(com1("vmm: VM 0 killed: triple fault",
                "vmm: VM 1 runs on; its kernel code checksum beb0a18e", "vmm: VM 1 powered off (status 0)"),
                COM2, RunEnd.EXIT_PORT, MachineEvent.EXIT_PORT, 0);
        assertUnclassified(c, "no 'vm0: eip=' line");
    }

    @Test
    void vm0FailingAfterVm1PoweredOff_doesNotCount() {
        Classification c = VmmScenario.classify(com1("vmm: VM 1 powered off (status 0)",
                "vmm: VM 0 runs on; its kernel code checksum beb0a18e", "panic: late", "vmm: VM 0 powered off (status 1)"),
                COM2, RunEnd.DECISIVE_LINE, MachineEvent.EXIT_PORT, 1);
        assertThat(c.outcome()).isEqualTo(Outcome.SURVIVED);
    }

    @Test
    void vm0PoweredOffWithStatus0_isNotAFailure_butUnexplained() {
        Classification c = VmmScenario.classify(com1("vmm: VM 0 powered off (status 0)", "vm0: eip=c0101d4c",
                "vmm: VM 1 runs on; its kernel code checksum beb0a18e", "vmm: VM 1 powered off (status 0)"),
                COM2, RunEnd.EXIT_PORT, MachineEvent.EXIT_PORT, 0);
        assertUnclassified(c, "status 0");
    }

    @Test
    void vm1OutputOutOfOrder_isNotSurvival() {
        Classification c = VmmScenario.classify(com1("vmm: VM 1 powered off (status 0)"),
                "vm1 alive\ncanary: all rounds passed\nreboot: power down\n", RunEnd.DECISIVE_LINE, MachineEvent.STOPPED, 0);
        assertUnclassified(c, "VM 1 did not finish: no 'vm1 alive'");
    }
}
