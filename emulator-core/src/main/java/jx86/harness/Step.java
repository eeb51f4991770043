package jx86.harness;

import jx86.machine.MachineEvent;

/**
 * Why a {@link Harness} step returned.
 *
 * @param kind  what happened
 * @param line  the matching line ({@link Kind#MATCHED}); null otherwise
 * @param event the machine event that ended the run ({@link Kind#ENDED}); null otherwise
 */
public record Step(Kind kind, ConsoleLine line, MachineEvent event) {
    /** What ended a step. */
    public enum Kind {
        /** A line (or the prompt) the step waited for appeared; the machine can go on. */
        MATCHED,
        /** The step's virtual-time budget ran out first; the machine can go on. */
        BUDGET,
        /** The machine's run ended (see {@link Step#event}); nothing more will run. */
        ENDED
    }

    public boolean matched() {
        return kind == Kind.MATCHED;
    }

    public boolean ended() {
        return kind == Kind.ENDED;
    }
}
