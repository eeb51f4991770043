package jx86.script;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed script: its machine as the script named it (names and paths not yet looked up, with
 * their lines for error messages) and its steps.
 *
 * @param file  the script file
 * @param name  the test's name: the {@code name} setting, else the file name without {@code .jx86}
 * @param machine what to boot
 * @param steps the steps, in order (at least one)
 */
public record Script(Path file, String name, MachineSpec machine, List<ScriptStep> steps) {

    /** A setting's value and the line it was given on. */
    public record Setting(String value, int line) {
    }

    /**
     * The machine settings: {@code machine} (an image name or path, booted as {@code jx86 boot}
     * would), {@code kernel}, {@code append} (null when not given), {@code module}s, {@code disk}s and {@code memory}.
     * Relative paths are relative to the script's folder.
     */
    public record MachineSpec(Setting image, Setting kernel, Setting append, List<Setting> modules,
            List<Setting> disks, int memoryMiB) {
    }
}
