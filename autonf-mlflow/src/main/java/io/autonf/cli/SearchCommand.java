package io.autonf.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.autonf.cost.CostEmphasis;
import io.autonf.event.SearchListener;
import io.autonf.event.SearchListeners;
import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.metric.FlowEvaluation;
import io.autonf.mlflow.ArchitectureJson;
import io.autonf.plot.TrajectoryChart;
import io.autonf.search.AdamSettings;
import io.autonf.search.Candidate;
import io.autonf.search.LayerRoles;
import io.autonf.search.PipelineResult;
import io.autonf.search.SearchConfig;
import io.autonf.search.SearchLoss;
import io.autonf.search.SearchMethod;
import io.autonf.search.SearchPhase;
import io.autonf.search.SearchPipeline;
import io.autonf.search.SearchSpace;
import io.autonf.search.TrajectoryFiles;
import io.autonf.train.FlowFiles;
import io.autonf.train.FlowSpec;
import io.autonf.train.TrainedFlow;
import io.autonf.train.TrainingConfig;
import io.autonf.train.TrainingListener;
import io.autonf.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code autonf search}: a whole AutoNF run (see {@link SearchPipeline}): cost table, search, retraining of the
 * chosen architecture, the reference trained with the same budget, evaluation of both and the figure of merit.
 *
 * <p>The defaults are sized for the bundled {@code power-sample} on a 2-core machine, where a whole run takes
 * about a minute: 4 layers of the paper's four options, conditioner networks of 2 residual blocks of 64, one layer
 * per block, two rounds of 100 step pairs per block (800 in all) on batches of 256, α Adam at lr 1e-2, λ 0.5, and
 * a retraining budget of at most 3000 steps (early stopping after 5 validations without improvement, one every
 * 100 steps) for the found architecture and for the reference alike.
 */
@Command(name = "search", description = "Search a flow architecture, retrain it, and compare it with the reference "
        + "(RQ-AF for forward cost, RQ-C for inverse cost).", sortOptions = false)
public final class SearchCommand extends ResultCommand {

    static final int DEFAULT_STEPS_PER_BLOCK = 100;
    static final int DEFAULT_BATCH = 256;
    static final double DEFAULT_THETA_LR = 1e-3;
    /**
     * Larger than DARTS' 3e-4 (the library default): with 100 α steps per block visit, 3e-4 would move the logits
     * by a few hundredths at most and the argmax would be decided by noise.
     */
    static final double DEFAULT_ALPHA_LR = 1e-2;
    static final double DEFAULT_LAMBDA = 0.5;
    /** The retrained found flow, in the search's output and run artifacts. */
    static final String MODEL_FILE = "model.anf";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final DatasetLoader datasets;

    @Option(names = "--data", required = true, paramLabel = "NAME|FILE", description = "Data set name or file.")
    String data;

    @Mixin
    LayerOptions layerOptions = new LayerOptions();

    @Option(names = "--loss", paramLabel = "original|upper-bound", converter = LossConverter.class,
            description = "Search objective (default: ${DEFAULT-VALUE}).")
    SearchLoss loss = SearchConfig.DEFAULT_LOSS;

    @Option(names = "--lambda", paramLabel = "L", description = "Weight of the normalised expected cost (default: ${DEFAULT-VALUE}).")
    double lambda = DEFAULT_LAMBDA;

    @Option(names = "--emphasis", paramLabel = "forward|inverse|training", converter = EmphasisConverter.class,
            description = "Which cost to reduce (default: ${DEFAULT-VALUE}).")
    CostEmphasis emphasis = SearchConfig.DEFAULT_EMPHASIS;

    @Option(names = "--method", paramLabel = "block|grow", converter = MethodConverter.class,
            description = "Block schedule (default: ${DEFAULT-VALUE}).")
    SearchMethod method = SearchConfig.DEFAULT_METHOD;

    @Option(names = "--block-size", paramLabel = "B", description = "Layers searched together (default: ${DEFAULT-VALUE}).")
    int blockSize = SearchConfig.DEFAULT_BLOCK_SIZE;

    @Option(names = "--rounds", paramLabel = "R", description = "Sweeps over the blocks (default: "
            + SearchConfig.DEFAULT_BLOCK_ROUNDS + " with block, 1 with grow).")
    Integer rounds;

