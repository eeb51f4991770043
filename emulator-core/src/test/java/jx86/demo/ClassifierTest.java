package jx86.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jx86.machine.MachineEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The classifier on hand-written console transcripts (test resources, shaped like real runs'
 * output): one or more per outcome class, including unclassifiable runs. Each file's header says
 * how the machine ended and what the verdict must be; "# classifier: microkernel" and "vmm" go to
 * those scenarios' classification, the rest to the monolith's rules.
 */
class ClassifierTest {
    private static final Pattern STAMP = Pattern.compile("^\\[\\s*\\d+\\.\\d+\\] ?(.*)$");

    static final String[] TRANSCRIPTS = {
        "survived", "survived-shell-died", "corrupted", "corrupted-worker-killed", "panic",
        "panic-after-corrupt-line-order", "triple-fault", "reset", "hang-watchdog", "hang-halted",
        "unclassified-no-progress", "unclassified-never-loaded", "unclassified-poweroff", "restarted", "vm-failed",
        "mk-left-dead", "mk-survived", "mk-other-died", "mk-kernel-killed", "mk-no-shell", "mk-no-progress", "mk-panic",
        "mk-corrupted-split",
        "vmm-vm-failed-killed", "vmm-vm-failed-halted", "vmm-corrupted", "vmm-survived", "vmm-both-failed",
        "vmm-checksum-changed", "vmm-vm1-unfinished",
    };

    /**
     * @param event    the machine's event (vmm transcripts: "# event: EXIT_PORT")
     * @param exit     the exit-port value ("# exit: 0")
     * @param line     the deciding console line when it is not the reason itself ("# line: ...")
     * @param com2     what VM 1 wrote to COM2 (the lines after "# COM2")
     */
    record Transcript(String name, RunEnd end, String expect, String reason, String classifier, List<String> lines,
            MachineEvent event, int exit, String line, String com2) {
    }

    static Transcript load(String name) throws IOException {
        try (InputStream in = ClassifierTest.class.getResourceAsStream("transcripts/" + name + ".txt")) {
            assertThat(in).as("transcript " + name).isNotNull();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            RunEnd end = null;
            String expect = null;
            String reason = null;
            String classifier = "monolithic";
            List<String> lines = new ArrayList<>();
            MachineEvent event = null;
            int exit = 0;
            String deciding = null;
            StringBuilder com2 = null;
            for (String line : text.split("\n", -1)) {
                if (line.equals("# COM2")) {
                    com2 = new StringBuilder();
                } else if (com2 != null) {
                    com2.append(line).append('\n');
                } else if (line.startsWith("# event: ")) {
                    event = MachineEvent.valueOf(line.substring(9).trim());
                } else if (line.startsWith("# exit: ")) {
                    exit = Integer.parseInt(line.substring(8).trim());
                } else if (line.startsWith("# line: ")) {
                    deciding = line.substring(8);
                } else if (line.startsWith("# end: ")) {
                    end = RunEnd.valueOf(line.substring(7).trim());
                } else if (line.startsWith("# expect: ")) {
                    expect = line.substring(10).trim();
                } else if (line.startsWith("# reason: ")) {
                    reason = line.substring(10).trim();
                } else if (line.startsWith("# classifier: ")) {
                    classifier = line.substring(14).trim();
                } else if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                } else {
                    Matcher m = STAMP.matcher(line);
                    lines.add(m.matches() ? m.group(1) : line);
                }
            }
            return new Transcript(name, end, expect, reason, classifier, lines, event, exit, deciding,
                    com2 == null ? "" : com2.toString());
        }
    }

    static Stream<String> transcripts() {
        return Stream.of(TRANSCRIPTS);
    }

    @ParameterizedTest
    @MethodSource("transcripts")
    void eachTranscript_getsItsDocumentedOutcome(String name) throws IOException {
        Transcript t = load(name);
        Classification verdict;
        if (t.classifier().equals("vmm")) {
            assertThat(t.event()).as(name + ": # event").isNotNull();
            verdict = VmmScenario.classify(t.lines(), t.com2(), t.end(), t.event(), t.exit());
        } else if (t.classifier().equals("microkernel")) {
            verdict = MicrokernelScenario.classify(t.lines(), t.end());
        } else {
            assertThat(t.classifier()).as(name + ": # classifier").isEqualTo("monolithic");
            verdict = new MonolithicScenario().classifier().classify(t.lines(), t.end());
        }
        assertThat(verdict.outcome().label()).as(name).isEqualTo(t.expect());
        assertThat(verdict.reason()).as(name).contains(t.reason());
        if (t.line() != null) {
            assertThat(verdict.lineIndex()).as(name + ": deciding line").isNotNegative();
            assertThat(t.lines().get(verdict.lineIndex())).isEqualTo(t.line());
        } else if (verdict.lineIndex() >= 0) {
            assertThat(t.lines().get(verdict.lineIndex())).isEqualTo(verdict.reason());
        }
    }

    @Test
    void everyOutcomeClass_hasATranscript() throws IOException {
        List<String> seen = new ArrayList<>();
        for (String name : TRANSCRIPTS) {
            seen.add(load(name).expect());
        }
        for (Outcome o : Outcome.values()) {
            assertThat(seen).as("a transcript for " + o).contains(o.label());
        }
    }

    @Test
    void theDecidingLine_isTheEarliest_notTheFirstRule() {
        Classifier c = new MonolithicScenario().classifier();
        Classification v = c.classify(List.of("memcorrupt: 8 words every 1 s over 32768 KiB of RAM, seed 1",
                "canary: CORRUPT /canary.0", "panic: later"), RunEnd.DECISIVE_LINE);
        assertThat(v.outcome()).isEqualTo(Outcome.CORRUPTED);
        assertThat(v.lineIndex()).isEqualTo(1);
    }
}
