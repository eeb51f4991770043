package jx86.vmm;

import java.nio.file.Path;
import java.util.List;
import jx86.machine.MachineConfig;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;

/**
 * How a kernel-monolithic scenario is run: on bare jx86 ({@link #BARE}, the kernel booted with
 * --kernel as the monolith's own tests do) or inside the hypervisor ({@link #VMM}: vmm.elf booted
 * with --kernel, the same kernel.elf as its first module, the scenario's modules after it, the
 * guest's command line after "--" in the hypervisor's, the same disk). The kernel, modules and
 * disk are the ones kernel-monolithic built, unmodified.
 */
enum Guest {
    BARE, VMM;

    static final Path MONO = Path.of("../kernel-monolithic/target");
    static final Path KERNEL = MONO.resolve("kernel.elf");
    static final Path USER = MONO.resolve("user");
    static final Path DISK = MONO.resolve("disk.img");
    static final Path HYPERVISOR = Path.of("target/vmm.elf");

    /** Runs the scenario; disk null means none, snapshot keeps the disk file untouched. */
    RunResult run(String append, List<Path> modules, Path disk, boolean snapshot, String input, long max) {
        return PcMachine.run(config(append, modules, disk, snapshot, input, max, "stats").build());
    }

    MachineConfig.Builder config(String append, List<Path> modules, Path disk, boolean snapshot, String input,
            long max, String vmmOptions) {
        MachineConfig.Builder b = MachineConfig.builder().maxInstructions(max);
        if (this == BARE) {
            b.kernel(KERNEL).append(append);
        } else {
            b.kernel(HYPERVISOR).append(vmmOptions + " -- " + append).module(KERNEL);
        }
        modules.forEach(b::module);
        if (disk != null) {
            b.disk(disk).snapshot(snapshot);
        }
        if (input != null) {
            b.serialInput(input);
        }
        return b;
    }
}
