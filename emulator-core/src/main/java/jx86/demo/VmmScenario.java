package jx86.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jx86.harness.HarnessResult;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;

/**
 * vmm: the hypervisor runs two copies of kernel-monolithic side by side ({@code vm1=1}). VM 0 (its
 * console is the host's COM1, with the hypervisor's {@code vmm:} lines) runs {@code canary} and
 * loads the same {@code memcorrupt} module as the monolith's scenario, which now overwrites words
 * of VM 0's guest-physical memory only; VM 1 (on COM2) runs {@code canary -r R}, says
 * {@code vm1 alive} and powers off. The question is whether VM 0's failure stays inside VM 0.
 *
 * <p>A run ends when VM 1 has powered off (R is sized so that VM 1's canary lasts at least the
 * duration after the module started, about twice that while VM 0 shares the CPU) or, if VM 1 never
 * does, at three times the duration plus {@link #BUDGET_SLACK} seconds. Only what happened in VM 0
 * before VM 1 powered off counts, so VM 1 was running through all of it. The outcome (see
 * {@link #classify(List, String, RunEnd, MachineEvent, int)}):
 * <ul>
 * <li><b>V</b> (VM failed, the other survived): the hypervisor stopped VM 0 (killed, halted with
 * interrupts off, or powered off with a failure status), logged its registers and said VM 1 runs on
 * with the kernel code checksum VM 1 had at boot; VM 1 then passed all its canary rounds, said
 * {@code vm1 alive} and powered off with status 0, and the machine ended at the exit port with 0.
 * <li><b>C</b> (VM 0's data corrupted): VM 0's canary found corruption (or a worker died of a
 * fault) while VM 0's kernel ran on, and VM 1 survived as above.
 * <li><b>S</b>: nothing of the above in VM 0, its canary reported progress after the module
 * started, and VM 1 survived.
 * <li><b>U</b>: anything else, in particular VM 1 failing too or not finishing (with the reason).
 * </ul>
 * Panics, triple faults and halts of VM 0's kernel are all V here: the hypervisor turns each into
 * "VM 0 stopped". No burst inspector: VM 0's guest-physical memory is not the machine's.
 */
public final class VmmScenario implements Scenario {
    static final String HYPERVISOR = "vmm/target/vmm.elf";
    static final String KERNEL_ELF = "kernel-monolithic/target/kernel.elf";
    static final String DISK = "kernel-monolithic/target/disk.img";
    /** Extra virtual seconds (after three times the duration) for VM 1 to finish before the run is cut off. */
    static final double BUDGET_SLACK = 5;
    /**
     * VM 1's canary rounds per virtual second when it has the CPU alone (twice the 1.15 rounds/s
     * measured with VM 0 running its canary too: 40 rounds in 34.8 s, 2026-12-06). VM 1 runs
     * R = duration x this rounds, so it is still running at the duration whatever VM 0 does, and
     * finishes by about twice the duration while VM 0 shares the CPU.
     */
    static final double VM1_ROUNDS_PER_SECOND = 2.3;

    private static final Pattern PROMPTS = Pattern.compile("^(/\\$ )+");
    static final Pattern LOADED = Pattern.compile("memcorrupt: \\d+ words every \\d+ s over");
    static final Pattern PROGRESS = Pattern.compile("canary: ok \\d+");
    /** VM 0's canary lines that mean its data was corrupted (as the monolith's rules). */
    private static final Pattern VM0_CORRUPT = Pattern.compile(
            "^canary: CORRUPT|^canary: stopped on corruption|^canary\\[\\d+\\]: .*(signal \\d+|killed)$");
    /** The hypervisor stopped a VM (core/main.c, core/emulate.c, devices/ports.c). */
    private static final Pattern STOPPED = Pattern.compile(
            "vmm: VM (\\d) (killed: .*|halted with interrupts off|powered off \\(status (-?\\d+)\\))");
    private static final Pattern BOOT_SUM = Pattern.compile("vmm: VM 1 kernel code \\[\\w+, \\w+\\) checksum (\\w+)");
    private static final Pattern LATER_SUM = Pattern.compile("vmm: VM 1 runs on; its kernel code checksum (\\w+)");
    private static final Pattern VM1_OFF = Pattern.compile("vmm: VM 1 powered off \\(status 0\\)");

    private static final Classifier CLASSIFIER = new Classifier(List.of(), LOADED, PROGRESS);

    private final Path hypervisor;
    private final Path kernel;
    private final Path disk;

    /** The scenario of {@code jx86 demo crash}: the build outputs under the checkout root. */
    public VmmScenario() {
        this(null, null, null);
    }

    private VmmScenario(Path hypervisor, Path kernel, Path disk) {
        this.hypervisor = hypervisor;
        this.kernel = kernel;
        this.disk = disk;
    }

