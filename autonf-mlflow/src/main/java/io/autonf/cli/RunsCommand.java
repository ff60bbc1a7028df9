package io.autonf.cli;

import io.autonf.mlflow.RunOrder;
import io.autonf.mlflow.RunQueries;
import io.autonf.mlflow.RunRecord;
import io.autonf.mlflow.TrackingException;
import io.autonf.mlflow.TrackingLocation;
import io.autonf.mlflow.TrackingUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * {@code autonf runs}: the runs of an experiment, newest first, with their key metrics, as an aligned table or one
 * JSON object; from a tracking server or the local file store, resolved like the tracking commands resolve
 * {@code --tracking-uri}. A nested run shows its parent's short id in the parent column.
 * Exit 2 for bad input (unknown experiment or store, a filter the store rejects, with its message); 1 when the
 * server cannot be reached.
 */
@Command(name = "runs", sortOptions = false,
        description = "List the runs of an MLflow experiment (server or local store), newest first, with their key metrics.")
final class RunsCommand implements Callable<Integer> {

    /** The metrics shown unless --metric says otherwise; a run lacking one shows a blank. */
    static final List<String> DEFAULT_METRICS = List.of("test_nll", "found/test_nll", "density", "found/density",
            "fom", "wall_time_s");

    /** runs/search returns at most this many runs per page. */
    private static final int SERVER_PAGE_LIMIT = 50_000;

