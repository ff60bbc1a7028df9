package io.autonf.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.autonf.flow.Architecture;
import io.autonf.flow.LayerSettings;
import io.autonf.search.SearchConfig;
import io.autonf.search.SearchSpace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Logs a search run and a nested training run to a real {@code mlflow server} (sqlite backend, proxied
 * artifacts) and reads everything back through its REST API. Needs the {@code mlflow} executable on PATH:
 * without it the test is skipped locally and fails when the environment variable {@code CI} is set.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MlflowServerIntegrationTest {

    private static final int STEPS = 120;

    @TempDir
    Path dir;

    private MlflowTestServer server;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aSearchRunWithNestedTrainingAndArtifactsReadsBackComplete() throws Exception {
        URI uri = startServer();
        MlflowServerStore store = new MlflowServerStore(uri, Map.of());

        String experiment = store.experimentId("autonf-integration");
        assertEquals(experiment, store.experimentId("autonf-integration"), "get-or-create finds the experiment again");

        long start = System.currentTimeMillis();
        TrackedRun parent = store.createRun(experiment, "search-it",
                RunTags.forRun("search-it", "autonf search", null, "0.1.0-test", null), start);
        assertEquals("mlflow-artifacts:/" + experiment + "/" + parent.runId() + "/artifacts", parent.artifactUri());

        SearchRunTracker search = new SearchRunTracker(new BatchLogger(store, parent), 500, System::currentTimeMillis);
        SearchConfig config = SearchConfig.builder(new SearchSpace(2, SearchConfig.parseOptions("maf,rq-c"),
                LayerSettings.DEFAULT)).lambda(0.25).seed(11).build();
        search.onStart(config);
        String longValue = "0123456789".repeat(700);
        search.logParams(Map.of("dataset_description", longValue));
        Map<Integer, Double> trainLoss = new HashMap<>();
        for (int step = 1; step <= STEPS; step++) {
            double w = 0.5 + 0.4 * step / STEPS;
            double loss = 3.0 / step + 0.001 * step;
            trainLoss.put(step, loss);
            search.onStep(step, step % 2, loss, step <= 10 ? Double.NaN : loss + 0.1,
                    new double[][]{{w, 1 - w}, {1 - w, w}}, 0.2 + 0.001 * step, 64L * step);
        }
        search.onArchitectureChosen(Architecture.parse("maf,rq-c"), new double[][]{{0.9, 0.1}, {0.1, 0.9}});
        search.flush();

        TrackedRun child = store.createRun(experiment, "retrain-found",
                RunTags.forRun("retrain-found", "autonf search", parent.runId(), "0.1.0-test", null),
                System.currentTimeMillis());
        SearchRunTracker training = new SearchRunTracker(new BatchLogger(store, child), 1000, System::currentTimeMillis);
        for (int step = 1; step <= 50; step++) {
            training.onStep(step, 1e-3, 2.0 - step * 0.01, 0.5);
            if (step % 10 == 0) {
                training.onValidation(step, 2.1 - step * 0.01, true);
            }
        }
        training.finish(RunStatus.FINISHED, null);

        byte[] architectureJson = "{\"layers\":[\"maf\",\"rq-c\"]}".getBytes(StandardCharsets.UTF_8);
        store.uploadArtifact(parent, "model/architecture.json", architectureJson);
        search.finish(RunStatus.FINISHED, null);

        // --- read back ---
        JsonNode run = store.query("runs/get", Map.of("run_id", parent.runId())).path("run");
        assertEquals("FINISHED", run.path("info").path("status").asText());
        assertTrue(run.path("info").path("end_time").asLong() >= start);
        Map<String, String> params = keyValues(run.path("data").path("params"));
        assertEquals("0.25", params.get("lambda"));
        assertEquals("maf,rq-c", params.get("options"));
        assertEquals("11", params.get("seed"));
        assertTrue(params.containsKey("theta_optimiser.learning_rate"), params.keySet().toString());
        String truncated = params.get("dataset_description");
        assertEquals(TrackingLimits.MAX_PARAM_VALUE_LENGTH, truncated.length());
        assertTrue(truncated.endsWith(BatchLogger.TRUNCATION_MARKER + "params/dataset_description.txt]"), truncated);
        Map<String, String> tags = keyValues(run.path("data").path("tags"));
        assertEquals("search-it", tags.get("mlflow.runName"));
        assertEquals("autonf search", tags.get("mlflow.source.name"));
        assertEquals("0.1.0-test", tags.get(RunTags.VERSION));
        assertTrue(tags.containsKey(RunTags.HOST), tags.toString());
        assertTrue(!tags.containsKey(RunTags.PARENT_RUN_ID), "a top-level run has no parent");
        assertEquals("maf,rq-c", tags.get(SearchRunTracker.ARCHITECTURE_TAG));

        List<JsonNode> loss = history(store, parent, "loss/train");
        assertEquals(STEPS, loss.size(), "one value per step, no duplicates");
        Set<Long> steps = new HashSet<>();
        for (JsonNode point : loss) {
            long step = point.path("step").asLong();
            assertTrue(steps.add(step), "step " + step + " twice");
            assertEquals(trainLoss.get((int) step), point.path("value").asDouble(), 1e-12);
        }
        assertEquals(STEPS - 10, history(store, parent, "loss/val").size());
        assertEquals(STEPS, history(store, parent, "cost/expected").size());
        List<JsonNode> alpha = history(store, parent, "alpha/layer01/rq-c");
        assertEquals(STEPS, alpha.size());
        assertEquals(0.9, alpha.stream().filter(p -> p.path("step").asLong() == STEPS).findFirst().orElseThrow()
                .path("value").asDouble(), 1e-12);
        assertEquals(STEPS, history(store, parent, "alpha/layer00/entropy").size());

        JsonNode childRun = store.query("runs/get", Map.of("run_id", child.runId())).path("run");
        assertEquals(parent.runId(), keyValues(childRun.path("data").path("tags")).get("mlflow.parentRunId"));
        assertEquals("FINISHED", childRun.path("info").path("status").asText());
        assertEquals(50, history(store, child, "loss/train").size());
        assertEquals(5, history(store, child, "loss/val").size());
        assertEquals(List.of(child.runId()), childrenOf(uri, experiment, parent.runId()));

        Set<String> files = listArtifacts(store, parent, "");
        assertTrue(files.contains("model/architecture.json"), files.toString());
        assertTrue(files.contains("params/dataset_description.txt"), files.toString());
        assertArrayEquals(architectureJson, store.downloadArtifact(parent, "model/architecture.json"));
        assertEquals(longValue, new String(store.downloadArtifact(parent, "params/dataset_description.txt"),
                StandardCharsets.UTF_8));
    }

    private URI startServer() throws IOException, InterruptedException {
        server = MlflowTestServer.start(dir);
        return server.uri();
    }

    private static Map<String, String> keyValues(JsonNode array) {
        Map<String, String> m = new LinkedHashMap<>();
        for (JsonNode entry : array) {
            String key = entry.path("key").asText();
            if (m.put(key, entry.path("value").asText()) != null) {
                fail("key " + key + " appears twice");
            }
        }
        return m;
    }

    private static List<JsonNode> history(MlflowServerStore store, TrackedRun run, String key) {
        List<JsonNode> points = new ArrayList<>();
        store.query("metrics/get-history", Map.of("run_id", run.runId(), "metric_key", key)).path("metrics")
                .forEach(points::add);
        return points;
    }

    private static Set<String> listArtifacts(MlflowServerStore store, TrackedRun run, String path) {
        Set<String> files = new HashSet<>();
        Map<String, String> query = path.isEmpty() ? Map.of("run_id", run.runId())
                : Map.of("run_id", run.runId(), "path", path);
        for (JsonNode file : store.query("artifacts/list", query).path("files")) {
            if (file.path("is_dir").asBoolean()) {
                files.addAll(listArtifacts(store, run, file.path("path").asText()));
            } else {
                files.add(file.path("path").asText());
            }
        }
        return files;
    }

    /** Run ids whose mlflow.parentRunId tag is {@code parentId}, by the server's own search. */
    private static List<String> childrenOf(URI uri, String experiment, String parentId) throws Exception {
        String body = "{\"experiment_ids\":[\"" + experiment + "\"],\"filter\":\"tags.mlflow.parentRunId = '"
                + parentId + "'\"}";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        uri.resolve("/api/2.0/mlflow/runs/search")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        List<String> ids = new ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("runs")
                .forEach(r -> ids.add(r.path("info").path("run_id").asText()));
        return ids;
    }
}
