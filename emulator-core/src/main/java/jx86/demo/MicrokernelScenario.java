package jx86.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jx86.harness.HarnessResult;
import jx86.machine.MachineConfig;

/**
 * kernel-microkernel's multi-server system: boots {@code microkernel.img}, starts {@code canary}
 * in the background (the same binary as on the monolith, run by the POSIX personality over the
 * file server and the user-level ATA driver) and loads the buggy driver with
 * {@code insmod /sbin/buggy n= period= seed=} (kernel-microkernel/servers/buggy.c). The driver
 * writes its random words into the only memory it can reach, its own address space; the first
 * write outside its pages is a page fault that its pager, the restart server, refuses, so the
 * driver dies there, and the restart server starts it again with backoff (or leaves it dead after
 * too many deaths) and logs {@code restart: buggy (pid N) died: <reason>; restarted as pid M}.
 *
 * <p>A run lasts the whole duration unless something decisive for the system happens (the
 * canary finds corruption, a kernel panic), because the lecture's point is what happens after the
 * driver died. The outcome (see {@link #classify(List, RunEnd)}):
 * <ul>
 * <li><b>R</b> (restarted): the buggy driver died one or more times, nothing else died, the
 * canary reported progress after the driver's first death (the file system, the ATA driver and
 * the personality still work), and at the end the shell answered {@code echo shell alive};
 * <li><b>S</b>: the driver never died within the duration, the canary went on and the shell
 * answered;
 * <li><b>C</b>, <b>P</b>, <b>T</b>, <b>H</b>: as on the monolith (the kernel's panic lines have the
 * monolith's {@code panic:} format);
 * <li><b>U</b>: anything else, in particular another task dying ({@code restart: ata ...} or the
 * kernel's {@code mk: thread ... killed}), or no canary progress after the driver died.
 * </ul>
 */
public final class MicrokernelScenario implements Scenario {
    static final String IMAGE = "disk-images/target/images/microkernel.img";
    static final String KERNEL_ELF = "kernel-microkernel/target/kernel.elf";
    static final String BUGGY_ELF = "kernel-microkernel/target/user/buggy";
    /** Guest RAM, as the monolith's scenario (the buggy driver's reach does not depend on it). */
    static final int MEMORY_MIB = 32;

    /** Shell prompts in front of a line (a background task's line printed right after a prompt). */
    private static final String P = "^(?:/\\$ )*";
    private static final Pattern PROMPTS = Pattern.compile(P);
    /** The start of a line that a server, the buggy driver or the kernel prints in one piece. */
    private static final Pattern SERVER_LINE = Pattern.compile(
            "(?:memcorrupt|restart|mk|names|root|console|ata|ext2fs|posix|sigma0|panic): ");
    /**
     * The driver's start line; not anchored, because the run waits for it on the console's lines
     * as they come, where it may follow a piece of a program's line (see {@link #untangle}).
     */
    static final Pattern LOADED = Pattern.compile("memcorrupt: \\d+ words every \\d+ s over its own address space");
    static final Pattern PROGRESS = Pattern.compile(P + "canary: ok \\d+");
    /** restart.c's line for each death of a driver it watches, with what it did about it. */
    static final Pattern DIED = Pattern.compile(
            P + "restart: (\\S+) \\(pid (\\d+)\\) died: (.*); (restarted as pid \\d+|\\d+ deaths in a row, left dead"
                    + "|cannot start it again)$");
    /** The kernel killed a thread that has no exception handler (kernel/thread.c). */
    static final Pattern KILLED = Pattern.compile(P + "mk: thread (\\S+) \\(\\w+\\) killed: ");
    private static final String BUGGY = "buggy";
    static final String ALIVE = "shell alive";
    private static final Pattern ALIVE_LINE = Pattern.compile(P + ALIVE + "$");

    private static final Classifier CLASSIFIER = new Classifier(List.of(
            Rule.of(P + "canary: CORRUPT", Outcome.CORRUPTED),
            Rule.of(P + "canary: stopped on corruption", Outcome.CORRUPTED),
            // a canary worker killed by a CPU exception (the personality's "name[pid]: ...: signal N")
            Rule.of(P + "canary\\[\\d+\\]: .*(signal \\d+|killed)$", Outcome.CORRUPTED),
            Rule.of(P + "panic: ", Outcome.PANIC)),
            LOADED, PROGRESS);

    private final Path directImage;
    private final Path directKernel;
    private final Path directBuggy;

    /** The scenario of {@code jx86 demo crash}: the build outputs under the checkout root. */
    public MicrokernelScenario() {
        this(null, null, null);
    }

    private MicrokernelScenario(Path image, Path kernel, Path buggy) {
        this.directImage = image;
        this.directKernel = kernel;
        this.directBuggy = buggy;
    }

    /** The same scenario with explicit paths (kernel-microkernel's tests run from their module). */
    public static MicrokernelScenario direct(Path image, Path kernelElf, Path buggyElf) {
        return new MicrokernelScenario(image.toAbsolutePath(), kernelElf.toAbsolutePath(), buggyElf.toAbsolutePath());
    }

    @Override
    public String name() {
        return "microkernel";
    }

    @Override
    public List<String> artifacts() {
        return directImage != null ? List.of() : List.of(IMAGE, KERNEL_ELF, BUGGY_ELF);
    }

    @Override
    public MachineConfig config(Path root, RunSpec spec) {
        Path image = directImage != null ? directImage : root.resolve(IMAGE);
        return MachineConfig.builder().disk(image).snapshot(true).memoryMiB(MEMORY_MIB).build();
    }

