package jx86.demo;

import java.util.List;
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
}
