package jx86.script;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import jx86.host.OutputFile;

/**
 * The JUnit XML report CI systems read (Jenkins, GitLab, GitHub Actions' test reporters): one
 * {@code testsuite} named {@code jx86 test}, one {@code testcase} per script, a {@code failure}
 * with the failed step, what was expected and the last console lines, and the script's log as
 * {@code system-out}. Times are virtual seconds, so the same scripts give the same report.
 */
public final class JUnitReport {
    private JUnitReport() {
    }

    /** Writes the report to {@code file} through a temporary file renamed into place. */
    public static void write(Path file, List<ScriptResult> results) throws IOException {
        byte[] xml = toXml(results).getBytes(StandardCharsets.UTF_8);
        OutputFile.replace(file, (OutputStream out) -> out.write(xml));
    }

    /** The report as a string. */
    public static String toXml(List<ScriptResult> results) {
        long failures = results.stream().filter(r -> !r.passed()).count();
        long nanos = results.stream().mapToLong(ScriptResult::virtualNanos).sum();
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<testsuites name=\"jx86 test\" tests=\"").append(results.size()).append("\" failures=\"")
                .append(failures).append("\" errors=\"0\" time=\"").append(time(nanos)).append("\">\n");
        x.append("  <testsuite name=\"jx86 test\" tests=\"").append(results.size()).append("\" failures=\"")
                .append(failures).append("\" errors=\"0\" skipped=\"0\" time=\"").append(time(nanos)).append("\">\n");
        for (ScriptResult r : results) {
            x.append("    <testcase name=\"").append(escape(r.script().name())).append("\" classname=\"")
                    .append(escape(classname(r.script().file()))).append("\" time=\"")
                    .append(time(r.virtualNanos())).append("\">\n");
            ScriptResult.Failure f = r.failure();
            if (f != null) {
                x.append("      <failure message=\"").append(escape("step " + f.number() + " (line " + f.step().line()
                        + ") " + f.step().source() + ": " + f.got())).append("\" type=\"").append(type(f.step()))
                        .append("\">");
                StringBuilder body = new StringBuilder();
                body.append(r.script().file()).append(':').append(f.step().line()).append(": ")
                        .append(f.step().source()).append('\n');
                body.append("expected: ").append(f.expected()).append('\n');
                body.append("got:      ").append(f.got()).append('\n');
                body.append("last console lines:\n");
                f.lastLines().forEach(l -> body.append("  ").append(l).append('\n'));
                x.append(escape(body.toString())).append("</failure>\n");
            }
            x.append("      <system-out>").append(escape(r.log())).append("</system-out>\n");
            x.append("    </testcase>\n");
        }
        x.append("  </testsuite>\n</testsuites>\n");
        return x.toString();
    }

    /**
     * tests/scripts/monolithic-boot.jx86 -> tests.scripts.monolithic-boot (reporters group by the
     * dotted prefix); a path under the working folder is taken relative to it.
     */
    static String classname(Path file) {
        Path p = file.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        if (p.startsWith(cwd)) {
            p = cwd.relativize(p);
        }
        String s = p.toString().replace('\\', '/').replaceFirst("\\.jx86$", "");
        return s.replaceFirst("^/", "").replace('/', '.');
    }

    private static String type(ScriptStep step) {
        String source = step.source();
        int sp = source.indexOf(' ');
        return sp < 0 ? source : source.substring(0, sp);
    }

    private static String time(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }

    /** XML text: the five special characters escaped; characters XML 1.0 cannot hold as \xHH. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF) {
                        b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
