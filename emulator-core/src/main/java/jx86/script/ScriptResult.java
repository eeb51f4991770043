package jx86.script;

import java.util.List;

/**
 * How one script went.
 *
 * @param script       the script
 * @param failure      the failed step, or null when every step passed
 * @param stepsPassed  steps that passed (all of them when {@code failure} is null)
 * @param virtualNanos virtual time of all the script's boots together
 * @param instructions guest instructions of all the script's boots together
 * @param log          the script's part of the log, exactly as printed
 */
public record ScriptResult(Script script, Failure failure, int stepsPassed, long virtualNanos, long instructions,
        String log) {

    public boolean passed() {
        return failure == null;
    }

    /**
     * A failed step.
     *
     * @param number    1-based step number
     * @param step      the step
     * @param expected  what the step waited for, with its budget
     * @param got       what happened instead
     * @param lastLines the last console lines, with their virtual timestamps (and the unfinished line, if any)
     */
    public record Failure(int number, ScriptStep step, String expected, String got, List<String> lastLines) {
    }
}
