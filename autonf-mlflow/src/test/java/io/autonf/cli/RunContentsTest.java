package io.autonf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonf.flow.Architecture;
import io.autonf.flow.Layers;
import io.autonf.mlflow.ArchitectureJson;
import io.autonf.mlflow.RunTags;
import io.autonf.train.FlowFiles;
import io.autonf.train.TrainedFlow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a tracked run holds, read back from the local file store: the params needed to run it again, the tags, the
 * artifacts (the architecture parsed back, the model evaluated again by {@code autonf evaluate}), and for
 * {@code fig3} one nested run per search with its α histories.
 */
class RunContentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Outcome(int exitCode, String stdout, String stderr) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AutoNf.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), AutoNf.availableCommands());
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The run directories under {@code store} (those with a meta.yaml and a metrics folder). */
    private static List<Path> runs(Path store) throws IOException {
        try (Stream<Path> metas = Files.walk(store)) {
            return metas.filter(p -> p.endsWith("meta.yaml") && Files.isDirectory(p.getParent().resolve("metrics")))
                    .map(Path::getParent).sorted().toList();
        }
    }

    private static String value(Path run, String kind, String key) throws IOException {
        Path file = run.resolve(kind).resolve(key);
        assertTrue(Files.isRegularFile(file), kind + " " + key + " missing in " + run);
        return Files.readString(file).strip();
    }

    /** The last value of a metric in the file store ("timestamp value step" lines). */
    private static double lastMetric(Path run, String key) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics").resolve(key));
        return Double.parseDouble(lines.get(lines.size() - 1).split(" ")[1]);
    }

    @Test
    void aSearchRunHoldsItsParamsTagsAndArtifactsAndItsModelEvaluatesToTheSameNll() throws IOException {
        Path store = dir.resolve("mlruns");
        Outcome o = run("search", "--data", "power-sample", "--layers", "2", "--options", "maf,affine-c", "--hidden", "8",
                "--blocks", "1", "--steps", "4", "--batch", "64", "--alpha-batch", "64", "--retrain-steps", "20",
                "--val-every", "10", "--samples", "200", "--cost-dir", dir.resolve("costs").toString(), "--quick-costs",
                "--seed", "3", "--tracking-uri", "file:" + store, "--json");
        assertEquals(0, o.exitCode(), o.stderr());
        List<Path> runs = runs(store);
        assertEquals(1, runs.size(), runs.toString());
        Path r = runs.get(0);

        // Everything needed to run it again.
        for (String param : List.of("dataset", "data.spec", "data.seed", "data.dimension", "data.train_rows",
                "data.validation_rows", "data.test_rows", "layers", "options", "hidden_features", "blocks_per_network",
                "bins", "precision", "loss", "lambda", "emphasis", "method", "block_size", "rounds", "steps_per_block",
                "theta_batch_size", "alpha_batch_size", "theta_optimiser.learning_rate", "alpha_optimiser.learning_rate",
                "alpha_optimiser.beta1", "seed", "memory_budget_bytes", "retraining.max_steps",
                "retraining.learning_rate", "retraining.patience", "evaluation.samples", "evaluation.k",
                "evaluation.train_reference", "cli.data")) {
            assertFalse(value(r, "params", param).isEmpty(), param);
        }
        assertEquals("power-sample", value(r, "params", "data.spec"));
        assertEquals("6", value(r, "params", "data.dimension"));
        assertEquals("maf,affine-c", value(r, "params", "options"));
        assertEquals("200", value(r, "params", "evaluation.samples"));
        int rows = Integer.parseInt(value(r, "params", "data.train_rows")) + Integer.parseInt(value(r, "params",
                "data.validation_rows")) + Integer.parseInt(value(r, "params", "data.test_rows"));
        assertEquals(3000, rows, "the splits of the bundled 3000-row slice");

        // Tags.
        assertEquals("autonf search", value(r, "tags", RunTags.SOURCE_NAME));
        assertEquals("LOCAL", value(r, "tags", RunTags.SOURCE_TYPE));
        assertFalse(value(r, "tags", RunTags.RUN_NAME).isEmpty());
        assertFalse(value(r, "tags", RunTags.USER).isEmpty());
        assertFalse(value(r, "tags", RunTags.HOST).isEmpty());
        assertFalse(value(r, "tags", RunTags.VERSION).isEmpty());
        String commit = value(r, "tags", RunTags.GIT_COMMIT);
        assertTrue(commit.equals(VersionInfo.UNKNOWN) || commit.matches("[0-9a-f]{40}(-dirty)?"), commit);
        assertEquals(VersionInfo.gitCommit(), commit);

        // Artifacts: the architecture parses back to the tag's, the model loads and evaluates to the search's NLL.
        Path artifacts = r.resolve("artifacts");
        for (String file : List.of("alpha.csv", "steps.csv", "alpha.png", "architecture.json", "cost_table.json",
                "model.anf", "report.md", "report.html")) {
            assertTrue(Files.size(artifacts.resolve(file)) > 0, file);
        }
        Architecture tagged = Architecture.parse(value(r, "tags", "autonf.architecture"));
        assertEquals(tagged, ArchitectureJson.architecture(Files.readString(artifacts.resolve("architecture.json"))));
        JsonNode architecture = JSON.readTree(artifacts.resolve("architecture.json").toFile());
        assertEquals(2, architecture.get("layers").get(0).get("weights").size());
        assertEquals(8, architecture.get("layer_settings").get("hidden_features").asInt());
        assertEquals("autonf-cost-table", JSON.readTree(artifacts.resolve("cost_table.json").toFile())
                .get("format").asText());
        assertNotNull(ImageIO.read(artifacts.resolve("alpha.png").toFile()));
        String report = Files.readString(artifacts.resolve("report.md"));
        assertTrue(report.contains("## Evaluation") && report.contains("reference") && report.contains("fom")
                && report.contains("(alpha.png)"), report);
        assertTrue(Files.readString(artifacts.resolve("report.html")).contains("data:image/png;base64,"));

        TrainedFlow model = FlowFiles.load(artifacts.resolve("model.anf"), Layers::flow);
        assertEquals(tagged, model.spec().architecture());
        double searchNll = lastMetric(r, "found/test_nll");
        double searchDensity = lastMetric(r, "found/density");
        Outcome e = run("evaluate", "--model", artifacts.resolve("model.anf").toString(), "--data", "power-sample",
                "--no-costs", "--json");
        assertEquals(0, e.exitCode(), e.stderr());
        JsonNode evaluated = JSON.readTree(e.stdout()).get("model");
        assertEquals(searchNll, evaluated.get("test_nll").asDouble(), 1e-9 * Math.abs(searchNll));
        assertEquals(searchDensity, evaluated.get("density").asDouble(), 1e-12,
                "same samples (seed and count from the model file), same density");
    }

    @Test
    void evaluateComparesWithAReferenceAndRejectsAMissingModel() throws IOException {
        List<Path> models = new ArrayList<>();
        for (String arch : List.of("affine-c", "maf")) {
            Path m = dir.resolve(arch + ".anf");
            Outcome t = run("train", "--data", "power-sample", "--arch", arch, "--hidden", "8", "--steps", "20",
                    "--batch", "64", "--val-every", "10", "--out", m.toString(), "--no-tracking");
            assertEquals(0, t.exitCode(), t.stderr());
            models.add(m);
        }
        Outcome e = run("evaluate", "--model", models.get(0).toString(), "--reference", models.get(1).toString(),
                "--samples", "200", "--json");
        assertEquals(0, e.exitCode(), e.stderr());
        JsonNode r = JSON.readTree(e.stdout());
        assertEquals("maf", r.get("reference").get("architecture").asText());
        assertTrue(r.get("fom").isNumber() && r.get("model").get("forward_cost_measured_us").asDouble() > 0, r.toString());
        Outcome missing = run("evaluate", "--model", dir.resolve("none.anf").toString());
        assertEquals(2, missing.exitCode(), missing.stderr());
        assertTrue(missing.stderr().contains("--model"), missing.stderr());
    }

    @Test
    void fig3LogsEverySearchAsANestedRunWithItsAlphaHistory() throws IOException {
        Path store = dir.resolve("mlruns");
        Outcome o = run("fig3", "--seeds", "1,2,3", "--steps", "5", "--batch", "64", "--out", dir.resolve("fig3").toString(),
                "--tracking-uri", "file:" + store, "--json");
        assertEquals(0, o.exitCode(), o.stderr());
        List<Path> runs = runs(store);
        assertEquals(7, runs.size(), runs.toString());
        List<Path> parents = new ArrayList<>();
        List<Path> children = new ArrayList<>();
        for (Path r : runs) {
            (Files.exists(r.resolve("tags").resolve(RunTags.PARENT_RUN_ID)) ? children : parents).add(r);
        }
        assertEquals(1, parents.size());
        assertEquals(6, children.size());
        String parentId = parents.get(0).getFileName().toString();
        assertTrue(Files.exists(parents.get(0).resolve("metrics/seed1/M1/binarised_test_nll")), "the parent's summary");
        for (Path child : children) {
            assertEquals(parentId, value(child, "tags", RunTags.PARENT_RUN_ID));
            assertEquals(parents.get(0).getParent(), child.getParent(), "same experiment");
            assertTrue(Files.readString(child.resolve("meta.yaml")).contains("status: 3"), "FINISHED");
            List<String> alpha = Files.readAllLines(child.resolve("metrics/alpha/layer00/planar"));
            assertEquals(5, alpha.size(), "one value per step");
            for (int i = 0; i < alpha.size(); i++) {
                assertEquals(String.valueOf(i + 1), alpha.get(i).split(" ")[2], "steps 1..5");
            }
            for (String metric : List.of("loss/train", "loss/val", "alpha/layer03/radial", "alpha/layer03/entropy",
                    "binarised_test_nll", "mixture_test_nll")) {
                assertTrue(Files.exists(child.resolve("metrics").resolve(metric)), metric + " in " + child);
            }
            Architecture tagged = Architecture.parse(value(child, "tags", "autonf.architecture"));
            assertEquals(tagged, ArchitectureJson.architecture(Files.readString(child.resolve("artifacts/architecture.json"))));
            assertTrue(Files.exists(child.resolve("artifacts/alpha.png")));
            assertEquals("upper-bound".equals(value(child, "params", "loss")) ? "M2" : "M1",
                    value(child, "params", "fig3.model"));
        }
    }
}
