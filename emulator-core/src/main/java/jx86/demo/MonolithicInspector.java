package jx86.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jx86.harness.ConsoleLine;
import jx86.machine.PcMachine;
import jx86.memory.PhysicalMemory;

/**
 * What each memcorrupt burst hit in kernel-monolithic, and its backtraces with function names.
 *
 * <p>The addresses: memcorrupt draws them from xorshift32(seed) (modules/memcorrupt/memcorrupt.c:
 * per word one draw for the address, {@code (r % ramtop) & ~3}, one for the value), so the
 * inspector replays the generator from the seed and RAM size the module prints when it starts,
 * and checks each burst's replayed first address against the one the module prints.
 *
 * <p>The owners, read from guest memory right after the burst's line was printed:
 * <ul>
 *   <li>the kernel image: sections and symbols of kernel.elf (physical = virtual - KERNBASE);</li>
 *   <li>process page directories, page tables, user pages and kernel stacks: the process table
 *       {@code proc[NPROC]} (kernel/proc.c), walked through each live process's page directory;</li>
 *   <li>free pages: the page allocator's bitmap {@code freemap} (mm/kalloc.c, bit set = free);</li>
 *   <li>the module's own pages: its load address, translated through the current page directory.</li>
 * </ul>
 * The layout facts used are the first fields of {@code struct proc} (include/proc.h: state, pid,
 * parent, pgdir, heapstart, brk, kstack), its last field {@code name[16]}, and the i386 paging
 * formats; the size of a proc entry comes from the symbol table. A burst may corrupt the very
 * structures walked; entries that point outside RAM are skipped.
 */
final class MonolithicInspector implements CrashInspector {
    static final int KERNBASE = 0xC000_0000;
    private static final int NPROC = 64;
    private static final int P_STATE = 0;
    private static final int P_PID = 4;
    private static final int P_PGDIR = 12;
    private static final int P_KSTACK = 24;
    private static final int KSTACK_PAGES = 2;
    private static final int USER_PDES = KERNBASE >>> 22;
    private static final int DETAILS = 8;

    private static final Pattern STARTED =
            Pattern.compile("^memcorrupt: (\\d+) words every \\d+ s over (\\d+) KiB of RAM, seed (-?\\d+)");
    private static final Pattern LOADED = Pattern.compile("^module: memcorrupt loaded at 0x([0-9a-f]+) \\((\\d+) pages");
    /** Loose on purpose: a burst that hits printk's state or the module's own data garbles its numbers. */
    private static final Pattern BURST = Pattern.compile("^memcorrupt: burst (\\S+), (\\S+) words, first at phys 0x(\\S+)");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{1,8}");

    private final ElfSymbols symbols;
    private final int procTable;
    private final int procSize;
    private final int freemap;
    private int words;
    private long ramtop;
    private int rng;
    private int moduleBase;
    private int modulePages;
    private int bursts;

    private MonolithicInspector(ElfSymbols symbols) {
        this.symbols = symbols;
        ElfSymbols.Symbol proc = symbols.symbol("proc").orElse(null);
        this.procTable = proc == null ? 0 : proc.value() - KERNBASE;
        this.procSize = proc == null ? 0 : proc.size() / NPROC;
        this.freemap = symbols.symbol("freemap").map(s -> s.value() - KERNBASE).orElse(0);
    }

