package io.autonf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonf.mlflow.LocalFileStore;
import io.autonf.mlflow.Metric;
import io.autonf.mlflow.RunRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code search --resume}: a search killed with SIGKILL in a child JVM (no shutdown hook runs, the run stays
 * RUNNING) is continued from its checkpoint artifact in the same MLflow run, and ends as the uninterrupted search
 * with the same seed does: same architecture, same final metrics, and no metric step logged twice.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SearchResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STEPS_PER_BLOCK = 300;
    /** Two layers, two rounds. */
    private static final int TOTAL_STEPS = 4 * STEPS_PER_BLOCK;

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void stopChild() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private record Outcome(int exitCode, String stdout, String stderr) {
    }

    private static Outcome run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AutoNf.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), AutoNf.availableCommands());
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private List<String> search(Path store, String... extra) {
        return search(STEPS_PER_BLOCK, store, extra);
    }

    private List<String> search(int stepsPerBlock, Path store, String... extra) {
        List<String> args = new ArrayList<>(List.of("search", "--data", "power-sample", "--layers", "2",
                "--options", "maf,affine-c", "--hidden", "8", "--blocks", "1", "--steps",
                Integer.toString(stepsPerBlock), "--batch", "64", "--alpha-batch", "64", "--retrain-steps", "30",
                "--val-every", "10", "--samples", "200", "--no-reference", "--cost-dir", dir.resolve("costs").toString(),
                "--quick-costs", "--seed", "5", "--tracking-uri", "file:" + store,
                "--experiment", "resume", "--json"));
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    void aKilledSearchResumesInTheSameRunToTheSameEnd() throws Exception {
        Path wholeStore = dir.resolve("whole");
        Outcome whole = run(search(wholeStore, "--checkpoint-every", "50"));
        assertEquals(0, whole.exitCode(), whole.stderr());
        JsonNode expected = JSON.readTree(whole.stdout());

        Path store = dir.resolve("mlruns");
        child = startChild(search(store, "--run-name", "killed", "--checkpoint-every", "50"));
        Path runDir = waitForCheckpointAndMoreSteps(store);
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        String runId = runDir.getFileName().toString();
        LocalFileStore reader = LocalFileStore.openExisting(store);
        assertEquals("RUNNING", reader.getRun(runId).status(), "SIGKILL leaves the run RUNNING");
        int loggedBeforeResume = reader.metricHistory(runId, "loss/train").size();
        assertTrue(loggedBeforeResume < TOTAL_STEPS, "killed before the end: " + loggedBeforeResume);

        Outcome resumed = run(search(store, "--resume", runId, "--checkpoint-every", "50"));
        assertEquals(0, resumed.exitCode(), resumed.stdout() + resumed.stderr());
        assertTrue(resumed.stderr().contains("resuming run " + runId), resumed.stderr());
        assertTrue(resumed.stderr().contains("resuming the search after step"), resumed.stderr());
        JsonNode actual = JSON.readTree(resumed.stdout());
        assertEquals(runId, actual.get("mlflow_run_id").asText(), "the same MLflow run");
        assertEquals(expected.get("architecture"), actual.get("architecture"));
        assertEquals(expected.get("weights"), actual.get("weights"));
        for (String field : List.of("test_nll", "test_nll_error", "density", "coverage")) {
            assertEquals(expected.get("found").get(field), actual.get("found").get(field), "found." + field);
        }
        assertEquals(expected.get("search").get("layer_evaluations"), actual.get("search").get("layer_evaluations"));

        RunRecord run = reader.getRun(runId);
        assertEquals("FINISHED", run.status());
        assertEquals(expected.get("architecture").asText().replace(",", ","), run.tags().get("autonf.architecture"));
        assertTrue(run.tags().containsKey(RunScope.RESUMED_TAG));
        // Every key: each step at most once, and the search's keys at every step 1..N.
        for (String key : run.latestMetrics().keySet()) {
            List<Metric> history = reader.metricHistory(runId, key);
            Set<Long> steps = new HashSet<>();
            for (Metric m : history) {
                assertTrue(steps.add(m.step()), key + " logs step " + m.step() + " twice");
            }
        }
        List<Metric> losses = reader.metricHistory(runId, "loss/train");
        assertEquals(TOTAL_STEPS, losses.size());
        // The values logged before the kill and after the resume are those of the uninterrupted search.
        Path wholeRun = findRunDir(wholeStore).orElseThrow();
        List<Metric> wholeLosses = LocalFileStore.openExisting(wholeStore)
                .metricHistory(wholeRun.getFileName().toString(), "loss/train");
        for (int i = 0; i < TOTAL_STEPS; i++) {
            assertEquals(wholeLosses.get(i).step(), losses.get(i).step());
            assertEquals(wholeLosses.get(i).value(), losses.get(i).value(), "loss/train at step " + losses.get(i).step());
        }
        assertEquals(JSON.readTree(resumed.stdout()).get("found").get("test_nll"),
                JSON.readTree(whole.stdout()).get("found").get("test_nll"));
    }

    @Test
    void resumingARunWithoutACheckpointFailsClearly() throws IOException {
        Path store = dir.resolve("mlruns");
        Outcome first = run(search(3, store, "--checkpoint-every", "0"));
        assertEquals(0, first.exitCode(), first.stdout() + first.stderr());
        String runId = JSON.readTree(first.stdout()).get("mlflow_run_id").asText();
        Outcome again = run(search(3, store, "--checkpoint-every", "0", "--resume", runId));
        assertEquals(2, again.exitCode(), again.stderr());
        assertTrue(again.stdout().contains("has no checkpoint to resume from"), again.stdout());
        Outcome untracked = run(search(store, "--resume", runId, "--no-tracking"));
        assertEquals(2, untracked.exitCode());
        assertTrue(untracked.stderr().contains("--no-tracking") || untracked.stdout().contains("--no-tracking"),
                untracked.stderr());
    }

    private Process startChild(List<String> args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this test"));
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), AutoNf.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile());
        builder.environment().remove("MLFLOW_TRACKING_URI");
        return builder.start();
    }

    /**
     * Waits until the child has uploaded a checkpoint and logged steps beyond it (so that the resumed run must
     * skip steps already logged); returns the run's directory.
     */
    private Path waitForCheckpointAndMoreSteps(Path store) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                fail("the search exited with " + child.exitValue() + " before it could be killed:\n" + childLog());
            }
            Optional<Path> runDir = findRunDir(store);
            if (runDir.isPresent() && Files.isRegularFile(runDir.get().resolve("artifacts/checkpoints/latest"))) {
                Path losses = runDir.get().resolve("metrics/loss/train");
                if (Files.isRegularFile(losses) && Files.readAllLines(losses).size() >= 300) {
                    return runDir.get();
                }
            }
            Thread.sleep(20);
        }
        fail("no checkpoint within 120 s:\n" + childLog());
        return null;
    }

    private static Optional<Path> findRunDir(Path store) throws IOException {
        if (!Files.isDirectory(store)) {
            return Optional.empty();
        }
        // The writing process renames temporary files while we walk: a file that vanished under the walk is no
        // error, just a reason to look again on the next poll.
        try (Stream<Path> files = Files.walk(store, 3)) {
            return files.filter(p -> p.getFileName().toString().equals("meta.yaml"))
                    .map(Path::getParent)
                    .filter(p -> p.getFileName().toString().matches("[0-9a-f]{32}"))
                    .findFirst();
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException vanished) {
            return Optional.empty();
        }
    }

    private String childLog() throws IOException {
        Path log = dir.resolve("child.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
