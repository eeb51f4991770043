package jx86.vmm;

import java.nio.file.Path;
import java.util.List;
import jx86.machine.MachineConfig;

/**
 * kernel-microkernel as VM 1 next to the monolith in VM 0: the hypervisor with the monolith's
 * kernel.elf (module 0) and the microkernel's kernel.elf with its boot tasks (modules 1..,
 * "vm1=1"). VM 0 is on the host's COM1 and hda, VM 1 on COM2 and hdb.
 */
final class MicrokernelVm {
    static final Path MK = Path.of("../kernel-microkernel/target");
    static final Path MK_KERNEL = MK.resolve("kernel.elf");
    static final Path MK_USER = MK.resolve("user");
    /** The microkernel's own disk (kernel, servers, ext2 root), as `./jx86 boot microkernel` boots it. */
    static final Path MK_IMAGE = Path.of("../disk-images/target/images/microkernel.img");
    /** The monolith's own disk, as `./jx86 boot monolithic` boots it. */
    static final Path MONO_IMAGE = Path.of("../disk-images/target/images/monolithic.img");
    /** The boot tasks of microkernel.img's manifest (disk-images/manifests/microkernel.manifest). */
    static final List<String> SERVERS = List.of("sigma0", "root", "names", "console", "ata", "ext2fs", "posix",
            "restart");

    private MicrokernelVm() {
    }

    /**
     * What `./jx86 boot vmm` runs: the hypervisor with "vm0=disk vm1=disk" and its words, VM 0 from
     * disk0 (monolithic.img, the host's hda, COM1), VM 1 from disk1 (microkernel.img, hdb, COM2).
     */
    static MachineConfig.Builder bootVmm(String vmmOptions, Path disk0, Path disk1) {
        return MachineConfig.builder().kernel(Guest.HYPERVISOR).append(("vm0=disk vm1=disk " + vmmOptions).strip())
                .disk(disk0).disk(disk1).serial2("buffer");
    }

    /** VM 0: the monolith on a snapshot of its disk; VM 1: the microkernel with these boot tasks. */
    static MachineConfig.Builder direct(String vmmOptions, String in0, String in1, Path vm1Disk, long max,
            List<String> tasks) {
        MachineConfig.Builder b = MachineConfig.builder().kernel(Guest.HYPERVISOR).module(Guest.KERNEL)
                .module(MK_KERNEL);
        tasks.forEach(t -> b.module(MK_USER.resolve(t)));
        b.append("vm1=1 " + vmmOptions + " -- console=ttyS0 panic=exit init=/bin/sh").disk(Guest.DISK);
        if (vm1Disk != null) {
            b.disk(vm1Disk);
        }
        return b.snapshot(true).serialInput(in0).pacedInput(true).serial2("buffer").serial2Input(in1)
                .maxInstructions(max);
    }
}
