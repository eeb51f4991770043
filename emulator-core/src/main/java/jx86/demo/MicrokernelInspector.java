package jx86.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jx86.harness.ConsoleLine;
import jx86.machine.PcMachine;

/**
 * What each burst of the microkernel's buggy driver hit. The driver can reach nothing but its own
 * address space, and what is in it follows from its ELF file and the restart server's rules
 * (kernel-microkernel/servers/restart.c, which pages it): its loadable segments (text, read-only
 * data, data and bss, demand-paged from the image), a 64 KiB stack below {@link #STACK_TOP} and
 * the parameter page at {@link #PARAMS_VA}. Any other address is not mapped: the write faults, the
 * restart server refuses the fault and the driver dies at that word; the burst's remaining words
 * are never written. The driver draws each address from xorshift32(seed) as {@code r & ~3} and
 * the value from the next draw, and starts again from the seed when it is restarted, so the
 * harness replays the generator (from the driver's start line) and checks the replayed first
 * address against the one the burst line prints. No guest memory needs to be read.
 *
 * <p>Backtraces of a kernel panic are symbolized from the microkernel's {@code kernel.elf}.
 */
final class MicrokernelInspector implements CrashInspector {
    /** restart.c: STACK_TOP, STACK_LO (64 KiB) and PARAMS_VA. */
    static final long STACK_TOP = 0xBE000000L;
    static final long STACK_LO = STACK_TOP - 0x10000;
    static final long PARAMS_VA = 0x3F000000L;
    /** Variables of the burst loop: a word written there changes what the driver does next. */
    private static final List<String> LOOP_STATE = List.of("state", "n");
    private static final int DETAILS = 8;

    private static final Pattern STARTED = Pattern.compile(
            "memcorrupt: (\\d+) words every \\d+ s over its own address space, seed (-?\\d+)");
    private static final Pattern BURST = Pattern.compile("memcorrupt: burst (\\d+), (\\d+) words, first at virt 0x(\\w+)");
    private static final Pattern DEATH = Pattern.compile("restart: \\S+ \\(pid \\d+\\) died: |mk: thread \\S+ \\(\\w+\\) killed: ");

    private final ElfSymbols buggy;
    private final ElfSymbols kernel;
    private int words;
    private int rng;
    /** False once a burst wrote the driver's generator, loop bound or code: later bursts are not replayed. */
    private boolean replayable;

    MicrokernelInspector(ElfSymbols buggy, ElfSymbols kernel) {
        this.buggy = buggy;
        this.kernel = kernel;
    }

    /** The inspector for these ELF files, or null when the driver's cannot be read (runs go on without stories). */
    static MicrokernelInspector load(Path buggyElf, Path kernelElf) {
        try {
            ElfSymbols b = ElfSymbols.read(buggyElf);
            ElfSymbols k;
            try {
                k = ElfSymbols.read(kernelElf);
            } catch (IOException | IllegalArgumentException e) {
                k = null;
            }
            return new MicrokernelInspector(b, k);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public List<String> onLine(ConsoleLine line, PcMachine machine) {
        return onLine(line.text(), line.toString());
    }

    /** {@link #onLine(ConsoleLine, PcMachine)} without a machine: {@code stamped} is the line as the story shows it. */
    List<String> onLine(String text, String stamped) {
        Matcher m = STARTED.matcher(text);
        if (m.find()) {                      // a (re)start: the generator begins again at the seed
            words = Integer.parseInt(m.group(1));
            int seed = Integer.parseInt(m.group(2));
            rng = seed != 0 ? seed : 1;
            replayable = true;
            return List.of(stamped);
        }
        if (DEATH.matcher(text).find()) {       // the restart server's and the kernel's lines about a death
            return List.of(stamped);
        }
        m = BURST.matcher(text);
        if (m.find() && words > 0) {
            return burst(stamped, Integer.parseInt(m.group(1)), (int) Long.parseLong(m.group(3), 16));
        }
        return List.of();
    }

    /** xorshift32, as buggy.c's next_random. */
    private int next() {
        rng = CrashInspector.xorshift32(rng);
        return rng;
    }

    private List<String> burst(String stamped, int number, int printedFirst) {
        List<String> story = new ArrayList<>();
        story.add(stamped);
        if (!replayable) {
            story.add("  (an earlier burst wrote the driver's own generator, loop bound or code: not replayed)");
            return story;
        }
        int saved = rng;
        int first = next() & ~3;
        rng = saved;
        if (first != printedFirst) {
            story.add("  (the replayed addresses do not match the driver's: hits not classified)");
            replayable = false;
            return story;
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> details = new ArrayList<>();
        String end = null;
        for (int i = 0; i < words; i++) {
            int va = next() & ~3;
            next();                                    // the value written
            Hit h = classify(va);
            if (h == null) {
                end = String.format("word %d at virt 0x%08x: not mapped in its address space -> page fault, the"
                        + " restart server refuses it and buggy dies (%d of %d words written)", i + 1, va, i, words);
                break;
            }
            counts.merge(h.category(), 1, Integer::sum);
            if (details.size() < DETAILS) {
                details.add(String.format("    hit its own %s (virt 0x%08x)", h.what(), va));
            }
            if (h.changesLoop()) {
                end = String.format("word %d changed %s: what the driver does next is not replayed", i + 1, h.what());
                replayable = false;
                break;
            }
        }
        StringBuilder sb = new StringBuilder("  burst " + number + " hit: ");
        if (counts.isEmpty()) {
            sb.append("nothing of its own: ");
        }
        counts.forEach((k, v) -> sb.append(v).append(' ').append(k).append(", "));
        sb.append(end != null ? end : "all " + words + " words landed in its own memory");
        story.add(sb.toString());
        story.addAll(details);
        return story;
    }

    /** What of the driver's own memory {@code va} is: a category for the counts and a description. */
    record Hit(String category, String what, boolean changesLoop) {
    }

    /** The driver's own memory at {@code va}, or null where nothing is mapped (restart.c's page_fault). */
    Hit classify(int va) {
        long a = Integer.toUnsignedLong(va);
        if (a >= STACK_LO && a < STACK_TOP) {
            return new Hit("stack", "stack", false);
        }
        if ((a & ~0xFFFL) == PARAMS_VA) {
            return new Hit("parameter page", "parameter page", false);
        }
        boolean mapped = buggy.segments().stream().anyMatch(s -> a >= (Integer.toUnsignedLong(s.vaddr()) & ~0xFFFL)
                && a < Integer.toUnsignedLong(s.vaddr()) + Integer.toUnsignedLong(s.memsz()));
        if (!mapped) {
            return null;
        }
        Optional<ElfSymbols.Section> section = buggy.section(va);
        String name = section.map(ElfSymbols.Section::name).orElse("image page");
        Optional<ElfSymbols.Symbol> sym = buggy.at(va);
        String what = name + sym.map(s -> " (" + buggy.describe(va).orElse(s.name()) + ")").orElse("");
        boolean loop = name.equals(".text") || sym.map(s -> LOOP_STATE.contains(s.name())).orElse(false);
        String category = name.equals(".text") ? "text" : name.equals(".data") || name.equals(".bss") ? "data"
                : name.equals(".rodata") ? "read-only data" : "image header";
        return new Hit(category, what, loop);
    }

    @Override
    public String symbolize(String line) {
        if (kernel == null) {
            return line;
        }
        return CrashInspector.symbolizeKernelText(kernel, line);
    }
}