    /** The same scenario with explicit paths (the vmm module's tests run from vmm/). */
    public static VmmScenario direct(Path hypervisorElf, Path kernelElf, Path disk) {
        return new VmmScenario(hypervisorElf.toAbsolutePath(), kernelElf.toAbsolutePath(), disk.toAbsolutePath());
    }

    @Override
    public String name() {
        return "vmm";
    }

    @Override
    public List<String> artifacts() {
        return hypervisor != null ? List.of() : List.of(HYPERVISOR, KERNEL_ELF, DISK);
    }

    /** VM 1's canary rounds for a run of this duration (at least 1). */
    static int vm1Rounds(RunSpec spec) {
        return Math.max(1, (int) Math.round(spec.durationSeconds() * VM1_ROUNDS_PER_SECOND));
    }

    /** What is typed ahead on COM2, VM 1's console. */
    static String vm1Script(RunSpec spec) {
        return "canary -r " + vm1Rounds(spec) + "\recho vm1 alive\rpoweroff\r";
    }

    @Override
    public MachineConfig config(Path root, RunSpec spec) {
        Path h = hypervisor != null ? hypervisor : root.resolve(HYPERVISOR);
        Path k = kernel != null ? kernel : root.resolve(KERNEL_ELF);
        Path d = disk != null ? disk : root.resolve(DISK);
        // VM 0 = module 0 and hda, VM 1 = module 1 and hdb; panic=exit: a panic is a power-off with
        // status 1, which the hypervisor logs as VM 0's failure
        return MachineConfig.builder().kernel(h).module(k).module(k)
                .append("vm1=1 -- console=ttyS0 panic=exit init=/bin/sh")
                .disk(d).disk(d).snapshot(true)
                .serial2("buffer").serial2Input(vm1Script(spec)).build();
    }

    @Override
    public List<String> startCommands(RunSpec spec) {
        // canary without -p: a corruption it finds is reported and VM 0 runs on (class C)
        return MonolithicScenario.memcorruptCommands(spec);
    }

    @Override
    public Classifier classifier() {
        return CLASSIFIER;
    }

    /** The run stops when VM 1 has ended (powered off, or stopped by the hypervisor). */
    @Override
    public Pattern stopAt() {
        return Pattern.compile("vmm: VM 1 (powered off|killed|halted)");
    }

    /** After VM 1's end: time for the machine to end too if VM 0 is already gone. */
    @Override
    public Pattern needsTail() {
        return stopAt();
    }

    @Override
    public double budgetSeconds(RunSpec spec) {
        return 3 * spec.durationSeconds() + BUDGET_SLACK;
    }

    @Override
    public Classification classify(List<String> lines, RunEnd end, HarnessResult result, String com2) {
        return classify(lines, com2, end, result.event(), result.exitValue());
    }

    @Override
    public List<String> com2Story(String com2) {
        List<String> l = lines(com2);
        List<String> story = new ArrayList<>();
        story.add("  VM 1 (COM2), last lines:");
        l.subList(Math.max(0, l.size() - 4), l.size()).forEach(x -> story.add("    " + x));
        return story;
    }

    /** A console's lines with the shell's prompts taken off the front. */
    static List<String> lines(String console) {
        return console.lines().map(VmmScenario::strip).toList();
    }

    private static String strip(String line) {
        return PROMPTS.matcher(line).replaceFirst("");
    }

