package jx86.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jx86.harness.TestGuests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scripts run on the harness tests' hand-assembled guests, whose output and timing are known by
 * construction: the ticker prints "boot", then "tick" after every DELAY LOOP iterations (one
 * instruction, one cycle, 10 virtual ns each) and exits with 7; the echo guest prints "ready" and
 * echoes what it receives, exiting with 'q'.
 */
class ScriptRunnerTest {
    private static final int DELAY = 100_000;

    @TempDir
    Path dir;

    private ScriptResult run(Path kernel, String steps) throws ScriptError {
        return run(kernel, steps, false, new ArrayList<>());
    }

    private ScriptResult run(Path kernel, String steps, boolean showConsole, List<String> printed) throws ScriptError {
        Script s = ScriptParser.parse(dir.resolve("t.jx86"), "kernel " + kernel + "\nmemory 4\n" + steps);
        return new ScriptRunner(s, new ScriptRunner.Machine(kernel, "", List.of(), List.of(), 4), showConsole,
                printed::add).run();
    }

    private Path ticker(int ticks) throws IOException {
        return TestGuests.ticker(dir, "ticker.elf", ticks, DELAY);
    }

    @Test
    void passingScript_logsALinePerStep_andThePassLine() throws Exception {
        List<String> printed = new ArrayList<>();
        ScriptResult r = run(ticker(3), """
                expect /^boot$/ within 1s
                expect /^tick$/ within 2M instructions
                expect "tick" within 5ms
                expect-exit 7
                """, false, printed);
        assertThat(r.passed()).isTrue();
        assertThat(r.stepsPassed()).isEqualTo(4);
        List<String> log = r.log().lines().toList();
        assertThat(log).isEqualTo(printed);                 // streamed and kept alike
        assertThat(log.get(0)).isEqualTo("# t (" + dir.resolve("t.jx86") + ")");
        assertThat(log.get(1)).matches("ok 1 expect /\\^boot\\$/ within 1s \\(0\\.000 s virtual of 1 s\\)");
        // one DELAY of LOOPs plus the printing: a little over 100,000 instructions
        assertThat(log.get(2)).matches("ok 2 expect /\\^tick\\$/ within 2M instructions"
                + " \\(100,\\d{3} instructions of 2,000,000 instructions\\)");
        assertThat(log.get(3)).matches("ok 3 expect \"tick\" within 5ms \\(0\\.001 s virtual of 5 ms\\)");
        assertThat(log.get(4)).matches("ok 4 expect-exit 7 \\(0\\.001 s virtual of 10 s\\)");
        assertThat(log.get(5)).matches("PASS t: 4 steps, 0\\.003 s virtual, 300,\\d{3} instructions");
        assertThat(log).hasSize(6);
        assertThat(r.instructions()).isBetween(3L * DELAY, 3L * DELAY + 500);
    }

    @Test
    void budgetInVirtualTimeExceeded_failsWithWhatWasExpectedAndTheLastLines() throws Exception {
        ScriptResult r = run(TestGuests.spinner(dir, "spin.elf"), """
                expect /^spinning$/
                expect /never printed/ within 5ms
                expect-exit 0
                send "x"
                """);
        assertThat(r.passed()).isFalse();
        ScriptResult.Failure f = r.failure();
        assertThat(f.number()).isEqualTo(2);
        assertThat(f.step().line()).isEqualTo(4);
        assertThat(f.expected()).isEqualTo("a console line matching /never printed/ within 5 ms virtual");
        assertThat(f.got()).matches("nothing matched before the budget ran out \\(0\\.005 s virtual of 5 ms,"
                + " at 0\\.005 s virtual since power-on\\)");
        assertThat(f.lastLines()).hasSize(1).first().asString().matches("\\[   0\\.0000\\d\\d\\] spinning");
        // 5 ms at 100 MHz: 500,000 one-cycle instructions
        assertThat(r.instructions()).isBetween(500_000L, 500_100L);
        assertThat(r.log().lines().toList()).containsSubsequence(
                "not ok 2 expect /never printed/ within 5ms (line 4)",
                "#   expected: a console line matching /never printed/ within 5 ms virtual",
                "#   last console lines:",
                "# steps 3-4 not run");
        assertThat(r.log().lines().toList()).last().asString()
                .startsWith("FAIL t: step 2 of 4 failed (line 4), 0.005 s virtual, 500,");
    }

