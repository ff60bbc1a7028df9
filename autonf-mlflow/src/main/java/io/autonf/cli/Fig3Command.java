package io.autonf.cli;

import io.autonf.event.SearchListener;
import io.autonf.event.SearchListeners;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Precision;
import io.autonf.mlflow.ArchitectureJson;
import io.autonf.mlflow.SearchRunTracker;
import io.autonf.plot.TrajectoryChart;
import io.autonf.search.AdamSettings;
import io.autonf.search.Fig3;
import io.autonf.search.SearchConfig;
import io.autonf.search.SearchLoss;
import io.autonf.search.SearchResult;
import io.autonf.search.TrajectoryFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code autonf fig3}: the paper's Section 4.1 experiment. For every seed, a 4-layer planar/radial mixture is
 * searched with the original loss (M1) and with the upper bound (M2); the final weights, the argmax
 * architectures and their test NLL (the argmax path extracted with the search's own parameters, see
 * {@link Fig3}) are printed, and the α trajectories are written as CSV and PNG.
 */
@Command(name = "fig3", description = "Reproduce the paper's Fig. 3: original loss (M1) against the upper bound (M2) "
        + "on a 4-layer planar/radial mixture.", sortOptions = false)
public final class Fig3Command extends ResultCommand {

    private final DatasetLoader datasets;

    @Option(names = "--data", paramLabel = "NAME|FILE", description = "Data set name or file (default: ${DEFAULT-VALUE}).")
    String data = "power-sample";

    @Option(names = "--seeds", paramLabel = "S,S,...", split = ",",
            description = "Seeds; each runs M1 and M2 (default: 1,2,3).")
    List<Long> seeds = List.of(1L, 2L, 3L);

    @Option(names = "--steps", paramLabel = "N", description = "θ/α step pairs per search (default: ${DEFAULT-VALUE}).")
    int steps = Fig3.DEFAULT_STEPS;

    @Option(names = "--batch", paramLabel = "N", description = "Rows per θ and per α step (default: ${DEFAULT-VALUE}).")
    int batch = Fig3.DEFAULT_BATCH;

    @Option(names = "--theta-lr", paramLabel = "RATE", description = "θ learning rate (default: ${DEFAULT-VALUE}).")
    double thetaLearningRate = Fig3.DEFAULT_THETA.learningRate();

    @Option(names = "--alpha-lr", paramLabel = "RATE", description = "α learning rate (default: ${DEFAULT-VALUE}).")
    double alphaLearningRate = Fig3.DEFAULT_ALPHA.learningRate();