    /**
     * The verdict on a vmm run from COM1's lines (VM 0 and the hypervisor), COM2's text (VM 1),
     * what ended the run and the machine's event and exit value.
     */
    public static Classification classify(List<String> com1, String com2, RunEnd end, MachineEvent event,
            int exitValue) {
        List<String> c1 = com1.stream().map(VmmScenario::strip).toList();
        int loaded = indexOf(c1, LOADED, 0, c1.size());
        int vm1End = -1;
        String vm1Failure = null;
        for (int i = 0; i < c1.size() && vm1End < 0; i++) {
            Matcher m = STOPPED.matcher(c1.get(i));
            if (m.find() && m.group(1).equals("1")) {
                vm1End = i;
                if (!VM1_OFF.matcher(c1.get(i)).find()) {
                    vm1Failure = c1.get(i).substring(m.start());
                }
            }
        }
        int limit = vm1End >= 0 ? vm1End : c1.size();

        // VM 0: the first failure after the module started and before VM 1 ended
        int vm0Fail = -1;
        boolean vm0Stopped = false;
        String vm0Reason = null;
        if (loaded >= 0) {
            for (int i = loaded + 1; i < limit && vm0Fail < 0; i++) {
                String line = c1.get(i);
                Matcher m = STOPPED.matcher(line);
                if (m.find() && m.group(1).equals("0")) {
                    vm0Fail = i;
                    vm0Stopped = true;
                    vm0Reason = line.substring(m.start());
                } else if (VM0_CORRUPT.matcher(line).find()) {
                    vm0Fail = i;
                    vm0Reason = line;
                }
            }
        }

        // VM 1: every sign of survival, or why not
        String vm1Problem = vm1Problem(c1, com2, vm1End, vm1Failure, vm0Stopped ? vm0Fail : -1);
        if (vm1Problem != null) {
            String vm0 = vm0Reason != null ? "VM 0: " + vm0Reason + "; " : "";
            return new Classification(Outcome.UNCLASSIFIED, vm0 + vm1Problem + " (run ended: " + describe(end, event,
                    exitValue) + ")", -1);
        }
        if (loaded < 0) {
            return new Classification(Outcome.UNCLASSIFIED, "the buggy component never reported that it started", -1);
        }
        if (vm0Fail >= 0 && vm0Stopped) {
            Matcher m = STOPPED.matcher(vm0Reason);
            if (m.find() && m.group(3) != null && Integer.parseInt(m.group(3)) == 0) {
                return new Classification(Outcome.UNCLASSIFIED, "VM 0 powered off with status 0 (not a failure the"
                        + " hypervisor reports; canary runs without -p)", -1);
            }
            if (indexOf(c1, Pattern.compile("vm0: eip="), vm0Fail, limit) < 0) {
                return new Classification(Outcome.UNCLASSIFIED, vm0Reason + ", but no 'vm0: eip=' line followed", -1);
            }
            if (event != MachineEvent.EXIT_PORT || exitValue != 0) {
                return new Classification(Outcome.UNCLASSIFIED, vm0Reason + ", but the run did not end at the exit"
                        + " port with 0 (" + describe(end, event, exitValue) + ")", -1);
            }
            // the story starts at VM 0's panic line when there is one (its registers and backtrace follow)
            int panic = indexOf(c1, Pattern.compile("^panic: "), loaded + 1, vm0Fail);
            String reason = vm0Reason + "; VM 1 ran on" + (panic >= 0 ? " (VM 0: " + c1.get(panic) + ")" : "");
            return new Classification(Outcome.VM_FAILED, reason, panic >= 0 ? panic : vm0Fail);
        }
        if (vm0Fail >= 0) {
            return new Classification(Outcome.CORRUPTED, vm0Reason + " (in VM 0; VM 1 survived)", vm0Fail);
        }
        int progress = indexOf(c1, PROGRESS, loaded + 1, limit);
        if (progress < 0) {
            return new Classification(Outcome.UNCLASSIFIED,
                    "no canary progress in VM 0 after the buggy component started", -1);
        }
        String last = "";
        for (int i = loaded + 1; i < limit; i++) {
            if (PROGRESS.matcher(c1.get(i)).find()) {
                last = c1.get(i);
            }
        }
        return new Classification(Outcome.SURVIVED, "VM 1 finished and VM 0 ran on; VM 0's last progress: " + last, -1);
    }

    /** Why VM 1 cannot be said to have survived, or null if it did. */
    private static String vm1Problem(List<String> c1, String com2, int vm1End, String vm1Failure, int vm0Stop) {
        if (vm1Failure != null) {
            return "VM 1 failed too: " + vm1Failure;
        }
        List<String> l2 = lines(com2);
        for (String bad : List.of("canary: CORRUPT", "canary: stopped on corruption", "panic: ")) {
            for (String line : l2) {
                if (line.startsWith(bad)) {
                    return "VM 1 failed too: " + line;
                }
            }
        }
        int at = 0;
        for (String want : List.of("canary: all rounds passed", "vm1 alive", "reboot: power down")) {
            while (at < l2.size() && !l2.get(at).equals(want)) {
                at++;
            }
            if (at == l2.size()) {
                return "VM 1 did not finish: no '" + want + "' on COM2";
            }
            at++;
        }
        if (vm1End < 0) {
            return "VM 1 did not finish: no 'vmm: VM 1 powered off (status 0)'";
        }
        String boot = null;
        for (String line : c1) {
            Matcher b = BOOT_SUM.matcher(line);
            if (boot == null && b.find()) {
                boot = b.group(1);
            }
            Matcher later = LATER_SUM.matcher(line);
            if (later.find()) {
                if (boot == null) {
                    return "VM 1's kernel code checksum at boot is missing";
                }
                if (!later.group(1).equals(boot)) {
                    return "VM 1's kernel code changed: checksum " + later.group(1) + ", at boot " + boot;
                }
            }
        }
        if (vm0Stop >= 0 && indexOf(c1, LATER_SUM, vm0Stop, vm1End) < 0) {
            return "no 'vmm: VM 1 runs on; its kernel code checksum' after VM 0 stopped";
        }
        return null;
    }

    private static int indexOf(List<String> lines, Pattern p, int from, int to) {
        for (int i = Math.max(0, from); i < Math.min(to, lines.size()); i++) {
            if (p.matcher(lines.get(i)).find()) {
                return i;
            }
        }
        return -1;
    }

    private static String describe(RunEnd end, MachineEvent event, int exitValue) {
        return event == MachineEvent.EXIT_PORT ? "exit port, value " + exitValue
                : end.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ", " + event;
    }
}