    @Option(names = "--steps", paramLabel = "N", description = "θ/α step pairs per block visit (default: ${DEFAULT-VALUE}).")
    int steps = DEFAULT_STEPS_PER_BLOCK;

    @Option(names = "--warmup", paramLabel = "N", description = "θ-only steps at the start of each visit (default: ${DEFAULT-VALUE}).")
    int warmup = 0;

    @Option(names = "--batch", paramLabel = "N", description = "Training rows per θ step (default: ${DEFAULT-VALUE}).")
    int batch = DEFAULT_BATCH;

    @Option(names = "--alpha-batch", paramLabel = "N", description = "Validation rows per α step (default: ${DEFAULT-VALUE}).")
    int alphaBatch = DEFAULT_BATCH;

    @Option(names = "--theta-lr", paramLabel = "RATE", description = "θ learning rate (default: ${DEFAULT-VALUE}).")
    double thetaLearningRate = DEFAULT_THETA_LR;

    @Option(names = "--alpha-lr", paramLabel = "RATE", description = "α learning rate (default: ${DEFAULT-VALUE}).")
    double alphaLearningRate = DEFAULT_ALPHA_LR;

    @Option(names = "--alpha-betas", paramLabel = "B1,B2", split = ",", description = "α Adam betas (default: 0.5,0.999).")
    double[] alphaBetas = {AdamSettings.DARTS_ALPHA.beta1(), AdamSettings.DARTS_ALPHA.beta2()};

    @Option(names = "--alpha-weight-decay", paramLabel = "L2", description = "α weight decay (default: ${DEFAULT-VALUE}).")
    double alphaWeightDecay = AdamSettings.DARTS_ALPHA.weightDecay();

    @Option(names = "--memory-budget", paramLabel = "MIB", description = "Memory the mixture may use per batch, MiB "
            + "(default: half the JVM's maximum heap).")
    Long memoryBudgetMib;

    @Option(names = "--allow-identity", description = "Allow the identity option with the block method.")
    boolean allowIdentity;

    @Mixin
    RetrainingOptions retrainingOptions = new RetrainingOptions();

    @Mixin
    EvaluationOptions evaluationOptions = new EvaluationOptions();

