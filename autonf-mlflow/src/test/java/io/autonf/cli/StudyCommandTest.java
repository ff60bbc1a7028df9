package io.autonf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonf.cost.CostTables;
import io.autonf.cost.MeasureOptions;
import io.autonf.data.Dataset;
import io.autonf.data.Datasets;
import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Precision;
import io.autonf.mlflow.LocalFileStore;
import io.autonf.mlflow.Metric;
import io.autonf.mlflow.RunRecord;
import io.autonf.mlflow.RunTags;
import io.autonf.mlflow.SearchRunTracker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code autonf study} end to end on a tiny study (power-sample cut to 512/128/128 rows, 2 layers of 8 hidden
 * units, a few steps everywhere) tracked into a local store: the study run, a nested run per cell and method with
 * its events, Table 1 as metrics, the report's files; and bad input.
 */
class StudyCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LayerSettings SETTINGS = LayerSettings.DEFAULT.withHiddenFeatures(8).withBlocks(1)
            .withBins(4).withPrecision(Precision.FP64);

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    /** power-sample sliced so that a method runs in about a second; anything else is unknown. */
    private static final DatasetLoader SLICES = (spec, seed) -> {
        if (!spec.equals("power-sample")) {
            throw new IllegalArgumentException("unknown data set '" + spec + "'");
        }
        Dataset d = Datasets.load(spec, seed);
        return new TrainingData(d.name(), d.train().slice(0, 512), d.validation().slice(0, 128),
                d.test().slice(0, 128));
    };

    /** A cost table measured once, in a few hundred milliseconds, where the study's YAML points. */
    @BeforeAll
    static void measureCosts() throws IOException {
        CostTables.loadOrMeasure(shared.resolve("costs"), 6, SETTINGS,
                List.of(LayerKind.MAF, LayerKind.AFFINE_C, LayerKind.RQ_C, LayerKind.RQ_AR),
                new MeasureOptions(MeasureOptions.DEFAULT.batch(), 0, 0, 1, 0), new SplittableRandom(1), null);
    }

    private static Path yaml(Path dir, String extra) throws IOException {
        Path file = dir.resolve("study.yaml");
        Files.writeString(file, """
                name: tiny
                datasets: [power-sample]
                emphases: [forward, inverse]
                seeds: [1, 2]
                layers: 2
                options: [maf, affine-c, rq-c]
                lambda: 0.5
                hidden: 8
                blocks: 1
                bins: 4
                precision: fp64
                threads: 1
                search: {rounds: 2, steps_per_block: 4, batch: 64, alpha_batch: 64}
                ga: {population: 3, generations: 2, steady_generations: 0, tournament_size: 2, candidate_steps: 8,
                     candidate_batch: 64, candidate_validate_every: 4}
                final_training: {steps: 12, batch: 64, validate_every: 6}
                evaluation: {samples: 60, k: 3}
                costs: {directory: "%s"}
                """.formatted(shared.resolve("costs").toString().replace("\\", "/")) + extra);
        return file;
    }

    private record Outcome(int exitCode, String stdout, String stderr) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AutoNf.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), List.of(new StudyCommand(SLICES)));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aTinyStudyIsOneRunWithANestedRunPerMethodItsEventsTableAndReport() throws IOException {
        Path mlruns = dir.resolve("mlruns");
        Path out = dir.resolve("out");
        // The flags narrow the YAML's two seeds and two emphases to one cell.
        Outcome o = run("study", "--config", yaml(dir, "").toString(), "--seeds", "1", "--emphasis", "forward",
                "--datasets", "power-sample", "--out", out.toString(), "--tracking-uri", mlruns.toString(),
                "--experiment", "study-test", "--json");
        assertEquals(0, o.exitCode(), o.stderr());
        JsonNode r = JSON.readTree(o.stdout());
        assertEquals("ok", r.get("status").asText(), o.stdout());
        assertEquals(4, r.get("method_runs").asInt());
        assertEquals(0, r.get("failed_method_runs").asInt(), o.stdout());
        assertEquals(4, r.get("table").size());
        for (String line : List.of("[1/4] power-sample forward seed 1 RQ-AF", "[2/4] power-sample forward seed 1 RQ-C",
                "[3/4] power-sample forward seed 1 AutoNF", "[4/4] power-sample forward seed 1 GA")) {
            assertTrue(o.stderr().contains(line), "progress line '" + line + "' in\n" + o.stderr());
        }

        LocalFileStore store = LocalFileStore.openExisting(mlruns);
        String experiment = store.findExperimentId("study-test").orElseThrow();
        List<RunRecord> runs = store.searchRuns(experiment, null, null, 100);
        assertEquals(5, runs.size(), runs.stream().map(RunRecord::runName).toList().toString());
        RunRecord parent = runs.stream().filter(x -> x.parentRunId() == null).findFirst().orElseThrow();
        assertEquals("FINISHED", parent.status());
        assertEquals("tiny", parent.params().get("name"));
        assertEquals("1", parent.params().get("seeds"));
        assertEquals("forward", parent.params().get("emphases"));
        Map<String, RunRecord> children = runs.stream().filter(x -> x.parentRunId() != null)
                .collect(Collectors.toMap(RunRecord::runName, Function.identity()));
        assertEquals(List.of("power-sample forward seed 1 AutoNF", "power-sample forward seed 1 GA",
                        "power-sample forward seed 1 RQ-AF", "power-sample forward seed 1 RQ-C"),
                children.keySet().stream().sorted().toList());
        for (RunRecord child : children.values()) {
            assertEquals(parent.runId(), child.parentRunId());
            assertEquals(parent.runId(), child.tags().get(RunTags.PARENT_RUN_ID));
            assertEquals("FINISHED", child.status(), child.runName());
            assertTrue(child.latestMetrics().containsKey("test_nll"), child.runName() + ": " + child.latestMetrics().keySet());
            assertTrue(child.latestMetrics().containsKey("final/loss/train"), child.runName());
            assertTrue(child.tags().containsKey(SearchRunTracker.ARCHITECTURE_TAG), child.runName());
            assertEquals("1", child.params().get("study.seed"));
        }
        RunRecord autonf = children.get("power-sample forward seed 1 AutoNF");
        List<Metric> alpha = store.metricHistory(autonf.runId(), "alpha/layer00/maf");
        assertEquals(autonf.params().get("study.method"), "AutoNF");
        assertTrue(alpha.size() >= 8, "α at every search step: " + alpha.size());
        assertTrue(alpha.stream().map(Metric::step).distinct().count() == alpha.size(), "one α point per step");
        assertTrue(autonf.latestMetrics().containsKey("found/test_nll"), autonf.latestMetrics().keySet().toString());
        RunRecord ga = children.get("power-sample forward seed 1 GA");
        List<Metric> generations = store.metricHistory(ga.runId(), "ga/best_so_far");
        assertFalse(generations.isEmpty());
        assertEquals(1, generations.get(0).step(), "step = generation, from 1");
        for (String key : List.of("ga/mean_fitness", "ga/diversity", "ga/evaluations", "ga/layer_evaluations",
                "ga/wall_time_s")) {
            assertEquals(generations.size(), store.metricHistory(ga.runId(), key).size(), key);
        }
        assertEquals("3", ga.params().get("population_size"));
        assertTrue(ga.latestMetrics().containsKey("pipeline/ga/trainings"), ga.latestMetrics().keySet().toString());

        for (String method : List.of("RQ-AF", "RQ-C", "AutoNF", "GA")) {
            assertTrue(parent.latestMetrics().containsKey("power-sample/forward/" + method + "/test_nll"), method);
            assertTrue(parent.latestMetrics().containsKey("power-sample/forward/" + method + "/cost_us"), method);
        }
        assertEquals(1.0, parent.latestMetrics().get("power-sample/forward/convergence_compared"));
        Path artifacts = mlruns.resolve(experiment).resolve(parent.runId()).resolve("artifacts");
        for (String file : StudyCommand.ARTIFACTS) {
            assertTrue(Files.size(artifacts.resolve(file)) > 0, file);
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        String markdown = Files.readString(artifacts.resolve("study.md"));
        for (String method : List.of("RQ-AF", "RQ-C", "AutoNF", "GA")) {
            assertTrue(markdown.contains("| power-sample | forward | " + method + " | 1/1 |"), method + "\n" + markdown);
        }
    }

    @Test
    void withoutJsonTheMarkdownReportIsPrinted() throws IOException {
        Outcome o = run("study", "--config", yaml(dir, "").toString(), "--seeds", "1", "--emphasis", "inverse",
                "--out", dir.resolve("out").toString(), "--no-tracking");
        assertEquals(0, o.exitCode(), o.stderr());
        assertTrue(o.stdout().startsWith("# Study tiny"), o.stdout());
        assertTrue(o.stdout().contains("| power-sample | inverse | GA | 1/1 |"), o.stdout());
        assertEquals(o.stdout(), Files.readString(dir.resolve("out").resolve("study.md")));
    }

    @Test
    void badInputExitsTwoNamingTheFileOrKey() throws IOException {
        Outcome profile = run("study", "--profile", "huge", "--no-tracking", "--out", dir.toString());
        assertEquals(2, profile.exitCode(), profile.stderr());
        assertTrue(profile.stderr().contains("unknown study profile 'huge'"), profile.stderr());

        Path missing = dir.resolve("nothing.yaml");
        Outcome none = run("study", "--config", missing.toString(), "--no-tracking", "--json");
        assertEquals(2, none.exitCode(), none.stderr());
        assertTrue(JSON.readTree(none.stdout()).get("error").asText().contains("nothing.yaml"), none.stdout());

        Path typo = yaml(dir, "evaluation_samples: 10\n");
        Outcome key = run("study", "--config", typo.toString(), "--no-tracking");
        assertEquals(2, key.exitCode(), key.stderr());
        assertTrue(key.stderr().contains("evaluation_samples") && key.stderr().contains(typo.toString()),
                key.stderr());

        Outcome data = run("study", "--config", yaml(dir, "").toString(), "--datasets", "power-sample,nope",
                "--no-tracking", "--out", dir.resolve("out").toString());
        assertEquals(2, data.exitCode(), data.stderr());
        assertTrue(data.stderr().contains("nope"), data.stderr());
        assertFalse(data.stderr().contains("[1/"), "nothing ran:\n" + data.stderr());

        Outcome both = run("study", "--config", yaml(dir, "").toString(), "--profile", "quick", "--no-tracking");
        assertEquals(2, both.exitCode(), both.stderr());

        Outcome seeds = run("study", "--config", yaml(dir, "").toString(), "--seeds", "1,1", "--no-tracking");
        assertEquals(2, seeds.exitCode(), seeds.stderr());
        assertTrue(seeds.stderr().contains("seed"), seeds.stderr());
    }
}
