package io.autonf.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Writes two runs (one nested) with {@link LocalFileStore}, then starts the real {@code mlflow server} on what was
 * written and reads everything back through its REST API: once on the file store itself
 * ({@code MLFLOW_ALLOW_FILE_STORE=true}) and once after {@code mlflow migrate-filestore} converted it to sqlite.
 * Needs the {@code mlflow} executable: skipped locally without it, failing when {@code CI} is set.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LocalFileStoreIntegrationTest {

    private static final int STEPS = 100;
    private static final String ALPHA = "alpha/layer00/rq-c";

    @TempDir
    Path dir;

    @Test
    void theRealMlflowReadsBackWhatTheFileStoreWrote() throws Exception {
        MlflowTestServer.mlflowExecutable();
        Path root = dir.resolve("mlruns");
        Written written = write(new LocalFileStore(root));

        Path serverDir = Files.createDirectories(dir.resolve("file-server"));
        try (MlflowTestServer server = MlflowTestServer.start(serverDir, root.toString(),
                Map.of("MLFLOW_ALLOW_FILE_STORE", "true"))) {
            MlflowServerStore rest = new MlflowServerStore(server.uri(), Map.of());
            checkReadBack(rest, server.uri(), written);
            sameAsTheServerReadsIt(LocalFileStore.openExisting(root), rest, written);
        }

        Path sqlite = dir.resolve("migrated.db");
        Process migrate = new ProcessBuilder(MlflowTestServer.mlflowExecutable().toString(), "migrate-filestore",
                "--source", root.toString(), "--target", "sqlite:///" + sqlite.toAbsolutePath())
                .redirectErrorStream(true).redirectOutput(dir.resolve("migrate.log").toFile()).start();
        assertTrue(migrate.waitFor(60, TimeUnit.SECONDS), "mlflow migrate-filestore did not finish in 60 s");
        assertEquals(0, migrate.exitValue(), Files.readString(dir.resolve("migrate.log")));
        Path sqliteServerDir = Files.createDirectories(dir.resolve("sqlite-server"));
        try (MlflowTestServer server = MlflowTestServer.start(sqliteServerDir,
                "sqlite:///" + sqlite.toAbsolutePath(), Map.of())) {
            checkReadBack(new MlflowServerStore(server.uri(), Map.of()), server.uri(), written);
        }
    }

    private record Written(String experimentId, TrackedRun parent, TrackedRun child, long start,
                           Map<Long, Double> loss, byte[] artifact) {
    }

    private static Written write(LocalFileStore store) {
        String experiment = store.experimentId("autonf-filestore");
        assertEquals(experiment, store.experimentId("autonf-filestore"));
        long start = System.currentTimeMillis();
        TrackedRun parent = store.createRun(experiment, "search-fs",
                RunTags.forRun("search-fs", "autonf search", null, "0.1.0-test", null), start);
        BatchLogger logger = new BatchLogger(store, parent);
        Map<Long, Double> loss = new LinkedHashMap<>();
        List<Metric> metrics = new ArrayList<>();
        for (long step = 1; step <= STEPS; step++) {
            double value = 3.0 / step + 0.001 * step;
            loss.put(step, value);
            metrics.add(new Metric("loss/train", value, start + step, step));
            metrics.add(new Metric(ALPHA, 0.5 + 0.4 * step / STEPS, start + step, step));
        }
        logger.log(metrics, List.of(new Param("lambda", "0.25"), new Param("options", "maf,rq-c"),
                new Param("seed", "11")), List.of(new Tag(SearchRunTracker.ARCHITECTURE_TAG, "maf,rq-c")));
        byte[] artifact = "{\"layers\":[\"maf\",\"rq-c\"]}".getBytes(StandardCharsets.UTF_8);
        store.uploadArtifact(parent, "model/architecture.json", artifact);

        TrackedRun child = store.createRun(experiment, "retrain-fs",
                RunTags.forRun("retrain-fs", "autonf search", parent.runId(), "0.1.0-test", null), start + 500);
        List<Metric> childMetrics = new ArrayList<>();
        for (long step = 1; step <= 20; step++) {
            childMetrics.add(new Metric("loss/train", 2.0 - step * 0.01, start + 500 + step, step));
        }
        new BatchLogger(store, child).log(childMetrics, List.of(), List.of());
        store.finishRun(child.runId(), RunStatus.FINISHED, start + 900);
        store.finishRun(parent.runId(), RunStatus.FINISHED, start + 1000);
        return new Written(experiment, parent, child, start, loss, artifact);
    }

    private static void checkReadBack(MlflowServerStore rest, URI uri, Written w) {
        assertEquals(w.experimentId(), rest.experimentId("autonf-filestore"), "the experiment is found by name");
        JsonNode run = rest.query("runs/get", Map.of("run_id", w.parent().runId())).path("run");
        JsonNode info = run.path("info");
        assertEquals("FINISHED", info.path("status").asText());
        assertEquals(w.start(), info.path("start_time").asLong());
        assertEquals(w.start() + 1000, info.path("end_time").asLong());
        assertEquals("search-fs", info.path("run_name").asText());
        Map<String, String> params = keyValues(run.path("data").path("params"));
        assertEquals(Map.of("lambda", "0.25", "options", "maf,rq-c", "seed", "11"), params);
        Map<String, String> tags = keyValues(run.path("data").path("tags"));
        assertEquals("search-fs", tags.get(RunTags.RUN_NAME));
        assertEquals("autonf search", tags.get(RunTags.SOURCE_NAME));
        assertEquals("maf,rq-c", tags.get(SearchRunTracker.ARCHITECTURE_TAG));
        assertTrue(!tags.containsKey(RunTags.PARENT_RUN_ID), "a top-level run has no parent");

        List<JsonNode> loss = history(rest, w.parent().runId(), "loss/train");
        assertEquals(STEPS, loss.size(), "one value per step, none duplicated");
        Set<Long> steps = new HashSet<>();
        for (JsonNode point : loss) {
            long step = point.path("step").asLong();
            assertTrue(steps.add(step), "step " + step + " twice");
            assertEquals(w.loss().get(step), point.path("value").asDouble(), 0.0, "exact round trip");
            assertEquals(w.start() + step, point.path("timestamp").asLong());
        }
        List<JsonNode> alpha = history(rest, w.parent().runId(), ALPHA);
        assertEquals(STEPS, alpha.size());
        assertEquals(0.9, alpha.stream().filter(p -> p.path("step").asLong() == STEPS).findFirst().orElseThrow()
                .path("value").asDouble(), 1e-12);

        JsonNode child = rest.query("runs/get", Map.of("run_id", w.child().runId())).path("run");
        assertEquals("FINISHED", child.path("info").path("status").asText());
        assertEquals(w.parent().runId(), keyValues(child.path("data").path("tags")).get(RunTags.PARENT_RUN_ID));
        assertEquals(20, history(rest, w.child().runId(), "loss/train").size());
        List<String> children = new ArrayList<>();
        rest.searchRuns(w.experimentId(), "tags.mlflow.parentRunId = '" + w.parent().runId() + "'", null, 10)
                .forEach(r -> children.add(r.runId()));
        assertEquals(List.of(w.child().runId()), children);
        assertEquals(2, rest.searchRuns(w.experimentId(), "", null, 10).size(), "two runs, no more");

        JsonNode model = rest.query("artifacts/list", Map.of("run_id", w.parent().runId(), "path", "model"));
        List<String> files = new ArrayList<>();
        model.path("files").forEach(f -> files.add(f.path("path").asText() + ":" + f.path("file_size").asLong()));
        assertEquals(List.of("model/architecture.json:" + w.artifact().length), files, uri.toString());
    }

    /** The file store's own reading of its runs agrees with the real MLflow's reading of the same directory. */
    private static void sameAsTheServerReadsIt(LocalFileStore local, MlflowServerStore rest, Written w) {
        assertEquals(rest.findExperimentId("autonf-filestore"), local.findExperimentId("autonf-filestore"));
        for (TrackedRun run : List.of(w.parent(), w.child())) {
            assertEquals(rest.getRun(run.runId()), local.getRun(run.runId()), "run " + run.runId());
            for (String key : List.of("loss/train", ALPHA)) {
                assertEquals(rest.metricHistory(run.runId(), key), local.metricHistory(run.runId(), key), key);
            }
        }
        for (String filter : List.of("", "tags.mlflow.parentRunId = '" + w.parent().runId() + "'",
                "attributes.status = 'FINISHED' AND params.seed = '11'", "metrics.`loss/train` < 100")) {
            assertEquals(rest.searchRuns(w.experimentId(), filter, null, 10),
                    local.searchRuns(w.experimentId(), filter, null, 10), filter);
        }
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

    private static List<JsonNode> history(MlflowServerStore rest, String runId, String key) {
        List<JsonNode> points = new ArrayList<>();
        rest.query("metrics/get-history", Map.of("run_id", runId, "metric_key", key)).path("metrics")
                .forEach(points::add);
        return points;
    }
}
