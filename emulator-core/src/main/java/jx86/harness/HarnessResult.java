package jx86.harness;

import java.util.List;
import jx86.machine.MachineEvent;

/**
 * How a harnessed run ended.
 *
 * @param event     the machine event that ended it
 * @param exitValue the value written to the exit port (meaningful for {@link MachineEvent#EXIT_PORT})
 * @param counters  the counters at the end
 * @param lines     every complete console line, in order
 * @param tail      output after the last newline (a prompt, or a line cut off by the end)
 */
public record HarnessResult(MachineEvent event, int exitValue, Counters counters, List<ConsoleLine> lines,
        String tail) {

    /** The last {@code n} lines (fewer if the run printed fewer), plus the unfinished tail if any. */
    public List<String> lastLines(int n) {
        List<String> out = new java.util.ArrayList<>();
        for (ConsoleLine l : lines.subList(Math.max(0, lines.size() - n), lines.size())) {
            out.add(l.text());
        }
        if (!tail.isEmpty()) {
            out.add(tail);
        }
        return out;
    }
}
