package jx86.kernel.microkernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jx86.harness.ConsoleLine;
import jx86.harness.Harness;
import jx86.harness.HarnessResult;
import jx86.harness.Step;
import jx86.machine.MachineConfig;
import org.junit.jupiter.api.Test;

/**
 * The shell's answers stay whole lines while other programs write to the same console: the crash
 * demo's setting (canary in the background, the buggy driver dying and being restarted), with
 * {@code echo} typed at many different virtual times. Every write(2) reaches the console driver
 * as one message and is printed whole, so a line written with one write cannot be cut by the
 * canary's lines; echo writes its line with one write. (An echo that wrote word by word had the
 * canary's "canary: ok N" land inside its line: "shell alivecanary: ok 64", which the crash demo
 * took for a shell that never answered.)
 */
class ShellLinesTest {
    private static final String PROMPT = "/$ ";
    /** Lines the servers, the buggy driver and the kernel print at once through the kernel's debug output. */
    private static final Pattern SERVER_LINE = Pattern.compile("(?:memcorrupt|restart|mk|names|root|console|ata|ext2fs"
            + "|posix|sigma0|panic): ");
    private static final int ECHOES = 20;
    private static final int MAX_ECHOES = 80;
    private static final Pattern DIED = Pattern.compile("restart: buggy \\(pid \\d+\\) died: .*; restarted as pid \\d+$");

    @Test
    void echoTypedAroundBuggyDriverRestarts_whileCanaryWrites_answersEveryTimeWithAWholeLine() {
        MachineConfig config = MachineConfig.builder().disk(MultiServerTest.IMAGE).snapshot(true).memoryMiB(32).build();
        try (Harness h = Harness.boot(config)) {
            h.timeLimit(Duration.ofSeconds(60));
            assertThat(h.runUntilPrompt(PROMPT, Duration.ofSeconds(20)).matched()).as("first prompt").isTrue();
            h.send("canary &\r");
            assertThat(h.runUntilPrompt(PROMPT, Duration.ofSeconds(5)).matched()).as("prompt after canary &").isTrue();
            h.send("insmod /sbin/buggy n=4096 period=1 seed=1\r");
            assertThat(h.runUntilPrompt(PROMPT, Duration.ofSeconds(5)).matched()).as("prompt after insmod").isTrue();
            Step loaded = h.runUntil(Pattern.compile("memcorrupt: 4096 words every 1 s"), Duration.ofSeconds(5));
            assertThat(loaded.matched()).as("buggy started").isTrue();
            List<String> expected = new ArrayList<>();
            long firstTyped = 0;
            long lastTyped = 0;
            // at least ECHOES, and on until the driver has died twice since the first (whatever the speed)
            for (int i = 0; i < MAX_ECHOES && (i < ECHOES || deaths(h.lines(), firstTyped) < 2); i++) {
                h.runFor(Duration.ofMillis(37L * i % 100));   // a different phase against the canary each time
                String reply = "reply " + i + " a b c d e f g h";
                expected.add(reply);
                lastTyped = h.virtualNanos();
                firstTyped = i == 0 ? lastTyped : firstTyped;
                h.send("echo " + reply + "\r");
                assertThat(h.runUntilPrompt(PROMPT, Duration.ofSeconds(3)).matched()).as("prompt after echo " + i).isTrue();
            }
            h.runFor(Duration.ofMillis(300));
            h.stop();
            HarnessResult r = h.runToEnd();
            List<String> lines = untangle(r.lines());
            lines.forEach(System.out::println);
            // the echoes were typed before, between and after deaths of the driver, and canary ran on
            long from = firstTyped;
            long to = lastTyped;
            assertThat(deaths(r.lines().stream().filter(l -> l.virtualNanos() < to).toList(), from))
                    .as("deaths of the driver while the echoes were typed").isGreaterThanOrEqualTo(2);
            assertThat(r.lines()).filteredOn(l -> l.virtualNanos() > to).anyMatch(l -> l.text().matches(".*canary: ok \\d+"));
            // every answer is a line of its own, with nothing of another program's output inside it
            assertThat(expected).hasSizeGreaterThanOrEqualTo(ECHOES);
            assertThat(lines).containsSubsequence(expected);
            assertThat(lines).filteredOn(l -> l.startsWith("reply ")).containsExactlyElementsOf(expected);
            assertThat(r.lines()).noneMatch(l -> l.text().contains("CORRUPT") || l.text().contains("panic"));
        }
    }

    /** How many times restart.c reported a death of the buggy driver after virtual time {@code from}. */
    private static long deaths(List<ConsoleLine> lines, long from) {
        return lines.stream().filter(l -> l.virtualNanos() > from && DIED.matcher(l.text()).find()).count();
    }

    /**
     * The console's lines with the servers' lines (kernel debug output, printed at once wherever
     * the console driver is in a line) put on their own and the shell's prompts dropped, as the
     * crash demo's classifier does: "reply 3 a bmemcorrupt: ..." then " c d" gives
     * "memcorrupt: ..." and "reply 3 a b c d". Program output stays as the console printed it.
     */
    private static List<String> untangle(List<ConsoleLine> lines) {
        List<String> out = new ArrayList<>();
        String carry = "";
        for (ConsoleLine line : lines) {
            String s = carry + line.text();
            carry = "";
            Matcher m = SERVER_LINE.matcher(s);
            if (m.find() && m.start() > 0 && !s.substring(0, m.start()).matches("(/\\$ )+")) {
                carry = s.substring(0, m.start());
                s = s.substring(m.start());
            }
            out.add(s.replaceFirst("^(/\\$ )+", ""));
        }
        if (!carry.isEmpty()) {
            out.add(carry);
        }
        return out;
    }
}
