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
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code autonf runs}: bad input without a server, and the listing of a real {@code mlflow server}. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RunsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Outcome(int exitCode, String stdout, String stderr) {
    }

    private static Outcome run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AutoNf.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), List.of(new RunsCommand(environment)));
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
    void aMissingLocalStoreOrAnUnsupportedUriIsBadInput() throws Exception {
        Path absent = dir.resolve("absent");
        Outcome o = run(Map.of(), "runs", "--tracking-uri", "file:" + absent, "--json");
        assertEquals(ExitCodes.BAD_INPUT, o.exitCode(), o.stderr());
        assertTrue(o.stderr().contains("no MLflow file store at " + absent), o.stderr());
        assertEquals(2, JSON.readTree(o.stdout()).path("exit_code").asInt());
        assertTrue(java.nio.file.Files.notExists(absent), "reading creates no store");

        Outcome sqlite = run(Map.of("MLFLOW_TRACKING_URI", "sqlite:///mlflow.db"), "runs");
        assertEquals(ExitCodes.BAD_INPUT, sqlite.exitCode(), sqlite.stderr());
        assertTrue(sqlite.stderr().contains("$MLFLOW_TRACKING_URI 'sqlite:///mlflow.db' is neither"), sqlite.stderr());
    }

    @Test
    void anUnreachableServerIsARunFailure() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Outcome o = run(Map.of("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + port), "runs");
        assertEquals(ExitCodes.RUN_FAILED, o.exitCode(), o.stderr());
        assertTrue(o.stderr().contains("unreachable"), o.stderr());
    }

    @Test
    void theShippedToolHasTheCommand() {
        Outcome o = shipped("runs", "--help");
        assertEquals(ExitCodes.OK, o.exitCode(), o.stderr());
        assertTrue(o.stdout().contains("--experiment") && o.stdout().contains("--filter"), o.stdout());
    }

    @Test
    void listsTheRunsOfARealServerNewestFirst() throws Exception {
        try (MlflowTestServer server = MlflowTestServer.start(dir)) {
            String uri = server.uri().toString();
            MlflowServerStore store = new MlflowServerStore(server.uri(), Map.of());
            String experiment = store.experimentId("autonf-runs");
            String parent = loggedRun(store, experiment, "search-parent", Map.of("autonf.architecture", "rq-c,lin"),
                    Map.of("found/test_nll", 1.25, "found/density", 0.5), RunStatus.FINISHED);
            String child = loggedRun(store, experiment, "retrain",
                    Map.of("autonf.architecture", "rq-c,lin", "mlflow.parentRunId", parent),
                    Map.of("test_nll", 1.5, "density", 0.75, "wall_time_s", 12.0), RunStatus.FINISHED);
            String failed = loggedRun(store, experiment, "broken", Map.of(), Map.of("test_nll", 9.0),
                    RunStatus.FAILED);

            Outcome text = shipped("runs", "--tracking-uri", uri, "--experiment", "autonf-runs");
            assertEquals(ExitCodes.OK, text.exitCode(), text.stderr());
            String[] lines = text.stdout().split("\\R");
            assertEquals(4, lines.length, text.stdout());
            assertTrue(lines[0].startsWith("run "), lines[0]);
            for (String column : List.of("name", "status", "start (UTC)", "architecture", "parent", "test_nll",
                    "found/test_nll", "density", "found/density", "fom", "wall_time_s")) {
                assertTrue(lines[0].contains(column), column + " in " + lines[0]);
            }
            assertTrue(lines[1].startsWith(failed.substring(0, 8) + "  broken") && lines[1].contains("FAILED"),
                    lines[1]);
            assertTrue(lines[2].startsWith(child.substring(0, 8) + "  retrain")
                    && lines[2].matches(".*FINISHED +\\S.* +rq-c,lin +" + parent.substring(0, 8) + " +1\\.50000 .*"), lines[2]);
            assertTrue(lines[2].endsWith("12"), lines[2]);
            assertTrue(lines[3].startsWith(parent.substring(0, 8) + "  search-parent"), lines[3]);
            // Right-aligned metric columns: the header ends where the last value (wall_time_s) ends.
            assertEquals(lines[0].length(), lines[2].length(), text.stdout());

            Outcome json = run(Map.of("MLFLOW_TRACKING_URI", uri), "runs", "--experiment", "autonf-runs",
                    "--metric", "test_nll,density", "--json");
            assertEquals(ExitCodes.OK, json.exitCode(), json.stderr());
            JsonNode result = JSON.readTree(json.stdout());
            assertEquals("ok", result.path("status").asText());
            JsonNode runs = result.path("runs");
            assertEquals(3, runs.size());
            assertEquals(List.of(failed, child, parent),
                    List.of(runs.get(0).path("run_id").asText(), runs.get(1).path("run_id").asText(),
                            runs.get(2).path("run_id").asText()));
            JsonNode c = runs.get(1);
            assertEquals(child.substring(0, 8), c.path("short_id").asText());
            assertEquals("retrain", c.path("run_name").asText());
            assertEquals("FINISHED", c.path("status").asText());
            assertEquals("rq-c,lin", c.path("architecture").asText());
            assertEquals(parent, c.path("parent_run_id").asText());
            assertEquals(1.5, c.path("metrics").path("test_nll").asDouble(), 1e-12);
            assertEquals(0.75, c.path("metrics").path("density").asDouble(), 1e-12);
            assertEquals(2, c.path("metrics").size());
            assertTrue(runs.get(2).path("metrics").path("test_nll").isNull());
            assertTrue(runs.get(2).path("parent_run_id").isNull());

            Outcome filtered = run(Map.of(), "runs", "--tracking-uri", uri, "--experiment", "autonf-runs",
                    "--filter", "attributes.status = 'FINISHED'", "--max", "1", "--json");
            assertEquals(ExitCodes.OK, filtered.exitCode(), filtered.stderr());
            JsonNode one = JSON.readTree(filtered.stdout()).path("runs");
            assertEquals(1, one.size());
            assertEquals(child, one.get(0).path("run_id").asText());

            Outcome unknown = run(Map.of(), "runs", "--tracking-uri", uri, "--experiment", "no-such-experiment");
            assertEquals(ExitCodes.BAD_INPUT, unknown.exitCode(), unknown.stderr());
            assertTrue(unknown.stderr().contains("cannot find experiment 'no-such-experiment'"), unknown.stderr());

            Outcome malformed = run(Map.of(), "runs", "--tracking-uri", uri, "--experiment", "autonf-runs",
                    "--filter", "metrics.test_nll <<< 1");
            assertEquals(ExitCodes.BAD_INPUT, malformed.exitCode(), malformed.stderr());
            assertTrue(malformed.stderr().contains("--filter 'metrics.test_nll <<< 1'")
                    && malformed.stderr().contains("HTTP 400"), malformed.stderr());
        }
    }

    private static String loggedRun(MlflowServerStore store, String experiment, String name, Map<String, String> tags,
                                    Map<String, Double> finalValues, RunStatus status) throws InterruptedException {
        long start = System.currentTimeMillis();
        Map<String, String> allTags = new LinkedHashMap<>(tags);
        allTags.put("mlflow.runName", name);
        TrackedRun run = store.createRun(experiment, name, allTags, start);
        List<Metric> metrics = new ArrayList<>();
        finalValues.forEach((key, value) -> {
            metrics.add(new Metric(key, value * 3 + 7, start, 0));
            metrics.add(new Metric(key, value, start + 1, 1));
        });
        store.logBatch(run.runId(), metrics, List.of(), List.<Tag>of());
        store.finishRun(run.runId(), status, System.currentTimeMillis());
        Thread.sleep(5); // distinct start times, so "newest" is well defined
        return run.runId();
    }
}
