package jx86.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The classifier on hand-written console transcripts (test resources, shaped like real runs'
 * output): one or more per outcome class, including unclassifiable runs. Each file's header says
 * how the machine ended and what the verdict must be.
 */
class ClassifierTest {
    private static final Pattern STAMP = Pattern.compile("^\\[\\s*\\d+\\.\\d+\\] ?(.*)$");

    /**
     * The microkernel and vmm scenarios do not exist yet; these rules have the shape they will have
     * (a line from the restarter, a line from the hypervisor), to show the two classes are decided
     * the same way.
     */
    private static final Map<String, Classifier> EXAMPLES = Map.of(
            "example-microkernel", new Classifier(List.of(
                    Rule.of("^rs: driver \\S+ died.*restarted", Outcome.RESTARTED),
                    Rule.of("^canary: CORRUPT", Outcome.CORRUPTED),
                    Rule.of("^panic: ", Outcome.PANIC)),
                    Pattern.compile("^rs: started memcorrupt"), Pattern.compile("^canary: ok")),
            "example-vmm", new Classifier(List.of(
                    Rule.of("^vmm: vm0 stopped.*vm1 runs on", Outcome.VM_FAILED),
                    Rule.of("^vm1: canary: CORRUPT", Outcome.CORRUPTED),
                    Rule.of("^panic: ", Outcome.PANIC)),
                    Pattern.compile("^vmm: vm0 and vm1 started"), Pattern.compile("^vm1: canary: ok")));

    static final String[] TRANSCRIPTS = {
        "survived", "survived-shell-died", "corrupted", "corrupted-worker-killed", "panic",
        "panic-after-corrupt-line-order", "triple-fault", "reset", "hang-watchdog", "hang-halted",
        "unclassified-no-progress", "unclassified-never-loaded", "unclassified-poweroff", "restarted", "vm-failed",
    };

    record Transcript(String name, RunEnd end, String expect, String reason, String classifier, List<String> lines) {
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
            for (String line : text.split("\n", -1)) {
                if (line.startsWith("# end: ")) {
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
            return new Transcript(name, end, expect, reason, classifier, lines);
        }
    }

    static Stream<String> transcripts() {
        return Stream.of(TRANSCRIPTS);
    }

    @ParameterizedTest
    @MethodSource("transcripts")
    void eachTranscript_getsItsDocumentedOutcome(String name) throws IOException {
        Transcript t = load(name);
        Classifier c = t.classifier().equals("monolithic") ? new MonolithicScenario().classifier()
                : EXAMPLES.get(t.classifier());
        Classification verdict = c.classify(t.lines(), t.end());
        assertThat(verdict.outcome().label()).as(name).isEqualTo(t.expect());
        assertThat(verdict.reason()).as(name).contains(t.reason());
        if (verdict.lineIndex() >= 0) {
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
