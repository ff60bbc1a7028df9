package io.autonf.study;

import io.autonf.cost.CostEmphasis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * What a study found: every method in every cell, AutoNF against the GA per cell, and every GA candidate; with
 * the paper's Table 1 computed from them ({@link #rows()}: per data set × emphasis × method, mean and standard
 * deviation over the seeds in which the method succeeded) and the convergence comparison
 * ({@link #convergenceRows()}), rendered as markdown, CSV and HTML.
 *
 * @param results      one per cell × method, in the order they ran (failed ones included)
 * @param convergences one per cell
 * @param candidates   every GA candidate of every cell
 * @param wallTime     the whole study
 */
public record StudyReport(StudyConfig config, List<MethodResult> results, List<Convergence> convergences,
                          List<GaCandidatePoint> candidates, Duration wallTime) {

    public StudyReport {
        if (config == null || results == null || convergences == null || candidates == null || wallTime == null) {
            throw new IllegalArgumentException("a report needs its configuration, results, convergences, candidates "
                    + "and wall time");
        }
        results = List.copyOf(results);
        convergences = List.copyOf(convergences);
        candidates = List.copyOf(candidates);
    }

    /**
     * Mean and sample standard deviation (n - 1) of the finite values among n succeeded seeds; the standard
     * deviation is NaN with fewer than two values, the mean NaN with none.
     */
    public record Stat(double mean, double std, int n) {

        public static Stat of(List<Double> values) {
            List<Double> finite = values.stream().filter(Double::isFinite).toList();
            int n = finite.size();
            if (n == 0) {
                return new Stat(Double.NaN, Double.NaN, 0);
            }
            double mean = finite.stream().mapToDouble(Double::doubleValue).sum() / n;
            if (n < 2) {
                return new Stat(mean, Double.NaN, 1);
            }
            double ss = 0;
            for (double v : finite) {
                ss += (v - mean) * (v - mean);
            }
            return new Stat(mean, Math.sqrt(ss / (n - 1)), n);
        }

        /** {@code mean ± std} with {@code digits} decimals, the mean alone for one value, {@code —} for none. */
        public String format(int digits) {
            if (n == 0) {
                return "—";
            }
            String f = "%." + digits + "f";
            String m = String.format(Locale.ROOT, f, mean);
            return Double.isNaN(std) ? m : m + " ± " + String.format(Locale.ROOT, f, std);
        }
    }

    /**
     * One line of Table 1.
     *
     * @param cells         seeds run
     * @param succeeded     of those, how many succeeded
     * @param architectures the distinct architectures over the succeeded seeds, in order of first appearance
     * @param testNllError  mean over seeds of each seed's ±2 standard errors over the test rows
     * @param failures      the failures' messages, one per failed seed
     */
    public record Row(String dataset, CostEmphasis emphasis, StudyMethod method, int cells, int succeeded,
                      List<String> architectures, Stat testNll, Stat testNllError, Stat density, Stat coverage,
                      Stat costMicros, Stat fom, Stat layerEvaluations, Stat wallTimeSeconds, List<String> failures) {
    }

    /**
     * AutoNF against the GA for one data set × emphasis.
     *
     * @param cells    seeds in which both searches ran
     * @param reached  of those, in how many AutoNF's objective reached the GA's best at some point
     * @param finalReached of those, in how many the architecture AutoNF finally chose reached it (an early point
     *                 can reach it only through the default of layers the block method has not visited yet)
     * @param fraction AutoNF's compute to reach the GA's best as a fraction of the GA's compute, over the seeds
     *                 where it was reached
     */
    public record ConvergenceRow(String dataset, CostEmphasis emphasis, int cells, int reached, int finalReached,
                                 Stat fraction,
                                 Stat autonfFinalObjective, Stat gaBestObjective, Stat autonfCompute,
                                 Stat gaCompute) {
    }

    /** Table 1: data sets × emphases in the study's order, methods in {@link StudyMethod} order. */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (String d : config.datasets()) {
            for (CostEmphasis e : config.emphases()) {
                for (StudyMethod m : StudyMethod.values()) {
                    List<MethodResult> all = results.stream().filter(r -> r.cell().dataset().equals(d)
                            && r.cell().emphasis() == e && r.method() == m).toList();
                    List<MethodResult> ok = all.stream().filter(r -> !r.failed()).toList();
                    Set<String> architectures = new LinkedHashSet<>();
                    ok.forEach(r -> architectures.add(r.architecture()));
                    rows.add(new Row(d, e, m, all.size(), ok.size(), List.copyOf(architectures),
                            stat(ok, MethodResult::testNll), stat(ok, MethodResult::testNllError),
                            stat(ok, MethodResult::density), stat(ok, MethodResult::coverage),
                            stat(ok, MethodResult::costMicros), stat(ok, MethodResult::fom),
                            m.isReference() ? Stat.of(List.of()) : stat(ok, r -> (double) r.layerEvaluations()),
                            stat(ok, MethodResult::wallTimeSeconds),
                            all.stream().filter(MethodResult::failed)
                                    .map(r -> "seed " + r.cell().seed() + ": " + r.failure()).toList()));
                }
            }
        }
        return rows;
    }

    /** The convergence comparison per data set × emphasis. */
    public List<ConvergenceRow> convergenceRows() {
        List<ConvergenceRow> rows = new ArrayList<>();
        for (String d : config.datasets()) {
            for (CostEmphasis e : config.emphases()) {
                List<Convergence> ok = convergences.stream().filter(c -> c.cell().dataset().equals(d)
                        && c.cell().emphasis() == e && !c.failed()).toList();
                List<Convergence> reached = ok.stream().filter(Convergence::reached).toList();
                rows.add(new ConvergenceRow(d, e, ok.size(), reached.size(),
                        (int) ok.stream().filter(Convergence::finalReached).count(),
                        Stat.of(reached.stream().map(Convergence::fraction).toList()),
                        Stat.of(ok.stream().map(Convergence::autonfFinal).toList()),
                        Stat.of(ok.stream().map(Convergence::gaBest).toList()),
                        Stat.of(reached.stream().map(c -> (double) c.autonfComputeToReach()).toList()),
                        Stat.of(ok.stream().map(c -> (double) c.gaCompute()).toList())));
            }
        }
        return rows;
    }

    private static Stat stat(List<MethodResult> results, ToDoubleFunction<MethodResult> f) {
        return Stat.of(results.stream().map(r -> f.applyAsDouble(r)).toList());
    }

    // ---------------------------------------------------------------- markdown

    private static final String[] TABLE_HEADER = {"data set", "emphasis", "method", "seeds ok", "architecture(s)",
            "test NLL", "± (2 SE)", "density", "coverage", "cost µs/sample", "FOM", "layer evaluations",
            "wall time s"};

    /** The whole report as markdown: settings, Table 1, convergence, every cell. */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Study ").append(config.name()).append("\n\n");
        b.append(settingsText()).append("\n\n");
        b.append("## Table 1 (mean ± std over seeds)\n\n");
        table(b, List.of(TABLE_HEADER), tableCells());
        b.append("\n").append(TABLE_NOTE).append("\n\n");
        b.append("## AutoNF against the GA: compute to reach the GA's best objective\n\n");
        table(b, List.of(CONVERGENCE_HEADER), convergenceCells());
        b.append("\n").append(CONVERGENCE_NOTE).append("\n\n");
        b.append("## Every cell\n\n");
        table(b, List.of(CELL_HEADER), cellCells());
        return b.toString();
    }

    private static final String TABLE_NOTE = "Test NLL in nats per sample; ± (2 SE) is the mean over seeds of each "
            + "seed's two standard errors over the test rows. Cost: the emphasised cost from the cost model (what "
            + "the searches optimise). FOM: cost reduction % + density change % against the emphasis' reference "
            + "(RQ-AF for forward, RQ-C for inverse). Layer evaluations: compute of the search (references are not "
            + "searched). Wall time: search + final training (references: their training), without evaluation. "
            + "References are trained once per data set × seed and serve both emphases.";

    private static final String[] CONVERGENCE_HEADER = {"data set", "emphasis", "seeds compared", "AutoNF reached GA's best",
            "AutoNF's final choice reached it",
            "AutoNF compute / GA compute", "AutoNF final objective", "GA best objective", "AutoNF evals to reach",
            "GA evals"};

    private static final String CONVERGENCE_NOTE = "Objective: the GA's fitness (validation NLL after the GA's "
            + "candidate budget + λ·normalised cost). AutoNF's current argmax is scored after every block visit; "
            + "those scoring trainings are not charged to AutoNF. The fraction is averaged over the seeds where "
            + "AutoNF reached the GA's best. A point before AutoNF's last block visit holds option 0 in the layers "
            + "it has not visited yet, so an early reach may be owed to that default; the next column counts the "
            + "seeds in which AutoNF's final architecture reached the GA's best.";

    private static final String[] CELL_HEADER = {"data set", "emphasis", "seed", "method", "status", "architecture",
            "test NLL", "density", "coverage", "cost µs/sample", "FOM", "layer evaluations", "wall time s"};

    private String settingsText() {
        var s = config.search();
        var g = config.ga();
        return String.format(Locale.ROOT, "Data sets %s; emphases %s; seeds %s. Space: %d layers of %s, hidden %d, "
                        + "%d blocks, %d bins; λ = %s. AutoNF: %s, %d rounds × %d step pairs, batch %d/%d. GA: "
                        + "population %d, at most %d generations, candidate budget %d steps of batch %d. Final training "
                        + "(every method): at most %d steps of batch %d, lr %s. Evaluation: %d samples, k = %d. "
                        + "Study wall time %.1f s.", config.datasets(),
                config.emphases().stream().map(CostEmphasis::id).toList(), config.seeds(), s.space().layers(),
                s.space().options().stream().map(Object::toString).toList(), s.space().settings().hiddenFeatures(),
                s.space().settings().blocks(), s.space().settings().bins(), number(s.lambda()), s.method().id(),
                s.rounds(), s.stepsPerBlock(), s.thetaBatchSize(), s.alphaBatchSize(), g.populationSize(),
                g.generations(), g.training().maxSteps(), g.training().batchSize(), s.retraining().maxSteps(),
                s.retraining().batchSize(), number(s.retraining().learningRate()), config.options().evaluationSamples(),
                config.options().k(), wallTime.toNanos() / 1e9);
    }

    private List<List<String>> tableCells() {
        List<List<String>> cells = new ArrayList<>();
        for (Row r : rows()) {
            cells.add(List.of(r.dataset(), r.emphasis().id(), r.method().label(), r.succeeded() + "/" + r.cells(),
                    r.succeeded() == 0 ? "failed" : String.join(" | ", r.architectures()), r.testNll().format(3),
                    format(r.testNllError().mean(), 3), r.density().format(3), r.coverage().format(3),
                    r.costMicros().format(2), r.fom().format(1),
                    r.method().isReference() ? "—" : scientific(r.layerEvaluations()),
                    r.wallTimeSeconds().format(1)));
        }
        return cells;
    }

    private List<List<String>> convergenceCells() {
        List<List<String>> cells = new ArrayList<>();
        for (ConvergenceRow r : convergenceRows()) {
            cells.add(List.of(r.dataset(), r.emphasis().id(), String.valueOf(r.cells()),
                    r.reached() + "/" + r.cells(), r.finalReached() + "/" + r.cells(),
                    r.reached() == 0 ? "not reached" : r.fraction().format(3),
                    r.autonfFinalObjective().format(4), r.gaBestObjective().format(4),
                    scientific(r.autonfCompute()), scientific(r.gaCompute())));
        }
        return cells;
    }

    private List<List<String>> cellCells() {
        List<List<String>> cells = new ArrayList<>();
        for (MethodResult r : results) {
            StudyCell c = r.cell();
            if (r.failed()) {
                cells.add(List.of(c.dataset(), c.emphasis().id(), String.valueOf(c.seed()), r.method().label(),
                        "failed: " + r.failure(), "", "", "", "", "", "", "", ""));
            } else {
                cells.add(List.of(c.dataset(), c.emphasis().id(), String.valueOf(c.seed()), r.method().label(), "ok",
                        r.architecture(), format(r.testNll(), 3) + " ± " + format(r.testNllError(), 3),
                        format(r.density(), 3), format(r.coverage(), 3), format(r.costMicros(), 2),
                        format(r.fom(), 1), r.method().isReference() ? "—" : String.valueOf(r.layerEvaluations()),
                        format(r.wallTimeSeconds(), 1)));
            }
        }
        return cells;
    }

    private static void table(StringBuilder b, List<String> header, List<List<String>> rows) {
        b.append("| ").append(String.join(" | ", header)).append(" |\n|");
        b.append("---|".repeat(header.size())).append("\n");
        for (List<String> row : rows) {
            b.append("| ").append(String.join(" | ", row.stream().map(StudyReport::markdownCell).toList()))
                    .append(" |\n");
        }
    }

    private static String markdownCell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    // ---------------------------------------------------------------- CSV

    /** Column names of {@link #csv()}. */
    public static final List<String> CSV_COLUMNS = List.of("dataset", "emphasis", "method", "seeds", "succeeded",
            "architectures", "test_nll_mean", "test_nll_std", "test_nll_error_mean", "density_mean", "density_std",
            "coverage_mean", "coverage_std", "cost_us_mean", "cost_us_std", "fom_mean", "fom_std",
            "layer_evaluations_mean", "layer_evaluations_std", "wall_time_s_mean", "wall_time_s_std",
            "convergence_seeds", "convergence_reached", "convergence_final_reached", "convergence_fraction_mean", "convergence_fraction_std",
            "failures");

    /**
     * Table 1 as CSV (RFC 4180: fields with commas or quotes are quoted), one line per data set × emphasis ×
     * method; the convergence columns are filled on the AutoNF and GA lines. Numbers are written with
     * {@link Double#toString}, so they parse back exactly; a missing value is empty.
     */
    public String csv() {
        StringBuilder b = new StringBuilder();
        csvLine(b, CSV_COLUMNS);
        List<ConvergenceRow> convergence = convergenceRows();
        for (Row r : rows()) {
            ConvergenceRow c = r.method().isReference() ? null : convergence.stream()
                    .filter(x -> x.dataset().equals(r.dataset()) && x.emphasis() == r.emphasis()).findFirst()
                    .orElse(null);
            List<String> f = new ArrayList<>(List.of(r.dataset(), r.emphasis().id(), r.method().label(),
                    String.valueOf(r.cells()), String.valueOf(r.succeeded()), String.join(" | ", r.architectures())));
            for (Stat s : List.of(r.testNll())) {
                f.add(csvNumber(s.mean()));
                f.add(csvNumber(s.std()));
            }
            f.add(csvNumber(r.testNllError().mean()));
            for (Stat s : List.of(r.density(), r.coverage(), r.costMicros(), r.fom(), r.layerEvaluations(),
                    r.wallTimeSeconds())) {
                f.add(csvNumber(s.mean()));
                f.add(csvNumber(s.std()));
            }
            f.add(c == null ? "" : String.valueOf(c.cells()));
            f.add(c == null ? "" : String.valueOf(c.reached()));
            f.add(c == null ? "" : String.valueOf(c.finalReached()));
            f.add(c == null ? "" : csvNumber(c.fraction().mean()));
            f.add(c == null ? "" : csvNumber(c.fraction().std()));
            f.add(String.join("; ", r.failures()));
            csvLine(b, f);
        }
        return b.toString();
    }

    /** Column names of {@link #cellsCsv()}. */
    public static final List<String> CELL_CSV_COLUMNS = List.of("dataset", "emphasis", "seed", "method", "status",
            "architecture", "test_nll", "test_nll_error", "density", "coverage", "cost_us", "fom",
            "layer_evaluations", "wall_time_s", "failure");

    /** Every cell × method as CSV, failed ones included. */
    public String cellsCsv() {
        StringBuilder b = new StringBuilder();
        csvLine(b, CELL_CSV_COLUMNS);
        for (MethodResult r : results) {
            StudyCell c = r.cell();
            csvLine(b, List.of(c.dataset(), c.emphasis().id(), String.valueOf(c.seed()), r.method().label(),
                    r.failed() ? "failed" : "ok", r.architecture() == null ? "" : r.architecture(),
                    csvNumber(r.testNll()), csvNumber(r.testNllError()), csvNumber(r.density()),
                    csvNumber(r.coverage()), csvNumber(r.costMicros()), csvNumber(r.fom()),
                    String.valueOf(r.layerEvaluations()), csvNumber(r.wallTimeSeconds()),
                    r.failed() ? r.failure() : ""));
        }
        return b.toString();
    }

    /** Both curves of every cell: {@code dataset,emphasis,seed,method,layer_evaluations,objective,architecture}. */
    public String convergenceCsv() {
        StringBuilder b = new StringBuilder();
        csvLine(b, List.of("dataset", "emphasis", "seed", "method", "layer_evaluations", "objective", "architecture"));
        for (Convergence c : convergences) {
            for (var entry : Map.of(StudyMethod.AUTONF, c.autonf(), StudyMethod.GA, c.ga()).entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).toList()) {
                for (Convergence.Point p : entry.getValue()) {
                    csvLine(b, List.of(c.cell().dataset(), c.cell().emphasis().id(), String.valueOf(c.cell().seed()),
                            entry.getKey().label(), String.valueOf(p.layerEvaluations()), csvNumber(p.objective()),
                            p.architecture()));
                }
            }
        }
        return b.toString();
    }

    private static void csvLine(StringBuilder b, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            String f = fields.get(i);
            if (f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r")) {
                b.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                b.append(f);
            }
        }
        b.append('\n');
    }

    private static String csvNumber(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    // ---------------------------------------------------------------- HTML

    /**
     * A self-contained page: settings, Table 1, the convergence table, every cell, and the given charts embedded
     * as base64 PNG (by caption, in order; none is fine).
     */
    public String html(Map<String, byte[]> charts) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Study ")
                .append(escape(config.name())).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1400px}")
                .append("table{border-collapse:collapse;margin:1em 0;font-size:0.9em}")
                .append("th,td{border:1px solid #bbb;padding:3px 8px;text-align:right}")
                .append("th{background:#eee}td:nth-child(-n+3){text-align:left}")
                .append("tr.failed td{color:#b00}img{max-width:100%;border:1px solid #ddd}p.note{color:#444}")
                .append("</style></head><body>\n");
        b.append("<h1>Study ").append(escape(config.name())).append("</h1>\n<p>").append(escape(settingsText()))
                .append("</p>\n");
        b.append("<h2>Table 1 (mean ± std over seeds)</h2>\n");
        htmlTable(b, List.of(TABLE_HEADER), tableCells());
        b.append("<p class=\"note\">").append(escape(TABLE_NOTE)).append("</p>\n");
        b.append("<h2>AutoNF against the GA: compute to reach the GA's best objective</h2>\n");
        htmlTable(b, List.of(CONVERGENCE_HEADER), convergenceCells());
        b.append("<p class=\"note\">").append(escape(CONVERGENCE_NOTE)).append("</p>\n");
        if (charts != null) {
            for (Map.Entry<String, byte[]> chart : new LinkedHashMap<>(charts).entrySet()) {
                b.append("<h2>").append(escape(chart.getKey())).append("</h2>\n<img alt=\"")
                        .append(escape(chart.getKey())).append("\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(chart.getValue())).append("\">\n");
            }
        }
        b.append("<h2>Every cell</h2>\n");
        htmlTable(b, List.of(CELL_HEADER), cellCells());
        b.append("</body></html>\n");
        return b.toString();
    }

    private static void htmlTable(StringBuilder b, List<String> header, List<List<String>> rows) {
        b.append("<table><tr>");
        header.forEach(h -> b.append("<th>").append(escape(h)).append("</th>"));
        b.append("</tr>\n");
        for (List<String> row : rows) {
            boolean failed = row.stream().anyMatch(c -> c.startsWith("failed"));
            b.append(failed ? "<tr class=\"failed\">" : "<tr>");
            row.forEach(c -> b.append("<td>").append(escape(c)).append("</td>"));
            b.append("</tr>\n");
        }
        b.append("</table>\n");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String format(double v, int digits) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static String scientific(Stat s) {
        if (s.n() == 0) {
            return "—";
        }
        String m = String.format(Locale.ROOT, "%.3g", s.mean());
        return Double.isNaN(s.std()) ? m : m + " ± " + String.format(Locale.ROOT, "%.2g", s.std());
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
