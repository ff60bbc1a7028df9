package io.autonf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.autonf.mlflow.MlflowServerStore;
import io.autonf.mlflow.MlflowTestServer;
import io.autonf.mlflow.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The MLproject at the repository root run by the real {@code mlflow run} (MLflow 3.17.2 from PyPI) against a real
 * tracking server: MLflow creates the run and starts {@code ./autonf search} in it, which logs into that same run.
 * Runs after {@code package} (failsafe), on the jar the build just made ({@code AUTONF_JAR}), so the launcher does
 * not build.
 */
class MlflowProjectIT {

    private static final String EXPERIMENT = "mlproject-it";

    @TempDir
    Path dir;

    @Test
    void mlflowRunOfTheSearchEntryPointLeavesOneFinishedRunWithItsParamsAndOurValues() throws Exception {
        Path jar = Path.of(System.getProperty("autonf.jar", "autonf-mlflow/target/autonf.jar"));
        assertTrue(Files.isRegularFile(jar), "the runnable jar is built at package, before this test: " + jar);
        Path repository = repositoryRoot();
        try (MlflowTestServer server = MlflowTestServer.start(dir.resolve("server"))) {
            List<String> command = new ArrayList<>(List.of(MlflowTestServer.mlflowExecutable().toString(), "run",
                    repository.toString(), "-e", "search", "--env-manager", "local", "--experiment-name", EXPERIMENT,
                    "-P", "data=power-sample", "-P", "layers=2", "-P", "options=maf,affine-c", "-P", "hidden=8",
                    "-P", "blocks=1", "-P", "steps=4", "-P", "batch=64", "-P", "alpha_batch=64",
                    "-P", "retrain_steps=20", "-P", "val_every=10", "-P", "samples=200", "-P", "quick_costs=true",
                    "-P", "seed=3", "-P", "lambda=0.50", "-P", "out=" + dir.resolve("out")));
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mlflow-run.log").toFile());
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(key -> key.startsWith("MLFLOW_"));
            environment.put("MLFLOW_TRACKING_URI", server.uri().toString());
            environment.put("AUTONF_JAR", jar.toAbsolutePath().toString());
            environment.put("AUTONF_COST_TABLES", dir.resolve("costs").toString());
            environment.put("JAVA_HOME", System.getProperty("java.home"));
            Process process = builder.start();
            if (!process.waitFor(240, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroyForcibly();
                fail("mlflow run did not end within 240 s:\n" + log());
            }
            assertEquals(0, process.exitValue(), "mlflow run failed:\n" + log());

            MlflowServerStore store = new MlflowServerStore(server.uri(), Map.of());
            String experimentId = store.findExperimentId(EXPERIMENT).orElseThrow();
            List<RunRecord> runs = store.searchRuns(experimentId, null, null, 10);
            assertEquals(1, runs.size(), "mlflow run's run and ours are one: " + runs + "\n" + log());
            RunRecord run = store.getRun(runs.get(0).runId());
            assertEquals("FINISHED", run.status());
            // Logged by mlflow run: the MLproject's parameters, as given; lambda in the user's spelling even though
            // our search logs lambda too.
            assertEquals("power-sample", run.params().get("data"));
            assertEquals("2", run.params().get("layers"));
            assertEquals("0.50", run.params().get("lambda"));
            assertEquals("search", run.tags().get("mlflow.project.entryPoint"));
            assertEquals("PROJECT", run.tags().get("mlflow.source.type"));
            // Logged by autonf into the same run: its options, configuration, tags, metrics and artifacts.
            assertEquals("power-sample", run.params().get("cli.data"));
            assertEquals("4", run.params().get("cli.steps"));
            assertTrue(run.params().containsKey("dataset"), "the search's own params: " + run.params().keySet());
            assertTrue(run.tags().containsKey("autonf.version"), "our tags: " + run.tags());
            assertTrue(run.tags().get("autonf.architecture").matches("(maf|affine-c),(maf|affine-c)"),
                    "the found architecture: " + run.tags());
            assertTrue(run.latestMetrics().containsKey("fom"), "final metrics: " + run.latestMetrics().keySet());
            assertTrue(run.latestMetrics().containsKey("found/test_nll"), "final metrics: " + run.latestMetrics().keySet());
            assertEquals(16, store.metricHistory(run.runId(), "loss/train").size(), "2 rounds x 2 blocks x 4 steps");
            JsonNode artifacts = store.query("artifacts/list", Map.of("run_id", run.runId()));
            Set<String> files = new java.util.HashSet<>();
            artifacts.path("files").forEach(f -> files.add(f.path("path").asText()));
            assertTrue(files.containsAll(Set.of("model.anf", "architecture.json", "report.md")), "artifacts: " + files);
            assertFalse(log().contains("Traceback"), log());
        }
    }

    /** The checkout holding the MLproject: the module's parent directory. */
    private static Path repositoryRoot() {
        Path module = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = module; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("MLproject"))) {
                return p;
            }
        }
        throw new IllegalStateException("no MLproject above " + module);
    }

    private String log() throws java.io.IOException {
        Path log = dir.resolve("mlflow-run.log");
        return Files.exists(log) ? Files.readString(log) : "(no output)";
    }
}
