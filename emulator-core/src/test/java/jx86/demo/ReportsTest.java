package jx86.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Table, CSV, JSON, PNG and HTML of a hand-made sweep (two kernels, three N, four seeds). */
class ReportsTest {
    @TempDir
    Path dir;

    private static RunRecord record(String kernel, int n, int seed, Outcome o, String reason) {
        return new RunRecord(new RunSpec(kernel, n, seed, 1, 4), o, reason, RunEnd.DURATION, 1.5, 2,
                List.of("story of " + kernel + " " + n + " " + seed), List.of("last \"line\""), 1000, 2000, 10);
    }

    /** monolithic: N=1 all survive, N=8 half panic, N=64 all corrupted; microkernel: restarts. */
    static SweepResult sample() {
        List<RunRecord> rs = new ArrayList<>();
        for (int seed = 1; seed <= 4; seed++) {
            rs.add(record("monolithic", 1, seed, Outcome.SURVIVED, "ok"));
            rs.add(record("monolithic", 8, seed, seed <= 2 ? Outcome.PANIC : Outcome.SURVIVED, "panic: x <y>"));
            rs.add(record("monolithic", 64, seed, Outcome.CORRUPTED, "canary: CORRUPT /canary.1"));
        }
        for (int seed = 1; seed <= 4; seed++) {
            rs.add(record("microkernel", 1, seed, Outcome.SURVIVED, "ok"));
            rs.add(record("microkernel", 8, seed, Outcome.RESTARTED, "rs: restarted"));
            rs.add(record("microkernel", 64, seed, seed == 4 ? Outcome.UNCLASSIFIED : Outcome.RESTARTED, "?"));
        }
        Map<String, String> missing = new LinkedHashMap<>();
        missing.put("vmm", "not built (vmm/target/images/vmm.img missing)");
        return new SweepResult("jx86 demo crash --n 1,8,64 --seeds 4", List.of("monolithic", "microkernel"), missing,
                List.of(1, 8, 64), 4, 1, 4, rs);
    }

    @Test
    void aKernelSweptOverFewerNAndSeeds_hasBlankCells_aNoteUnderTheTable_andNoPointsThereInThePlot() throws Exception {
        List<RunRecord> rs = new ArrayList<>(sample().records());
        rs.add(record("vmm", 1, 1, Outcome.SURVIVED, "ok"));
        rs.add(record("vmm", 1, 2, Outcome.SURVIVED, "ok"));
        rs.add(record("vmm", 64, 1, Outcome.VM_FAILED, "vmm: VM 0 killed"));
        rs.add(record("vmm", 64, 2, Outcome.SURVIVED, "ok"));
        SweepResult s = new SweepResult("jx86 demo crash", List.of("monolithic", "microkernel", "vmm"), Map.of(),
                List.of(1, 8, 64), 4, 1, 4, rs);
        List<String> lines = Reports.table(s).lines().toList();
        assertThat(lines.get(1)).matches("\\s+1\\s+S 4/4\\s+S 4/4\\s+S 2/2\\s*");
        assertThat(lines.get(2)).matches("\\s+8\\s+S 2/4  P 2/4\\s+R 4/4\\s*");
        assertThat(lines.get(3)).matches("\\s+64\\s+C 4/4\\s+R 3/4  U 1/4\\s+S 1/2  V 1/2\\s*");
        assertThat(lines).contains("vmm: 2 seeds per cell, N = 1,64 only").noneMatch(l -> l.startsWith("monolithic: "));
        var plot = CrashPlot.chart(s).getXYPlot();
        assertThat(plot).isNotNull();
        CrashPlot.write(s, dir);
        assertThat(javax.imageio.ImageIO.read(dir.resolve("crash-demo.png").toFile())).isNotNull();
        var top = (org.jfree.chart.plot.XYPlot) ((org.jfree.chart.plot.CombinedDomainXYPlot) plot).getSubplots().get(0);
        assertThat(top.getDataset().getItemCount(2)).as("vmm's survival points").isEqualTo(2);
        assertThat(top.getDataset().getItemCount(0)).as("monolithic's").isEqualTo(3);
    }

