package jx86.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds what the user asked to boot. A path that exists is used as is; a bare name such as
 * {@code monolithic}, {@code microkernel} (built by kernel-microkernel) or {@code hello} is looked up among
 * the images the build produced:
 * {@code disk-images/target/images/NAME.img}, then {@code src-test-guests/target/guests/NAME.elf}, under
 * the checkout root (the launcher passes it as the {@code jx86.root} system property); {@code vmm}
 * is the hypervisor with two VMs, {@code vmm/target/vmm.elf} booted as the kernel, each VM from its
 * own unmodified disk image through the real boot path (VM 0 {@code monolithic.img} as hda, VM 1
 * {@code microkernel.img} as hdb, see {@link #companionDisks} and {@link #hypervisorWords});
 * {@code vmm2} the same two kernels loaded as the hypervisor's modules ({@code vmm/target/vmm2.img},
 * VM 1's disk {@code microkernel.img} as hdb) and {@code vmm1} the hypervisor with the monolith
 * alone, {@code vmm/target/vmm.img}.
 */
final class ImageResolver {
    /** What {@code jx86 boot} boots without arguments: kernel-monolithic's disk image. */
    static final String DEFAULT_GUEST = "monolithic";
    /** The fallback when the kernel's image has not been built (only emulator-core was built). */
    static final String FALLBACK_GUEST = "hello";
    /** The hypervisor with two VMs, each booted from its own disk image: vmm/target/vmm.elf. */
    static final String VMM_GUEST = "vmm";
    /** The hypervisor with two VMs whose kernels are its modules: vmm/target/vmm2.img (vmm/vmm2.manifest). */
    static final String VMM2_GUEST = "vmm2";
    /** The hypervisor's words for {@code vmm}: each VM starts from its disk's boot sector (docs/vmm.md). */
    static final String VMM_WORDS = "vm0=disk vm1=disk";
    /** The hypervisor with kernel-monolithic as its one VM: vmm/target/vmm.img (vmm/vmm.manifest). */
    static final String VMM1_GUEST = "vmm1";
    /** Where {@code jx86 boot vmm} puts COM2 (VM 1's console) unless a second --serial is given. */
    static final String VMM_COM2 = "tcp:4555";

    private final Path root;

    ImageResolver(Path root) {
        this.root = root;
    }

    static Path root() {
        String prop = System.getProperty("jx86.root");
        return Path.of(prop != null ? prop : ".").toAbsolutePath().normalize();
    }

    List<Path> candidates(String name) {
        if (name.equals(VMM_GUEST)) {
            return List.of(root.resolve("vmm/target/vmm.elf"));
        }
        if (name.equals(VMM2_GUEST)) {
            return List.of(root.resolve("vmm/target/vmm2.img"));
        }
        if (name.equals(VMM1_GUEST)) {
            return List.of(root.resolve("vmm/target/vmm.img"));
        }
        return List.of(root.resolve("disk-images/target/images/" + name + ".img"),
                root.resolve("disk-images/target/" + name + ".img"),
                root.resolve("src-test-guests/target/guests/" + name + ".elf"));
    }

    /** Resolves a path or bare name; throws a one-line {@link UserError} when nothing matches. */
    Path resolve(String nameOrPath) {
        Path direct = Path.of(nameOrPath);
        if (Files.isRegularFile(direct)) {
            return direct;
        }
        if (!nameOrPath.contains("/") && !nameOrPath.contains(".")) {
            for (Path p : candidates(nameOrPath)) {
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
            throw new UserError("image '" + nameOrPath + "' not found (looked for " + nameOrPath
                    + ".img in disk-images/target/images and " + nameOrPath + ".elf in src-test-guests/target/guests;"
                    + " run 'mvn -q -DskipTests package' to build them)");
        }
        if (Files.isDirectory(direct)) {
            throw new UserError(nameOrPath + ": is a directory, not an image");
        }
        throw new UserError(nameOrPath + ": no such file");
    }

    /** True for the names that boot two VMs, VM 1's console on COM2. */
    static boolean twoVms(String name) {
        return VMM_GUEST.equals(name) || VMM2_GUEST.equals(name);
    }

    /**
     * The disks a bare image name brings along after its own: {@code vmm}'s two VMs boot from
     * {@code monolithic.img} (hda) and {@code microkernel.img} (hdb); {@code vmm2}'s VM 1 (the
     * microkernel) has the microkernel's image as its disk, hdb. Empty for every other name.
     */
    List<Path> companionDisks(String name) {
        if (name.equals(VMM_GUEST)) {
            return List.of(vmDisk("VM 0", "monolithic.img"), vmDisk("VM 1", "microkernel.img"));
        }
        if (name.equals(VMM2_GUEST)) {
            return List.of(vmDisk("VM 1", "microkernel.img"));
        }
        return List.of();
    }

    /** The hypervisor's own words a bare name needs in front of --append ("" for all but vmm). */
    static String hypervisorWords(String name) {
        return VMM_GUEST.equals(name) ? VMM_WORDS : "";
    }

    private Path vmDisk(String vm, String image) {
        Path p = root.resolve("disk-images/target/images/" + image);
        if (!Files.isRegularFile(p)) {
            throw new UserError("vmm: " + vm + "'s disk " + p + " not found (run 'mvn -q -DskipTests package' to build it)");
        }
        return p;
    }

    /** The default guest, or the fallback greeting guest when the kernel image is not built. */
    Path defaultGuest() {
        for (Path p : candidates(DEFAULT_GUEST)) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return resolve(FALLBACK_GUEST);
    }

    /** An explicit file argument (--kernel, --disk, --module) that must exist. */
    Path existing(String path, String what) {
        Path p = Path.of(path);
        if (!Files.isRegularFile(p)) {
            throw new UserError(what + " " + path + ": " + (Files.isDirectory(p) ? "is a directory" : "no such file"));
        }
        if (!Files.isReadable(p)) {
            throw new UserError(what + " " + path + ": not readable");
        }
        return p;
    }

    /** True if the file starts with the ELF magic (so it boots like --kernel). */
    static boolean isElf(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 0x7F && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
        } catch (IOException e) {
            throw new UserError(p + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