    private static final DateTimeFormatter START_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final int SHORT_ID = 8;

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "MLflow tracking server http(s)://host:port, or a local store file:DIR / DIR "
                    + "(default: $MLFLOW_TRACKING_URI, else the local store ./mlruns).")
    String trackingUri;

    @Option(names = "--experiment", paramLabel = "NAME", defaultValue = "autonf",
            description = "The experiment whose runs are listed (default: ${DEFAULT-VALUE}).")
    String experiment;

    @Option(names = "--filter", paramLabel = "FILTER",
            description = "An MLflow search filter, e.g. \"metrics.test_nll < 1.5 and tags.`autonf.architecture` LIKE '%%rq%%'\" "
                    + "(the local store understands metrics, params, tags, status, run_name and times joined by AND).")
    String filter;

    @Option(names = "--max", paramLabel = "N", defaultValue = "20",
            description = "At most this many runs (default: ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--metric", paramLabel = "KEY", split = ",",
            description = "Metrics shown as columns, comma separated or repeated (default: test_nll, found/test_nll, "
                    + "density, found/density, fom, wall_time_s).")
    List<String> metrics;

    @Option(names = "--json", description = "Print one JSON object with a 'runs' array on stdout.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;

    /** @param environment where {@code MLFLOW_TRACKING_URI} and the credentials are read (the process's in the tool) */
    RunsCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    /** One listed run; {@code metrics} maps every chosen key to its latest value or null. */
    record RunRow(String runId, String runName, String status, long startTimeMillis, String architecture,
                  String parentRunId, Map<String, Double> metrics) {
    }

    @Override
    public Integer call() {
        if (max < 1 || max > SERVER_PAGE_LIMIT) {
            throw new IllegalArgumentException("--max must be between 1 and " + SERVER_PAGE_LIMIT + ", got " + max);
        }
        List<String> keys = metricKeys();
        if (experiment == null || experiment.isBlank()) {
            throw new IllegalArgumentException("--experiment is empty");
        }
        RunQueries store = TrackingLocation.resolve(trackingUri, environment).openQueries(environment);
        String experimentId = experimentId(store);
        List<RunRecord> found;
        try {
            found = store.searchRuns(experimentId, filter == null ? "" : filter, RunOrder.NEWEST_FIRST, max);
        } catch (TrackingException | IllegalArgumentException e) {
            throw badInputUnlessUnreachable(e, "cannot list the runs of experiment '" + experiment + "'"
                    + (filter == null ? "" : " with --filter '" + filter + "'"));
        }
        List<RunRow> rows = new ArrayList<>();
        for (RunRecord run : found) {
            rows.add(row(run, keys));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("tracking_uri", store.location());
            result.put("experiment", experiment);
            result.put("experiment_id", experimentId);
            result.put("metrics", keys);
            List<Map<String, Object>> runs = new ArrayList<>();
            for (RunRow r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("run_id", r.runId());
                m.put("short_id", shortId(r.runId()));
                m.put("run_name", r.runName());
                m.put("status", r.status());
                m.put("start_time", r.startTimeMillis());
                m.put("start_time_utc", Instant.ofEpochMilli(r.startTimeMillis()).toString());
                m.put("architecture", r.architecture());
                m.put("parent_run_id", r.parentRunId());
                m.put("metrics", r.metrics());
                runs.add(m);
            }
            result.put("runs", runs);
            Results.printJson(out, spec.name(), result);
        } else {
            out.print(table(rows, keys));
            out.flush();
        }
        return ExitCodes.OK;
    }

    private List<String> metricKeys() {
        if (metrics == null || metrics.isEmpty()) {
            return DEFAULT_METRICS;
        }
        List<String> keys = new ArrayList<>();
        for (String m : metrics) {
            String key = m.strip();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("--metric has an empty key in '" + String.join(",", metrics) + "'");
            }
            if (!keys.contains(key)) {
                keys.add(key);
            }
        }
        return List.copyOf(keys);
    }

    private String experimentId(RunQueries store) {
        try {
            return store.findExperimentId(experiment).orElseThrow(() -> new IllegalArgumentException(
                    "cannot find experiment '" + experiment + "' in " + store.location()));
        } catch (TrackingException e) {
            throw badInputUnlessUnreachable(e, "cannot find experiment '" + experiment + "'");
        }
    }

    /**
     * The store refused (unknown experiment, malformed or unsupported filter): the user's input, exit 2. No
     * answer at all: the run of the command failed, exit 1, so it stays a TrackingUnavailableException.
     */
    private static RuntimeException badInputUnlessUnreachable(RuntimeException e, String what) {
        if (e instanceof TrackingUnavailableException) {
            return e;
        }
        return new IllegalArgumentException(what + ": " + e.getMessage(), e);
    }

    private static RunRow row(RunRecord run, List<String> keys) {
        Map<String, Double> chosen = new LinkedHashMap<>();
        for (String key : keys) {
            chosen.put(key, run.latestMetrics().get(key));
        }
        return new RunRow(run.runId(), run.runName(), run.status(), run.startTimeMillis(),
                run.tags().get("autonf.architecture"), run.parentRunId(), chosen);
    }

    private static String shortId(String runId) {
        return runId == null || runId.length() <= SHORT_ID ? runId : runId.substring(0, SHORT_ID);
    }

    /** An aligned table: text columns left-aligned, metric columns right-aligned, blanks where a value is missing. */
    static String table(List<RunRow> rows, List<String> keys) {
        List<String> header = new ArrayList<>(List.of("run", "name", "status", "start (UTC)", "architecture", "parent"));
        header.addAll(keys);
        int textColumns = 6;
        List<List<String>> cells = new ArrayList<>();
        cells.add(header);
        for (RunRow r : rows) {
            List<String> line = new ArrayList<>();
            line.add(shortId(r.runId()));
            line.add(r.runName());
            line.add(r.status());
            line.add(START_TIME.format(Instant.ofEpochMilli(r.startTimeMillis())));
            line.add(r.architecture() == null ? "" : r.architecture());
            line.add(r.parentRunId() == null ? "" : shortId(r.parentRunId()));
            for (String key : keys) {
                Double v = r.metrics().get(key);
                line.add(v == null ? "" : number(v));
            }
            cells.add(line);
        }
        int[] width = new int[header.size()];
        for (List<String> line : cells) {
            for (int i = 0; i < line.size(); i++) {
                width[i] = Math.max(width[i], line.get(i).length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (List<String> line : cells) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                if (i > 0) {
                    l.append("  ");
                }
                String cell = line.get(i);
                String pad = " ".repeat(width[i] - cell.length());
                l.append(i < textColumns ? cell + pad : pad + cell);
            }
            b.append(l.toString().stripTrailing()).append(System.lineSeparator());
        }
        if (rows.isEmpty()) {
            b.append("(no runs)").append(System.lineSeparator());
        }
        return b.toString();
    }

    private static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        return a >= 1e-3 && a < 1e6 ? String.format(Locale.ROOT, "%.6g", v) : String.format(Locale.ROOT, "%.4e", v);
    }
}
