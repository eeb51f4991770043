package jx86.demo;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides a run's {@link Outcome} from its console lines and how its machine ended, by a
 * scenario's rules and nothing else: the first line matching a {@link Rule} decides; without one,
 * the end decides (triple fault or reset, watchdog, halt with interrupts off); a run that reached
 * its duration survived only if the canary reported progress after the buggy component started.
 * Everything else is {@link Outcome#UNCLASSIFIED}, with the reason.
 *
 * @param rules    decisive lines, in no particular order (the earliest line wins)
 * @param loaded   the line that says the buggy component runs
 * @param progress a canary progress line
 */
public record Classifier(List<Rule> rules, Pattern loaded, Pattern progress) {

    public Classification classify(List<String> lines, RunEnd end) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            for (Rule r : rules) {
                if (r.pattern().matcher(line).find()) {
                    return new Classification(r.outcome(), line, i);
                }
            }
        }
        return switch (end) {
            case TRIPLE_FAULT -> new Classification(Outcome.TRIPLE_FAULT, "triple fault: the processor shut down", -1);
            case RESET -> new Classification(Outcome.TRIPLE_FAULT, "the machine reset itself", -1);
            case WATCHDOG -> new Classification(Outcome.HANG,
                    "no console progress and no address-space switch for the hang time", -1);
            case HALTED_FOREVER -> new Classification(Outcome.HANG,
                    "halted with interrupts off without a panic line", -1);
            case DURATION -> survivedOrNot(lines);
            case DECISIVE_LINE -> new Classification(Outcome.UNCLASSIFIED, "stopped at a line no rule matches", -1);
            case EXIT_PORT -> new Classification(Outcome.UNCLASSIFIED, "the guest powered off", -1);
            case OTHER -> new Classification(Outcome.UNCLASSIFIED, "the run was cut off (instruction limit or stop)", -1);
        };
    }

    private Classification survivedOrNot(List<String> lines) {
        int loadedAt = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (loadedAt < 0 && loaded.matcher(lines.get(i)).find()) {
                loadedAt = i;
            } else if (loadedAt >= 0 && progress.matcher(lines.get(i)).find()) {
                return new Classification(Outcome.SURVIVED, "the duration passed; last progress: " + lastProgress(lines), -1);
            }
        }
        return new Classification(Outcome.UNCLASSIFIED, loadedAt < 0
                ? "the buggy component never reported that it started"
                : "no canary progress after the buggy component started", -1);
    }

    private String lastProgress(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (progress.matcher(lines.get(i)).find()) {
                return lines.get(i);
            }
        }
        return "";
    }
}
