package jx86.vmm;

import java.nio.file.Path;
import java.util.List;
import jx86.machine.MachineConfig;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;

/**
 * Two VMs side by side in the hypervisor: vmm.elf with kernel-monolithic's kernel.elf twice as
 * modules ("vm1=1": module 1 on is VM 1's), VM 0 on the host's COM1 (with the hypervisor's own
 * "vmm:" lines) and hda, VM 1 on COM2 and hdb. Each console gets its own scripted input.
 */
record TwoVms(RunResult run, String com2) {
    static final Path KERNEL = Guest.KERNEL;

    static MachineConfig.Builder config(String vmmOptions, String in0, String in1, Path disk0, Path disk1,
            boolean snapshot, long max) {
        return MachineConfig.builder().kernel(Guest.HYPERVISOR).module(KERNEL).module(KERNEL)
                .append("vm1=1 " + vmmOptions + " -- console=ttyS0 panic=exit init=/bin/sh")
                .disk(disk0).disk(disk1).snapshot(snapshot)
                .serialInput(in0).pacedInput(true).serial2("buffer").serial2Input(in1)
                .maxInstructions(max);
    }

    static TwoVms run(MachineConfig config) {
        try (PcMachine m = new PcMachine(config)) {
            m.boot();
            RunResult r = m.runToEnd();
            return new TwoVms(r, m.devices().capturedSerial2());
        }
    }

    /** A console's lines with the shell's prompts taken off the front. */
    static List<String> lines(String console) {
        return console.lines().map(l -> l.replaceFirst("^(/\\$ )+", "")).toList();
    }
}
