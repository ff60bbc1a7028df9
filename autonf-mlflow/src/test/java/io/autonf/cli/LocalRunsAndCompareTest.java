package io.autonf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonf.mlflow.BatchLogger;
import io.autonf.mlflow.LocalFileStore;
import io.autonf.mlflow.Metric;
import io.autonf.mlflow.Param;
import io.autonf.mlflow.RunRecord;
import io.autonf.mlflow.RunStatus;
import io.autonf.mlflow.RunTags;
import io.autonf.mlflow.SearchRunTracker;
import io.autonf.mlflow.Tag;
import io.autonf.mlflow.TrackedRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code autonf runs} and {@code autonf compare} on the zero-server local store, written by the real tracking:
 * two {@code train} commands of the shipped tool and a nested run logged by {@link SearchRunTracker} under the
 * first.
 */
class LocalRunsAndCompareTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Outcome(int exitCode, String stdout, String stderr) {
    }

    private static Outcome shipped(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<Object> commands = new java.util.ArrayList<>(AutoNf.availableCommands());
        commands.replaceAll(c -> c instanceof RunsCommand ? new RunsCommand(environment)
                : c instanceof CompareCommand ? new CompareCommand(environment) : c);
        int code = AutoNf.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), commands);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private String train(Path store, String name, String arch) {
        Outcome o = shipped(Map.of(), "train", "--data", "power-sample", "--arch", arch, "--hidden", "8",
                "--steps", "10", "--batch", "64", "--val-every", "5", "--tracking-uri", "file:" + store,
                "--experiment", "local-gate", "--run-name", name, "--json");
        assertEquals(ExitCodes.OK, o.exitCode(), o.stderr());
        List<RunRecord> runs = LocalFileStore.openExisting(store).searchRuns(
                LocalFileStore.openExisting(store).findExperimentId("local-gate").orElseThrow(),
                "attributes.run_name = '" + name + "'", null, 10);
        assertEquals(1, runs.size(), name);
        return runs.get(0).runId();
    }

    @Test
    void aTagGivenOnTheCommandLineSelectsTheBaselineAndABadTagKeyIsBadInput() throws Exception {
        Path store = dir.resolve("tagged");
        Outcome tagged = shipped(Map.of(), "train", "--data", "power-sample", "--arch", "maf", "--hidden", "8",
                "--steps", "5", "--batch", "64", "--val-every", "5", "--tracking-uri", "file:" + store,
                "--experiment", "tags", "--run-name", "nightly", "--tag", "branch=main", "--tag", "ci=yes", "--json");
        assertEquals(ExitCodes.OK, tagged.exitCode(), tagged.stderr());
        LocalFileStore files = LocalFileStore.openExisting(store);
        String experimentId = files.findExperimentId("tags").orElseThrow();
        List<RunRecord> onMain = files.searchRuns(experimentId, "tags.branch = 'main'", null, 10);
        assertEquals(1, onMain.size());
        assertEquals("yes", onMain.get(0).tags().get("ci"));
        assertFalse(onMain.get(0).params().containsKey("cli.tag"), "a tag is no param");
        JsonNode printed = JSON.readTree(tagged.stdout());
        assertEquals(onMain.get(0).runId(), printed.path("mlflow_run_id").asText(), "the printed run id");
        assertEquals(experimentId, printed.path("mlflow_experiment_id").asText());
        Outcome gate = shipped(Map.of(), "compare", "--tracking-uri", "file:" + store, "--experiment", "tags",
                "--baseline", "tags.branch = 'main'", "--candidate", onMain.get(0).runId(),
                "--metric", "test_nll:max_increase=0");
        assertEquals(ExitCodes.OK, gate.exitCode(), gate.stderr() + gate.stdout());

        Outcome bad = shipped(Map.of(), "train", "--data", "power-sample", "--arch", "maf", "--steps", "5",
                "--tracking-uri", "file:" + store, "--experiment", "tags", "--tag", "bad key!=x");
        assertEquals(ExitCodes.BAD_INPUT, bad.exitCode(), bad.stderr());
        assertTrue(bad.stderr().contains("--tag"), bad.stderr());
        assertEquals(1, files.searchRuns(experimentId, null, null, 10).size(), "no run for bad input");
    }

    @Test
    void listsAndGatesRunsOfTheLocalStoreIncludingANestedOne() throws Exception {
        Path store = dir.resolve("mlruns");
        String baseline = train(store, "baseline", "maf");
        Thread.sleep(5);
        String candidate = train(store, "candidate", "affine-c");
        Thread.sleep(5);
        LocalFileStore files = LocalFileStore.openExisting(store);
        String experimentId = files.findExperimentId("local-gate").orElseThrow();
        TrackedRun child = files.createRun(experimentId, "retrain-nested",
                RunTags.forRun("retrain-nested", "autonf search", baseline, "0.1.0-test", null),
                System.currentTimeMillis());
        BatchLogger logger = new BatchLogger(files, child);
        SearchRunTracker tracker = new SearchRunTracker(logger);
        for (int step = 1; step <= 5; step++) {
            tracker.onStep(step, 1e-3, 2.0 - step * 0.1, 0.5);
        }
        logger.log(List.of(new Metric("test_nll", 7.5, System.currentTimeMillis(), 0)), List.of(new Param("seed", "3")),
                List.<Tag>of());
        tracker.finish(RunStatus.FINISHED, null);
        double baselineNll = files.getRun(baseline).latestMetrics().get("test_nll");
        double candidateNll = files.getRun(candidate).latestMetrics().get("test_nll");

        // runs: the default table, newest first; the nested run shows its parent.
        Map<String, String> env = Map.of("MLFLOW_TRACKING_URI", "file:" + store);
        Outcome table = shipped(env, "runs", "--experiment", "local-gate", "--metric", "test_nll");
        assertEquals(ExitCodes.OK, table.exitCode(), table.stderr());
        String[] lines = table.stdout().split("\\R");
        assertEquals(4, lines.length, table.stdout());
        assertTrue(lines[0].matches("run +name +status +start \\(UTC\\) +architecture +parent +test_nll"), lines[0]);
        assertTrue(lines[1].startsWith(child.runId().substring(0, 8) + "  retrain-nested")
                && lines[1].contains(" FINISHED ") && lines[1].contains(" " + baseline.substring(0, 8) + " ")
                && lines[1].endsWith(" 7.50000"), lines[1]);
        assertTrue(lines[2].startsWith(candidate.substring(0, 8) + "  candidate") && lines[2].contains("affine-c"),
                lines[2]);
        assertTrue(lines[3].startsWith(baseline.substring(0, 8) + "  baseline") && lines[3].contains(" maf "),
                lines[3]);

        // JSON with a filter on the local store: the children of the baseline run.
        Outcome children = shipped(Map.of(), "runs", "--tracking-uri", store.toString(), "--experiment", "local-gate",
                "--filter", "tags.mlflow.parentRunId = '" + baseline + "' AND metrics.`loss/train` < 2", "--json");
        assertEquals(ExitCodes.OK, children.exitCode(), children.stderr());
        JsonNode listed = JSON.readTree(children.stdout());
        assertEquals(store.toAbsolutePath().toString(), listed.path("tracking_uri").asText());
        assertEquals(1, listed.path("runs").size(), children.stdout());
        assertEquals(child.runId(), listed.path("runs").get(0).path("run_id").asText());
        assertEquals(baseline, listed.path("runs").get(0).path("parent_run_id").asText());

        // An unsupported filter is refused, never ignored.
        Outcome refused = shipped(env, "runs", "--experiment", "local-gate", "--filter",
                "tags.branch = 'main' OR tags.branch = 'dev'");
        assertEquals(ExitCodes.BAD_INPUT, refused.exitCode(), refused.stderr());
        assertTrue(refused.stderr().contains("OR is not supported"), refused.stderr());
        Outcome unknown = shipped(env, "runs", "--experiment", "no-such-experiment");
        assertEquals(ExitCodes.BAD_INPUT, unknown.exitCode(), unknown.stderr());
        assertTrue(unknown.stderr().contains("cannot find experiment 'no-such-experiment'"), unknown.stderr());

        // compare: a limit wider than the change passes (0), a tighter one regresses (1).
        double change = Math.abs(candidateNll - baselineNll);
        Outcome pass = shipped(env, "compare", "--baseline", baseline, "--candidate", candidate,
                "--metric", "test_nll:max_increase=" + (change + 1), "--json");
        assertEquals(ExitCodes.OK, pass.exitCode(), pass.stderr());
        JsonNode verdict = JSON.readTree(pass.stdout());
        assertEquals(baselineNll, verdict.path("rows").get(0).path("baseline").asDouble(), 0.0);
        assertEquals(candidateNll, verdict.path("rows").get(0).path("candidate").asDouble(), 0.0);
        String direction = candidateNll >= baselineNll ? "max_increase" : "max_decrease";
        Outcome regressed = shipped(Map.of(), "compare", "--tracking-uri", "file:" + store, "--baseline", baseline,
                "--candidate", candidate, "--metric", "test_nll:" + direction + "=" + change / 2);
        assertEquals(CompareCommand.REGRESSED, regressed.exitCode(), regressed.stderr() + regressed.stdout());
        assertTrue(regressed.stdout().contains("**REGRESSION**"), regressed.stdout());

        // A filter as baseline: the newest FINISHED top-level run named 'baseline'.
        Outcome byFilter = shipped(env, "compare", "--experiment", "local-gate", "--baseline",
                "attributes.run_name = 'baseline'", "--candidate", child.runId(),
                "--metric", "test_nll:max_increase=100", "--json");
        assertEquals(ExitCodes.OK, byFilter.exitCode(), byFilter.stderr());
        assertEquals(baseline, JSON.readTree(byFilter.stdout()).path("baseline_run").asText());

        Outcome missing = shipped(env, "compare", "--baseline", baseline, "--candidate", "f".repeat(32),
                "--metric", "test_nll:max_increase=1");
        assertEquals(ExitCodes.BAD_INPUT, missing.exitCode(), missing.stderr());
        assertTrue(missing.stderr().contains("cannot read --candidate run '" + "f".repeat(32) + "'"), missing.stderr());
    }
}