    @Test
    void budgetInInstructions_countsGuestInstructions() throws Exception {
        ScriptResult r = run(TestGuests.spinner(dir, "spin.elf"), "expect /never/ within 300k instructions\n");
        assertThat(r.failure().got()).startsWith("nothing matched before the budget ran out (300,000 instructions of"
                + " 300,000 instructions, at 0.003 s virtual since power-on)");
    }

    @Test
    void theRunEndingBeforeAMatch_isAFailureNamingTheEvent() throws Exception {
        ScriptResult r = run(TestGuests.haltForever(dir, "halt.elf"), "expect /never/\n");
        assertThat(r.failure().got()).matches("the run ended: halted with interrupts disabled at 0\\.000 s virtual");
        assertThat(r.failure().lastLines()).hasSize(1).first().asString().endsWith("] bye");

        ScriptResult wrongValue = run(ticker(1), "expect-exit 3\n");
        assertThat(wrongValue.failure().expected())
                .isEqualTo("the run to end through the exit port with value 3 within 10 s virtual");
        assertThat(wrongValue.failure().got()).matches(
                "the run ended: the guest exited with value 7 through port 0xf4 at 0\\.001 s virtual");
    }

    @Test
    void expectEnd_checksTheMachineEvent() throws Exception {
        Path triple = TestGuests.tripleFault(dir, "triple.elf");
        assertThat(run(triple, "expect /^about to fault$/\nexpect-end triple-fault\n").passed()).isTrue();
        ScriptResult halted = run(triple, "expect-end halted within 1s\n");
        assertThat(halted.failure().expected()).isEqualTo(
                "the run to end: halted with interrupts disabled within 1 s virtual");
        assertThat(halted.failure().got()).startsWith("the run ended: triple fault: the processor shut down at ");
        ScriptResult running = run(TestGuests.spinner(dir, "spin.elf"), "expect-end halted within 2ms\n");
        assertThat(running.failure().got()).startsWith("nothing matched before the budget ran out (0.002 s virtual of 2 ms");
    }

    @Test
    void prompt_matchesTheUnfinishedLine_andEachPromptStepWaitsForANewOne() throws Exception {
        Path echo = TestGuests.echo(dir, "echo.elf");
        ScriptResult r = run(echo, """
                expect /^ready$/
                send-raw "ab"
                prompt "ab" within 1ms
                send-raw "c\\nab"
                prompt "ab" within 1ms
                expect /^abc$/ within 1ms
                """);
        // the second prompt needs the newline after "abc": the "ab" already matched does not count,
        // and the cursor is past "abc" once the new prompt has been seen
        assertThat(r.failure()).isNotNull();
        assertThat(r.failure().number()).isEqualTo(6);
        assertThat(r.failure().lastLines()).containsSubsequence("(unfinished) ab");
        assertThat(r.failure().lastLines().get(1)).endsWith("] abc");

        ScriptResult again = run(echo, """
                expect /^ready$/
                send-raw "ab"
                prompt "ab" within 1ms
                prompt "ab" within 1ms
                """);
        assertThat(again.failure().number()).isEqualTo(4);
        assertThat(again.failure().expected()).isEqualTo("a prompt ending in \"ab\" within 1 ms virtual");
        assertThat(again.failure().got()).startsWith("nothing matched before the budget ran out (0.001 s virtual of 1 ms");

        ScriptResult quit = run(echo, "expect /^ready$/\nsend-raw \"xq\"\nexpect-exit 113 within 1ms\n");
        assertThat(quit.passed()).isTrue();
    }

