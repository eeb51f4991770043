package jx86.demo;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jx86.harness.ConsoleLine;
import jx86.machine.PcMachine;

/**
 * Explains a crash run from the kernel's side: what each burst of the buggy component hit (from
 * the kernel's symbol table and the page ownership it keeps in memory) and backtraces with
 * function names. One per scenario; a new instance per run (it may keep per-run state).
 */
public interface CrashInspector {
    /**
     * Called on the machine thread for every console line, right after its newline was written,
     * so guest memory is as the line's writer left it. Returns story lines for the run's log
     * (empty for most lines).
     */
    List<String> onLine(ConsoleLine line, PcMachine machine);

    /** The line with code addresses replaced by {@code function+offset}; the line itself if none. */
    String symbolize(String line);

    /**
     * {@link #symbolize} for a kernel linked at C0000000 (both kernels of the demo): every
     * C0xxxxxx address in the line (with or without 0x) that lies in the kernel's .text gets
     * " &lt;function+offset&gt;" after it.
     */
    static String symbolizeKernelText(ElfSymbols kernel, String line) {
        Matcher m = KERNEL_ADDRESS.matcher(line);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            int addr = (int) Long.parseLong(m.group(1), 16);
            boolean text = kernel.section(addr).map(s -> s.name().equals(".text")).orElse(false);
            String name = text ? kernel.describe(addr).orElse(null) : null;
            m.appendReplacement(sb, Matcher.quoteReplacement(name == null ? m.group() : m.group() + " <" + name + ">"));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * One step of the xorshift32 generator (shifts 13, 17, 5) that both kernels' memory-corrupting
     * modules use: the inspectors replay it to know which words a burst hit.
     */
    static int xorshift32(int x) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        return x;
    }

    /** A kernel address in a console line, as symbolizeKernelText looks for it. */
    Pattern KERNEL_ADDRESS = Pattern.compile("\\b(?:0x)?(c0[0-9a-f]{6})\\b");
}
