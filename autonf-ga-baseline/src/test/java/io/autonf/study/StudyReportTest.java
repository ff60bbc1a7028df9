package io.autonf.study;

import io.autonf.cost.CostEmphasis;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's arithmetic and renderings, on hand-made results (nothing is trained). */
class StudyReportTest {

    private static final String D = "power-sample";

    /** Seeds 1-3, forward and inverse; AutoNF fails in seed 3 forward, the GA in seed 2 inverse. */
    static StudyReport handMade() {
        StudyConfig config = StudyConfig.quick().toBuilder().datasets(List.of(D)).build();
        List<MethodResult> results = new ArrayList<>();
        List<Convergence> convergences = new ArrayList<>();
        List<GaCandidatePoint> candidates = new ArrayList<>();
        for (CostEmphasis e : config.emphases()) {
            for (long seed = 1; seed <= 3; seed++) {
                StudyCell cell = new StudyCell(D, e, seed);
                int s = (int) seed;
                results.add(result(cell, StudyMethod.RQ_AF, "rq-ar,rq-ar", 0.5 + s, 0.9, 10, 0));
                results.add(result(cell, StudyMethod.RQ_C, "rq-c,rq-c", 1.5 + s, 0.8, 5, 0));
                results.add(e == CostEmphasis.FORWARD && seed == 3
                        ? MethodResult.failed(cell, StudyMethod.AUTONF, "TrainingDivergedException: NaN loss at step 7")
                        : result(cell, StudyMethod.AUTONF, "maf,affine-c", s, 0.5 + 0.2 * (s - 1), 4, 1000L * s));
                results.add(e == CostEmphasis.INVERSE && seed == 2
                        ? MethodResult.failed(cell, StudyMethod.GA, "GA, failed on purpose")
                        : result(cell, StudyMethod.GA, "maf,rq-c", 2 * s, 0.6, 6, 3000L * s));
                convergences.add(e == CostEmphasis.FORWARD && seed == 3 ? Convergence.failed(cell, "AutoNF failed")
                        : Convergence.of(cell,
                        List.of(new Convergence.Point(100, 3.0, "maf,maf"), new Convergence.Point(200, 1.0, "maf,rq-c")),
                        List.of(new Convergence.Point(400, 2.0, "maf,rq-c"),
                                new Convergence.Point(1000 * s, seed == 2 ? 0.5 : 1.5, "maf,rq-c")),
                        seed == 2 ? 0.5 : 1.5, 1000L * s));
                candidates.add(new GaCandidatePoint(cell, "maf,rq-c", 2.5 + s, 6, 3.0));
                candidates.add(new GaCandidatePoint(cell, "maf,maf", 3.5, 4, 3.8));
            }
        }
        return new StudyReport(config, results, convergences, candidates, Duration.ofSeconds(42));
    }

    private static MethodResult result(StudyCell cell, StudyMethod m, String architecture, double nll, double density,
                                       double cost, long evaluations) {
        return new MethodResult(cell, m, architecture, nll, 0.1 * nll, density, density + 0.05, cost,
                100 * (10 - cost) / 10 + 100 * (density - 0.9) / 0.9, evaluations, 2 * nll, null, Map.of());
    }