    @Test
    void expect_readsTheConsoleForward() throws Exception {
        ScriptResult r = run(ticker(2), "expect /tick/\nexpect /^boot$/\n");
        assertThat(r.failure().number()).isEqualTo(2);
        assertThat(r.failure().got()).startsWith("the run ended: the guest exited with value 7");
    }

    @Test
    void afterTheEnd_printedLinesCanStillBeExpected_butNothingCanBeSent() throws Exception {
        ScriptResult r = run(ticker(2), """
                expect-exit 7
                expect /^boot$/
                expect /^tick$/
                expect /^tick$/
                expect-exit 7
                send "hello"
                """);
        assertThat(r.stepsPassed()).isEqualTo(5);
        assertThat(r.log()).contains("ok 2 expect /^boot$/ (line printed before the end)",
                "ok 5 expect-exit 7 (had already ended)");
        assertThat(r.failure().expected()).isEqualTo("a running machine to read the input");
        assertThat(r.failure().got()).startsWith("the run had already ended: the guest exited with value 7");
    }

    @Test
    void reboot_bootsTheMachineAgain() throws Exception {
        ScriptResult once = run(ticker(2), "expect-exit 7\n");
        ScriptResult r = run(ticker(2), """
                expect /^tick$/
                reboot
                expect /^boot$/
                expect /^tick$/
                expect /^tick$/
                expect-exit 7
                """);
        assertThat(r.passed()).isTrue();
        assertThat(r.log()).contains("ok 2 reboot (powered on again, same disks)");
        // the first boot stopped after one tick, the second ran to the end
        assertThat(r.instructions()).isBetween(once.instructions() + DELAY, once.instructions() + DELAY + 200);
    }

    @Test
    void showConsole_logsEveryLineWithItsVirtualTime() throws Exception {
        ScriptResult r = run(ticker(1), "expect-exit 7\n", true, new ArrayList<>());
        List<String> log = r.log().lines().toList();
        assertThat(log.get(1)).isEqualTo("#   | [   0.000000] boot");
        assertThat(log.get(2)).matches("#   \\| \\[   0\\.00100\\d\\] tick");     // 100,0xx cycles of 10 ns
        assertThat(log.get(3)).isEqualTo("ok 1 expect-exit 7 (0.001 s virtual of 10 s)");
        assertThat(log.get(4)).startsWith("PASS t: 1 step, ");
    }

    @Test
    void theSameScript_givesTheSameLog() throws Exception {
        Path echo = TestGuests.echo(dir, "echo.elf");
        String steps = "expect /^ready$/\nsend-raw \"one\\ntwo\\n\"\nexpect /two/ within 1ms\nexpect /three/ within 2ms\n";
        ScriptResult a = run(echo, steps, true, new ArrayList<>());
        ScriptResult b = run(echo, steps, true, new ArrayList<>());
        assertThat(a.passed()).isFalse();
        assertThat(b.log()).isEqualTo(a.log());
        assertThat(b.instructions()).isEqualTo(a.instructions());
    }

    @Test
    void aMachineThatCannotBeBuilt_failsTheScript_andTheOthersGoOn() throws Exception {
        Path missing = dir.resolve("gone.img");
        Script s = ScriptParser.parse(dir.resolve("t.jx86"), "machine gone.img\nexpect /x/\nexpect /y/\n");
        ScriptResult r = new ScriptRunner(s, new ScriptRunner.Machine(null, "", List.of(), List.of(missing), 4), false,
                l -> { }).run();
        assertThat(r.failure().number()).isEqualTo(1);
        assertThat(r.failure().expected()).isEqualTo("the machine to boot");
        assertThat(r.failure().got()).startsWith("jx86 could not: java.nio.file.NoSuchFileException: " + missing);
        assertThat(r.log().lines().toList()).containsSubsequence("not ok 1 expect /x/ (line 2)", "#   no console output",
                "# step 2 not run");
    }

    @Test
    void guestControlCharacters_areEscapedInTheLog() {
        assertThat(ScriptRunner.printable("a\u001b[31mb\u0007\tc\u007f")).isEqualTo("a\\x1b[31mb\\x07\tc\\x7f");
    }
}