    /** The inspector for the kernel {@code elf}, or null when it cannot be read (runs go on without stories). */
    static MonolithicInspector load(Path elf) {
        try {
            return new MonolithicInspector(ElfSymbols.read(elf));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    static MonolithicInspector of(ElfSymbols symbols) {
        return new MonolithicInspector(symbols);
    }

    @Override
    public List<String> onLine(ConsoleLine line, PcMachine machine) {
        String text = line.text();
        Matcher m = STARTED.matcher(text);
        if (m.find()) {
            words = Integer.parseInt(m.group(1));
            ramtop = Long.parseLong(m.group(2)) * 1024;
            int seed = Integer.parseInt(m.group(3));
            rng = seed != 0 ? seed : 1;
            return List.of(line.toString());
        }
        m = LOADED.matcher(text);
        if (m.find()) {
            moduleBase = (int) Long.parseLong(m.group(1), 16);
            modulePages = Integer.parseInt(m.group(2));
            return List.of();
        }
        m = BURST.matcher(text);
        if (m.find() && ramtop > 0) {
            Integer printedFirst = HEX.matcher(m.group(3)).matches() ? (int) Long.parseLong(m.group(3), 16) : null;
            return burst(line, ++bursts, printedFirst, machine);
        }
        return List.of();
    }

    /** xorshift32, as memcorrupt.c's next_random. */
    private int next() {
        rng = CrashInspector.xorshift32(rng);
        return rng;
    }

    /** The addresses of the next burst, replayed. */
    int[] replayBurst() {
        int[] addrs = new int[words];
        for (int i = 0; i < words; i++) {
            addrs[i] = (int) (Integer.toUnsignedLong(next()) % ramtop) & ~3;
            next();                                   // the value written
        }
        return addrs;
    }

    private List<String> burst(ConsoleLine line, int number, Integer printedFirst, PcMachine machine) {
        int[] addrs = replayBurst();
        List<String> story = new ArrayList<>();
        story.add(line.toString());
        if (addrs.length == 0) {
            return story;
        }
        if (printedFirst == null) {
            story.add("  (the module's line is garbled: an earlier burst hit printk's or the module's data;"
                    + " the hits below are replayed, not checked)");
        } else if (addrs[0] != printedFirst) {
            story.add("  (the replayed addresses do not match the module's: an earlier burst hit its generator;"
                    + " hits not classified)");
            return story;
        }
        Owners owners = new Owners(machine.memory(), machine.mmu().cr3());
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> details = new ArrayList<>();
        int more = 0;
        for (int pa : addrs) {
            Hit h = classify(pa, owners);
            counts.merge(h.category(), 1, Integer::sum);
            if (h.notable()) {
                if (details.size() < DETAILS) {
                    details.add(String.format("    hit %s (phys 0x%08x)", h.what(), pa));
                } else {
                    more++;
                }
            }
        }
        StringBuilder sb = new StringBuilder("  burst " + number + " hit: ");
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .forEach(e -> sb.append(e.getValue()).append(' ').append(e.getKey()).append(", "));
        sb.setLength(sb.length() - 2);
        story.add(sb.toString());
        story.addAll(details);
        if (more > 0) {
            story.add("    ... and " + more + " more such hits");
        }
        return story;
    }

    /** One word's owner: a category for the counts and, for the hits that matter, a description. */
    record Hit(String category, String what, boolean notable) {
    }

    Hit classify(int pa, Owners owners) {
        int va = pa + KERNBASE;
        Optional<ElfSymbols.Section> section = symbols.section(va);
        if (section.isPresent()) {
            String name = section.get().name();
            String sym = symbols.describe(va).orElse(name);
            if (name.equals(".text")) {
                return new Hit("kernel text", "kernel text: " + sym, true);
            }
            if (name.equals(".data") || name.equals(".bss")) {
                return new Hit("kernel data", "kernel data: " + sym, true);
            }
            return new Hit("kernel read-only data", "kernel read-only data: " + sym, true);
        }
        String owner = owners.pages.get(pa >>> 12);
        if (owner != null) {
            boolean user = owner.startsWith("user page");
            String category = user ? "user pages" : owner.startsWith("page ") ? "page tables"
                    : owner.startsWith("kernel stack") ? "kernel stacks" : "the module itself";
            return new Hit(category, owner, !user);
        }
        if (owners.isFree(pa >>> 12)) {
            return new Hit("free", "free memory", false);
        }
        if (pa < 0x10_0000) {
            return new Hit("low memory", "low memory (BIOS data, boot structures)", false);
        }
        return new Hit("other kernel pages", "a kernel page (heap, buffer cache, pipe)", false);
    }

    /** Page ownership read from guest memory at one moment. */
    final class Owners {
        final Map<Integer, String> pages = new HashMap<>();
        private final PhysicalMemory mem;

        Owners(PhysicalMemory mem, int cr3) {
            this.mem = mem;
            if (procSize > 0) {
                for (int i = 0; i < NPROC; i++) {
                    process(procTable + i * procSize);
                }
            }
            for (int p = 0; p < modulePages; p++) {
                int pa = translate(cr3, moduleBase + p * 4096);
                if (pa >= 0) {
                    pages.putIfAbsent(pa >>> 12, "the memcorrupt module's own memory");
                }
            }
        }

        private boolean inRam(long pa) {
            return pa >= 0 && pa + 4 <= Math.min(ramtop, mem.ramSize());
        }

        private int read(int pa) {
            return inRam(Integer.toUnsignedLong(pa)) ? mem.ramRead32(pa) : 0;
        }

        private void process(int entry) {
            int state = read(entry + P_STATE);
            if (state <= 0 || state > 5) {
                return;
            }
            int pid = read(entry + P_PID);
            String who = "pid " + pid + " (" + name(entry + procSize - 16) + ")";
            int pgdir = read(entry + P_PGDIR) - KERNBASE;
            int kstack = read(entry + P_KSTACK) - KERNBASE;
            if (inRam(Integer.toUnsignedLong(kstack))) {
                for (int k = 0; k < KSTACK_PAGES; k++) {
                    pages.putIfAbsent((kstack >>> 12) + k, "kernel stack of " + who);
                }
            }
            if (!inRam(Integer.toUnsignedLong(pgdir))) {
                return;
            }
            pages.put(pgdir >>> 12, "page directory of " + who);
            for (int pde = 0; pde < USER_PDES; pde++) {
                int e = read(pgdir + pde * 4);
                if ((e & 1) == 0 || (e & 0x80) != 0) {
                    continue;
                }
                int table = e & ~0xFFF;
                if (!inRam(Integer.toUnsignedLong(table))) {
                    continue;
                }
                pages.put(table >>> 12, "page table of " + who);
                for (int pte = 0; pte < 1024; pte++) {
                    int t = read(table + pte * 4);
                    if ((t & 1) != 0) {
                        pages.putIfAbsent(t >>> 12, "user page of " + who);
                    }
                }
            }
        }

        private String name(int pa) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                int c = inRam(pa + i) ? mem.ramRead8(pa + i) : 0;
                if (c == 0) {
                    break;
                }
                sb.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
            }
            return sb.toString();
        }

        /** i386 two-level walk (4 KiB and 4 MiB pages); -1 if not mapped or outside RAM. */
        private int translate(int cr3, int va) {
            int pde = read((cr3 & ~0xFFF) + (va >>> 22) * 4);
            if ((pde & 1) == 0) {
                return -1;
            }
            if ((pde & 0x80) != 0) {
                return (pde & 0xFFC0_0000) | (va & 0x3F_FFFF);
            }
            int pte = read((pde & ~0xFFF) + ((va >>> 12) & 0x3FF) * 4);
            return (pte & 1) == 0 ? -1 : (pte & ~0xFFF) | (va & 0xFFF);
        }

        boolean isFree(int page) {
            if (freemap == 0) {
                return false;
            }
            return (read(freemap + (page / 32) * 4) >>> (page % 32) & 1) != 0;
        }
    }

    @Override
    public String symbolize(String line) {
        return CrashInspector.symbolizeKernelText(symbols, line);
    }
}
