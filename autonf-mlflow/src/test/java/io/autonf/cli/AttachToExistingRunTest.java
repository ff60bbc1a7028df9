package io.autonf.cli;

import io.autonf.mlflow.LocalFileStore;
import io.autonf.mlflow.Param;
import io.autonf.mlflow.RunRecord;
import io.autonf.mlflow.TrackingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code MLFLOW_RUN_ID} set, as {@code mlflow run} sets it, a tracked command logs into that run of the local
 * store instead of creating a second one, and ends it with its own status.
 */
class AttachToExistingRunTest {

    @TempDir
    Path dir;

    @Command(name = "search")
    static final class FakeSearch {
        @Option(names = "--steps")
        int steps = 7;
    }

    /** A run as {@code mlflow run} leaves it before starting the command: RUNNING, with its project tags. */
    private String projectRun(LocalFileStore store, String experimentId) {
        String runId = store.createRun(experimentId, "brave-owl-42", Map.of("mlflow.runName", "brave-owl-42",
                "mlflow.source.type", "PROJECT", "mlflow.source.name", "/repo", "mlflow.project.entryPoint", "search"),
                System.currentTimeMillis()).runId();
        // mlflow run logs the entry point's parameters as the user spelled them.
        store.logBatch(runId, List.of(), List.of(new Param("lambda", "0.50")), List.of());
        return runId;
    }

    private RunScope open(Path root, String runId, String... args) {
        TrackingOptions options = new TrackingOptions();
        options.trackingUri = "file:" + root;
        CommandLine line = new CommandLine(new FakeSearch()).addMixin("tracking", options);
        line.parseArgs(args);
        CommandSpec spec = line.getCommandSpec();
        return options.open(spec, Map.of("MLFLOW_RUN_ID", runId), new PrintWriter(new StringWriter()));
    }

    @Test
    void theCommandLogsIntoTheRunNamedByMlflowRunIdAndEndsIt() throws Exception {
        Path root = dir.resolve("mlruns");
        LocalFileStore store = new LocalFileStore(root);
        String experimentId = store.experimentId("projects");
        String runId = projectRun(store, experimentId);

        try (RunScope scope = open(root, runId, "--steps", "9")) {
            assertEquals(runId, scope.run().runId());
            assertEquals(experimentId, scope.run().experimentId(), "the run's own experiment, not --experiment's");
            scope.params(Map.of("lambda", 0.5, "layers", 4));
            scope.metric("found/test_nll", 1.25);
            scope.artifact("report.md", "# report".getBytes(StandardCharsets.UTF_8));
        }

        List<RunRecord> runs = store.searchRuns(experimentId, null, null, 10);
        assertEquals(1, runs.size(), "no second run: " + runs);
        RunRecord run = store.getRun(runId);
        assertEquals("FINISHED", run.status());
        assertEquals("brave-owl-42", run.runName(), "the creator's name stays without --run-name");
        assertEquals("PROJECT", run.tags().get("mlflow.source.type"), "the creator's source tags stay");
        assertEquals("search", run.tags().get("mlflow.project.entryPoint"));
        assertTrue(run.tags().containsKey("autonf.version"), "our tags are added: " + run.tags());
        assertTrue(run.tags().containsKey("autonf.host"), "our tags are added: " + run.tags());
        assertEquals("9", run.params().get("cli.steps"));
        assertEquals("0.50", run.params().get("lambda"), "a param the run holds is not logged again with our spelling");
        assertEquals("4", run.params().get("layers"));
        assertEquals(1.25, run.latestMetrics().get("found/test_nll"));
        assertTrue(Files.isRegularFile(root.resolve(experimentId).resolve(runId).resolve("artifacts/report.md")));
        assertFalse(store.findExperimentId(TrackingOptions.DEFAULT_EXPERIMENT).isPresent(),
                "the default experiment is not created for an attached run");
    }

    @Test
    void aFailingCommandEndsTheAttachedRunFailedAndRunNameRenamesIt() {
        Path root = dir.resolve("mlruns");
        LocalFileStore store = new LocalFileStore(root);
        String runId = projectRun(store, store.experimentId("projects"));

        RunScope scope = open(root, runId, "--run-name", "renamed");
        scope.fail(new IllegalStateException("the data set is empty"));
        scope.close();

        RunRecord run = store.getRun(runId);
        assertEquals("FAILED", run.status());
        assertEquals("the data set is empty", run.tags().get(RunScope.ERROR_TAG));
        assertEquals("renamed", run.tags().get("mlflow.runName"));
    }

    @Test
    void aRunIdTheStoreDoesNotHoldIsAnError() {
        Path root = dir.resolve("mlruns");
        new LocalFileStore(root).experimentId("projects");
        TrackingException e = assertThrows(TrackingException.class,
                () -> open(root, "0123456789abcdef0123456789abcdef"));
        assertTrue(e.getMessage().contains("0123456789abcdef0123456789abcdef"), e.getMessage());
    }
}
