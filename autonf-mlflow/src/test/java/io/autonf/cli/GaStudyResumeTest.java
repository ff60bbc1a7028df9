package io.autonf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonf.mlflow.LocalFileStore;
import io.autonf.mlflow.Metric;
import io.autonf.mlflow.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ga --resume} and {@code study --resume} reach their library's checkpoints through the run: the checkpoint
 * is saved to --out and as the run's artifact, and resuming the run from it (here from the last checkpoint, that
 * of the finished work, which the libraries rebuild without training anything) ends it FINISHED again with the
 * same result and no metric step twice.
 */
class GaStudyResumeTest {

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

    private List<String> ga(Path store, String... extra) {
        List<String> args = new ArrayList<>(List.of("ga", "--data", "power-sample", "--layers", "2",
                "--options", "maf,affine-c", "--hidden", "8", "--blocks", "1", "--population", "3", "--generations", "2",
                "--steady", "0", "--budget-steps", "5", "--batch", "64", "--retrain-steps", "10", "--val-every", "5",
                "--samples", "100", "--no-reference", "--cost-dir", dir.resolve("costs").toString(), "--quick-costs",
                "--seed", "3", "--out", dir.resolve("ga-out").toString(), "--tracking-uri", "file:" + store,
                "--experiment", "ga-resume", "--json"));
        args.addAll(List.of(extra));
        return args;
    }

    private static void assertEachStepOnce(LocalFileStore store, String runId) {
        RunRecord run = store.getRun(runId);
        for (String key : run.latestMetrics().keySet()) {
            Set<Long> steps = new HashSet<>();
            for (Metric m : store.metricHistory(runId, key)) {
                assertTrue(steps.add(m.step()), key + " logs step " + m.step() + " twice");
            }
        }
    }

    @Test
    void aGaRunResumesFromItsCheckpointArtifact() throws IOException {
        Path store = dir.resolve("mlruns");
        Outcome first = run(ga(store));
        assertEquals(0, first.exitCode(), first.stdout() + first.stderr());
        JsonNode expected = JSON.readTree(first.stdout());
        String runId = expected.get("mlflow_run_id").asText();
        assertTrue(Files.isRegularFile(dir.resolve("ga-out").resolve(GaCommand.CHECKPOINT_FILE)));
        LocalFileStore reader = LocalFileStore.openExisting(store);

        Outcome resumed = run(ga(store, "--resume", runId));
        assertEquals(0, resumed.exitCode(), resumed.stdout() + resumed.stderr());
        assertTrue(resumed.stderr().contains("resuming run " + runId + " from its checkpoint artifact"),
                resumed.stderr());
        JsonNode actual = JSON.readTree(resumed.stdout());
        assertEquals(runId, actual.get("mlflow_run_id").asText());
        assertEquals(expected.get("architecture"), actual.get("architecture"));
        assertEquals(expected.get("found").get("test_nll"), actual.get("found").get("test_nll"));
        assertEquals(expected.get("ga").get("trainings"), actual.get("ga").get("trainings"));
        assertEquals("FINISHED", reader.getRun(runId).status());
        assertEachStepOnce(reader, runId);
    }

    @Test
    void aStudyRunResumesFromItsCheckpoint() throws IOException {
        Path config = dir.resolve("study.yaml");
        Files.writeString(config, """
                name: tiny
                datasets: [power-sample]
                emphases: [forward]
                seeds: [1]
                layers: 2
                options: [maf, affine-c]
                lambda: 0.5
                hidden: 8
                blocks: 1
                bins: 4
                precision: fp64
                threads: 1
                search: {rounds: 1, steps_per_block: 3, batch: 64, alpha_batch: 64}
                ga: {population: 2, generations: 1, steady_generations: 0, tournament_size: 2, candidate_steps: 4,
                     candidate_batch: 64, candidate_validate_every: 4}
                final_training: {steps: 6, batch: 64, validate_every: 3}
                evaluation: {samples: 40, k: 3}
                costs: {directory: "%s"}
                """.formatted(dir.resolve("costs").toString().replace("\\", "/")));
        Path store = dir.resolve("mlruns");
        Path out = dir.resolve("study-out");
        List<String> args = List.of("study", "--config", config.toString(), "--out", out.toString(), "--tracking-uri",
                "file:" + store, "--experiment", "study-resume", "--json");
        Outcome first = run(args);
        assertEquals(0, first.exitCode(), first.stdout() + first.stderr());
        String runId = JSON.readTree(first.stdout()).get("mlflow_run_id").asText();
        assertTrue(Files.isRegularFile(out.resolve(StudyCommand.CHECKPOINT_FILE)));
        String table = Files.readString(out.resolve("study.csv"));

        List<String> again = new ArrayList<>(args);
        again.addAll(List.of("--resume", runId));
        Outcome resumed = run(again);
        assertEquals(0, resumed.exitCode(), resumed.stdout() + resumed.stderr());
        assertTrue(resumed.stderr().contains("resuming run " + runId), resumed.stderr());
        assertEquals(table, Files.readString(out.resolve("study.csv")), "the same Table 1");
        LocalFileStore reader = LocalFileStore.openExisting(store);
        assertEquals("FINISHED", reader.getRun(runId).status());
        assertEachStepOnce(reader, runId);
    }
}