    @Test
    void table_hasARowPerN_andAColumnPerKernel() {
        String t = Reports.table(sample());
        List<String> lines = t.lines().toList();
        assertThat(lines.get(0)).matches("\\s+N\\s+monolithic\\s+microkernel\\s*");
        assertThat(lines.get(1)).matches("\\s+1\\s+S 4/4\\s+S 4/4\\s*");
        assertThat(lines.get(2)).matches("\\s+8\\s+S 2/4  P 2/4\\s+R 4/4\\s*");
        assertThat(lines.get(3)).matches("\\s+64\\s+C 4/4\\s+R 3/4  U 1/4\\s*");
        assertThat(t).contains("vmm: not built (vmm/target/images/vmm.img missing)");
    }

    @Test
    void survival_countsSurvivedAndRestarted() {
        SweepResult s = sample();
        assertThat(s.survival("monolithic", 8)).isEqualTo(0.5);
        assertThat(s.survival("monolithic", 64)).isZero();
        assertThat(s.survival("microkernel", 64)).isEqualTo(0.75);
    }

    @Test
    void csv_hasOneQuotedRowPerRun() {
        List<String> rows = Reports.csv(sample()).lines().toList();
        assertThat(rows).hasSize(1 + 24);
        assertThat(rows.get(0)).startsWith("kernel,n,seed,");
        assertThat(rows).contains("monolithic,8,1,1,4,panic,DURATION,1.500000,2,1000,2000,\"panic: x <y>\"");
    }

    @Test
    void json_parsesAndHoldsTheCellsAndRuns() throws IOException {
        JsonNode root = new ObjectMapper().readTree(Reports.json(sample()));
        assertThat(root.get("kernels").toString()).isEqualTo("[\"monolithic\",\"microkernel\"]");
        assertThat(root.get("runs")).hasSize(24);
        JsonNode cell = root.get("cells").get(1);   // monolithic, n=8
        assertThat(cell.get("n").asInt()).isEqualTo(8);
        assertThat(cell.get("survival").asDouble()).isEqualTo(0.5);
        assertThat(cell.get("fractions").get("panic").asDouble()).isEqualTo(0.5);
        assertThat(root.get("missing").get("vmm").asText()).startsWith("not built");
    }

    @Test
    void png_isAnImageOfThePlotsSize() throws IOException {
        SweepResult s = sample();
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(CrashPlot.png(s)));
        assertThat(img.getWidth()).isEqualTo(CrashPlot.WIDTH);
        assertThat(img.getHeight()).isEqualTo(CrashPlot.height(2));
    }

    @Test
    void html_isSelfContained_andHoldsTheData() throws IOException {
        SweepResult s = sample();
        CrashPlot.write(s, dir);
        String html = Files.readString(dir.resolve("crash-demo.html"));
        assertThat(html).doesNotContain("src=\"http").doesNotContain("href=\"http");
        Matcher img = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        assertThat(img.find()).isTrue();
        byte[] png = Base64.getDecoder().decode(img.group(1));
        assertThat(png).isEqualTo(Files.readAllBytes(dir.resolve("crash-demo.png")));
        assertThat(ImageIO.read(new ByteArrayInputStream(png)).getWidth()).isEqualTo(CrashPlot.WIDTH);
        assertThat(html).contains("<td>8</td><td>S 2/4  P 2/4</td><td>R 4/4</td>");
        Matcher data = Pattern.compile("<script type=\"application/json\" id=\"data\">\\n(.*?)</script>", Pattern.DOTALL)
                .matcher(html);
        assertThat(data.find()).isTrue();
        JsonNode root = new ObjectMapper().readTree(data.group(1));
        assertThat(root.get("runs")).hasSize(24);
        assertThat(root.get("runs").get(1).get("reason").asText()).isEqualTo("panic: x <y>");
    }
}
