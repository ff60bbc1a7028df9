package io.autonf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonf.mlflow.MlflowTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code search --spool} with the tracking server down from the start: the command finishes and leaves its run in
 * the journal with a replay hint; once the server is up, {@code autonf sync} creates the run and sends everything,
 * once; a second sync finds nothing left.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SpoolCommandIntegrationTest {

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

    @Test
    void aSpooledSearchStartedWhileTheServerIsDownArrivesOnceBySync() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String uri = "http://127.0.0.1:" + port;
        Path spool = dir.resolve("spool");
        Outcome o = run(List.of("search", "--data", "power-sample", "--layers", "2", "--options", "maf,affine-c",
                "--hidden", "8", "--blocks", "1", "--steps", "4", "--batch", "64", "--alpha-batch", "64",
                "--retrain-steps", "20", "--val-every", "10", "--samples", "200", "--cost-dir",
                dir.resolve("costs").toString(), "--quick-costs", "--seed", "3", "--json", "--out",
                dir.resolve("out").toString(), "--tracking-uri", uri, "--experiment", "spool-it", "--run-name",
                "offline-search", "--spool", "--spool-dir", spool.toString(), "--spool-wait", "1"));
        assertEquals(0, o.exitCode(), o.stderr());
        List<Path> journals;
        try (Stream<Path> files = Files.list(spool)) {
            journals = files.filter(p -> p.toString().endsWith(".jsonl")).toList();
        }
        assertEquals(1, journals.size(), journals.toString());
        assertTrue(o.stderr().contains("./autonf sync " + journals.get(0).toAbsolutePath()), o.stderr());

        Outcome refused = run(List.of("search", "--data", "power-sample", "--steps", "4", "--tracking-uri", uri));
        assertEquals(ExitCodes.RUN_FAILED, refused.exitCode(), "without --spool a down server is an error");
        assertTrue(refused.stderr().contains("unreachable"), refused.stderr());

        Path store = dir.resolve("server");
        try (MlflowTestServer server = MlflowTestServer.start(store,
                "sqlite:///" + store.resolve("mlflow.db").toAbsolutePath(), Map.of(), port)) {
            Outcome sync = run(List.of("sync", spool.toString(), "--json"));
            assertEquals(0, sync.exitCode(), sync.stderr());
            JsonNode result = JSON.readTree(sync.stdout());
            assertEquals(1, result.path("journals").asInt());
            assertTrue(result.path("sent").asInt() > 3, sync.stdout());
            try (Stream<Path> files = Files.list(spool)) {
                assertEquals(List.of(), files.toList(), "the drained journal and its artifacts are gone");
            }
            Outcome again = run(List.of("sync", spool.toString(), "--json"));
            assertEquals(0, again.exitCode(), again.stderr());
            assertEquals(0, JSON.readTree(again.stdout()).path("journals").asInt());

            URI base = server.uri();
            String experiment = get(base, "experiments/get-by-name", Map.of("experiment_name", "spool-it"))
                    .path("experiment").path("experiment_id").asText();
            String body = JSON.writeValueAsString(Map.of("experiment_ids", List.of(experiment)));
            HttpResponse<String> search = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            base.resolve("/api/2.0/mlflow/runs/search")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            List<JsonNode> runs = new ArrayList<>();
            JSON.readTree(search.body()).path("runs").forEach(runs::add);
            assertEquals(1, runs.size(), "one run, created once: " + search.body());
            JsonNode run = runs.get(0);
            String runId = run.path("info").path("run_id").asText();
            assertEquals("FINISHED", run.path("info").path("status").asText());
            assertEquals("offline-search", run.path("info").path("run_name").asText());
            JsonNode out = JSON.readTree(o.stdout());
            List<Long> steps = new ArrayList<>();
            get(base, "metrics/get-history", Map.of("run_id", runId, "metric_key", "alpha/layer00/maf"))
                    .path("metrics").forEach(m -> steps.add(m.path("step").asLong()));
            assertTrue(steps.size() >= 4, steps.toString());
            assertEquals(steps.size(), new HashSet<>(steps).size(), "each step once: " + steps);
            boolean architectureTagged = false;
            for (JsonNode tag : run.path("data").path("tags")) {
                if (tag.path("key").asText().equals("autonf.architecture")) {
                    assertEquals(out.path("architecture").asText(), tag.path("value").asText());
                    architectureTagged = true;
                }
            }
            assertTrue(architectureTagged, run.toString());
            List<String> files = new ArrayList<>();
            get(base, "artifacts/list", Map.of("run_id", runId)).path("files")
                    .forEach(f -> files.add(f.path("path").asText()));
            assertTrue(files.contains("result.json"), files.toString());
        }
    }

    private static JsonNode get(URI uri, String route, Map<String, String> query) throws Exception {
        StringBuilder q = new StringBuilder();
        query.forEach((k, v) -> q.append(q.isEmpty() ? "?" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                uri.resolve("/api/2.0/mlflow/" + route + q)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), route + ": " + response.body());
        return JSON.readTree(response.body());
    }
}