    @Test
    void averagesAreMeanAndSampleStandardDeviationOverTheSeedsThatSucceeded() {
        StudyReport report = handMade();
        assertEquals(8, report.rows().size(), "one data set x 2 emphases x 4 methods");
        StudyReport.Row autonf = row(report, CostEmphasis.FORWARD, StudyMethod.AUTONF);
        assertEquals(3, autonf.cells());
        assertEquals(2, autonf.succeeded());
        assertEquals(1.5, autonf.testNll().mean(), 1e-12, "seeds 1 and 2: NLL 1 and 2");
        assertEquals(Math.sqrt(0.5), autonf.testNll().std(), 1e-12);
        assertEquals(0.6, autonf.density().mean(), 1e-12);
        assertEquals(Math.sqrt(0.02), autonf.density().std(), 1e-12);
        assertEquals(1500, autonf.layerEvaluations().mean(), 1e-9);
        assertEquals(List.of("seed 3: TrainingDivergedException: NaN loss at step 7"), autonf.failures());
        StudyReport.Row rqaf = row(report, CostEmphasis.INVERSE, StudyMethod.RQ_AF);
        assertEquals(2.5, rqaf.testNll().mean(), 1e-12, "NLL 1.5, 2.5, 3.5");
        assertEquals(1.0, rqaf.testNll().std(), 1e-12);
        assertEquals(0, rqaf.layerEvaluations().n(), "references are not searched");
        StudyReport.Row ga = row(report, CostEmphasis.INVERSE, StudyMethod.GA);
        assertEquals(2, ga.succeeded());
        assertEquals(4, ga.testNll().mean(), 1e-12, "seeds 1 and 3: NLL 2 and 6");
        StudyReport.Stat one = StudyReport.Stat.of(List.of(3.0, Double.NaN));
        assertEquals(1, one.n());
        assertTrue(Double.isNaN(one.std()), "no spread from one value");
        assertEquals("3.000", one.format(3));
    }

    @Test
    void convergenceFractionsAverageOverTheSeedsWhereAutoNfReachedTheGa() {
        StudyReport report = handMade();
        // Forward: seed 1 reached 1.5 at 200 of 1000 (0.2); seed 2's GA best 0.5 is never reached; seed 3 failed.
        StudyReport.ConvergenceRow forward = report.convergenceRows().get(0);
        assertEquals(2, forward.cells());
        assertEquals(1, forward.reached());
        assertEquals(0.2, forward.fraction().mean(), 1e-12);
        // Inverse: seeds 1 and 3 reached at 200 (of 1000 and 3000), seed 2 not.
        StudyReport.ConvergenceRow inverse = report.convergenceRows().get(1);
        assertEquals(3, inverse.cells());
        assertEquals(2, inverse.reached());
        assertEquals((0.2 + 200.0 / 3000) / 2, inverse.fraction().mean(), 1e-12);
        Convergence notReached = report.convergences().get(1);
        assertTrue(!notReached.reached() && Double.isNaN(notReached.fraction()));
        assertEquals(1, forward.finalReached(), "AutoNF's last point (1.0) is its final choice");
        assertEquals(2, inverse.finalReached());
    }

    @Test
    void anEarlyReachIsToldApartFromAFinalChoiceThatReachesTheGa() {
        StudyCell cell = new StudyCell(D, CostEmphasis.FORWARD, 1);
        // Reached at the first block visit, then the search moved on to a worse argmax.
        Convergence early = Convergence.of(cell, List.of(new Convergence.Point(100, 0.9, "maf,maf"),
                new Convergence.Point(200, 2.0, "rq-ar,affine-c")), List.of(new Convergence.Point(500, 1.0, "maf,maf")),
                1.0, 500);
        assertTrue(early.reached());
        assertEquals(0.2, early.fraction(), 1e-12);
        assertTrue(!early.finalReached());
        Convergence last = Convergence.of(cell, List.of(new Convergence.Point(100, 3.0, "maf,maf"),
                new Convergence.Point(200, 1.0, "rq-ar,affine-c")), List.of(new Convergence.Point(500, 1.0, "maf,maf")),
                1.0, 500);
        assertTrue(last.reached() && last.finalReached(), "equal to the GA's best counts as reached");
    }

