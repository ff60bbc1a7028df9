package io.autonf.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonf.event.SearchListener;
import io.autonf.flow.Architecture;
import io.autonf.flow.Batch;
import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Precision;
import io.autonf.search.AutoNfSearch;
import io.autonf.search.MixtureFlow;
import io.autonf.search.SearchConfig;
import io.autonf.search.SearchResult;
import io.autonf.search.SearchSpace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real search logging to a real {@code mlflow server} that is killed in the middle of the run and started again
 * on the same port and store while the search goes on: afterwards the server holds every param, every metric
 * point and the final status exactly once, as counted at the tracker's side.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SpoolingServerIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STOP_AT_STEP = 5;
    private static final int RESTART_AT_STEP = 12;

    @TempDir
    Path dir;

    private MlflowTestServer server;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    /** Forwards to a store and keeps a copy of every value logged, the truth the server is compared with. */
    private static final class Tee implements TrackingStore {
        final TrackingStore store;
        final List<Metric> metrics = new ArrayList<>();
        final Map<String, String> params = new LinkedHashMap<>();
        final Map<String, String> tags = new LinkedHashMap<>();
        final Map<String, byte[]> artifacts = new LinkedHashMap<>();

        Tee(TrackingStore store) {
            this.store = store;
        }

        @Override
        public String experimentId(String name) {
            return store.experimentId(name);
        }

        @Override
        public TrackedRun createRun(String experimentId, String runName, Map<String, String> t, long start) {
            return store.createRun(experimentId, runName, t, start);
        }

        @Override
        public void logBatch(String runId, List<Metric> m, List<Param> p, List<Tag> t) {
            metrics.addAll(m);
            p.forEach(x -> params.put(x.key(), x.value()));
            t.forEach(x -> tags.put(x.key(), x.value()));
            store.logBatch(runId, m, p, t);
        }

        @Override
        public void finishRun(String runId, RunStatus status, long end) {
            store.finishRun(runId, status, end);
        }

        @Override
        public void uploadArtifact(TrackedRun run, String path, byte[] content) {
            artifacts.put(path, content);
            store.uploadArtifact(run, path, content);
        }
    }

    @Test
    void aSearchWhoseServerIsKilledAndRestartedMidRunLosesAndDuplicatesNothing() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path store = dir.resolve("server");
        server = MlflowTestServer.start(store, "sqlite:///" + store.resolve("mlflow.db").toAbsolutePath(), Map.of(),
                port);
        URI uri = server.uri();
        MlflowServerStore rest = new MlflowServerStore(uri, Map.of());
        StringWriter log = new StringWriter();
        SpoolingStore spool = SpoolingStore.open(rest, dir.resolve("spool"), uri,
                new SpoolingStore.Settings(Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(90), false),
                new SplittableRandom(5), finder(uri), new PrintWriter(log, true));
        Tee tee = new Tee(spool);
        TrackedRun run = tee.createRun(tee.experimentId("spool-it"), "lost-server",
                RunTags.forRun("lost-server", "autonf search", null, "0.1.0-test", null), System.currentTimeMillis());
        SearchRunTracker tracker = new SearchRunTracker(new BatchLogger(tee, run), 40, System::currentTimeMillis);

        SearchConfig config = SearchConfig.builder(new SearchSpace(2, List.of(LayerKind.MAF, LayerKind.AFFINE_C),
                        new LayerSettings(8, 1, 4, 3.0, Precision.FP64)))
                .thetaBatchSize(64).alphaBatchSize(64).stepsPerBlock(20).seed(3).build();
        int[] pendingWhileDown = {0};
        long[] slowestStepMillis = {0};
        CompletableFuture<Void>[] restart = new CompletableFuture[1];
        SearchListener listener = new SearchListener() {
            @Override
            public void onStart(SearchConfig c) {
                tracker.onStart(c);
                tracker.flush();
            }

            @Override
            public void onStep(int step, int block, double trainLoss, double validationLoss, double[][] weights,
                               double expectedCost, long layerEvaluations) {
                long t0 = System.nanoTime();
                tracker.onStep(step, block, trainLoss, validationLoss, weights, expectedCost, layerEvaluations);
                tracker.flush();
                slowestStepMillis[0] = Math.max(slowestStepMillis[0], (System.nanoTime() - t0) / 1_000_000);
                try {
                    if (step == STOP_AT_STEP) {
                        server.stop();
                    } else if (step == RESTART_AT_STEP) {
                        pendingWhileDown[0] = spool.pendingCount();
                        spool.uploadArtifact(run, "while-down/steps.txt", "12 steps".getBytes(StandardCharsets.UTF_8));
                        restart[0] = CompletableFuture.runAsync(() -> {
                            try {
                                server.restart();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void onArchitectureChosen(Architecture architecture, double[][] weights) {
                tracker.onArchitectureChosen(architecture, weights);
            }

            @Override
            public void onFinish(SearchResult result) {
                tracker.onFinish(result);
            }
        };
        SearchResult result;
        try (MixtureFlow mixture = new MixtureFlow(config.space(), 2, config.initialisationRandom(), config.threads())) {
            result = new AutoNfSearch(config, mixture, null).run(gaussian(256, 1), gaussian(128, 2), listener);
        }
        assertTrue(result.steps() > RESTART_AT_STEP, "the search outlives the outage: " + result.steps() + " steps");
        tracker.finish(RunStatus.FINISHED, null);
        assertTrue(pendingWhileDown[0] > 0, "values waited in the journal while the server was down");
        assertTrue(slowestStepMillis[0] < 1000, "a step never waits on the network: " + slowestStepMillis[0] + " ms");
        SpoolingStore.Drain drain = spool.drain(Duration.ofSeconds(90));
        restart[0].get(60, TimeUnit.SECONDS);
        assertTrue(drain.complete(), drain + "\n" + log);
        assertFalse(Files.exists(spool.journalFile()), "a drained journal is deleted");

        JsonNode got = get(uri, "runs/get", Map.of("run_id", run.runId())).path("run");
        assertEquals("FINISHED", got.path("info").path("status").asText());
        Map<String, String> params = keyValues(got.path("data").path("params"));
        assertEquals(tee.params, params, "every param once, with its value");
        Map<String, String> tags = keyValues(got.path("data").path("tags"));
        tee.tags.forEach((k, v) -> assertEquals(v, tags.get(k), "tag " + k));
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (Metric m : tee.metrics) {
            expected.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(point(m.step(), m.timestamp(), m.value()));
        }
        assertTrue(expected.get("loss/train").size() == result.steps(), "one train loss per step");
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            List<String> points = new ArrayList<>();
            get(uri, "metrics/get-history", Map.of("run_id", run.runId(), "metric_key", e.getKey())).path("metrics")
                    .forEach(p -> points.add(point(p.path("step").asLong(), p.path("timestamp").asLong(),
                            p.path("value").isNumber() ? p.path("value").asDouble()
                                    : Double.parseDouble(p.path("value").asText()))));
            assertEquals(e.getValue().size(), points.size(), e.getKey() + ": every point exactly once");
            assertEquals(new HashSet<>(e.getValue()), new HashSet<>(points), e.getKey());
        }
        Set<String> files = new HashSet<>();
        JsonNode listing = get(uri, "artifacts/list", Map.of("run_id", run.runId(), "path", "while-down"));
        listing.path("files").forEach(f -> files.add(f.path("path").asText()));
        assertEquals(Set.of("while-down/steps.txt"), files);
    }

    private static String point(long step, long timestamp, double value) {
        return step + "@" + timestamp + "=" + value;
    }

    private static Batch gaussian(int rows, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] v = new double[rows][2];
        for (double[] row : v) {
            row[0] = rng.nextGaussian();
            row[1] = 0.5 * row[0] + 0.3 * rng.nextGaussian();
        }
        return Batch.of(v);
    }

    /** The finder the command line uses, over the raw REST API. */
    static SpoolingStore.RunFinder finder(URI uri) {
        return (experimentId, key, value) -> {
            try {
                String body = JSON.writeValueAsString(Map.of("experiment_ids", List.of(experimentId),
                        "filter", "tags.`" + key + "` = '" + value + "'", "max_results", 1));
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                uri.resolve("/api/2.0/mlflow/runs/search")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode runs = JSON.readTree(response.body()).path("runs");
                if (runs.isEmpty()) {
                    return Optional.empty();
                }
                JsonNode info = runs.get(0).path("info");
                return Optional.of(new TrackedRun(info.path("run_id").asText(), info.path("experiment_id").asText(),
                        info.path("artifact_uri").asText()));
            } catch (java.io.IOException e) {
                throw new TrackingUnavailableException("search failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrackingException("interrupted", e);
            }
        };
    }

    static JsonNode get(URI uri, String route, Map<String, String> query) throws Exception {
        StringBuilder q = new StringBuilder();
        query.forEach((k, v) -> q.append(q.isEmpty() ? "?" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                uri.resolve("/api/2.0/mlflow/" + route + q)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), route + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static Map<String, String> keyValues(JsonNode array) {
        Map<String, String> m = new LinkedHashMap<>();
        for (JsonNode entry : array) {
            String key = entry.path("key").asText();
            assertTrue(m.put(key, entry.path("value").asText()) == null, "key " + key + " twice");
        }
        return m;
    }
}
