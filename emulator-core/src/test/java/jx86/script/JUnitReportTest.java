package jx86.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/** The JUnit XML report: valid against the report's schema shape, with the right counts and the failure's lines. */
public class JUnitReportTest {
    @TempDir
    Path dir;

    /** Validates {@code xml} against src/test/resources/jx86/script/junit.xsd and returns it parsed. */
    public static Document validated(String xml) throws Exception {
        var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(JUnitReportTest.class.getResource("junit.xsd"));
        schema.newValidator().validate(new StreamSource(new StringReader(xml)));
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(xml)));
    }

    private static ScriptResult result(String name, ScriptResult.Failure failure, long nanos, String log) {
        Script s = new Script(Path.of("tests/scripts/" + name + ".jx86"), name,
                new Script.MachineSpec(new Script.Setting("m", 1), null, null, List.of(), List.of(), 128),
                List.of(new ScriptStep.Reboot(2, "reboot")));
        return new ScriptResult(s, failure, failure == null ? 1 : 0, nanos, 1000, log);
    }

    @Test
    void report_hasATestcasePerScript_andAFailureWithTheLastLines() throws Exception {
        var step = new ScriptStep.Expect(7, "expect /^hello$/ within 50ms", java.util.regex.Pattern.compile("^hello$"),
                Budget.ofNanos(50_000_000));
        var failure = new ScriptResult.Failure(3, step, "a console line matching /^hello$/ within 50 ms virtual",
                "nothing matched before the budget ran out", List.of("[   0.015143] /$ echo helo", "[   0.023564] helo",
                "(unfinished) /$ "));
        String xml = JUnitReport.toXml(List.of(
                result("boot", null, 34_000_000L, "ok 1 reboot\n"),
                result("shell", failure, 64_000_000L, "not ok 3 <&> \"q\" 'a'\n"),
                result("power", null, 2_500_000_000L, "")));
        Document doc = validated(xml);

        Element suites = doc.getDocumentElement();
        assertThat(suites.getTagName()).isEqualTo("testsuites");
        assertThat(suites.getAttribute("tests")).isEqualTo("3");
        assertThat(suites.getAttribute("failures")).isEqualTo("1");
        Element suite = (Element) suites.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("name")).isEqualTo("jx86 test");
        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(suite.getAttribute("errors")).isEqualTo("0");
        assertThat(suite.getAttribute("time")).isEqualTo("2.598");          // virtual seconds, summed
        assertThat(suite.getElementsByTagName("testcase").getLength()).isEqualTo(3);
        assertThat(suite.getElementsByTagName("failure").getLength()).isEqualTo(1);

        Element shell = (Element) suite.getElementsByTagName("testcase").item(1);
        assertThat(shell.getAttribute("name")).isEqualTo("shell");
        assertThat(shell.getAttribute("classname")).isEqualTo("tests.scripts.shell");
        assertThat(shell.getAttribute("time")).isEqualTo("0.064");
        Element f = (Element) shell.getElementsByTagName("failure").item(0);
        assertThat(f.getAttribute("type")).isEqualTo("expect");
        assertThat(f.getAttribute("message")).isEqualTo(
                "step 3 (line 7) expect /^hello$/ within 50ms: nothing matched before the budget ran out");
        assertThat(f.getTextContent().lines().toList()).containsExactly(
                "tests/scripts/shell.jx86:7: expect /^hello$/ within 50ms",
                "expected: a console line matching /^hello$/ within 50 ms virtual",
                "got:      nothing matched before the budget ran out",
                "last console lines:",
                "  [   0.015143] /$ echo helo",
                "  [   0.023564] helo",
                "  (unfinished) /$ ");
        assertThat(shell.getElementsByTagName("system-out").item(0).getTextContent())
                .isEqualTo("not ok 3 <&> \"q\" 'a'\n");
        Element boot = (Element) suite.getElementsByTagName("testcase").item(0);
        assertThat(boot.getElementsByTagName("failure").getLength()).isZero();
    }

    @Test
    void charactersXmlCannotHold_areWrittenAsEscapes() throws Exception {
        String xml = JUnitReport.toXml(List.of(result("esc", null, 0, "bell \u0007 nul \0 esc \u001b[0m\n")));
        Document doc = validated(xml);
        assertThat(doc.getElementsByTagName("system-out").item(0).getTextContent())
                .isEqualTo("bell \\x07 nul \\x00 esc \\x1b[0m\n");
    }

    @Test
    void write_replacesTheFileWhole() throws Exception {
        Path out = dir.resolve("report.xml");
        Files.writeString(out, "old contents that are longer than nothing");
        JUnitReport.write(out, List.of(result("boot", null, 1, "")));
        validated(Files.readString(out));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(out);                      // no temporary file left behind
        }
    }

    @Test
    void classname_isTheScriptPathWithDots() {
        assertThat(JUnitReport.classname(Path.of("tests/scripts/monolithic-boot.jx86")))
                .isEqualTo("tests.scripts.monolithic-boot");
        assertThat(JUnitReport.classname(Path.of("").toAbsolutePath().resolve("a/b.jx86"))).isEqualTo("a.b");
    }
}
