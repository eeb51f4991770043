package jx86.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StackedXYAreaRenderer2;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The sweep's plot, drawn by JFreeChart: on top the fraction of runs surviving against the burst
 * size N (log scale) with one line per kernel; below, one panel per kernel with the outcome
 * classes stacked (fractions of its runs at each N). Written as a PNG and as a self-contained
 * HTML page that embeds the PNG, the table and the data.
 */
public final class CrashPlot {
    static final int WIDTH = 1000;
    static final int TOP_HEIGHT = 320;
    static final int PANEL_HEIGHT = 260;

    private CrashPlot() {
    }

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** The chart's height for {@code kernels} kernel panels. */
    static int height(int kernels) {
        return TOP_HEIGHT + PANEL_HEIGHT * Math.max(1, kernels) + 80;
    }

    public static JFreeChart chart(SweepResult s) {
        LogAxis nAxis = new LogAxis("words overwritten per burst (N)");
        nAxis.setBase(2);
        nAxis.setTickUnit(new NumberTickUnit(1));
        nAxis.setNumberFormatOverride(new java.text.DecimalFormat("0"));
        nAxis.setSmallestValue(0.5);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(nAxis);
        plot.setGap(12);

        XYSeriesCollection survival = new XYSeriesCollection();
        for (String k : s.kernels()) {
            XYSeries line = new XYSeries(k);
            for (int n : s.ns()) {
                if (s.runs(k, n) > 0) {          // a kernel may have been swept over fewer N (vmm by default)
                    line.add(n, s.survival(k, n));
                }
            }
            survival.addSeries(line);
        }
        NumberAxis fraction = new NumberAxis("fraction surviving");
        fraction.setRange(0, 1.02);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
        Color[] palette = {new Color(0x1565c0), new Color(0xe65100), new Color(0x2e7d32)};
        for (int i = 0; i < s.kernels().size(); i++) {
            lines.setSeriesPaint(i, palette[i % palette.length]);
            lines.setSeriesStroke(i, new BasicStroke(2.5f));
        }
        XYPlot top = new XYPlot(survival, null, fraction, lines);
        plot.add(top, 3);

        for (String k : s.kernels()) {
            DefaultTableXYDataset stacked = new DefaultTableXYDataset();
            StackedXYAreaRenderer2 areas = new StackedXYAreaRenderer2();
            int series = 0;
            for (Outcome o : Outcome.values()) {
                XYSeries band = new XYSeries(k + ": " + o.label(), true, false);
                for (int n : s.ns()) {
                    int runs = s.runs(k, n);
                    if (runs > 0) {
                        band.add(n, s.counts(k, n).getOrDefault(o, 0) / (double) runs);
                    }
                }
                stacked.addSeries(band);
                areas.setSeriesPaint(series++, Color.decode(o.color()));
            }
            NumberAxis share = new NumberAxis(k + ": share of runs");
            share.setRange(0, 1);
            plot.add(new XYPlot(stacked, null, share, areas), 2);
        }
        JFreeChart chart = new JFreeChart(String.format(Locale.ROOT,
                "jx86 crash demo: %d seeds per point, %s s per run, a burst every %d s", s.seeds(),
                Reports.fmt(s.duration()), s.period()), new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    public static byte[] png(SweepResult s) throws IOException {
        BufferedImage image = chart(s).createBufferedImage(WIDTH, height(s.kernels().size()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChartUtils.writeBufferedImageAsPNG(out, image);
        return out.toByteArray();
    }

    /** A page with no outside references: the PNG as a data URI, the table, and the JSON data. */
    public static String html(SweepResult s, byte[] png) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>jx86 crash demo</title>\n<style>body{font-family:sans-serif;margin:2em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
                        + "code{background:#f4f4f4}</style>\n</head><body>\n")
                .append("<h1>jx86 crash demo</h1>\n<p>Command: <code>").append(esc(s.command())).append("</code></p>\n")
                .append("<img alt=\"fraction of runs surviving against N, and the outcome classes per kernel\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
        sb.append("<h2>Outcomes</h2>\n<table id=\"outcomes\"><tr><th>N</th>");
        for (String k : s.kernels()) {
            sb.append("<th>").append(esc(k)).append("</th>");
        }
        sb.append("</tr>\n");
        for (int n : s.ns()) {
            sb.append("<tr><td>").append(n).append("</td>");
            for (String k : s.kernels()) {
                sb.append("<td>").append(esc(Reports.cell(s, k, n))).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n<ul>\n");
        for (Outcome o : Outcome.values()) {
            sb.append("<li><span style=\"color:").append(o.color()).append("\">&#9632;</span> <b>")
                    .append(Reports.letter(o)).append("</b> ").append(esc(o.label())).append(": ")
                    .append(esc(o.description())).append("</li>\n");
        }
        sb.append("</ul>\n");
        s.missing().forEach((k, why) -> sb.append("<p>").append(esc(k)).append(": ").append(esc(why)).append("</p>\n"));
        // "</" cannot appear inside a script element: JSON strings may hold it, so escape the slash
        sb.append("<script type=\"application/json\" id=\"data\">\n")
                .append(Reports.json(s).replace("</", "<\\/")).append("</script>\n</body></html>\n");
        return sb.toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Writes {@code crash-demo.png} and {@code crash-demo.html} into {@code dir}. */
    public static void write(SweepResult s, Path dir) throws IOException {
        byte[] png = png(s);
        jx86.host.OutputFile.replace(dir.resolve("crash-demo.png"), o -> o.write(png));
        CrashCommand.writeReport(dir.resolve("crash-demo.html"), html(s, png));
    }
}
