package jx86.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import jx86.machine.MachineConfig;

/**
 * One {@code jx86 bench} argument, resolved to what a run boots:
 * <ul>
 *   <li>an ELF path or a name under {@code src-test-guests/target/guests} (a multiboot benchmark
 *       guest that exits through port 0xF4);</li>
 *   <li>{@code kernel-monolithic:PROG}: kernel-monolithic's {@code target/kernel.elf} with
 *       {@code console=ttyS0 init=/bin/PROG} and its test disk {@code target/disk.img} (snapshot,
 *       so the image is never modified), e.g. {@code kernel-monolithic:kbench};</li>
 *   <li>{@code boot:NAME}: the disk image {@code disk-images/target/images/NAME.img} booted through
 *       the BIOS (snapshot) with {@code poweroff\n} typed ahead; measured to its first shell
 *       prompt {@value #PROMPT}.</li>
 * </ul>
 *
 * @param name        the argument as given (the table's first column)
 * @param kernel      multiboot ELF to load, or null to boot {@code disk} through the BIOS
 * @param append      kernel command line, or null
 * @param disk        disk image (opened with snapshot), or null
 * @param serialInput bytes typed on COM1 from the start, or null
 * @param prompt      for boot benchmarks the prompt whose first appearance ends the timing, else null
 */
record BenchSpec(String name, Path kernel, String append, Path disk, String serialInput, String prompt) {
    /** The shell prompt kernel-monolithic's sh prints in the root directory. */
    static final String PROMPT = "/$ ";
    static final String KERNEL_PREFIX = "kernel-monolithic:";
    static final String BOOT_PREFIX = "boot:";

    /** Resolves a bench argument against the project root; throws {@link UserError} when its files are missing. */
    static BenchSpec parse(String name, Path root) {
        if (name.startsWith(KERNEL_PREFIX)) {
            String prog = name.substring(KERNEL_PREFIX.length());
            if (!prog.matches("[A-Za-z0-9_.-]+")) {
                throw new UserError("bad benchmark '" + name + "': expected kernel-monolithic:PROGRAM (a file in the disk's /bin)");
            }
            Path kernel = need(root.resolve("kernel-monolithic/target/kernel.elf"), name, "make -C kernel-monolithic");
            Path disk = need(root.resolve("kernel-monolithic/target/disk.img"), name, "make -C kernel-monolithic");
            return new BenchSpec(name, kernel, "console=ttyS0 init=/bin/" + prog, disk, null, null);
        }
        if (name.startsWith(BOOT_PREFIX)) {
            String image = name.substring(BOOT_PREFIX.length());
            if (!image.matches("[A-Za-z0-9_.-]+")) {
                throw new UserError("bad benchmark '" + name + "': expected boot:IMAGE (e.g. boot:monolithic)");
            }
            Path disk = need(root.resolve("disk-images/target/images/" + image + ".img"), name,
                    "mvn -q -DskipTests package");
            return new BenchSpec(name, null, null, disk, "poweroff\n", PROMPT);
        }
        Path direct = Path.of(name);
        if (Files.isRegularFile(direct)) {
            return elf(name, direct);
        }
        Path p = root.resolve("src-test-guests/target/guests/" + name + ".elf");
        if (Files.isRegularFile(p)) {
            return elf(name, p);
        }
        throw new UserError("benchmark '" + name + "' not found (tried " + direct + " and " + p
                + "; run 'mvn -q -DskipTests package' to build the guests)");
    }

    private static BenchSpec elf(String name, Path elf) {
        return new BenchSpec(name, elf, null, null, null, null);
    }

    private static Path need(Path p, String name, String build) {
        if (!Files.isRegularFile(p)) {
            throw new UserError("benchmark '" + name + "': " + p + " not found (run '" + build + "')");
        }
        return p;
    }

    /** True for a plain multiboot ELF benchmark (no disk, no command line): what Bochs can run wrapped. */
    boolean plainElf() {
        return kernel != null && disk == null && append == null;
    }

    /** True for a boot-to-prompt benchmark. */
    boolean bootPrompt() {
        return prompt != null;
    }

    /** The machine configuration of one run (serial output captured). */
    MachineConfig config(int memoryMiB, jx86.cpu.Engine engine) {
        MachineConfig.Builder b = MachineConfig.builder().memoryMiB(memoryMiB).serial("buffer")
                .engine(engine);
        if (kernel != null) {
            b.kernel(kernel);
        }
        if (append != null) {
            b.append(append);
        }
        if (disk != null) {
            b.disk(disk).snapshot(true);
        }
        if (serialInput != null) {
            b.serialInput(serialInput);
        }
        return b.build();
    }
}
