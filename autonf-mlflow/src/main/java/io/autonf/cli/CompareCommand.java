package io.autonf.cli;

import io.autonf.mlflow.MetricRule;
import io.autonf.mlflow.RegressionGate;
import io.autonf.mlflow.RunOrder;
import io.autonf.mlflow.RunQueries;
import io.autonf.mlflow.RunRecord;
import io.autonf.mlflow.TrackingException;
import io.autonf.mlflow.TrackingLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code autonf compare}: the CI regression gate. Reads the latest metric values of a baseline run and a
 * candidate run from an MLflow tracking server or the local file store (resolved like the tracking commands
 * resolve {@code --tracking-uri}), applies the {@code --metric} rules ({@link RegressionGate}) and
 * prints a markdown table for a CI job summary. Exit 0: nothing regressed; 1: a rule measured a regression;
 * 2: the gate could not decide (unknown run, missing metric, malformed rule, no or unreachable server). An
 * unreachable server is 2, not 1, so that exit 1 always means a measured regression.
 */
@Command(name = "compare", sortOptions = false,
        description = "CI regression gate: compare a candidate run's metrics with a baseline run's and exit 1 on a "
                + "regression (0 when none, 2 on bad input). Prints a markdown table for a CI job summary.")
final class CompareCommand implements Callable<Integer> {

    static final int REGRESSED = 1;

    /** MLflow run ids are 32 lowercase hex digits; anything else given as --baseline is a search filter. */
    private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{32}");

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "MLflow tracking server http(s)://host:port, or a local store file:DIR / DIR "
                    + "(default: $MLFLOW_TRACKING_URI, else the local store ./mlruns).")
    String trackingUri;

    @Option(names = "--baseline", required = true, paramLabel = "RUN",
            description = "The baseline run id, or an MLflow filter string (e.g. \"tags.branch = 'main'\") picking the "
                    + "latest FINISHED run matching it in --experiment.")
    String baseline;

    @Option(names = "--candidate", required = true, paramLabel = "RUN_ID", description = "The candidate run id.")
    String candidate;

    @Option(names = "--experiment", paramLabel = "NAME",
            description = "Experiment searched when --baseline is a filter.")
    String experiment;

    @Option(names = "--metric", required = true, paramLabel = "RULE",
            description = "A rule METRIC:max_increase=X, METRIC:max_increase=X%%, METRIC:max_decrease=X or "
                    + "METRIC:max_decrease=X%% (percent of the baseline); repeatable.")
    List<String> rules = new ArrayList<>();

    @Option(names = "--json", description = "Print the rows and the verdict as one JSON object on stdout.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;

    /** @param environment where {@code MLFLOW_TRACKING_URI} and the credentials are read (the process's in the tool) */
    CompareCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    @Override
    public Integer call() {
        RegressionGate gate = RegressionGate.parse(rules);
        RunQueries store = open();
        String baselineId = RUN_ID.matcher(baseline).matches() ? baseline : latestFinishedRun(store, baseline);
        PrintWriter log = spec.commandLine().getErr();
        log.println("compare: baseline run " + baselineId + ", candidate run " + candidate + " at " + store.location());
        log.flush();
        Map<String, Double> baselineMetrics = latestMetrics(store, baselineId, "--baseline");
        Map<String, Double> candidateMetrics = latestMetrics(store, candidate, "--candidate");
        RegressionGate.Verdict verdict = gate.evaluate(baselineMetrics, candidateMetrics);

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("baseline_run", baselineId);
            result.put("candidate_run", candidate);
            result.put("verdict", verdict.regressed() ? "regression" : "pass");
            result.put("regressed", verdict.regressed());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (MetricRule.Comparison c : verdict.rows()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("metric", c.rule().metric());
                row.put("baseline", c.baseline());
                row.put("candidate", c.candidate());
                row.put("change", c.change());
                row.put("relative_change_percent", Double.isNaN(c.relativeChange()) ? null : c.relativeChange());
                row.put("rule", c.rule().text());
                row.put("verdict", c.passed() ? "pass" : "regression");
                rows.add(row);
            }
            result.put("rows", rows);
            Results.printJson(out, spec.name(), result);
        } else {
            out.println("### Regression gate: " + (verdict.regressed() ? "REGRESSION" : "no regression"));
            out.println();
            out.println("Baseline run `" + baselineId + "`, candidate run `" + candidate + "`.");
            out.println();
            out.print(verdict.markdown());
            out.flush();
        }
        return verdict.regressed() ? REGRESSED : ExitCodes.OK;
    }

    /** The store, or bad input: the gate cannot decide without one, and exit 1 must mean a measured regression. */
    private RunQueries open() {
        try {
            return TrackingLocation.resolve(trackingUri, environment).openQueries(environment);
        } catch (TrackingException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The latest value of every metric of a run, as the store reports them. */
    private static Map<String, Double> latestMetrics(RunQueries store, String runId, String option) {
        try {
            return store.getRun(runId).latestMetrics();
        } catch (TrackingException e) {
            throw new IllegalArgumentException("cannot read " + option + " run '" + runId + "': " + e.getMessage(), e);
        }
    }

    /** The newest FINISHED run matching {@code filter} in --experiment. */
    private String latestFinishedRun(RunQueries store, String filter) {
        if (experiment == null || experiment.isBlank()) {
            throw new IllegalArgumentException("--baseline '" + filter + "' is not a run id (32 hex digits), so it is "
                    + "read as a filter, which needs --experiment");
        }
        String experimentId;
        try {
            experimentId = store.findExperimentId(experiment).orElseThrow(() -> new IllegalArgumentException(
                    "cannot find experiment '" + experiment + "' in " + store.location()));
        } catch (TrackingException e) {
            throw new IllegalArgumentException("cannot find experiment '" + experiment + "': " + e.getMessage(), e);
        }
        // MLflow filters know only AND (no OR, no parentheses), so appending a clause cannot change the meaning.
        String combined = "attributes.status = 'FINISHED' AND " + filter;
        List<RunRecord> runs;
        try {
            runs = store.searchRuns(experimentId, combined, RunOrder.NEWEST_FIRST, 1);
        } catch (TrackingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot search experiment '" + experiment + "' with --baseline filter '"
                    + filter + "': " + e.getMessage(), e);
        }
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no FINISHED run in experiment '" + experiment + "' matches --baseline '"
                    + filter + "'");
        }
        return runs.get(0).runId();
    }
}
