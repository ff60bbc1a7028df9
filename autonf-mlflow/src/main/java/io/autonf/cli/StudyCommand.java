package io.autonf.cli;

import io.autonf.cost.CostEmphasis;
import io.autonf.data.DataException;
import io.autonf.data.Dataset;
import io.autonf.study.Convergence;
import io.autonf.study.DatasetSource;
import io.autonf.study.StudyCharts;
import io.autonf.study.StudyConfig;
import io.autonf.study.StudyReport;
import io.autonf.study.StudyRunner;
import io.autonf.study.StudyYaml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code autonf study}: the AutoNF-against-GA study (the paper's Table 1) on the command line (see
 * {@link StudyRunner} and {@code docs/study.md}). The study starts from {@code --config} (a {@code study.yaml}) or
 * {@code --profile} ({@code quick} when neither is given); {@code --datasets}, {@code --seeds}, {@code --emphasis}
 * and {@code --threads} override it.
 *
 * <p>Tracked as one run with the study's settings as params, a nested run per cell and method (see
 * {@link StudyRunTracker}), Table 1's rows as metrics ({@code power-sample/forward/AutoNF/test_nll}, ...,
 * {@code power-sample/forward/convergence_fraction}) and the report's files as artifacts, which are also written
 * to {@code --out}. Progress goes to stderr, the markdown report to stdout (a JSON object with {@code --json}).
 *
 * <p>Every data set is loaded before the first cell runs, so that a misspelt name or a missing data directory is
 * reported at once (exit 2) rather than after hours of other cells.
 */
@Command(name = "study", description = "Run the AutoNF-against-GA study (the paper's Table 1): references RQ-AF and "
        + "RQ-C, AutoNF and the GA for every data set x emphasis x seed, with a report, a Pareto and a convergence "
        + "chart.", sortOptions = false)
public final class StudyCommand extends ResultCommand {

    static final Path DEFAULT_OUT = Path.of("runs", "study");
    /** The report's files, in the order they are written and uploaded. */
    static final List<String> ARTIFACTS = List.of("study.md", "study.csv", "cells.csv", "convergence.csv",
            "study.html", "pareto.png", "convergence.png");

    private final DatasetLoader datasets;

    @Option(names = "--config", paramLabel = "FILE", description = "The study as YAML (see docs/study.yaml); "
            + "not with --profile.")
    Path config;

    @Option(names = "--profile", paramLabel = "quick|paper", description = "A bundled study: quick (the bundled "
            + "POWER and MINIBOONE slices, 3 seeds, under 30 minutes on 2 cores) or paper (the paper's setting on "
            + "MAF's data); default quick when no --config is given.")
    String profile;

    @Option(names = "--datasets", paramLabel = "SPEC,SPEC", split = ",", description = "Data sets as --data takes "
            + "them (default: the config's).")
    List<String> datasetSpecs;

    @Option(names = "--seeds", paramLabel = "S,S", split = ",", description = "Seeds, one cell each (default: the config's).")
    List<Long> seeds;

    @Option(names = "--emphasis", paramLabel = "forward,inverse", split = ",",
            converter = SearchCommand.EmphasisConverter.class,
            description = "Emphasised costs (default: the config's).")
    List<CostEmphasis> emphases;

    @Option(names = "--threads", paramLabel = "N", description = "Threads of every search, training and evaluation "
            + "(default: the config's).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the report, CSV files and charts go "
            + "(default: ${DEFAULT-VALUE}).")
    Path out = DEFAULT_OUT;

    @Mixin
    TrackingOptions trackingOptions = new TrackingOptions();

    @Mixin
    RuntimeOptions runtime = new RuntimeOptions();

    @Override
    RuntimeOptions runtimeOptions() {
        return runtime;
    }

    /** The markdown report, printed instead of the result fields without --json. */
    private String markdown = "";

    @Override
    TrackingOptions trackingOptions() {
        return trackingOptions;
    }

    public StudyCommand(DatasetLoader datasets) {
        if (datasets == null) {
            throw new IllegalArgumentException("study needs a data-set loader");
        }
        this.datasets = datasets;
    }

