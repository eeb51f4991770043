package jx86.demo;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import jx86.machine.MachineConfig;

/**
 * kernel-monolithic: boots {@code monolithic.img}, starts {@code canary} in the background and
 * loads the {@code memcorrupt} module (kernel-monolithic/modules/memcorrupt), which overwrites
 * {@code n} random physical words every {@code period} seconds. Nothing protects the kernel from
 * its own module, so the outcomes range from nothing noticed to a triple fault.
 */
public final class MonolithicScenario implements Scenario {
    static final String IMAGE = "disk-images/target/images/monolithic.img";
    static final String KERNEL_ELF = "kernel-monolithic/target/kernel.elf";
    /** Guest RAM: small enough that the kernel's own pages are a visible share of what a burst hits. */
    static final int MEMORY_MIB = 32;

    private static final Classifier CLASSIFIER = new Classifier(List.of(
            Rule.of("^canary: CORRUPT", Outcome.CORRUPTED),
            Rule.of("^canary: stopped on corruption", Outcome.CORRUPTED),
            // a canary worker killed by a CPU exception (trap.c: "name[pid]: reason ...: signal N")
            Rule.of("^canary\\[\\d+\\]: .*(signal \\d+|killed)$", Outcome.CORRUPTED),
            Rule.of("^panic: ", Outcome.PANIC)),
            Pattern.compile("^memcorrupt: \\d+ words every \\d+ s over"),
            Pattern.compile("^canary: ok \\d+"));

    /** Boot the kernel ELF directly with this root disk instead of the image (kernel-monolithic's own tests). */
    private final Path directKernel;
    private final Path directDisk;

    /** The scenario of {@code jx86 demo crash}: boots {@value #IMAGE} through the boot loader. */
    public MonolithicScenario() {
        this(null, null);
    }

    private MonolithicScenario(Path directKernel, Path directDisk) {
        this.directKernel = directKernel;
        this.directDisk = directDisk;
    }

    /**
     * The same scenario booting {@code kernelElf} as a multiboot kernel with {@code disk} as its root
     * disk, for tests that run before the image is built (kernel-monolithic's target/kernel.elf and
     * target/disk.img).
     */
    public static MonolithicScenario direct(Path kernelElf, Path disk) {
        return new MonolithicScenario(kernelElf.toAbsolutePath(), disk.toAbsolutePath());
    }

    @Override
    public String name() {
        return "monolithic";
    }

    @Override
    public List<String> artifacts() {
        return directKernel != null ? List.of() : List.of(IMAGE, KERNEL_ELF);
    }

    @Override
    public MachineConfig config(Path root, RunSpec spec) {
        if (directKernel != null) {
            return MachineConfig.builder().kernel(directKernel).append("console=ttyS0 init=/bin/sh").disk(directDisk)
                    .snapshot(true).memoryMiB(MEMORY_MIB).build();
        }
        return MachineConfig.builder().disk(root.resolve(IMAGE)).snapshot(true).memoryMiB(MEMORY_MIB).build();
    }

    @Override
    public List<String> startCommands(RunSpec spec) {
        return memcorruptCommands(spec);
    }

    /**
     * The shell lines that start a run on the monolithic kernel, alone or as the vmm's VM 0: the
     * canary in the background, then memcorrupt.ko with the spec's n, period and seed.
     */
    static List<String> memcorruptCommands(RunSpec spec) {
        return List.of("canary &\r", "insmod /lib/modules/memcorrupt.ko n=" + spec.n() + " period=" + spec.period()
                + " seed=" + spec.seed() + "\r");
    }

    @Override
    public Classifier classifier() {
        return CLASSIFIER;
    }

    @Override
    public CrashInspector inspector(Path root) {
        return MonolithicInspector.load(directKernel != null ? directKernel : root.resolve(KERNEL_ELF));
    }
}
