package io.autonf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonf.mlflow.Metric;
import io.autonf.mlflow.MlflowServerStore;
import io.autonf.mlflow.MlflowTestServer;
import io.autonf.mlflow.RunStatus;
import io.autonf.mlflow.Tag;
import io.autonf.mlflow.TrackedRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code autonf compare}: bad input without a server, and the gate against a real {@code mlflow server}
 * (skipped locally without {@code mlflow} on PATH, failing when {@code CI} is set).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CompareCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNUSED_ID = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private record Outcome(int exitCode, String stdout, String stderr) {
    }

    private static Outcome run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AutoNf.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), List.of(new CompareCommand(environment)));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Outcome shipped(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AutoNf.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), AutoNf.availableCommands());
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMissingLocalStoreOrAnUnreachableServerIsBadInput() throws Exception {
        Path absent = dir.resolve("absent");
        Outcome o = run(Map.of("MLFLOW_TRACKING_URI", absent.toString()), "compare", "--baseline", UNUSED_ID,
                "--candidate", UNUSED_ID, "--metric", "test_nll:max_increase=0.02");
        assertEquals(ExitCodes.BAD_INPUT, o.exitCode(), o.stderr());
        assertTrue(o.stderr().contains("no MLflow file store at " + absent), o.stderr());

        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        // Exit 1 means a measured regression only: a gate that cannot read its runs says 2.
        Outcome unreachable = run(Map.of(), "compare", "--tracking-uri", "http://127.0.0.1:" + port,
                "--baseline", UNUSED_ID, "--candidate", UNUSED_ID, "--metric", "test_nll:max_increase=0.02");
        assertEquals(ExitCodes.BAD_INPUT, unreachable.exitCode(), unreachable.stderr());
        assertTrue(unreachable.stderr().contains("unreachable"), unreachable.stderr());
    }

    @Test
    void aMalformedRuleIsBadInputBeforeAnyServerIsAsked() throws Exception {
        // Port 9 (discard) on loopback: nothing is contacted because the rule is rejected first.
        Outcome o = run(Map.of("MLFLOW_TRACKING_URI", "http://127.0.0.1:9"), "compare", "--baseline", UNUSED_ID,
                "--candidate", UNUSED_ID, "--metric", "test_nll:max_rise=0.02", "--json");
        assertEquals(ExitCodes.BAD_INPUT, o.exitCode(), o.stderr());
        assertTrue(o.stderr().contains("unknown rule 'max_rise'"), o.stderr());
        JsonNode error = JSON.readTree(o.stdout());
        assertEquals("error", error.path("status").asText());
        assertEquals(2, error.path("exit_code").asInt());
    }

    @Test
    void theShippedToolHasTheCommand() {
        Outcome o = shipped("compare", "--help");
        assertEquals(ExitCodes.OK, o.exitCode(), o.stderr());
        assertTrue(o.stdout().contains("--baseline") && o.stdout().contains("max_increase"), o.stdout());
    }

    @Test
    void gatesTwoRunsOfARealServer() throws Exception {
        try (MlflowTestServer server = MlflowTestServer.start(dir)) {
            URI uri = server.uri();
            MlflowServerStore store = new MlflowServerStore(uri, Map.of());
            String experiment = store.experimentId("autonf-compare");
            String older = loggedRun(store, experiment, "older-main", "main",
                    Map.of("test_nll", 5.0, "cost/forward", 1.0, "density", 0.1));
            String baseline = loggedRun(store, experiment, "baseline", "main",
                    Map.of("test_nll", 1.00, "cost/forward", 100.0, "density", 0.90));
            String candidate = loggedRun(store, experiment, "candidate", "feature",
                    Map.of("test_nll", 1.02, "cost/forward", 104.0, "density", 0.95));
            assertFalse(older.equals(baseline));
            String uriText = uri.toString();

            Outcome allowed = shipped("compare", "--tracking-uri", uriText, "--baseline", baseline,
                    "--candidate", candidate, "--metric", "test_nll:max_increase=0.02",
                    "--metric", "cost/forward:max_increase=5%", "--metric", "density:max_decrease=1%");
            assertEquals(ExitCodes.OK, allowed.exitCode(), allowed.stderr() + allowed.stdout());
            assertTrue(allowed.stdout().contains("| metric | baseline | candidate | change | rule | verdict |"),
                    allowed.stdout());
            assertTrue(allowed.stdout().contains("| `test_nll` | 1.00000 | 1.02000 | +0.0200000 (+2.00%) "
                    + "| max_increase=0.02 | pass |"), allowed.stdout());
            assertTrue(allowed.stdout().contains("no regression"), allowed.stdout());

            Outcome regressed = shipped("compare", "--tracking-uri", uriText, "--baseline", baseline,
                    "--candidate", candidate, "--metric", "test_nll:max_increase=0.01",
                    "--metric", "cost/forward:max_increase=5%");
            assertEquals(CompareCommand.REGRESSED, regressed.exitCode(), regressed.stderr());
            assertTrue(regressed.stdout().contains("| `test_nll` | 1.00000 | 1.02000 | +0.0200000 (+2.00%) "
                    + "| max_increase=0.01 | **REGRESSION** |"), regressed.stdout());
            assertTrue(regressed.stdout().contains("| `cost/forward` | 100.000 | 104.000 | +4.00000 (+4.00%) "
                    + "| max_increase=5% | pass |"), regressed.stdout());

            Outcome json = run(Map.of("MLFLOW_TRACKING_URI", uriText), "compare", "--baseline", baseline,
                    "--candidate", candidate, "--metric", "test_nll:max_increase=0.01", "--json");
            assertEquals(CompareCommand.REGRESSED, json.exitCode(), json.stderr());
            JsonNode result = JSON.readTree(json.stdout());
            assertEquals("regression", result.path("verdict").asText());
            assertEquals(1.02, result.path("rows").get(0).path("candidate").asDouble(), 1e-12);
            assertEquals("regression", result.path("rows").get(0).path("verdict").asText());

            Outcome unknown = shipped("compare", "--tracking-uri", uriText, "--baseline", UNUSED_ID,
                    "--candidate", candidate, "--metric", "test_nll:max_increase=0.02");
            assertEquals(ExitCodes.BAD_INPUT, unknown.exitCode(), unknown.stderr());
            assertTrue(unknown.stderr().contains("--baseline run '" + UNUSED_ID + "'"), unknown.stderr());

            Outcome missing = shipped("compare", "--tracking-uri", uriText, "--baseline", baseline,
                    "--candidate", candidate, "--metric", "fom:max_decrease=1%");
            assertEquals(ExitCodes.BAD_INPUT, missing.exitCode(), missing.stderr());
            assertTrue(missing.stderr().contains("'fom' is missing in the baseline run"), missing.stderr());

            // A filter picks the newest FINISHED run on main: 'baseline' (created after 'older-main').
            Outcome filtered = shipped("compare", "--tracking-uri", uriText, "--experiment", "autonf-compare",
                    "--baseline", "tags.branch = 'main'", "--candidate", candidate,
                    "--metric", "test_nll:max_increase=0.02", "--json");
            assertEquals(ExitCodes.OK, filtered.exitCode(), filtered.stderr());
            assertEquals(baseline, JSON.readTree(filtered.stdout()).path("baseline_run").asText());
        }
    }

    private static String loggedRun(MlflowServerStore store, String experiment, String name, String branch,
                                    Map<String, Double> finalValues) throws InterruptedException {
        long start = System.currentTimeMillis();
        TrackedRun run = store.createRun(experiment, name, Map.of("mlflow.runName", name, "branch", branch), start);
        List<Metric> metrics = new ArrayList<>();
        // An earlier, different value per metric: the gate must read the latest one.
        finalValues.forEach((key, value) -> {
            metrics.add(new Metric(key, value * 3 + 7, start, 0));
            metrics.add(new Metric(key, value, start + 1, 1));
        });
        store.logBatch(run.runId(), metrics, List.of(), List.<Tag>of());
        store.finishRun(run.runId(), RunStatus.FINISHED, System.currentTimeMillis());
        Thread.sleep(5); // distinct start times, so "newest" is well defined
        return run.runId();
    }
}