    @Test
    void everyCellIsInTheReportAndFailedOnesShowAsFailed() {
        StudyReport report = handMade();
        String markdown = report.markdown();
        String html = report.html(Map.of());
        List<List<String>> cells = parseCsv(report.cellsCsv());
        assertEquals(StudyReport.CELL_CSV_COLUMNS, cells.get(0));
        assertEquals(1 + 2 * 3 * 4, cells.size(), "every data set x emphasis x seed x method");
        for (MethodResult r : report.results()) {
            String seed = String.valueOf(r.cell().seed());
            assertTrue(cells.stream().anyMatch(c -> c.get(0).equals(D) && c.get(1).equals(r.cell().emphasis().id())
                    && c.get(2).equals(seed) && c.get(3).equals(r.method().label())
                    && c.get(4).equals(r.failed() ? "failed" : "ok")), r.toString());
            if (r.failed()) {
                assertTrue(markdown.contains("failed: " + r.failure()), r.failure());
                assertTrue(html.contains("<tr class=\"failed\">"));
            }
        }
        assertTrue(html.contains("failed: GA, failed on purpose"));
        assertTrue(markdown.contains("| power-sample | forward | AutoNF | 2/3 | maf,affine-c | 1.500 ± 0.707 |"),
                markdown);
    }

    @Test
    void csvParsesBackToTheRows() {
        StudyReport report = handMade();
        List<List<String>> csv = parseCsv(report.csv());
        assertEquals(StudyReport.CSV_COLUMNS, csv.get(0));
        List<StudyReport.Row> rows = report.rows();
        assertEquals(rows.size() + 1, csv.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> line = new LinkedHashMap<>();
            for (int j = 0; j < StudyReport.CSV_COLUMNS.size(); j++) {
                line.put(StudyReport.CSV_COLUMNS.get(j), csv.get(i + 1).get(j));
            }
            StudyReport.Row r = rows.get(i);
            assertEquals(r.method().label(), line.get("method"));
            assertEquals(r.succeeded(), Integer.parseInt(line.get("succeeded")));
            assertEquals(r.testNll().mean(), Double.parseDouble(line.get("test_nll_mean")));
            assertEquals(r.density().mean(), Double.parseDouble(line.get("density_mean")));
            assertEquals(r.fom().mean(), Double.parseDouble(line.get("fom_mean")));
            assertEquals(String.join(" | ", r.architectures()), line.get("architectures"));
            if (r.method() == StudyMethod.AUTONF && r.emphasis() == CostEmphasis.FORWARD) {
                assertEquals(0.2, Double.parseDouble(line.get("convergence_fraction_mean")));
                assertEquals("seed 3: TrainingDivergedException: NaN loss at step 7", line.get("failures"));
            }
        }
        assertTrue(report.convergenceCsv().lines().count() > 1);
    }

    @Test
    void chartsArePngsAndTheHtmlEmbedsThem() throws IOException {
        StudyReport report = handMade();
        byte[] pareto = StudyCharts.pareto(report);
        byte[] convergence = StudyCharts.convergence(report);
        BufferedImage p = ImageIO.read(new ByteArrayInputStream(pareto));
        BufferedImage c = ImageIO.read(new ByteArrayInputStream(convergence));
        assertEquals(2 * 560, p.getWidth(), "two panels side by side");
        assertTrue(p.getHeight() > 2 * 300 && c.getHeight() > 300);
        Path out = Path.of("target", "study-charts");
        Files.createDirectories(out);
        Files.write(out.resolve("pareto.png"), pareto);
        Files.write(out.resolve("convergence.png"), convergence);
        String html = report.html(Map.of("Pareto", pareto));
        assertTrue(html.contains("data:image/png;base64,"));
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.trim().endsWith("</html>"));
    }

    private static StudyReport.Row row(StudyReport report, CostEmphasis e, StudyMethod m) {
        return report.rows().stream().filter(r -> r.emphasis() == e && r.method() == m).findFirst().orElseThrow();
    }

    /** RFC 4180, as a spreadsheet reads it: quoted fields may hold commas and doubled quotes. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> lines = new ArrayList<>();
        List<String> line = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                line.add(field.toString());
                field.setLength(0);
            } else if (ch == '\n') {
                line.add(field.toString());
                field.setLength(0);
                lines.add(line);
                line = new ArrayList<>();
            } else {
                field.append(ch);
            }
        }
        return lines;
    }
}
