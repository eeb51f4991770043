package jx86.script;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import jx86.machine.MachineEvent;

/**
 * Reads the script format of docs/test-scripts.md: one setting or step a line, {@code #} comment
 * lines, machine settings before the first step. Every mistake is a {@link ScriptError} naming
 * the file and line. A line format rather than YAML: regular expressions and console text are
 * written as they are, without a second layer of quoting, and each step is one line to point at.
 */
public final class ScriptParser {
    private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s|min)");
    private static final Pattern COUNT = Pattern.compile("(\\d[\\d_]*)\\s*([kMG]?)\\s*(?:instructions?|insns?)");
    private static final Map<String, MachineEvent> END_EVENTS = Map.of(
            "triple-fault", MachineEvent.TRIPLE_FAULT,
            "halted", MachineEvent.HALTED_FOREVER,
            "reset", MachineEvent.RESET);
    private static final String STEPS = "expect, prompt, send, send-raw, expect-exit, expect-end, reboot";
    private static final int MAX_BUDGET_SECONDS = 3600;

    private final Path file;
    private int line;
    private String name;
    private Script.Setting image;
    private Script.Setting kernel;
    private Script.Setting append;
    private final List<Script.Setting> modules = new ArrayList<>();
    private final List<Script.Setting> disks = new ArrayList<>();
    private int memoryMiB;
    private Budget defaultBudget;
    private final List<ScriptStep> steps = new ArrayList<>();

    private ScriptParser(Path file) {
        this.file = file;
    }

    /** Reads and parses the script file {@code file}. */
    public static Script parse(Path file) throws ScriptError {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new ScriptError(file, 0, "no such file");
        } catch (CharacterCodingException e) {
            throw new ScriptError(file, 1, "not a UTF-8 text file");
        } catch (IOException e) {
            throw new ScriptError(file, 0, "cannot read: " + e.getMessage());
        }
        return parse(file, text);
    }

    /** Parses {@code text} as the contents of {@code file} (the name is used in messages and for relative paths). */
    public static Script parse(Path file, String text) throws ScriptError {
        return new ScriptParser(file).script(text);
    }

    private Script script(String text) throws ScriptError {
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            line = i + 1;
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int sp = indexOfSpace(l);
            String keyword = sp < 0 ? l : l.substring(0, sp);
            String rest = sp < 0 ? "" : l.substring(sp).strip();
            if (isSetting(keyword)) {
                setting(keyword, rest);
            } else {
                steps.add(step(keyword, rest, l));
            }
        }
        line = 1;
        if (image == null && kernel == null) {
            throw error("no machine: give 'machine IMAGE' or 'kernel ELF' before the first step");
        }
        if (steps.isEmpty()) {
            throw error("no steps: a script needs at least one (" + STEPS + ")");
        }
        String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        String testName = name != null ? name : fileName.replaceFirst("\\.jx86$", "");
        return new Script(file, testName, new Script.MachineSpec(image, kernel, append,
                List.copyOf(modules), List.copyOf(disks), memoryMiB == 0 ? 128 : memoryMiB), List.copyOf(steps));
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isSetting(String keyword) {
        return switch (keyword) {
            case "name", "machine", "kernel", "append", "module", "disk", "memory", "budget" -> true;
            default -> false;
        };
    }

    private void setting(String keyword, String value) throws ScriptError {
        if (!steps.isEmpty()) {
            throw error("'" + keyword + "' is a setting: settings come before the first step");
        }
        if (value.isEmpty() && !keyword.equals("append")) {
            throw error("'" + keyword + "' needs a value");
        }
        switch (keyword) {
            case "name" -> name = once(name, keyword, value);
            case "machine" -> image = once(image, keyword, new Script.Setting(value, line));
            case "kernel" -> kernel = once(kernel, keyword, new Script.Setting(value, line));
            case "append" -> append = once(append, keyword, new Script.Setting(value, line));
            case "module" -> modules.add(new Script.Setting(value, line));
            case "disk" -> disks.add(new Script.Setting(value, line));
            case "memory" -> memory(value);
            case "budget" -> defaultBudget = once(defaultBudget, keyword, budget(value));
            default -> throw new IllegalStateException(keyword);
        }
    }

    private <T> T once(T old, String keyword, T value) throws ScriptError {
        if (old != null) {
            throw error("'" + keyword + "' given twice");
        }
        return value;
    }

    private void memory(String value) throws ScriptError {
        if (memoryMiB != 0) {
            throw error("'memory' given twice");
        }
        String v = value.endsWith("M") ? value.substring(0, value.length() - 1) : value;
        try {
            memoryMiB = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw error("memory " + value + ": expected MiB, e.g. 'memory 64'");
        }
        if (memoryMiB < 2 || memoryMiB > 3072) {
            throw error("memory " + value + ": must be between 2 and 3072 MiB");
        }
    }

    private ScriptStep step(String keyword, String rest, String source) throws ScriptError {
        Cursor c = new Cursor(rest);
        ScriptStep step = switch (keyword) {
            case "expect" -> {
                Pattern p = c.peek() == '/' ? c.regex() : c.peek() == '"' ? Pattern.compile(Pattern.quote(c.string())) : null;
                if (p == null) {
                    throw error("expect: expected /REGEX/ or \"TEXT\"");
                }
                yield new ScriptStep.Expect(line, source, p, within(c));
            }
            case "prompt" -> {
                if (c.peek() != '"') {
                    throw error("prompt: expected \"TEXT\" (the end of the prompt, e.g. prompt \"$ \")");
                }
                String text = c.string();
                if (text.isEmpty() || text.indexOf('\n') >= 0) {
                    throw error("prompt: the text must be non-empty and on one line");
                }
                yield new ScriptStep.Prompt(line, source, text, within(c));
            }
            case "send", "send-raw" -> {
                if (c.peek() != '"') {
                    throw error(keyword + ": expected \"TEXT\"");
                }
                String text = bytes(c.string());
                c.end();
                yield new ScriptStep.Send(line, source, keyword.equals("send") ? text + "\r" : text);
            }
            case "expect-exit" -> {
                int value = exitValue(c.word());
                yield new ScriptStep.ExpectExit(line, source, value, within(c));
            }
            case "expect-end" -> {
                String word = c.word();
                MachineEvent e = END_EVENTS.get(word);
                if (e == null) {
                    throw error("expect-end " + word + ": expected one of triple-fault, halted, reset"
                            + (word.equals("exit-port") ? " (an exit-port value is checked with expect-exit N)" : ""));
                }
                yield new ScriptStep.ExpectEnd(line, source, e, within(c));
            }
            case "reboot" -> {
                c.end();
                yield new ScriptStep.Reboot(line, source);
            }
            case "snapshot", "restore" -> throw error(keyword + " is not supported by this machine yet"
                    + " (jx86 has no machine snapshots; use 'reboot' to start again on the same disks)");
            default -> throw error("unknown step '" + keyword + "' (steps: " + STEPS
                    + "; settings: name, machine, kernel, append, module, disk, memory, budget)");
        };
        return step;
    }

    private Budget within(Cursor c) throws ScriptError {
        if (c.atEnd()) {
            return defaultBudget != null ? defaultBudget : Budget.DEFAULT;
        }
        String w = c.word();
        if (!w.equals("within")) {
            throw error("unexpected '" + w + "' (a step's budget is written 'within 5s' or 'within 2M instructions')");
        }
        return budget(c.rest());
    }

    private Budget budget(String text) throws ScriptError {
        Matcher t = TIME.matcher(text);
        if (t.matches()) {
            BigDecimal n = new BigDecimal(t.group(1));
            BigDecimal nanos = n.multiply(BigDecimal.valueOf(switch (t.group(2)) {
                case "ns" -> 1L;
                case "us" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                default -> 60_000_000_000L;
            }));
            if (nanos.signum() <= 0 || nanos.compareTo(BigDecimal.valueOf(MAX_BUDGET_SECONDS * 1_000_000_000L)) > 0) {
                throw error("budget " + text + ": must be more than 0 and at most " + MAX_BUDGET_SECONDS + " s");
            }
            if (nanos.stripTrailingZeros().scale() > 0) {
                throw error("budget " + text + ": finer than a nanosecond");
            }
            return Budget.ofNanos(nanos.longValueExact());
        }
        Matcher k = COUNT.matcher(text);
        if (k.matches()) {
            long count;
            try {
                count = Math.multiplyExact(Long.parseLong(k.group(1).replace("_", "")), switch (k.group(2)) {
                    case "k" -> 1_000L;
                    case "M" -> 1_000_000L;
                    case "G" -> 1_000_000_000L;
                    default -> 1L;
                });
            } catch (ArithmeticException | NumberFormatException e) {
                count = -1;
            }
            if (count <= 0 || count > 1_000_000_000_000L) {
                throw error("budget " + text + ": expected 1 to 10^12 instructions");
            }
            return Budget.ofInstructions(count);
        }
        throw error("budget '" + text + "': expected virtual time (5s, 250ms, 1.5s, 2min) or a count"
                + " (20M instructions)");
    }

    private int exitValue(String word) throws ScriptError {
        try {
            long v = word.startsWith("0x") ? Long.parseLong(word.substring(2), 16) : Long.parseLong(word);
            if (v < 0 || v > 0xFFFF_FFFFL) {
                throw new NumberFormatException();
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw error("expect-exit " + word + ": expected the exit-port value (0 to 4294967295, or 0x...)");
        }
    }

    private String bytes(String text) throws ScriptError {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                throw error(String.format(Locale.ROOT, "character U+%04X is not one byte: write bytes as \\xHH",
                        (int) text.charAt(i)));
            }
        }
        return text;
    }

    private ScriptError error(String message) {
        return new ScriptError(file, line, message);
    }

    /** Reads the operands of one step. */
    private final class Cursor {
        private final String s;
        private int pos;

        Cursor(String s) {
            this.s = s;
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        boolean atEnd() {
            skipSpace();
            return pos >= s.length();
        }

        void end() throws ScriptError {
            if (!atEnd()) {
                throw error("unexpected '" + s.substring(pos) + "'");
            }
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        String word() throws ScriptError {
            skipSpace();
            int start = pos;
            while (pos < s.length() && !Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error("missing operand");
            }
            return s.substring(start, pos);
        }

        String rest() {
            skipSpace();
            String r = s.substring(pos).strip();
            pos = s.length();
            return r;
        }

        /** "..." with the escapes \\ \" \r \n \t \e \0 \xHH. */
        String string() throws ScriptError {
            StringBuilder out = new StringBuilder();
            pos++;
            while (pos < s.length()) {
                char ch = s.charAt(pos++);
                if (ch == '"') {
                    return out.toString();
                }
                if (ch != '\\') {
                    out.append(ch);
                    continue;
                }
                if (pos >= s.length()) {
                    break;
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '\\', '"' -> out.append(e);
                    case 'r' -> out.append('\r');
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'e' -> out.append('\u001b');
                    case '0' -> out.append('\0');
                    case 'x' -> {
                        if (pos + 2 > s.length() || !isHex(s.charAt(pos)) || !isHex(s.charAt(pos + 1))) {
                            throw error("\\x needs two hex digits");
                        }
                        out.append((char) Integer.parseInt(s.substring(pos, pos + 2), 16));
                        pos += 2;
                    }
                    default -> throw error("unknown escape \\" + e + " (known: \\\\ \\\" \\r \\n \\t \\e \\0 \\xHH)");
                }
            }
            throw error("unterminated string: a closing \" is missing");
        }

        /** /REGEX/ with an optional i (ignore case) after it; a backslash escapes the next character. */
        Pattern regex() throws ScriptError {
            int start = ++pos;
            while (pos < s.length() && s.charAt(pos) != '/') {
                pos += s.charAt(pos) == '\\' ? 2 : 1;
            }
            if (pos >= s.length()) {
                throw error("unterminated regex: a closing / is missing");
            }
            String body = s.substring(start, pos++);
            int flags = 0;
            if (pos < s.length() && s.charAt(pos) == 'i') {
                flags = Pattern.CASE_INSENSITIVE;
                pos++;
            }
            if (pos < s.length() && !Character.isWhitespace(s.charAt(pos))) {
                throw error("unexpected '" + s.charAt(pos) + "' after the regex (the only flag is i)");
            }
            if (body.isEmpty()) {
                throw error("empty regex");
            }
            try {
                return Pattern.compile(body, flags);
            } catch (PatternSyntaxException e) {
                throw error("bad regex /" + body + "/: " + e.getDescription());
            }
        }

        private boolean isHex(char ch) {
            return Character.digit(ch, 16) >= 0;
        }
    }
}
