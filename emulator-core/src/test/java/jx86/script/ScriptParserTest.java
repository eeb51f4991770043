package jx86.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import jx86.machine.MachineEvent;
import org.junit.jupiter.api.Test;

/** The script format: settings, each step's operands and budget, and a file:line message for every mistake. */
class ScriptParserTest {
    private static final Path FILE = Path.of("scripts/demo.jx86");

    private static Script parse(String text) throws ScriptError {
        return ScriptParser.parse(FILE, text);
    }

    /** The message of the ScriptError that parsing {@code text} throws. */
    private static String error(String text) {
        try {
            parse(text);
        } catch (ScriptError e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for:\n" + text);
    }

    @Test
    void settingsAndSteps_areReadInOrder() throws ScriptError {
        Script s = parse("""
                # a comment
                name boot to the shell
                machine monolithic
                memory 64
                budget 3s

                expect /^booted$/
                  # indented comment
                prompt "/$ " within 250ms
                send "echo hi"
                send-raw "q\\x01\\r\\n\\t\\e\\0\\\\\\""
                expect "a.b" within 20M instructions
                expect /HELLO/i within 1_500 insns
                expect-exit 0x2a within 1.5s
                reboot
                expect-end triple-fault within 2min
                """);
        assertThat(s.name()).isEqualTo("boot to the shell");
        assertThat(s.machine().image()).isEqualTo(new Script.Setting("monolithic", 3));
        assertThat(s.machine().kernel()).isNull();
        assertThat(s.machine().memoryMiB()).isEqualTo(64);
        assertThat(s.steps()).hasSize(9);

        var expect = (ScriptStep.Expect) s.steps().get(0);
        assertThat(expect.line()).isEqualTo(7);
        assertThat(expect.source()).isEqualTo("expect /^booted$/");
        assertThat(expect.pattern().matcher("booted").find()).isTrue();
        assertThat(expect.pattern().matcher("not booted").find()).isFalse();
        assertThat(expect.budget()).isEqualTo(Budget.ofSeconds(3));          // the script's default

        var prompt = (ScriptStep.Prompt) s.steps().get(1);
        assertThat(prompt.line()).isEqualTo(9);
        assertThat(prompt.text()).isEqualTo("/$ ");
        assertThat(prompt.budget()).isEqualTo(Budget.ofNanos(250_000_000L));

        assertThat(((ScriptStep.Send) s.steps().get(2)).bytes()).isEqualTo("echo hi\r");
        assertThat(((ScriptStep.Send) s.steps().get(3)).bytes()).isEqualTo("q\u0001\r\n\t\u001b\0\\\"");

        var literal = (ScriptStep.Expect) s.steps().get(4);
        assertThat(literal.pattern().matcher("xa.by").find()).isTrue();
        assertThat(literal.pattern().matcher("axb").find()).isFalse();      // quoted text is not a regex
        assertThat(literal.budget()).isEqualTo(Budget.ofInstructions(20_000_000L));

        var ignoreCase = (ScriptStep.Expect) s.steps().get(5);
        assertThat(ignoreCase.pattern().matcher("say hello").find()).isTrue();
        assertThat(ignoreCase.budget()).isEqualTo(Budget.ofInstructions(1500));

        var exit = (ScriptStep.ExpectExit) s.steps().get(6);
        assertThat(exit.value()).isEqualTo(42);
        assertThat(exit.budget()).isEqualTo(Budget.ofNanos(1_500_000_000L));
        assertThat(s.steps().get(7)).isEqualTo(new ScriptStep.Reboot(15, "reboot"));
        var end = (ScriptStep.ExpectEnd) s.steps().get(8);
        assertThat(end.event()).isEqualTo(MachineEvent.TRIPLE_FAULT);
        assertThat(end.budget()).isEqualTo(Budget.ofSeconds(120));
    }

    @Test
    void defaults_nameFromTheFile_128MiB_tenSecondBudgets() throws ScriptError {
        Script s = parse("kernel k.elf\nmodule a.bin\nmodule b.bin\nappend console=ttyS0 x=1\ndisk d.img\nexpect /x/\n");
        assertThat(s.name()).isEqualTo("demo");
        assertThat(s.machine().memoryMiB()).isEqualTo(128);
        assertThat(s.machine().kernel()).isEqualTo(new Script.Setting("k.elf", 1));
        assertThat(s.machine().modules()).extracting(Script.Setting::value).containsExactly("a.bin", "b.bin");
        assertThat(s.machine().append()).isEqualTo(new Script.Setting("console=ttyS0 x=1", 4));
        assertThat(s.machine().disks()).containsExactly(new Script.Setting("d.img", 5));
        assertThat(((ScriptStep.Expect) s.steps().get(0)).budget()).isEqualTo(Budget.ofSeconds(10));
    }

    @Test
    void regex_slashesAndBackslashes() throws ScriptError {
        var e = (ScriptStep.Expect) parse("machine m\nexpect /^a\\/b \\d+\\$ $/\n").steps().get(0);
        assertThat(e.pattern().matcher("a/b 12$ ").find()).isTrue();
        assertThat(e.pattern().matcher("a/b x$ ").find()).isFalse();
    }

    @Test
    void crlfLineEnds_areAccepted() throws ScriptError {
        Script s = parse("machine m\r\nexpect /x/\r\nsend \"y\"\r\n");
        assertThat(s.steps()).hasSize(2);
        assertThat(((ScriptStep.Send) s.steps().get(1)).bytes()).isEqualTo("y\r");
    }

    @Test
    void snapshotAndRestore_areNotSupportedYet() {
        assertThat(error("machine m\nexpect /x/\nsnapshot booted\n"))
                .startsWith("scripts/demo.jx86:3: snapshot is not supported by this machine yet");
        assertThat(error("machine m\nrestore booted\n"))
                .startsWith("scripts/demo.jx86:2: restore is not supported by this machine yet");
    }

    @Test
    void mistakes_nameTheFileAndLine() {
        assertThat(error("machine m\n\nexpct /x/\n")).startsWith("scripts/demo.jx86:3: unknown step 'expct'");
        assertThat(error("expect /x/\n")).isEqualTo(
                "scripts/demo.jx86:1: no machine: give 'machine IMAGE' or 'kernel ELF' before the first step");
        assertThat(error("machine m\n# only a comment\n")).startsWith("scripts/demo.jx86:1: no steps");
        assertThat(error("machine m\nexpect /x/\nmemory 64\n"))
                .isEqualTo("scripts/demo.jx86:3: 'memory' is a setting: settings come before the first step");
        assertThat(error("machine a\nmachine b\n")).isEqualTo("scripts/demo.jx86:2: 'machine' given twice");
        assertThat(error("machine\n")).isEqualTo("scripts/demo.jx86:1: 'machine' needs a value");
        assertThat(error("machine m\nmemory 1\n")).isEqualTo("scripts/demo.jx86:2: memory 1: must be between 2 and 3072 MiB");
        assertThat(error("machine m\nmemory lots\n")).startsWith("scripts/demo.jx86:2: memory lots: expected MiB");
        assertThat(error("machine m\nexpect x\n")).isEqualTo("scripts/demo.jx86:2: expect: expected /REGEX/ or \"TEXT\"");
        assertThat(error("machine m\nexpect /x(/\n")).startsWith("scripts/demo.jx86:2: bad regex /x(/: ");
        assertThat(error("machine m\nexpect /abc\n")).isEqualTo("scripts/demo.jx86:2: unterminated regex: a closing / is missing");
        assertThat(error("machine m\nexpect /a/g\n"))
                .isEqualTo("scripts/demo.jx86:2: unexpected 'g' after the regex (the only flag is i)");
        assertThat(error("machine m\nexpect //\n")).isEqualTo("scripts/demo.jx86:2: empty regex");
        assertThat(error("machine m\nsend \"abc\n")).isEqualTo("scripts/demo.jx86:2: unterminated string: a closing \" is missing");
        assertThat(error("machine m\nsend \"a\\qb\"\n")).startsWith("scripts/demo.jx86:2: unknown escape \\q");
        assertThat(error("machine m\nsend \"\\x4\"\n")).isEqualTo("scripts/demo.jx86:2: \\x needs two hex digits");
        assertThat(error("machine m\nsend \"caf\u00e9\u20ac\"\n")).startsWith("scripts/demo.jx86:2: character U+20AC is not one byte");
        assertThat(error("machine m\nsend \"x\" within 1s\n")).isEqualTo("scripts/demo.jx86:2: unexpected 'within 1s'");
        assertThat(error("machine m\nsend ls\n")).isEqualTo("scripts/demo.jx86:2: send: expected \"TEXT\"");
        assertThat(error("machine m\nprompt \"\"\n")).startsWith("scripts/demo.jx86:2: prompt: the text must be non-empty");
        assertThat(error("machine m\nprompt $\n")).startsWith("scripts/demo.jx86:2: prompt: expected \"TEXT\"");
        assertThat(error("machine m\nexpect /x/ in 5s\n")).startsWith("scripts/demo.jx86:2: unexpected 'in'");
        assertThat(error("machine m\nexpect-exit\n")).isEqualTo("scripts/demo.jx86:2: missing operand");
        assertThat(error("machine m\nexpect-exit -1\n")).startsWith("scripts/demo.jx86:2: expect-exit -1: expected the exit-port value");
        assertThat(error("machine m\nexpect-end exit-port\n"))
                .endsWith("(an exit-port value is checked with expect-exit N)");
        assertThat(error("machine m\nexpect-end melted\n"))
                .isEqualTo("scripts/demo.jx86:2: expect-end melted: expected one of triple-fault, halted, reset");
        assertThat(error("machine m\nreboot now\n")).isEqualTo("scripts/demo.jx86:2: unexpected 'now'");
    }

    @Test
    void budgets_mustBeAPositiveTimeOrCount() {
        assertThat(error("machine m\nexpect /x/ within 5 parsecs\n")).isEqualTo("scripts/demo.jx86:2: budget '5 parsecs':"
                + " expected virtual time (5s, 250ms, 1.5s, 2min) or a count (20M instructions)");
        assertThat(error("machine m\nexpect /x/ within\n")).startsWith("scripts/demo.jx86:2: budget '': expected");
        assertThat(error("machine m\nexpect /x/ within 0s\n")).startsWith("scripts/demo.jx86:2: budget 0s: must be more than 0");
        assertThat(error("machine m\nexpect /x/ within 2h\n")).startsWith("scripts/demo.jx86:2: budget '2h'");
        assertThat(error("machine m\nexpect /x/ within 61min\n")).contains("at most 3600 s");
        assertThat(error("machine m\nexpect /x/ within 0.5ns\n")).endsWith("finer than a nanosecond");
        assertThat(error("machine m\nexpect /x/ within 0 instructions\n")).endsWith("expected 1 to 10^12 instructions");
        assertThat(error("machine m\nbudget 2G\n")).startsWith("scripts/demo.jx86:2: budget '2G'");
        assertThat(error("machine m\nbudget 1s\nbudget 2s\n")).isEqualTo("scripts/demo.jx86:3: 'budget' given twice");
    }

    @Test
    void budget_printsAsAScriptWouldWriteIt() {
        assertThat(Budget.ofSeconds(10)).hasToString("10 s");
        assertThat(Budget.ofNanos(250_000_000L)).hasToString("250 ms");
        assertThat(Budget.ofNanos(1_500_000_000L)).hasToString("1500 ms");
        assertThat(Budget.ofNanos(7)).hasToString("7 ns");
        assertThat(Budget.ofInstructions(20_000_000L)).hasToString("20,000,000 instructions");
    }

    @Test
    void aFileThatIsNotUtf8_orMissing_isAnError(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path bin = dir.resolve("bin.jx86");
        java.nio.file.Files.write(bin, new byte[] {'m', 'a', (byte) 0xFF, '\n'});
        assertThatThrownBy(() -> ScriptParser.parse(bin)).hasMessage(bin + ":1: not a UTF-8 text file");
        assertThatThrownBy(() -> ScriptParser.parse(dir.resolve("none.jx86"))).hasMessage(dir.resolve("none.jx86") + ": no such file");
    }
}