    @Option(names = "--alpha-weight-decay", paramLabel = "L2", description = "α weight decay (default: ${DEFAULT-VALUE}).")
    double alphaWeightDecay = Fig3.DEFAULT_ALPHA.weightDecay();

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads; results do not depend on them (default: ${DEFAULT-VALUE}).")
    int threads = 1;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the trajectories go (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("fig3");

    @Mixin
    TrackingOptions trackingOptions = new TrackingOptions();

    @Mixin
    RuntimeOptions runtime = new RuntimeOptions();

    @Override
    RuntimeOptions runtimeOptions() {
        return runtime;
    }

    @Override
    TrackingOptions trackingOptions() {
        return trackingOptions;
    }

    public Fig3Command(DatasetLoader datasets) {
        if (datasets == null) {
            throw new IllegalArgumentException("fig3 needs a data-set loader");
        }
        this.datasets = datasets;
    }

    @Override
    protected Map<String, Object> execute(PrintWriter log) throws Exception {
        if (seeds.isEmpty() || new LinkedHashSet<>(seeds).size() != seeds.size()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--seeds': give distinct seeds, got " + seeds);
        }
        AdamSettings theta = option("--theta-lr", () -> Fig3.DEFAULT_THETA.withLearningRate(thetaLearningRate));
        AdamSettings alpha = option("--alpha-lr", () -> Fig3.DEFAULT_ALPHA.withLearningRate(alphaLearningRate));
        alpha = option("--alpha-weight-decay", withDecay(alpha));
        // Planar and radial layers have no conditioner networks; fp64 keeps the comparison free of rounding.
        LayerSettings settings = LayerSettings.DEFAULT.withPrecision(Precision.FP64);
        List<SearchConfig> configs = new ArrayList<>();
        for (long seed : seeds) {
            for (SearchLoss loss : List.of(SearchLoss.ORIGINAL, SearchLoss.UPPER_BOUND)) {
                AdamSettings a = alpha;
                configs.add(settings(() -> Fig3.config(loss, seed, steps, batch, theta, a, settings, threads)));
            }
        }
        Files.createDirectories(out);
        TrainingData dataset = datasets.load(data, seeds.get(0));
        log.printf(Locale.ROOT, "fig3 on %s (%d features): %d layers of %s, %d steps, seeds %s -> %s%n", dataset.name(),
                dataset.dimension(), Fig3.LAYERS, Fig3.OPTIONS, steps, seeds, out.toAbsolutePath());
        log.flush();

        List<Map<String, Object>> runs = new ArrayList<>();
        Map<Long, Fig3.Run[]> bySeed = new LinkedHashMap<>();
        for (SearchConfig config : configs) {
            String model = config.loss() == SearchLoss.ORIGINAL ? "M1" : "M2";
            // Each search is a nested run of this one, with its own params, step metrics and files.
            RunScope child = tracking.child(String.format(Locale.ROOT, "seed %d %s (%s)", config.seed(), model,
                    config.loss().id()));
            Fig3.Run run;
            try {
                child.params(SearchCommand.dataParams(data, seeds.get(0), dataset));
                child.params(Map.of("fig3.model", model));
                run = Fig3.run(config, dataset.train(), dataset.validation(), dataset.test(),
                        SearchListeners.all(List.of(new Progress(log, model + " seed " + config.seed(),
                                config.totalSteps()), runtime.progress(log).search(model + " seed " + config.seed()),
                                child.searchListener())));
            } catch (RuntimeException | Error e) {
                child.fail(e);
                throw e;
            }
            bySeed.computeIfAbsent(config.seed(), s -> new Fig3.Run[2])[config.loss() == SearchLoss.ORIGINAL ? 0 : 1] = run;
            String stem = String.format(Locale.ROOT, "fig3-seed%d-%s-%s", config.seed(), model.toLowerCase(Locale.ROOT),
                    config.loss().id());
            Path csv = out.resolve(stem + "-alpha.csv");
            Path stepsCsv = out.resolve(stem + "-steps.csv");
            Path png = out.resolve(stem + "-alpha.png");
            SearchResult r = run.result();
            TrajectoryFiles.writeWeights(r.trajectory(), csv);
            TrajectoryFiles.writeSteps(r.trajectory(), stepsCsv);
            TrajectoryChart.writePng(r.trajectory(), String.format(Locale.ROOT, "%s (%s loss), seed %d: softmax(α) per layer",
                    model, config.loss().id(), config.seed()), png);
            log.printf(Locale.ROOT, "%s seed %d: %s, max weights %s, binarised test NLL %.4f ± %.4f (mixture %.4f)%n",
                    model, config.seed(), r.architecture(), rounded(maxWeights(r)), run.binarisedTestNll().mean(),
                    run.binarisedTestNll().error(), run.mixtureTestNll().mean());
            log.flush();
            // The parent keeps the summary of all searches, told apart by a seedN/MODEL prefix.
            String prefix = "seed" + config.seed() + "/" + model + "/";
            tracking.tag(SearchRunTracker.ARCHITECTURE_TAG + ".seed" + config.seed() + "." + model,
                    r.architecture().toString());
            tracking.metric(prefix + "binarised_test_nll", run.binarisedTestNll().mean());
            tracking.metric(prefix + "binarised_test_nll_error", run.binarisedTestNll().error());
            tracking.metric(prefix + "mixture_test_nll", run.mixtureTestNll().mean());
            tracking.metric(prefix + "mixed_layers", run.mixedLayers());
            tracking.metric(prefix + "search_wall_time_s", r.wallTime().toNanos() / 1e9);
            child.metric("binarised_test_nll", run.binarisedTestNll().mean());
            child.metric("binarised_test_nll_error", run.binarisedTestNll().error());
            child.metric("mixture_test_nll", run.mixtureTestNll().mean());
            child.metric("mixture_test_nll_error", run.mixtureTestNll().error());
            child.metric("mixed_layers", run.mixedLayers());
            for (Path file : List.of(csv, stepsCsv, png)) {
                tracking.artifact(file);
                child.artifact(file, file.getFileName().toString().substring(stem.length() + 1));
            }
            child.artifact(ArchitectureJson.FILE_NAME, ArchitectureJson.write(r.architecture(), Fig3.OPTIONS,
                    r.weights(), config.space().settings(), dataset.dimension()).getBytes(StandardCharsets.UTF_8));
            child.close();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seed", config.seed());
            m.put("model", model);
            m.put("loss", config.loss().id());
            m.put("architecture", r.architecture().toString());
            m.put("weights", SearchResult.weightsByName(r.weights(), Fig3.OPTIONS));
            m.put("max_weights", maxWeights(r));
            m.put("mixed_layers", run.mixedLayers());
            m.put("binarised_test_nll", run.binarisedTestNll().mean());
            m.put("binarised_test_nll_error", run.binarisedTestNll().error());
            m.put("mixture_test_nll", run.mixtureTestNll().mean());
            m.put("mixture_test_nll_error", run.mixtureTestNll().error());
            m.put("search_wall_time_s", r.wallTime().toNanos() / 1e9);
            m.put("alpha_csv", csv.toAbsolutePath().toString());
            m.put("steps_csv", stepsCsv.toAbsolutePath().toString());
            m.put("alpha_png", png.toAbsolutePath().toString());
            runs.add(m);
        }

        boolean allOneHot = true;
        boolean someMixed = true;
        boolean m2Better = true;
        for (Fig3.Run[] pair : bySeed.values()) {
            someMixed &= pair[0].mixedLayers() > 0;
            allOneHot &= pair[1].mixedLayers() == 0;
            m2Better &= pair[1].binarisedTestNll().mean() < pair[0].binarisedTestNll().mean();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("dataset", dataset.name());
        result.put("layers", Fig3.LAYERS);
        result.put("options", Fig3.OPTIONS.stream().map(k -> k.id()).toList());
        result.put("steps", steps);
        result.put("seeds", seeds);
        result.put("evaluation", "argmax path extracted from the mixture with the search's parameters (no retraining)");
        result.put("one_hot_threshold", Fig3.ONE_HOT);
        result.put("m2_every_layer_one_hot", allOneHot);
        result.put("m1_some_layer_mixed", someMixed);
        result.put("m2_binarised_better_than_m1", m2Better);
        result.put("runs", runs);
        result.put("out", out.toAbsolutePath().toString());
        return result;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected String text(Map<String, Object> result) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "fig3 on %s: %s layers of %s, %s steps; scores: %s%n", result.get("dataset"),
                result.get("layers"), result.get("options"), result.get("steps"), result.get("evaluation")));
        b.append(String.format(Locale.ROOT, "%-5s %-3s %-12s %-30s %-32s %-22s %s%n", "seed", "", "loss",
                "architecture", "max weight per layer", "binarised test NLL", "mixture test NLL"));
        for (Map<String, Object> run : (List<Map<String, Object>>) result.get("runs")) {
            b.append(String.format(Locale.ROOT, "%-5s %-3s %-12s %-30s %-32s %9.4f ± %-9.4f %9.4f%n", run.get("seed"),
                    run.get("model"), run.get("loss"), run.get("architecture"), rounded((List<Double>) run.get("max_weights")),
                    (Double) run.get("binarised_test_nll"), (Double) run.get("binarised_test_nll_error"),
                    (Double) run.get("mixture_test_nll")));
        }
        b.append(String.format(Locale.ROOT, "M2 every layer one-hot (max >= %s): %s%n", result.get("one_hot_threshold"),
                result.get("m2_every_layer_one_hot")));
        b.append(String.format(Locale.ROOT, "M1 some layer mixed: %s%n", result.get("m1_some_layer_mixed")));
        b.append(String.format(Locale.ROOT, "M2 binarised test NLL better than M1's: %s%n",
                result.get("m2_binarised_better_than_m1")));
        b.append("trajectories: ").append(result.get("out")).append(System.lineSeparator());
        return b.toString();
    }