    @Override
    protected Map<String, Object> execute(PrintWriter log) throws Exception {
        StudyConfig study = studyConfig();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--out': " + out
                    + " is a file, not a directory");
        }
        Files.createDirectories(out);
        DatasetSource source = checkedData(study);
        int runs = StudyRunTracker.methodRuns(study);
        log.printf(Locale.ROOT, "study %s: %s x %s x seeds %s, %d method runs -> %s%n", study.name(),
                study.datasets(), study.emphases().stream().map(CostEmphasis::id).toList(), study.seeds(), runs,
                out.toAbsolutePath());
        log.flush();

        StudyReport report = new StudyRunner(study, source, runtime.progress(log).study("study", runs,
                new StudyRunTracker(tracking, log, runs)), line -> {
            log.println(line);
            log.flush();
        }).run();

        markdown = report.markdown();
        Map<String, byte[]> files = files(report);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Files.write(out.resolve(file.getKey()), file.getValue());
            tracking.artifact(file.getKey(), file.getValue());
        }
        logTable(report);
        log.println("wrote " + out.toAbsolutePath());
        log.flush();
        if (report.results().stream().allMatch(r -> r.failed())) {
            throw new IllegalStateException("every method of every cell failed; first: "
                    + report.results().get(0).failure() + " (the report is in " + out.toAbsolutePath() + ")");
        }
        return result(report);
    }

    @Override
    protected String text(Map<String, Object> result) {
        return markdown;
    }

    /** The configuration: --config or --profile (quick by default), then the flags over it. */
    private StudyConfig studyConfig() {
        if (config != null && profile != null) {
            throw new ParameterException(spec.commandLine(), "Give --config or --profile, not both (a study.yaml "
                    + "names its profile with the key 'profile')");
        }
        StudyConfig base;
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--config': no such file "
                        + config.toAbsolutePath());
            }
            try {
                base = StudyYaml.load(config);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--config': cannot read "
                        + config.toAbsolutePath() + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--config': "
                        + e.getMessage());
            }
        } else {
            try {
                base = StudyConfig.profile(profile == null ? "quick" : profile);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--profile': "
                        + e.getMessage());
            }
        }
        StudyConfig.Builder b = base.toBuilder();
        if (datasetSpecs != null) {
            b.datasets(datasetSpecs);
        }
        if (seeds != null) {
            b.seeds(seeds);
        }
        if (emphases != null) {
            b.emphases(emphases);
        }
        if (threads != null) {
            b.threads(threads);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid options: " + e.getMessage());
        }
    }

    /**
     * Loads every data set once, now, so that a bad one is the user's input error before any work; the runner
     * then gets each from here. Only the first is kept in memory (the runner asks for it first): the others are
     * read again when their turn comes, so that the paper's five data sets are never in memory together.
     */
    private DatasetSource checkedData(StudyConfig study) {
        Map<String, Dataset> kept = new HashMap<>();
        for (String d : study.datasets()) {
            Dataset loaded;
            try {
                loaded = load(d);
            } catch (IllegalArgumentException | DataException e) {
                throw new ParameterException(spec.commandLine(), "Invalid data set '" + d + "'"
                        + (datasetSpecs != null ? " (--datasets)" : config != null ? " (in " + config + ")" : "")
                        + ": " + e.getMessage());
            }
            if (kept.isEmpty()) {
                kept.put(d, loaded);
            }
        }
        return spec -> {
            Dataset first = kept.remove(spec);
            return first != null ? first : load(spec);
        };
    }

    /** A data spec through the command line's loader, with seed 0 as {@link DatasetSource#DEFAULT}. */
    private Dataset load(String dataSpec) {
        TrainingData d = datasets.load(dataSpec, 0L);
        return Dataset.of(d.name(), d.train(), d.validation(), d.test(), "autonf --data " + dataSpec);
    }

    /** The report's files by name, in {@link #ARTIFACTS} order. */
    private static Map<String, byte[]> files(StudyReport report) {
        byte[] pareto = StudyCharts.pareto(report);
        byte[] convergence = StudyCharts.convergence(report);
        Map<String, byte[]> charts = new LinkedHashMap<>();
        charts.put("Pareto: cost against density and test NLL", pareto);
        charts.put("Convergence: best objective against compute", convergence);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("study.md", utf8(report.markdown()));
        files.put("study.csv", utf8(report.csv()));
        files.put("cells.csv", utf8(report.cellsCsv()));
        files.put("convergence.csv", utf8(report.convergenceCsv()));
        files.put("study.html", utf8(report.html(charts)));
        files.put("pareto.png", pareto);
        files.put("convergence.png", convergence);
        return files;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Table 1's rows and the convergence rows as the study run's metrics (non-finite values are skipped). */
    private void logTable(StudyReport report) {
        Map<String, String> prefixes = metricPrefixes(report.config().datasets());
        for (StudyReport.Row row : report.rows()) {
            String p = prefixes.get(row.dataset()) + "/" + row.emphasis().id() + "/" + row.method().label() + "/";
            tracking.metric(p + "test_nll", row.testNll().mean());
            tracking.metric(p + "test_nll_std", row.testNll().std());
            tracking.metric(p + "test_nll_error", row.testNllError().mean());
            tracking.metric(p + "density", row.density().mean());
            tracking.metric(p + "coverage", row.coverage().mean());
            tracking.metric(p + "cost_us", row.costMicros().mean());
            tracking.metric(p + "fom", row.fom().mean());
            tracking.metric(p + "fom_std", row.fom().std());
            tracking.metric(p + "layer_evaluations", row.layerEvaluations().mean());
            tracking.metric(p + "wall_time_s", row.wallTimeSeconds().mean());
            tracking.metric(p + "seeds_ok", row.succeeded());
        }
        for (StudyReport.ConvergenceRow row : report.convergenceRows()) {
            String p = prefixes.get(row.dataset()) + "/" + row.emphasis().id() + "/";
            tracking.metric(p + "convergence_fraction", row.fraction().mean());
            tracking.metric(p + "convergence_reached", row.reached());
            tracking.metric(p + "convergence_final_reached", row.finalReached());
            tracking.metric(p + "convergence_compared", row.cells());
            tracking.metric(p + "autonf_final_objective", row.autonfFinalObjective().mean());
            tracking.metric(p + "ga_best_objective", row.gaBestObjective().mean());
        }
    }

    /**
     * A metric-key prefix per data spec: the spec itself, or for {@code power:/data/maf} its name {@code power}
     * (a path has no place in a metric key) unless two specs share the name; characters MLflow refuses become '_'.
     */
    static Map<String, String> metricPrefixes(List<String> specs) {
        Map<String, Integer> names = new HashMap<>();
        for (String s : specs) {
            names.merge(shortName(s), 1, Integer::sum);
        }
        Map<String, String> prefixes = new LinkedHashMap<>();
        for (String s : specs) {
            String name = names.get(shortName(s)) == 1 ? shortName(s) : s;
            prefixes.put(s, name.replaceAll("[^A-Za-z0-9_\\-. ]", "_"));
        }
        return prefixes;
    }

    private static String shortName(String spec) {
        int colon = spec.indexOf(':');
        return colon > 0 ? spec.substring(0, colon) : spec;
    }

    /** The result fields: settings, Table 1, the convergence comparison and the files. */
    private Map<String, Object> result(StudyReport report) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", report.config().name());
        r.put("datasets", report.config().datasets());
        r.put("emphases", report.config().emphases().stream().map(CostEmphasis::id).toList());
        r.put("seeds", report.config().seeds());
        r.put("method_runs", report.results().size());
        r.put("failed_method_runs", report.results().stream().filter(m -> m.failed()).count());
        r.put("wall_time_s", report.wallTime().toNanos() / 1e9);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (StudyReport.Row row : report.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dataset", row.dataset());
            m.put("emphasis", row.emphasis().id());
            m.put("method", row.method().label());
            m.put("seeds", row.cells());
            m.put("succeeded", row.succeeded());
            m.put("architectures", row.architectures());
            m.put("test_nll", stat(row.testNll()));
            m.put("test_nll_error", stat(row.testNllError()));
            m.put("density", stat(row.density()));
            m.put("coverage", stat(row.coverage()));
            m.put("cost_us", stat(row.costMicros()));
            m.put("fom", stat(row.fom()));
            m.put("layer_evaluations", stat(row.layerEvaluations()));
            m.put("wall_time_s", stat(row.wallTimeSeconds()));
            m.put("failures", row.failures());
            rows.add(m);
        }
        r.put("table", rows);
        List<Map<String, Object>> convergence = new ArrayList<>();
        for (StudyReport.ConvergenceRow row : report.convergenceRows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dataset", row.dataset());
            m.put("emphasis", row.emphasis().id());
            m.put("compared", row.cells());
            m.put("reached", row.reached());
            m.put("fraction", stat(row.fraction()));
            m.put("autonf_final_objective", stat(row.autonfFinalObjective()));
            m.put("ga_best_objective", stat(row.gaBestObjective()));
            convergence.add(m);
        }
        r.put("convergence", convergence);
        List<Map<String, Object>> cells = new ArrayList<>();
        for (Convergence c : report.convergences()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cell", c.cell().label());
            m.put("reached", c.reached());
            m.put("fraction", nullIfNaN(c.fraction()));
            m.put("failure", c.failure());
            cells.add(m);
        }
        r.put("convergence_cells", cells);
        r.put("out", out.toAbsolutePath().toString());
        r.put("files", ARTIFACTS.stream().map(f -> out.resolve(f).toAbsolutePath().toString()).toList());
        return r;
    }

    /** Mean, std and n; JSON has no NaN, so missing numbers are null. */
    private static Map<String, Object> stat(StudyReport.Stat s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", nullIfNaN(s.mean()));
        m.put("std", nullIfNaN(s.std()));
        m.put("n", s.n());
        return m;
    }

    private static Double nullIfNaN(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
