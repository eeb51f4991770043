package jx86.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jx86.harness.HarnessResult;
import jx86.machine.MachineConfig;

/**
 * One kernel's crash demo: what to boot, how to start the canary and load the buggy component,
 * and which console lines mean what. Adding a kernel to {@code jx86 demo crash} is one class.
 */
public interface Scenario {
    /** The name used on the command line and in the tables ("monolithic"). */
    String name();

    /** Build outputs the scenario needs, relative to the checkout root (image first). */
    List<String> artifacts();

    /** The first artifact missing under {@code root}, if any ("not built" is reported, not an error). */
    default Optional<String> missingArtifact(Path root) {
        return artifacts().stream().filter(a -> !Files.isRegularFile(root.resolve(a))).findFirst();
    }

    /** The machine for one run: the kernel's image, copy-on-write, and the RAM size. */
    MachineConfig config(Path root, RunSpec spec);

    /** Shell commands that start the canary and load the buggy component, each typed at a prompt. */
    List<String> startCommands(RunSpec spec);

    /** The shell prompt the commands wait for (it has no newline). */
    default String prompt() {
        return "$ ";
    }

    /**
     * A command typed at the shell when a run reached its duration, to show the shell still
     * answers (its reply, {@link #aliveReply()}, is then among the lines the run is classified
     * by); null for none (the default).
     */
    default String aliveCommand() {
        return null;
    }

    /** The line that answers {@link #aliveCommand()}. */
    default Pattern aliveReply() {
        return null;
    }

    /** The rules that decide the outcome; see {@link Classifier}. */
    Classifier classifier();

    /**
     * Console lines at which the run stops (then goes on for {@link #needsTail()}); by default any
     * line a classifier rule matches.
     */
    default Pattern stopAt() {
        return Pattern.compile(classifier().rules().stream().map(r -> "(?:" + r.pattern().pattern() + ")")
                .collect(Collectors.joining("|")));
    }

    /**
     * Virtual seconds after the component started at which the run ends if nothing stopped it;
     * by default the spec's duration.
     */
    default double budgetSeconds(RunSpec spec) {
        return spec.durationSeconds();
    }

    /**
     * The verdict on a finished run; by default the classifier on the console (COM1) lines.
     * {@code com2} is what the guest wrote to COM2 (empty unless the config captures it).
     */
    default Classification classify(List<String> lines, RunEnd end, HarnessResult result, String com2) {
        return classifier().classify(lines, end);
    }

    /** Lines about COM2's output for the run's story (a second VM's console); none by default. */
    default List<String> com2Story(String com2) {
        return List.of();
    }

    /** A line after which the run should go on briefly to capture more (a panic's registers and backtrace). */
    default Pattern needsTail() {
        return Pattern.compile("^panic: ");
    }

    /** Console lines that show the system still makes progress (for the hang watchdog). */
    default boolean isProgress(String line) {
        return classifier().progress().matcher(line).find();
    }

    /** Reads what each burst hit and symbolizes backtraces; null when the scenario cannot. */
    default CrashInspector inspector(Path root) {
        return null;
    }
}
