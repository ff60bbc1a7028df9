package io.autonf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonf.mlflow.MlflowServerStore;
import io.autonf.mlflow.MlflowTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny {@code autonf ga} tracked on a real {@code mlflow server}, read back through its REST API: the parent run
 * with its per-generation metrics, and one nested run per candidate under it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GaCommandServerIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyCandidateIsANestedRunOfTheGaRunOnAServer() throws Exception {
        try (MlflowTestServer server = MlflowTestServer.start(dir.resolve("server"))) {
            URI uri = server.uri();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = AutoNf.run(new String[] {"ga", "--data", "power-sample", "--layers", "3", "--options",
                            "maf,affine-c", "--hidden", "8", "--blocks", "1", "--population", "4", "--generations", "2",
                            "--steady", "0", "--budget-steps", "5", "--batch", "64", "--retrain-steps", "20",
                            "--val-every", "10", "--samples", "200", "--no-reference", "--cost-dir",
                            dir.resolve("costs").toString(), "--quick-costs", "--seed", "3", "--tracking-uri",
                            uri.toString(), "--experiment", "ga-it", "--run-name", "tiny-ga", "--json"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    AutoNf.availableCommands());
            String stderr = err.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, stderr);
            JsonNode result = JSON.readTree(out.toString(StandardCharsets.UTF_8));
            int trainings = result.path("ga").path("trainings").asInt();
            Matcher timing = Pattern.compile("tracked (\\d+) candidates as nested runs, ([0-9.]+) ms each").matcher(stderr);
            assertTrue(timing.find(), stderr);
            assertEquals(trainings, Integer.parseInt(timing.group(1)));
            System.out.println("GA candidate nested run on mlflow server: " + timing.group(2) + " ms each");

            MlflowServerStore store = new MlflowServerStore(uri, Map.of());
            String experiment = store.experimentId("ga-it");
            List<JsonNode> parents = search(uri, experiment, "attributes.run_name = 'tiny-ga'");
            assertEquals(1, parents.size());
            JsonNode parent = parents.get(0);
            String parentId = parent.path("info").path("run_id").asText();
            assertEquals("FINISHED", parent.path("info").path("status").asText());
            assertEquals(result.path("architecture").asText(), keyValues(parent.path("data").path("tags"))
                    .get("autonf.architecture"));
            List<Long> steps = new ArrayList<>();
            store.query("metrics/get-history", Map.of("run_id", parentId, "metric_key", "ga/best_so_far"))
                    .path("metrics").forEach(m -> steps.add(m.path("step").asLong()));
            assertEquals(List.of(1L, 2L), steps.stream().sorted().toList(), "one value per generation");

            List<JsonNode> children = search(uri, experiment, "tags.mlflow.parentRunId = '" + parentId + "'");
            assertEquals(trainings, children.size());
            Set<String> architectures = new HashSet<>();
            for (JsonNode child : children) {
                String status = child.path("info").path("status").asText();
                assertTrue(status.equals("FINISHED") || status.equals("FAILED"), status);
                Map<String, String> params = keyValues(child.path("data").path("params"));
                architectures.add(params.get("architecture"));
                assertEquals(params.get("architecture"), keyValues(child.path("data").path("tags"))
                        .get("autonf.architecture"));
                Set<String> metrics = new HashSet<>();
                child.path("data").path("metrics").forEach(m -> metrics.add(m.path("key").asText()));
                assertTrue(metrics.containsAll(Set.of("cost", "training_time_s", "layer_evaluations", "failed")),
                        metrics.toString());
                if (status.equals("FINISHED")) {
                    assertTrue(metrics.containsAll(Set.of("val_nll", "fitness")), metrics.toString());
                }
            }
            assertEquals(trainings, architectures.size(), "each architecture once");
        }
    }

    private static List<JsonNode> search(URI uri, String experiment, String filter) throws Exception {
        String body = JSON.writeValueAsString(Map.of("experiment_ids", List.of(experiment), "filter", filter,
                "max_results", 1000));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        uri.resolve("/api/2.0/mlflow/runs/search")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        List<JsonNode> found = new ArrayList<>();
        JSON.readTree(response.body()).path("runs").forEach(found::add);
        return found;
    }

    private static Map<String, String> keyValues(JsonNode array) {
        Map<String, String> m = new LinkedHashMap<>();
        array.forEach(e -> m.put(e.path("key").asText(), e.path("value").asText()));
        return m;
    }
}