    @Option(names = "--seed", paramLabel = "N", description = "Seeds everything (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads; results do not depend on them (default: ${DEFAULT-VALUE}).")
    int threads = 1;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the α trajectory (CSV, PNG), the architecture, the cost "
            + "table, the retrained flow (" + "model.anf" + "), a report and the result (JSON) here.")
    Path out;

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

    public SearchCommand(DatasetLoader datasets) {
        if (datasets == null) {
            throw new IllegalArgumentException("search needs a data-set loader");
        }
        this.datasets = datasets;
    }

    @Override
    protected Map<String, Object> execute(PrintWriter log) throws Exception {
        SearchConfig config = config();
        SearchPipeline.Options pipeline = pipelineOptions();
        if (out != null) {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--out': " + out
                        + " is a file, not a directory");
            }
            Files.createDirectories(out);
        }
        TrainingData dataset = datasets.load(data, seed);
        tracking.params(dataParams(data, seed, dataset));
        tracking.params(evaluationOptions.params(pipeline));
        log.printf(Locale.ROOT, "searching %d layers of %s on %s (%d features): %s loss, λ %s, %s emphasis, %s method, "
                        + "blocks of %d, %d round%s, %d steps per block, %d thread%s%n", config.space().layers(),
                config.space().options(), dataset.name(), dataset.dimension(), config.loss(), config.lambda(),
                config.emphasis(), config.method(), config.blockSize(), config.rounds(), config.rounds() == 1 ? "" : "s",
                config.stepsPerBlock(), config.threads(), config.threads() == 1 ? "" : "s");
        log.flush();
        ProgressBars bars = runtime.progress(log);
        PipelineResult result = SearchPipeline.run(config, pipeline, dataset.train(), dataset.validation(),
                dataset.test(), SearchListeners.all(List.of(new Progress(log, config.totalSteps()), bars.search("search"),
                        tracking.searchListener())),
                RunScope.both(new TrainingProgress(log), bars.training("retrain", config.retraining().maxSteps())), line -> {
                    log.println(line);
                    log.flush();
                });

        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("dataset", dataset.name());
        fields.put("dimension", dataset.dimension());
        fields.putAll(result.summary());
        fields.put("config", config.summary());
        // The files are written to --out when given, else to a scratch directory that only feeds the run.
        Path dir = out != null ? out : tracking.enabled() ? Files.createTempDirectory("autonf-search-") : null;
        if (dir != null) {
            try {
                List<Path> files = writeFiles(dir, result, dataset, pipeline, fields);
                for (Path file : files) {
                    tracking.artifact(file);
                }
                if (out != null) {
                    log.println("wrote " + out.toAbsolutePath());
                    log.flush();
                }
            } finally {
                if (out == null) {
                    deleteTree(dir);
                }
            }
        }
        return fields;
    }

    /** What the data set was and how it was split: with the config, everything needed to run the search again. */
    static Map<String, Object> dataParams(String spec, long seed, TrainingData dataset) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset.name());
        m.put("data.spec", spec);
        m.put("data.seed", seed);
        m.put("data.dimension", dataset.dimension());
        m.put("data.train_rows", dataset.train().rows());
        m.put("data.validation_rows", dataset.validation().rows());
        m.put("data.test_rows", dataset.test().rows());
        return m;
    }

    /**
     * Writes the run's files into {@code dir} and returns them: the α trajectory (CSV, PNG), the step table, the
     * architecture, the cost table, the retrained flow, the report, and with {@code --out} the result as JSON.
     */
    private List<Path> writeFiles(Path dir, PipelineResult result, TrainingData dataset, SearchPipeline.Options pipeline,
                                  Map<String, Object> fields) throws java.io.IOException {
        SearchConfig config = result.config();
        Path csv = dir.resolve("alpha.csv");
        Path stepsCsv = dir.resolve("steps.csv");
        Path png = dir.resolve("alpha.png");
        TrajectoryFiles.writeWeights(result.search().trajectory(), csv);
        TrajectoryFiles.writeSteps(result.search().trajectory(), stepsCsv);
        TrajectoryChart.writePng(result.search().trajectory(), String.format(Locale.ROOT,
                "AutoNF search on %s: %s loss, λ %s, %s emphasis", dataset.name(), config.loss(), config.lambda(),
                config.emphasis()), png);
        Path architecture = dir.resolve(ArchitectureJson.FILE_NAME);
        Files.writeString(architecture, ArchitectureJson.write(result.search().architecture(), config.space().options(),
                result.search().weights(), config.space().settings(), dataset.dimension()));
        Path costTable = dir.resolve("cost_table.json");
        Files.writeString(costTable, result.costs().toJson());
        Path model = dir.resolve(MODEL_FILE);
        FlowFiles.save(model, trainedFlow(result, dataset, pipeline));
        Path markdown = dir.resolve(RunReport.MARKDOWN_FILE);
        Path html = dir.resolve(RunReport.HTML_FILE);
        RunReport report = report(result, dataset, fields, png);
        Files.write(markdown, report.markdownBytes());
        Files.write(html, report.htmlBytes());
        List<Path> files = new java.util.ArrayList<>(List.of(csv, stepsCsv, png, architecture, costTable, model,
                markdown, html));
        if (out != null) {
            fields.put("alpha_csv", csv.toAbsolutePath().toString());
            fields.put("steps_csv", stepsCsv.toAbsolutePath().toString());
            fields.put("alpha_png", png.toAbsolutePath().toString());
            fields.put("model", model.toAbsolutePath().toString());
            Path json = dir.resolve("result.json");
            Files.writeString(json, JSON.writeValueAsString(fields));
            files.add(json);
        }
        return files;
    }

    private TrainedFlow trainedFlow(PipelineResult result, TrainingData dataset, SearchPipeline.Options pipeline) {
        SearchConfig config = result.config();
        return trainedFlow("autonf search", result.found(), config.space().settings(), config.retraining(),
                config.seed(), dataset, data, seed, pipeline);
    }

    /**
     * A retrained found flow as a model file: enough recorded in it ({@code data}, {@code evaluation}) for
     * {@code autonf evaluate} to load the same test rows and draw the same samples as the search did.
     *
     * @param source         the command that found it ({@code autonf search}, {@code autonf ga})
     * @param evaluationSeed the seed its evaluation drew its samples with
     * @param dataSpec       the data set as given on the command line, and {@code dataSeed} its split's seed
     */
    static TrainedFlow trainedFlow(String source, Candidate found, LayerSettings settings, TrainingConfig retraining,
                                   long evaluationSeed, TrainingData dataset, String dataSpec, long dataSeed,
                                   SearchPipeline.Options pipeline) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("source", source);
        training.put("config", retraining.summary());
        training.put("result", found.training().summary());
        training.put("test_nll", found.evaluation().testNll().mean());
        training.put("test_nll_error", found.evaluation().testNll().error());
        training.put("test_rows", found.evaluation().testNll().count());
        training.put("density", found.evaluation().density());
        training.put("coverage", found.evaluation().coverage());
        training.put("data", Map.of("spec", dataSpec, "seed", dataSeed));
        training.put("evaluation", Map.of("samples", pipeline.evaluationSamples(), "k", pipeline.k(),
                "seed", evaluationSeed));
        // The pipeline seeds the initialisation from the retraining seed; the file's parameters are the trained ones.
        FlowSpec flowSpec = new FlowSpec(found.architecture(), dataset.dimension(), settings, retraining.seed());
        return new TrainedFlow(flowSpec, found.flow(), dataset.name(), training);
    }

    @SuppressWarnings("unchecked")
    private RunReport report(PipelineResult result, TrainingData dataset, Map<String, Object> fields, Path png)
            throws java.io.IOException {
        SearchConfig config = result.config();
        RunReport report = new RunReport("AutoNF search on " + dataset.name() + ": " + result.found().architecture());
        Map<String, Object> data = new LinkedHashMap<>(dataParams(this.data, seed, dataset));
        data.put("autonf.version", VersionInfo.version());
        data.put("git.commit", VersionInfo.gitCommit());
        report.pairs("Data and build", data);
        List<String> header = new java.util.ArrayList<>(List.of("layer", "chosen"));
        config.space().options().forEach(o -> header.add("softmax(α) " + o.id()));
        List<List<String>> rows = new java.util.ArrayList<>();
        double[][] w = result.search().weights();
        for (int i = 0; i < w.length; i++) {
            List<String> row = new java.util.ArrayList<>(List.of(String.valueOf(i),
                    result.search().architecture().layer(i).id()));
            for (double v : w[i]) {
                row.add(String.format(Locale.ROOT, "%.3f", v));
            }
            rows.add(row);
        }
        report.table("Architecture", header, rows);
        List<List<String>> evaluations = new java.util.ArrayList<>();
        evaluations.add(evaluationRow("found", result.found()));
        if (result.reference() != null) {
            evaluations.add(evaluationRow("reference", result.reference()));
        }
        report.table("Evaluation (test split)", List.of("", "architecture", "test NLL", "± error", "density", "coverage",
                "forward µs/sample (model)", "forward µs (measured)", "inverse µs/sample (model)",
                "inverse µs (measured)"), evaluations);
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("emphasis", config.emphasis().id());
        for (String key : List.of("cost_reduction_percent", "density_change_percent", "fom", "expected_cost_start",
                "expected_cost_end", "search_wall_time_s", "retraining_wall_time_s", "reference_training_wall_time_s",
                "wall_time_s")) {
            if (fields.containsKey(key)) {
                outcome.put(key, fields.get(key));
            }
        }
        report.pairs("Cost and figure of merit", outcome);
        report.pairs("Configuration", config.summary());
        report.chart(png.getFileName().toString(), Files.readAllBytes(png));
        return report;
    }

    static List<String> evaluationRow(String label, Candidate c) {
        return List.of(label, c.architecture().toString(), RunReport.number(c.evaluation().testNll().mean()),
                RunReport.number(c.evaluation().testNll().error()), RunReport.number(c.evaluation().density()),
                RunReport.number(c.evaluation().coverage()), RunReport.number(c.evaluation().forwardCost() * 1e6),
                RunReport.number(c.measured().forwardSeconds() * 1e6), RunReport.number(c.evaluation().inverseCost() * 1e6),
                RunReport.number(c.measured().inverseSeconds() * 1e6));
    }

    /** Removes a scratch directory and what is in it (one level: the command writes no subdirectories). */
    static void deleteTree(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected String text(Map<String, Object> r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "architecture  %s%n", r.get("architecture")));
        b.append("weights\n");
        List<Map<String, Double>> weights = (List<Map<String, Double>>) r.get("weights");
        for (int i = 0; i < weights.size(); i++) {
            StringBuilder line = new StringBuilder();
            weights.get(i).forEach((k, v) -> line.append(String.format(Locale.ROOT, "  %s %.3f", k, v)));
            b.append(String.format(Locale.ROOT, "  layer %d:%s%n", i, line));
        }
        b.append(row("found", (Map<String, Object>) r.get("found")));
        if (r.containsKey("reference")) {
            b.append(row("reference", (Map<String, Object>) r.get("reference")));
            b.append(String.format(Locale.ROOT, "%s cost reduction %.1f%%, density change %.1f%%, FOM %.1f%n",
                    r.get("emphasis"), (Double) r.get("cost_reduction_percent"), (Double) r.get("density_change_percent"),
                    (Double) r.get("fom")));
        }
        Map<String, Object> search = (Map<String, Object>) r.get("search");
        b.append(String.format(Locale.ROOT, "compute       %s layer evaluations x rows in %s steps%n",
                search.get("layer_evaluations"), search.get("steps")));
        b.append(String.format(Locale.ROOT, "wall time     search %.1f s, retraining %.1f s%s, total %.1f s%n",
                (Double) r.get("search_wall_time_s"), (Double) r.get("retraining_wall_time_s"),
                r.containsKey("reference_training_wall_time_s") ? String.format(Locale.ROOT,
                        ", reference training %.1f s (search + retraining = %.2f x reference)",
                        (Double) r.get("reference_training_wall_time_s"),
                        (Double) r.get("search_and_retraining_over_reference_training")) : "",
                (Double) r.get("wall_time_s")));
        if (r.containsKey("alpha_png")) {
            b.append("trajectory    ").append(r.get("alpha_png")).append(System.lineSeparator());
        }
        return b.toString();
    }

    /** Costs in µs per sample: the cost model's (what the search optimised) and the trained flow's measured. */
    static String row(String label, Map<String, Object> c) {
        return String.format(Locale.ROOT, "%-13s %-28s test NLL %.4f ± %.4f  density %.4f  coverage %.4f  forward %.3g µs "
                        + "(measured %.3g)  inverse %.3g µs (measured %.3g) per sample%n", label, c.get("architecture"),
                (Double) c.get("test_nll"), (Double) c.get("test_nll_error"), (Double) c.get("density"),
                (Double) c.get("coverage"), (Double) c.get("forward_cost_s_per_sample") * 1e6,
                (Double) c.get("forward_cost_measured_us"), (Double) c.get("inverse_cost_s_per_sample") * 1e6,
                (Double) c.get("inverse_cost_measured_us"));
    }

    private SearchConfig config() {
        SearchSpace space = layerOptions.space(spec.commandLine());
        if (alphaBetas.length != 2) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--alpha-betas': give two "
                    + "numbers B1,B2, got " + Arrays.toString(alphaBetas));
        }
        AdamSettings theta = option("--theta-lr", () -> AdamSettings.THETA_DEFAULT.withLearningRate(thetaLearningRate));
        AdamSettings alpha = option("--alpha-lr", () -> AdamSettings.DARTS_ALPHA.withLearningRate(alphaLearningRate));
        AdamSettings alphaWithBetas = option("--alpha-betas", () -> alpha.withBetas(alphaBetas[0], alphaBetas[1]));
        AdamSettings alphaFull = option("--alpha-weight-decay", () -> alphaWithBetas.withWeightDecay(alphaWeightDecay));
        TrainingConfig retrainingFull = retrainingOptions.retraining(spec.commandLine(), batch, seed, threads);
        if (memoryBudgetMib != null && memoryBudgetMib < 1) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--memory-budget': must be at "
                    + "least 1 MiB, got " + memoryBudgetMib);
        }
        return settings(() -> {
            SearchConfig.Builder b = SearchConfig.builder(space).loss(loss).lambda(lambda).emphasis(emphasis)
                    .method(method).blockSize(blockSize).stepsPerBlock(steps).warmupSteps(warmup)
                    .thetaBatchSize(batch).alphaBatchSize(alphaBatch).theta(theta).alpha(alphaFull)
                    .allowIdentity(allowIdentity).seed(seed).threads(threads).retraining(retrainingFull);
            if (rounds != null) {
                b.rounds(rounds);
            }
            if (memoryBudgetMib != null) {
                b.memoryBudgetBytes(Math.multiplyExact(memoryBudgetMib, 1024L * 1024L));
            }
            return b.build();
        });
    }

    private SearchPipeline.Options pipelineOptions() {
        return evaluationOptions.pipeline(spec.commandLine());
    }

    private <T> T option(String name, Supplier<T> build) {
        return ParameterChecks.option(spec.commandLine(), name, build);
    }

    private <T> T settings(Supplier<T> build) {
        return ParameterChecks.settings(spec.commandLine(), build);
    }

    static final class OptionsConverter implements ITypeConverter<List<LayerKind>> {
        @Override
        public List<LayerKind> convert(String value) {
            try {
                return SearchConfig.parseOptions(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class LossConverter implements ITypeConverter<SearchLoss> {
        @Override
        public SearchLoss convert(String value) {
            try {
                return SearchLoss.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class EmphasisConverter implements ITypeConverter<CostEmphasis> {
        @Override
        public CostEmphasis convert(String value) {
            try {
                return CostEmphasis.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class MethodConverter implements ITypeConverter<SearchMethod> {
        @Override
        public SearchMethod convert(String value) {
            try {
                return SearchMethod.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Search progress on stderr: each block visit, every tenth of the steps, each block fixed, the evaluations. */
    static final class Progress implements SearchListener {
        private final PrintWriter log;
        private final int total;
        private final int every;
        private final long start = System.nanoTime();

        Progress(PrintWriter log, int total) {
            this.log = log;
            this.total = total;
            this.every = Math.max(1, total / 10);
        }

        @Override
        public void onPhaseStart(SearchPhase phase, LayerRoles roles) {
            log.printf(Locale.ROOT, "round %d, block %d (layers %d..%d): roles %s%n", phase.round(), phase.block(),
                    phase.firstLayer(), phase.endLayer() - 1, roles);
            log.flush();
        }

        @Override
        public void onStep(int step, int block, double trainLoss, double validationLoss, double[][] weights,
                           double expectedCost, long layerEvaluations) {
            if (step % every == 0 || step == total) {
                log.printf(Locale.ROOT, "  step %d/%d  train %.4f  val %.4f  expected cost %.3f  %.0fs%n", step, total,
                        trainLoss, validationLoss, expectedCost, (System.nanoTime() - start) / 1e9);
                log.flush();
            }
        }

        @Override
        public void onBlockFixed(int block, int[] layers, int[] choices) {
            log.printf(Locale.ROOT, "  block %d fixed: layers %s -> options %s%n", block, Arrays.toString(layers),
                    Arrays.toString(choices));
            log.flush();
        }

        @Override
        public void onEvaluation(String label, FlowEvaluation evaluation) {
            log.printf(Locale.ROOT, "evaluated %s: test NLL %s, density %.4f, coverage %.4f%n", label,
                    evaluation.testNll(), evaluation.density(), evaluation.coverage());
            log.flush();
        }
    }

    /** One stderr line per training run (not per step: two trainings follow the search). */
    static final class TrainingProgress implements TrainingListener {
        private final PrintWriter log;

        TrainingProgress(PrintWriter log) {
            this.log = log;
        }

        @Override
        public void onFinish(TrainingResult result) {
            log.printf(Locale.ROOT, "  trained %d steps (%s), best validation NLL %.4f at step %d, %.1f s%n",
                    result.stepsRun(), result.stopReason().id(), result.bestValidationNll(), result.bestStep(),
                    result.wallTime().toNanos() / 1e9);
            log.flush();
        }
    }
}
