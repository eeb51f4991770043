package jx86.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The sweep's text table, CSV, JSON and per-run log. */
public final class Reports {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Reports() {
    }

    /** One letter per outcome for the table's cells. */
    static char letter(Outcome o) {
        return switch (o) {
            case SURVIVED -> 'S';
            case RESTARTED -> 'R';
            case VM_FAILED -> 'V';
            case CORRUPTED -> 'C';
            case PANIC -> 'P';
            case TRIPLE_FAULT -> 'T';
            case HANG -> 'H';
            case UNCLASSIFIED -> 'U';
        };
    }

    /** A cell: the outcome fractions of one (kernel, n), e.g. "S 5/8  C 2/8  P 1/8". */
    static String cell(SweepResult s, String kernel, int n) {
        EnumMap<Outcome, Integer> c = s.counts(kernel, n);
        int runs = s.runs(kernel, n);
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Outcome, Integer> e : c.entrySet()) {
            if (sb.length() > 0) {
                sb.append("  ");
            }
            sb.append(letter(e.getKey())).append(' ').append(e.getValue()).append('/').append(runs);
        }
        return sb.toString();
    }

    /** Rows N, columns kernels, cells outcome fractions; a legend and the missing kernels below. */
    public static String table(SweepResult s) {
        int width = 10;
        for (String k : s.kernels()) {
            width = Math.max(width, k.length());
            for (int n : s.ns()) {
                width = Math.max(width, cell(s, k, n).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%8s", "N"));
        for (String k : s.kernels()) {
            sb.append("  ").append(pad(k, width));
        }
        sb.append('\n');
        for (int n : s.ns()) {
            sb.append(String.format(Locale.ROOT, "%8d", n));
            for (String k : s.kernels()) {
                sb.append("  ").append(pad(cell(s, k, n), width));
            }
            sb.append('\n');
        }
        sb.append("S survived  R restarted  V vm failed  C data corrupted  P panic  T triple fault/reset  H hang  U unclassified\n");
        sb.append(String.format(Locale.ROOT, "%d seeds per cell, %s virtual s per run after the component started, a burst every %d s%n",
                s.seeds(), fmt(s.duration()), s.period()));
        for (String k : s.kernels()) {              // a kernel swept with other N or seeds (the vmm's default)
            List<Integer> swept = s.ns().stream().filter(n -> s.runs(k, n) > 0).toList();
            Set<Integer> perCell = swept.stream().map(n -> s.runs(k, n)).collect(Collectors.toCollection(TreeSet::new));
            if (swept.size() != s.ns().size() || !perCell.equals(Set.of(s.seeds()))) {
                sb.append(k).append(": ").append(perCell.stream().map(String::valueOf).collect(Collectors.joining(" or ")))
                        .append(" seeds per cell");
                if (swept.size() != s.ns().size()) {
                    sb.append(", N = ").append(swept.stream().map(String::valueOf).collect(Collectors.joining(",")))
                            .append(" only");
                }
                sb.append('\n');
            }
        }
        s.missing().forEach((k, why) -> sb.append(k).append(": ").append(why).append('\n'));
        return sb.toString();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** One row per run. */
    public static String csv(SweepResult s) {
        StringBuilder sb = new StringBuilder(
                "kernel,n,seed,period,duration_s,outcome,end,outcome_s,bursts,instructions,cycles,reason\n");
        for (RunRecord r : s.records()) {
            RunSpec p = r.spec();
            sb.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%s,%s,%s,%.6f,%d,%d,%d,%s%n", p.kernel(), p.n(), p.seed(),
                    p.period(), fmt(p.durationSeconds()), r.outcome().label(), r.end(), r.outcomeSeconds(), r.bursts(),
                    r.instructions(), r.cycles(), csvQuote(r.reason())));
        }
        return sb.toString();
    }

    static String csvQuote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /** The sweep as a JSON tree: parameters, per-cell fractions and every run. */
    public static ObjectNode jsonTree(SweepResult s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("command", s.command());
        root.put("seeds", s.seeds());
        root.put("period_s", s.period());
        root.put("duration_s", s.duration());
        ArrayNode kernels = root.putArray("kernels");
        s.kernels().forEach(kernels::add);
        ObjectNode missing = root.putObject("missing");
        s.missing().forEach(missing::put);
        ArrayNode ns = root.putArray("n");
        s.ns().forEach(ns::add);
        ArrayNode outcomes = root.putArray("outcomes");
        for (Outcome o : Outcome.values()) {
            outcomes.addObject().put("label", o.label()).put("description", o.description()).put("color", o.color());
        }
        ArrayNode cells = root.putArray("cells");
        for (String k : s.kernels()) {
            for (int n : s.ns()) {
                ObjectNode c = cells.addObject().put("kernel", k).put("n", n).put("runs", s.runs(k, n))
                        .put("survival", s.survival(k, n));
                ObjectNode f = c.putObject("fractions");
                int runs = s.runs(k, n);
                s.counts(k, n).forEach((o, count) -> f.put(o.label(), count / (double) runs));
            }
        }
        ArrayNode runs = root.putArray("runs");
        for (RunRecord r : s.records()) {
            ObjectNode o = runs.addObject();
            o.put("kernel", r.spec().kernel()).put("n", r.spec().n()).put("seed", r.spec().seed())
                    .put("outcome", r.outcome().label()).put("end", r.end().name()).put("reason", r.reason())
                    .put("outcome_s", r.outcomeSeconds()).put("bursts", r.bursts())
                    .put("instructions", r.instructions()).put("cycles", r.cycles());
            ArrayNode story = o.putArray("story");
            r.story().forEach(story::add);
            if (r.outcome() == Outcome.UNCLASSIFIED) {
                ArrayNode last = o.putArray("last_lines");
                r.lastLines().forEach(last::add);
            }
        }
        return root;
    }

    public static String json(SweepResult s) {
        try {
            return JSON.writeValueAsString(jsonTree(s)) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The story of every run: what each burst hit and what decided the outcome. */
    public static String log(SweepResult s) {
        StringBuilder sb = new StringBuilder();
        for (RunRecord r : s.records()) {
            sb.append(String.format(Locale.ROOT, "== %s: %s after %.3f s (%s)%n", r.spec().name(), r.outcome().label(),
                    r.outcomeSeconds(), r.reason()));
            r.story().forEach(l -> sb.append("  ").append(l).append('\n'));
            if (r.outcome() == Outcome.UNCLASSIFIED) {
                sb.append("  last lines:\n");
                r.lastLines().forEach(l -> sb.append("    | ").append(l).append('\n'));
            }
        }
        return sb.toString();
    }
}
