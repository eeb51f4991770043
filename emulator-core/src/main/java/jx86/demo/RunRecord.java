package jx86.demo;

import java.util.List;

/**
 * One finished crash-demo run.
 *
 * @param spec           what ran
 * @param outcome        the class
 * @param reason         the deciding line or event (see {@link Classification})
 * @param end            what ended the machine
 * @param outcomeSeconds virtual seconds from the component's start to the end of the run
 * @param bursts         bursts the component reported
 * @param story          the run's log: bursts and what they hit, the deciding line, a symbolized backtrace
 * @param lastLines      the last console lines (for unclassified runs and the live view)
 * @param instructions   guest instructions
 * @param cycles         virtual cycles
 * @param wallMillis     host wall time of the run
 */
public record RunRecord(RunSpec spec, Outcome outcome, String reason, RunEnd end, double outcomeSeconds,
        int bursts, List<String> story, List<String> lastLines, long instructions, long cycles, long wallMillis) {

    /** This record without its wall time: what must be identical when the same run is repeated. */
    public RunRecord withoutWallTime() {
        return new RunRecord(spec, outcome, reason, end, outcomeSeconds, bursts, story, lastLines, instructions,
                cycles, 0);
    }
}