    private static String rounded(List<Double> values) {
        StringBuilder b = new StringBuilder("[");
        for (double v : values) {
            b.append(b.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", v));
        }
        return b.append(']').toString();
    }

    private static List<Double> maxWeights(SearchResult r) {
        List<Double> max = new ArrayList<>();
        for (int i = 0; i < r.choice().length; i++) {
            max.add(r.maxWeight(i));
        }
        return max;
    }

    private Supplier<AdamSettings> withDecay(AdamSettings alpha) {
        return () -> alpha.withWeightDecay(alphaWeightDecay);
    }

    /** Builds a value from options, reporting a bad one with the option's name. */
    private <T> T option(String name, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + name + "': " + e.getMessage());
        }
    }

    /** Builds a value from several options; the library's message names the setting and the value. */
    private <T> T settings(Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid options: " + e.getMessage());
        }
    }

    /** One stderr line every tenth of the run. */
    static final class Progress implements SearchListener {
        private final PrintWriter log;
        private final String label;
        private final int total;
        private final int every;
        private final long start = System.nanoTime();

        Progress(PrintWriter log, String label, int total) {
            this.log = log;
            this.label = label;
            this.total = total;
            this.every = Math.max(1, total / 10);
        }

        @Override
        public void onStep(int step, int block, double trainLoss, double validationLoss, double[][] weights,
                           double expectedCost, long layerEvaluations) {
            if (step % every == 0 || step == total) {
                log.printf(Locale.ROOT, "  %s step %d/%d  block %d  train %.4f  val %.4f%s  %.0fs%n", label, step, total,
                        block, trainLoss, validationLoss,
                        Double.isFinite(expectedCost) ? String.format(Locale.ROOT, "  cost %.3f", expectedCost) : "",
                        (System.nanoTime() - start) / 1e9);
                log.flush();
            }
        }
    }
}
