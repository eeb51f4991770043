package jx86.script;

import java.util.regex.Pattern;
import jx86.machine.MachineEvent;

/**
 * One step of a script, with the line it came from and its source text (for the log).
 * The semantics are in docs/test-scripts.md; {@link ScriptRunner} carries them out.
 */
public sealed interface ScriptStep {
    /** 1-based line in the script file. */
    int line();

    /** The step as the script wrote it (keyword and operands), for the log. */
    String source();

    /** {@code expect /REGEX/} or {@code expect "TEXT"}: a complete console line after the cursor matches. */
    record Expect(int line, String source, Pattern pattern, Budget budget) implements ScriptStep {
    }

    /** {@code prompt "TEXT"}: a new unfinished line (no newline yet) ends with TEXT. */
    record Prompt(int line, String source, String text, Budget budget) implements ScriptStep {
    }

    /** {@code send "TEXT"} (TEXT and a carriage return, as the Enter key) or {@code send-raw "TEXT"}. */
    record Send(int line, String source, String bytes) implements ScriptStep {
    }

    /** {@code expect-exit N}: the run ends through the exit port with value N. */
    record ExpectExit(int line, String source, int value, Budget budget) implements ScriptStep {
    }

    /** {@code expect-end EVENT}: the run ends with another machine event (triple-fault, halted ...). */
    record ExpectEnd(int line, String source, MachineEvent event, Budget budget) implements ScriptStep {
    }

    /** {@code reboot}: switch the machine off if it still runs and boot it again on the same disks. */
    record Reboot(int line, String source) implements ScriptStep {
    }
}
