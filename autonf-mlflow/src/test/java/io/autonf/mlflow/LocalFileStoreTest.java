package io.autonf.mlflow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The on-disk layout of {@link LocalFileStore}, without MLflow; the real MLflow reads it in the integration test. */
class LocalFileStoreTest {

    @TempDir
    Path root;

    @Test
    void aNewStoreHasTheDefaultExperimentAndFindsExperimentsAgainAfterReopening() throws Exception {
        LocalFileStore store = new LocalFileStore(root);
        String meta = Files.readString(root.resolve("0/meta.yaml"));
        assertTrue(meta.contains("name: \"Default\""), meta);
        assertTrue(meta.contains("experiment_id: \"0\""), meta);
        assertTrue(meta.contains("lifecycle_stage: active"), meta);
        assertTrue(meta.contains("artifact_location: \"file:"), meta);
        assertEquals("0", store.experimentId("Default"));

        String id = store.experimentId("it's \"quoted\"\nand multi-line");
        assertNotEquals("0", id);
        String other = store.experimentId("other");
        assertNotEquals(id, other);
        LocalFileStore reopened = new LocalFileStore(root);
        assertEquals(id, reopened.experimentId("it's \"quoted\"\nand multi-line"));
        assertEquals(other, reopened.experimentId("other"));
    }

    @Test
    void runsWriteMetaMetricLinesParamsTagsAndArtifacts() throws Exception {
        LocalFileStore store = new LocalFileStore(root);
        String experiment = store.experimentId("layout");
        TrackedRun run = store.createRun(experiment, "r1", Map.of(RunTags.USER, "alice"), 1000L);
        Path runDir = root.resolve(experiment).resolve(run.runId());
        assertEquals("file://" + runDir.resolve("artifacts").toUri().getPath().replaceAll("/$", ""), run.artifactUri());
        String meta = Files.readString(runDir.resolve("meta.yaml"));
        assertTrue(meta.contains("status: 1\n"), meta);
        assertTrue(meta.contains("end_time: null\n"), meta);
        assertTrue(meta.contains("run_id: " + run.runId() + "\n"), meta);
        assertTrue(meta.contains("run_uuid: " + run.runId() + "\n"), meta);
        assertTrue(meta.contains("user_id: \"alice\"\n"), meta);
        assertEquals("r1", Files.readString(runDir.resolve("tags/mlflow.runName")), "the run name is also a tag");

        store.logBatch(run.runId(), List.of(new Metric("alpha/layer00/rq-c", 0.25, 1001L, 1),
                        new Metric("alpha/layer00/rq-c", Double.NaN, 1002L, 2),
                        new Metric("loss/train", Double.NEGATIVE_INFINITY, 1003L, 2)),
                List.of(new Param("lambda", "0.25")), List.of(new Tag("autonf.architecture", "maf")));
        store.logBatch(run.runId(), List.of(new Metric("alpha/layer00/rq-c", 0.5, 1004L, 3)),
                List.of(new Param("lambda", "0.25")), List.of(new Tag("autonf.architecture", "maf,rq-c")));
        assertEquals(List.of("1001 0.25 1", "1002 NaN 2", "1004 0.5 3"),
                Files.readAllLines(runDir.resolve("metrics/alpha/layer00/rq-c")), "appended, in order");
        assertEquals(List.of("1003 -Infinity 2"), Files.readAllLines(runDir.resolve("metrics/loss/train")));
        assertEquals("0.25", Files.readString(runDir.resolve("params/lambda")));
        assertEquals("maf,rq-c", Files.readString(runDir.resolve("tags/autonf.architecture")), "tags overwrite");
        assertThrows(TrackingException.class, () -> store.logBatch(run.runId(), List.of(),
                List.of(new Param("lambda", "0.5")), List.of()), "params are write-once, as in MLflow");

        byte[] content = "{}".getBytes(StandardCharsets.UTF_8);
        store.uploadArtifact(run, "model/architecture.json", content);
        assertArrayEquals(content, Files.readAllBytes(runDir.resolve("artifacts/model/architecture.json")));

        store.finishRun(run.runId(), RunStatus.KILLED, 2000L);
        String ended = Files.readString(runDir.resolve("meta.yaml"));
        assertTrue(ended.contains("status: 5\n"), ended);
        assertTrue(ended.contains("end_time: 2000\n"), ended);
        assertTrue(ended.contains("start_time: 1000\n"), ended);
        assertTrue(ended.contains("run_name: \"r1\"\n"), ended);
        assertTrue(ended.contains("user_id: \"alice\"\n"), ended);
        try (Stream<Path> files = Files.walk(root)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void badIdsAndKeysThatLeaveTheirFolderAreRejected() {
        LocalFileStore store = new LocalFileStore(root);
        TrackedRun run = store.createRun("0", null, Map.of(), 1L);
        assertThrows(IllegalArgumentException.class, () -> store.uploadArtifact(run, "../meta.yaml", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> store.uploadArtifact(run, "/etc/x", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> store.finishRun("../0", RunStatus.FINISHED, 2L));
        assertThrows(TrackingException.class, () -> store.finishRun("0".repeat(32), RunStatus.FINISHED, 2L));
        assertThrows(TrackingException.class, () -> store.createRun("42", "x", Map.of(), 1L));
        assertThrows(IllegalArgumentException.class, () -> store.createRun("0", "a",
                Map.of(RunTags.RUN_NAME, "b"), 1L));
        assertThrows(IllegalArgumentException.class, () -> store.experimentId(" "));
    }
}
