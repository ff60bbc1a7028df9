package io.autonf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonf.flow.Architecture;
import io.autonf.flow.Layers;
import io.autonf.mlflow.ArchitectureJson;
import io.autonf.mlflow.RunTags;
import io.autonf.train.FlowFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code autonf ga} as shipped, on the bundled POWER slice with a tiny budget (population 4, 2 generations, 5 steps
 * per candidate), tracked into a local file store and read back from it.
 */
class GaCommandTest {

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

    private String[] tiny(String... extra) {
        List<String> args = new ArrayList<>(List.of("ga", "--data", "power-sample", "--layers", "3",
                "--options", "maf,affine-c", "--hidden", "8", "--blocks", "1", "--population", "4", "--generations", "2",
                "--steady", "0", "--budget-steps", "5", "--batch", "64", "--retrain-steps", "20", "--val-every", "10",
                "--samples", "200", "--cost-dir", dir.resolve("costs").toString(), "--quick-costs", "--seed", "3"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
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

    /** A metric's history in the file store: "timestamp value step" lines. */
    private static List<String[]> history(Path run, String key) throws IOException {
        Path file = run.resolve("metrics").resolve(key);
        assertTrue(Files.isRegularFile(file), "metric " + key + " missing in " + run);
        return Files.readAllLines(file).stream().map(l -> l.split(" ")).toList();
    }

    @Test
    void aTrackedGaIsAParentRunWithOneNestedRunPerCandidateAndTheArtifactsOfASearch() throws IOException {
        Path store = dir.resolve("mlruns");
        Outcome o = run(tiny("--tracking-uri", "file:" + store, "--json"));
        assertEquals(0, o.exitCode(), o.stderr());
        assertEquals(1, o.stdout().strip().lines().count(), "one JSON line on stdout");
        JsonNode r = JSON.readTree(o.stdout());
        assertEquals("ok", r.get("status").asText());
        assertEquals("ga", r.get("command").asText());
        Architecture found = Architecture.parse(r.get("architecture").asText());
        assertEquals(3, found.size());
        assertEquals("rq-ar,rq-ar,rq-ar", r.get("reference").get("architecture").asText());
        assertTrue(r.get("found").get("test_nll").isNumber() && r.get("fom").isNumber(), r.toString());
        assertEquals(2, r.get("generations").size());
        int trainings = r.get("ga").get("trainings").asInt();
        assertTrue(trainings >= 4 && trainings <= 8, "4 in the first generation, at most 8 architectures: " + trainings);
        assertTrue(r.get("ga").get("total_layer_evaluations").asLong() > 0);

        List<Path> parents = new ArrayList<>();
        List<Path> children = new ArrayList<>();
        for (Path run : runs(store)) {
            (Files.exists(run.resolve("tags").resolve(RunTags.PARENT_RUN_ID)) ? children : parents).add(run);
        }
        assertEquals(1, parents.size());
        Path parent = parents.get(0);
        String parentId = parent.getFileName().toString();

        // The parent: the GA's settings and the data as params, per-generation metrics at steps 1..G.
        assertEquals("4", value(parent, "params", "population_size"));
        assertEquals("2", value(parent, "params", "generations"));
        assertEquals("5", value(parent, "params", "training.max_steps"));
        assertEquals("20", value(parent, "params", "retraining.max_steps"));
        assertEquals("maf,affine-c", value(parent, "params", "options"));
        assertEquals("power-sample", value(parent, "params", "data.spec"));
        assertEquals("200", value(parent, "params", "evaluation.samples"));
        assertEquals("4", value(parent, "params", "cli.population"));
        assertEquals("autonf ga", value(parent, "tags", RunTags.SOURCE_NAME));
        for (String metric : List.of("ga/best_fitness", "ga/best_so_far", "ga/mean_fitness", "ga/diversity",
                "ga/hamming_distance", "ga/failed", "ga/evaluations", "ga/layer_evaluations", "ga/wall_time_s")) {
            List<String[]> h = history(parent, metric);
            assertEquals(List.of("1", "2"), h.stream().map(l -> l[2]).toList(), metric + ": one value per generation");
        }
        List<String[]> evaluations = history(parent, "ga/evaluations");
        assertEquals(trainings, (int) Double.parseDouble(evaluations.get(1)[1]));
        assertEquals(r.get("ga").get("total_layer_evaluations").asDouble(),
                Double.parseDouble(history(parent, "ga/total_layer_evaluations").get(0)[1]));
        for (String metric : List.of("found/test_nll", "found/density", "reference/test_nll", "fom", "wall_time_s",
                "ga_wall_time_s", "found/training/samples_per_s")) {
            assertFalse(history(parent, metric).isEmpty(), metric);
        }
        assertTrue(Files.readString(parent.resolve("meta.yaml")).contains("status: 3"), "FINISHED");

        // One nested run per candidate trained, under the parent.
        assertEquals(trainings, children.size());
        Set<String> names = new HashSet<>();
        Set<String> architectures = new HashSet<>();
        for (Path child : children) {
            assertEquals(parentId, value(child, "tags", RunTags.PARENT_RUN_ID));
            assertEquals(parent.getParent(), child.getParent(), "same experiment");
            names.add(value(child, "tags", RunTags.RUN_NAME));
            String architecture = value(child, "params", "architecture");
            architectures.add(architecture);
            assertEquals(architecture, value(child, "tags", "autonf.architecture"));
            assertTrue(value(child, "tags", RunTags.RUN_NAME).matches("candidate \\d{3} " + architecture.replace("-", "\\-")));
            int generation = Integer.parseInt(value(child, "params", "generation"));
            assertTrue(generation == 1 || generation == 2);
            assertFalse(value(child, "params", "seed").isEmpty());
            boolean failed = Double.parseDouble(history(child, "failed").get(0)[1]) == 1;
            for (String metric : List.of("cost", "training_time_s", "layer_evaluations", "steps_run")) {
                assertEquals(1, history(child, metric).size(), metric);
            }
            if (!failed) {
                double nll = Double.parseDouble(history(child, "val_nll").get(0)[1]);
                double fitness = Double.parseDouble(history(child, "fitness").get(0)[1]);
                double cost = Double.parseDouble(history(child, "cost").get(0)[1]);
                assertEquals(nll + 0.5 * cost, fitness, 1e-9 * Math.abs(fitness), "fitness = NLL + λ·cost");
            }
            assertTrue(Files.readString(child.resolve("meta.yaml")).contains(failed ? "status: 4" : "status: 3"));
        }
        assertEquals(trainings, names.size(), "distinct candidate runs");
        assertEquals(trainings, architectures.size(), "every architecture trained once");

        // Artifacts as a search run's, plus the GA's tables and chart.
        Path artifacts = parent.resolve("artifacts");
        for (String file : List.of("architecture.json", "cost_table.json", "model.anf", "report.md", "report.html",
                "generations.csv", "candidates.csv", "fitness.png")) {
            assertTrue(Files.size(artifacts.resolve(file)) > 0, file);
        }
        Architecture tagged = Architecture.parse(value(parent, "tags", "autonf.architecture"));
        assertEquals(found, tagged);
        assertEquals(tagged, ArchitectureJson.architecture(Files.readString(artifacts.resolve("architecture.json"))));
        assertEquals(tagged, FlowFiles.load(artifacts.resolve("model.anf"), Layers::flow).spec().architecture());
        assertEquals(1 + 2, Files.readAllLines(artifacts.resolve("generations.csv")).size());
        assertEquals(1 + trainings, Files.readAllLines(artifacts.resolve("candidates.csv")).size());
        assertNotNull(ImageIO.read(artifacts.resolve("fitness.png").toFile()));
        String report = Files.readString(artifacts.resolve("report.md"));
        assertTrue(report.contains("## Generations") && report.contains("## Evaluation") && report.contains("fom")
                && report.contains("(fitness.png)") && !report.contains("α"), report);
        assertTrue(Files.readString(artifacts.resolve("report.html")).contains("data:image/png;base64,"));
    }

    @Test
    void withoutJsonItPrintsTheGenerationsAndTheComparisonAndWritesItsFiles() throws IOException {
        Path out = dir.resolve("out");
        Outcome o = run(tiny("--no-tracking", "--out", out.toString()));
        assertEquals(0, o.exitCode(), o.stderr());
        assertTrue(o.stdout().contains("generation") && o.stdout().contains("found") && o.stdout().contains("reference")
                && o.stdout().contains("FOM") && o.stdout().contains("layer evaluations"), o.stdout());
        assertTrue(o.stderr().contains("candidate 000") && o.stderr().contains("generation 1:"), o.stderr());
        JsonNode result = JSON.readTree(out.resolve("result.json").toFile());
        assertEquals(2, result.get("generations").size());
        assertTrue(Files.exists(out.resolve("fitness.png")) && Files.exists(out.resolve("model.anf")));
    }

    @Test
    void badOptionsExitTwoWithAMessage() throws IOException {
        assertBad(tiny("--population", "1", "--no-tracking", "--json"), "population");
        assertBad(tiny("--options", "maf,glow", "--no-tracking", "--json"), "glow");
        assertBad(tiny("--lambda", "-1", "--no-tracking", "--json"), "lambda");
        assertBad(tiny("--tournament", "9", "--no-tracking", "--json"), "tournament");
        assertBad(tiny("--budget-steps", "0", "--no-tracking", "--json"), "--budget-steps");
        assertBad(tiny("--max-time", "soon", "--no-tracking", "--json"), "duration");
        assertBad(tiny("--mutation", "1.5", "--no-tracking", "--json"), "mutation");
        assertBad(tiny("--retrain-steps", "0", "--no-tracking", "--json"), "--retrain-steps");
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        GaCommand.DurationConverter c = new GaCommand.DurationConverter();
        assertEquals(Duration.ofSeconds(90), c.convert("90s"));
        assertEquals(Duration.ofSeconds(90), c.convert("90"));
        assertEquals(Duration.ofMinutes(10), c.convert("10m"));
        assertEquals(Duration.ofMinutes(90), c.convert("1.5h"));
        assertEquals(Duration.ofMillis(250), c.convert("250ms"));
        assertEquals(Duration.ofMinutes(90), c.convert("PT1H30M"));
        assertThrows(picocli.CommandLine.TypeConversionException.class, () -> c.convert("-PT1M"));
        assertThrows(picocli.CommandLine.TypeConversionException.class, () -> c.convert("ten minutes"));
    }

    private static void assertBad(String[] args, String fragment) throws IOException {
        Outcome o = run(args);
        assertEquals(2, o.exitCode(), String.join(" ", args) + "\n" + o.stderr());
        JsonNode r = JSON.readTree(o.stdout());
        assertEquals("error", r.get("status").asText());
        assertTrue(r.get("error").asText().contains(fragment), r.get("error").asText());
    }
}