    @Override
    public List<String> startCommands(RunSpec spec) {
        return List.of("canary &\r", "insmod /sbin/buggy n=" + spec.n() + " period=" + spec.period()
                + " seed=" + spec.seed() + "\r");
    }

    /** After the duration: does the shell (the personality, the console driver) still answer? */
    @Override
    public String aliveCommand() {
        return "echo " + ALIVE + "\r";
    }

    @Override
    public Pattern aliveReply() {
        return ALIVE_LINE;
    }

    @Override
    public Classifier classifier() {
        return CLASSIFIER;
    }

    @Override
    public Pattern needsTail() {
        return Pattern.compile(P + "panic: ");
    }

    @Override
    public Classification classify(List<String> lines, RunEnd end, HarnessResult result, String com2) {
        return classify(lines, end);
    }

    /**
     * The verdict on a microkernel run from its console lines and what ended it: the monolith's
     * rules first (corruption, panic, triple fault, hang); a run that lasted its duration with the
     * canary going on is then R if the buggy driver died and nothing else did, S if it never died.
     */
    public static Classification classify(List<String> lines, RunEnd end) {
        Classification c = classifyUntangled(untangle(lines), end);
        return c.lineIndex() < lines.size() ? c : new Classification(c.outcome(), c.reason(), -1);
    }

    /**
     * The console lines with the servers' lines taken out of the shell's and the canary's. The
     * servers, the buggy driver and the kernel print whole lines at once through the kernel's
     * debug output, while the shell and the canary write through the user-level console driver,
     * a few characters at a time; so a server's line can land in the middle of a program's line
     * ("shellmemcorrupt: ... seed 1" then " alive"). Each server line is put on its own and the
     * program's text before it joins the next line ("memcorrupt: ... seed 1", "shell alive"); the
     * shell's prompts in front of a line are dropped. One line out per line in.
     */
    static List<String> untangle(List<String> lines) {
        List<String> out = new ArrayList<>();
        String carry = "";
        for (String line : lines) {
            String s = carry + line;
            carry = "";
            Matcher m = SERVER_LINE.matcher(s);
            if (m.find() && m.start() > 0) {      // a server line at the start is whole (printed at once)
                carry = s.substring(0, m.start());
                s = s.substring(m.start());
            }
            out.add(PROMPTS.matcher(s).replaceFirst(""));
        }
        if (!carry.isEmpty()) {
            out.add(PROMPTS.matcher(carry).replaceFirst(""));
        }
        return out;
    }

    private static Classification classifyUntangled(List<String> l, RunEnd end) {
        Classification base = CLASSIFIER.classify(l, end);
        if (base.outcome() != Outcome.SURVIVED) {
            return base;
        }
        int loaded = indexOf(l, LOADED, 0);
        int deaths = 0;
        int restarts = 0;
        int firstDeath = -1;
        String leftDead = null;
        for (int i = loaded + 1; i < l.size(); i++) {
            Matcher d = DIED.matcher(l.get(i));
            Matcher k = KILLED.matcher(l.get(i));
            boolean restartLine = d.find();
            String who = restartLine ? d.group(1) : k.find() ? k.group(1) : null;
            if (who == null) {
                continue;
            }
            if (!who.equals(BUGGY)) {
                return new Classification(Outcome.UNCLASSIFIED, "another task died: " + l.get(i), i);
            }
            if (restartLine) {        // the kernel's own line about buggy is followed by restart.c's
                deaths++;
                firstDeath = firstDeath < 0 ? i : firstDeath;
                if (d.group(4).startsWith("restarted")) {
                    restarts++;
                } else {
                    leftDead = d.group(4);
                }
            }
        }
        if (indexOf(l, ALIVE_LINE, Math.max(loaded, firstDeath) + 1) < 0) {
            return new Classification(Outcome.UNCLASSIFIED, "the shell did not answer 'echo " + ALIVE + "' at the end"
                    + (deaths > 0 ? " (the buggy driver died " + deaths + "x)" : ""), -1);
        }
        if (deaths == 0) {
            return base;
        }
        int after = indexOf(l, PROGRESS, firstDeath + 1);
        if (after < 0) {
            return new Classification(Outcome.UNCLASSIFIED,
                    "no canary progress after the buggy driver died: " + l.get(firstDeath), -1);
        }
        String last = "";
        for (int i = firstDeath + 1; i < l.size(); i++) {
            if (PROGRESS.matcher(l.get(i)).find()) {
                last = l.get(i);
            }
        }
        String what = leftDead != null ? "restarted " + restarts + " times, then " + leftDead
                : "restarted " + restarts + (restarts == 1 ? " time" : " times");
        Matcher first = DIED.matcher(l.get(firstDeath));
        first.find();
        return new Classification(Outcome.RESTARTED, "only the buggy driver died (" + deaths + "x, first: "
                + first.group(3) + "; " + what + "); the canary ran on (" + last + ") and the shell answered", -1);
    }

    private static int indexOf(List<String> lines, Pattern p, int from) {
        for (int i = Math.max(0, from); i < lines.size(); i++) {
            if (p.matcher(lines.get(i)).find()) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public CrashInspector inspector(Path root) {
        return MicrokernelInspector.load(directBuggy != null ? directBuggy : root.resolve(BUGGY_ELF),
                directKernel != null ? directKernel : root.resolve(KERNEL_ELF));
    }
}
