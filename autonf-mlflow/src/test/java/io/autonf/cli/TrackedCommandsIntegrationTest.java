package io.autonf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonf.mlflow.Metric;
import io.autonf.mlflow.MlflowServerStore;
import io.autonf.mlflow.RunRecord;
import io.autonf.mlflow.MlflowTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code search} command as a tracked run on a real {@code mlflow server}, read back through its REST API:
 * a tiny search and a tiny training end FINISHED with their params, step metrics, final metrics, tags and output
 * files; a search that fails
 * after its run started ends FAILED with the error as a tag and keeps its usual exit code.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TrackedCommandsIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Outcome(int exitCode, String stdout, String stderr) {
    }

    private static Outcome run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AutoNf.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), AutoNf.availableCommands());
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private List<String> tinySearch(String data, String... extra) {
        List<String> args = new ArrayList<>(List.of("search", "--data", data, "--layers", "2",
                "--options", "maf,affine-c", "--hidden", "8", "--blocks", "1", "--steps", "4", "--batch", "64",
                "--alpha-batch", "64", "--retrain-steps", "20", "--val-every", "10", "--samples", "200",
                "--cost-dir", dir.resolve("costs").toString(), "--quick-costs", "--seed", "3", "--json"));
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    void aSearchAndATrainingAreFinishedRunsAndAFailingSearchEndsFailed() throws Exception {
        try (MlflowTestServer server = MlflowTestServer.start(dir.resolve("server"))) {
            URI uri = server.uri();
            Path out = dir.resolve("out");
            Outcome o = run(tinySearch("power-sample", "--tracking-uri", uri.toString(), "--experiment", "wiring-it",
                    "--run-name", "tiny-search", "--out", out.toString()));
            assertEquals(0, o.exitCode(), o.stderr());
            MlflowServerStore store = new MlflowServerStore(uri, Map.of());
            String experiment = store.experimentId("wiring-it");

            JsonNode run = onlyRun(uri, experiment, "tiny-search");
            String runId = run.path("info").path("run_id").asText();
            assertEquals("FINISHED", run.path("info").path("status").asText());
            Map<String, String> params = keyValues(run.path("data").path("params"));
            assertEquals("power-sample", params.get("cli.data"));
            assertEquals("4", params.get("cli.steps"));
            assertFalse(params.containsKey("cli.tracking-uri"), "where the run goes is no param");
            Map<String, String> tags = keyValues(run.path("data").path("tags"));
            assertEquals("tiny-search", tags.get("mlflow.runName"));
            assertEquals("autonf search", tags.get("mlflow.source.name"));
            JsonNode result = JSON.readTree(o.stdout());
            assertEquals(result.path("architecture").asText(), tags.get("autonf.architecture"));

            List<Long> steps = new ArrayList<>();
            store.query("metrics/get-history", Map.of("run_id", runId, "metric_key", "alpha/layer00/maf"))
                    .path("metrics").forEach(m -> steps.add(m.path("step").asLong()));
            assertTrue(steps.size() >= 4, "one α weight per search step: " + steps);
            assertEquals(steps.size(), new HashSet<>(steps).size(), "each step once: " + steps);
            Map<String, Double> metrics = new LinkedHashMap<>();
            run.path("data").path("metrics").forEach(m -> metrics.put(m.path("key").asText(), m.path("value").asDouble()));
            assertEquals(result.path("found").path("test_nll").asDouble(), metrics.get("found/test_nll"), 1e-9);
            for (String key : List.of("found/test_nll_error", "found/density", "found/coverage", "fom",
                    "reference/test_nll", "search_wall_time_s", "alpha/layer01/entropy", "loss/train")) {
                assertTrue(metrics.containsKey(key), key + " in " + metrics.keySet());
            }
            Set<String> files = new HashSet<>();
            store.query("artifacts/list", Map.of("run_id", runId)).path("files")
                    .forEach(f -> files.add(f.path("path").asText()));
            assertTrue(files.containsAll(Set.of("alpha.csv", "alpha.png", "result.json", "steps.csv", "architecture.json",
                    "cost_table.json", "model.anf", "report.md", "report.html")), files.toString());

            Path model = dir.resolve("model.anf");
            Outcome train = run(List.of("train", "--data", "power-sample", "--arch", "maf", "--hidden", "8",
                    "--blocks", "1", "--steps", "20", "--val-every", "10", "--batch", "64", "--out", model.toString(),
                    "--tracking-uri", uri.toString(), "--experiment", "wiring-it", "--run-name", "tiny-train", "--json"));
            assertEquals(0, train.exitCode(), train.stderr());
            JsonNode trained = onlyRun(uri, experiment, "tiny-train");
            String trainedId = trained.path("info").path("run_id").asText();
            assertEquals("FINISHED", trained.path("info").path("status").asText());
            assertEquals("maf", keyValues(trained.path("data").path("tags")).get("autonf.architecture"));
            Set<String> trainMetrics = new HashSet<>();
            trained.path("data").path("metrics").forEach(m -> trainMetrics.add(m.path("key").asText()));
            assertTrue(trainMetrics.containsAll(Set.of("test_nll", "test_nll_error", "samples_per_s", "wall_time_s",
                    "loss/train", "loss/val")), trainMetrics.toString());
            assertEquals(20, store.query("metrics/get-history", Map.of("run_id", trainedId, "metric_key", "loss/train"))
                    .path("metrics").size());
            Set<String> trainFiles = new HashSet<>();
            store.query("artifacts/list", Map.of("run_id", trainedId)).path("files")
                    .forEach(f -> trainFiles.add(f.path("path").asText()));
            assertTrue(trainFiles.contains("model.anf"), trainFiles.toString());

            // The run starts before the data are read: a missing data file fails the run, with the usual code.
            Outcome bad = run(tinySearch(dir.resolve("missing.csv").toString(), "--tracking-uri", uri.toString(),
                    "--experiment", "wiring-it", "--run-name", "bad-data"));
            assertEquals(ExitCodes.BAD_INPUT, bad.exitCode(), bad.stderr());
            JsonNode failed = onlyRun(uri, experiment, "bad-data");
            assertEquals("FAILED", failed.path("info").path("status").asText());
            String error = keyValues(failed.path("data").path("tags")).get("autonf.error");
            assertTrue(error != null && error.contains("missing.csv"), "error tag: " + error);

            // Nested runs on the server: fig3 with one seed is a parent and two children (M1, M2) with α histories.
            Outcome fig3 = run(List.of("fig3", "--seeds", "1", "--steps", "3", "--batch", "64", "--tracking-uri",
                    uri.toString(), "--experiment", "wiring-it", "--run-name", "tiny-fig3", "--json"));
            assertEquals(0, fig3.exitCode(), fig3.stderr());
            String parentId = onlyRun(uri, experiment, "tiny-fig3").path("info").path("run_id").asText();
            List<RunRecord> children = store.searchRuns(experiment, "tags.mlflow.parentRunId = '" + parentId + "'",
                    null, 10);
            assertEquals(2, children.size(), children.toString());
            for (RunRecord child : children) {
                assertEquals(parentId, child.parentRunId());
                assertEquals("FINISHED", child.status());
                List<Long> childSteps = store.metricHistory(child.runId(), "alpha/layer00/planar").stream()
                        .map(Metric::step).toList();
                assertEquals(List.of(1L, 2L, 3L), childSteps.stream().sorted().toList(), "each step once");
            }
        }
    }

    @Test
    void anUnreachableServerFailsAtOnceAndAMalformedUriIsBadInput() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        long start = System.nanoTime();
        Outcome down = run(tinySearch("power-sample", "--tracking-uri", "http://127.0.0.1:" + port));
        assertEquals(ExitCodes.RUN_FAILED, down.exitCode(), down.stderr());
        assertTrue(down.stderr().contains("unreachable"), down.stderr());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "reported within seconds");
        Outcome malformed = run(tinySearch("power-sample", "--tracking-uri", "http://bad host:5000"));
        assertEquals(ExitCodes.BAD_INPUT, malformed.exitCode(), malformed.stderr());
        Outcome notHttp = run(tinySearch("power-sample", "--tracking-uri", "sqlite:///mlflow.db"));
        assertEquals(ExitCodes.BAD_INPUT, notHttp.exitCode(), notHttp.stderr());
        assertTrue(notHttp.stderr().contains("--tracking-uri"), notHttp.stderr());
    }

    private static JsonNode onlyRun(URI uri, String experiment, String name) throws Exception {
        String body = JSON.writeValueAsString(Map.of("experiment_ids", List.of(experiment),
                "filter", "attributes.run_name = '" + name + "'"));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        uri.resolve("/api/2.0/mlflow/runs/search")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        List<JsonNode> found = new ArrayList<>();
        JSON.readTree(response.body()).path("runs").forEach(found::add);
        assertEquals(1, found.size(), "runs named " + name + ": " + response.body());
        return found.get(0);
    }

    private static Map<String, String> keyValues(JsonNode array) {
        Map<String, String> m = new LinkedHashMap<>();
        array.forEach(e -> m.put(e.path("key").asText(), e.path("value").asText()));
        return m;
    }
}
