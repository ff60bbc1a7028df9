package io.autonf.cli;

import io.autonf.flow.Architecture;
import io.autonf.flow.Flow;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Parameter;
import io.autonf.flow.Precision;
import io.autonf.train.FlowFactory;
import io.autonf.train.FlowFiles;
import io.autonf.train.FlowSpec;
import io.autonf.train.NllEstimate;
import io.autonf.train.TrainedFlow;
import io.autonf.train.Trainer;
import io.autonf.train.TrainingConfig;
import io.autonf.train.TrainingListener;
import io.autonf.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * {@code autonf train}: builds a flow of the given architecture, trains it on a data set with early stopping,
 * reports validation and test NLL, and optionally saves it.
 *
 * <p>It needs two engines passed in: the layer factory ({@code Layers::flow}) and the data-set loader
 * ({@code Datasets.load}); the command itself only wires options to them and to the {@link Trainer}.
 */
@Command(name = "train", description = "Train a flow on a data set and report its validation and test NLL.",
        defaultValueProvider = TrainCommand.Defaults.class, sortOptions = false)
public final class TrainCommand extends ResultCommand {

    private final FlowFactory flows;
    private final DatasetLoader datasets;

    @Option(names = "--data", required = true, paramLabel = "NAME|FILE", description = "Data set name or file.")
    String data;

    @Option(names = "--arch", required = true, paramLabel = "LAYERS", converter = Converters.ArchitectureConverter.class,
            description = "Comma-separated layers, first nearest the data, e.g. rq-c,maf,affine-c "
                    + "(maf, rq-ar, affine-c, rq-c, planar, radial).")
    Architecture architecture;

    @Option(names = "--hidden", paramLabel = "N", description = "Hidden features of the conditioner networks (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--blocks", paramLabel = "N", description = "Residual blocks per conditioner network (default: ${DEFAULT-VALUE}).")
    int blocks;

    @Option(names = "--bins", paramLabel = "K", description = "Spline bins (default: ${DEFAULT-VALUE}).")
    int bins;

    @Option(names = "--tail-bound", paramLabel = "B", description = "Splines act on [-B, B] (default: ${DEFAULT-VALUE}).")
    double tailBound;

    @Option(names = "--precision", paramLabel = "fp32|fp64", converter = Converters.PrecisionConverter.class,
            description = "Arithmetic of the conditioner networks (default: ${DEFAULT-VALUE}).")
    Precision precision;

    @Option(names = "--steps", paramLabel = "N", description = "Optimisation steps at most (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch", paramLabel = "N", description = "Rows per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", paramLabel = "RATE", description = "Initial learning rate, cosine-annealed (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--min-lr", paramLabel = "RATE", description = "Learning rate at the last step (default: ${DEFAULT-VALUE}).")
    double minLearningRate;

    @Option(names = "--warmup", paramLabel = "N", description = "Linear warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--clip", paramLabel = "NORM", description = "Global gradient-norm bound; Infinity disables (default: ${DEFAULT-VALUE}).")
    double clipNorm;

    @Option(names = "--weight-decay", paramLabel = "L2", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--val-every", paramLabel = "N", description = "Steps between validations (default: ${DEFAULT-VALUE}).")
    int validateEvery;

    @Option(names = "--val-batch", paramLabel = "N", description = "Rows per evaluation pass (default: ${DEFAULT-VALUE}).")
    int validationBatch;

    @Option(names = "--patience", paramLabel = "N", description = "Validations without improvement before stopping (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--seed", paramLabel = "N", description = "Seeds data loading, initialisation and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads; results with other thread counts agree "
            + "up to rounding (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--out", paramLabel = "FILE", description = "Save the trained flow here (.anf).")
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

    public TrainCommand(FlowFactory flows, DatasetLoader datasets) {
        if (flows == null || datasets == null) {
            throw new IllegalArgumentException("train needs a flow factory and a data-set loader");
        }
        this.flows = flows;
        this.datasets = datasets;
    }

    /** Option defaults come from the library's own defaults, so the two cannot drift apart. */
    static final class Defaults implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec option)) {
                return null;
            }
            TrainingConfig c = TrainingConfig.DEFAULTS;
            Object value = switch (option.longestName()) {
                case "--steps" -> c.maxSteps();
                case "--batch" -> c.batchSize();
                case "--lr" -> c.learningRate();
                case "--min-lr" -> c.minLearningRate();
                case "--warmup" -> c.warmupSteps();
                case "--clip" -> c.clipNorm();
                case "--weight-decay" -> c.weightDecay();
                case "--val-every" -> c.validateEvery();
                case "--val-batch" -> c.validationBatchSize();
                case "--patience" -> c.patience();
                case "--seed" -> c.seed();
                case "--threads" -> c.workerThreads();
                default -> null;
            };
            return value == null ? Converters.layerSettingDefault(option.longestName()) : String.valueOf(value);
        }
    }

    @Override
    protected Map<String, Object> execute(PrintWriter log) throws Exception {
        LayerSettings settings = layerSettings();
        TrainingConfig config = trainingConfig();
        requireWritableOutput();
        TrainingData dataset = datasets.load(data, seed);
        FlowSpec flowSpec = new FlowSpec(architecture, dataset.dimension(), settings, seed);
        Flow flow = flowSpec.build(flows);
        long parameterCount = flow.parameters().values().stream().mapToLong(Parameter::size).sum();
        log.printf(Locale.ROOT, "training %s on %s: %d features, %d train / %d validation / %d test rows, %d parameters, %d thread%s%n",
                architecture, dataset.name(), dataset.dimension(), dataset.train().rows(), dataset.validation().rows(),
                dataset.test().rows(), parameterCount, config.workerThreads(), config.workerThreads() == 1 ? "" : "s");
        log.flush();

        tracking.tag(io.autonf.mlflow.SearchRunTracker.ARCHITECTURE_TAG, architecture.toString());
        tracking.params(SearchCommand.dataParams(data, seed, dataset));
        tracking.params(Map.of("architecture", architecture.toString(), "layer_settings", settingsSummary(settings),
                "training", config.summary(), "parameters", parameterCount));
        TrainingResult result;
        NllEstimate test;
        try (Trainer trainer = new Trainer(config)) {
            result = trainer.train(flow, dataset.train(), dataset.validation(), new SplittableRandom(seed).split(),
                    RunScope.both(RunScope.both(new ProgressLog(log, config.maxSteps()),
                            runtime.progress(log).training("train", config.maxSteps())), tracking.trainingListener()));
            test = trainer.evaluate(flow, dataset.test());
        }
        log.printf(Locale.ROOT, "test NLL %.4f ± %.4f (%d rows)%n", test.mean(), test.error(), test.count());
        log.flush();

        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("dataset", dataset.name());
        fields.put("architecture", architecture.toString());
        fields.put("dimension", dataset.dimension());
        fields.put("parameters", parameterCount);
        fields.put("seed", seed);
        fields.put("threads", config.workerThreads());
        fields.put("best_validation_nll", result.bestValidationNll());
        fields.put("best_step", result.bestStep());
        fields.put("steps", result.stepsRun());
        fields.put("stop_reason", result.stopReason().id());
        fields.put("test_nll", test.mean());
        fields.put("test_nll_error", test.error());
        fields.put("test_rows", test.count());
        fields.put("wall_time_s", result.wallTime().toNanos() / 1e9);
        fields.put("samples_per_s", result.samplesPerSecond());
        if (out != null || tracking.enabled()) {
            Map<String, Object> training = new LinkedHashMap<>();
            training.put("source", "autonf train");
            training.put("config", config.summary());
            training.put("result", result.summary());
            training.put("test_nll", test.mean());
            training.put("test_nll_error", test.error());
            training.put("test_rows", test.count());
            training.put("data", Map.of("spec", data, "seed", seed));
            TrainedFlow trained = new TrainedFlow(flowSpec, flow, dataset.name(), training);
            // Without --out the run still gets the model: saved to a scratch file, uploaded, removed.
            Path file = out != null ? out : Files.createTempFile("autonf-train-", ".anf");
            try {
                FlowFiles.save(file, trained);
                tracking.artifact(file, SearchCommand.MODEL_FILE);
            } finally {
                if (out == null) {
                    Files.deleteIfExists(file);
                }
            }
            if (out != null) {
                log.println("saved " + out.toAbsolutePath());
                log.flush();
            }
            RunReport report = new RunReport("AutoNF training of " + architecture + " on " + dataset.name());
            Map<String, Object> dataAndBuild = new LinkedHashMap<>(SearchCommand.dataParams(data, seed, dataset));
            dataAndBuild.put("autonf.version", VersionInfo.version());
            dataAndBuild.put("git.commit", VersionInfo.gitCommit());
            report.pairs("Data and build", dataAndBuild);
            Map<String, Object> outcome = new LinkedHashMap<>(fields);
            outcome.keySet().removeAll(java.util.Set.of("dataset", "dimension", "seed", "threads"));
            report.pairs("Result", outcome);
            report.pairs("Layer settings", settingsSummary(settings));
            report.pairs("Training configuration", config.summary());
            tracking.artifact(RunReport.MARKDOWN_FILE, report.markdownBytes());
            tracking.artifact(RunReport.HTML_FILE, report.htmlBytes());
        }
        if (out != null) {
            fields.put("model", out.toAbsolutePath().toString());
        }
        return fields;
    }

    static Map<String, Object> settingsSummary(LayerSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hidden_features", s.hiddenFeatures());
        m.put("blocks", s.blocks());
        m.put("bins", s.bins());
        m.put("tail_bound", s.tailBound());
        m.put("precision", s.precision().name().toLowerCase(Locale.ROOT));
        return m;
    }

    private LayerSettings layerSettings() {
        LayerSettings s = LayerSettings.DEFAULT;
        s = apply("--hidden", s, x -> x.withHiddenFeatures(hidden));
        s = apply("--blocks", s, x -> x.withBlocks(blocks));
        s = apply("--bins", s, x -> x.withBins(bins));
        s = apply("--tail-bound", s, x -> x.withTailBound(tailBound));
        return apply("--precision", s, x -> x.withPrecision(precision));
    }

    private TrainingConfig trainingConfig() {
        TrainingConfig c = TrainingConfig.DEFAULTS;
        // Steps and learning rate first: warm-up and the minimum rate are checked against them.
        c = apply("--steps", c, x -> x.withMaxSteps(steps));
        c = apply("--lr", c, x -> x.withLearningRate(learningRate));
        c = apply("--min-lr", c, x -> x.withMinLearningRate(minLearningRate));
        c = apply("--warmup", c, x -> x.withWarmupSteps(warmup));
        c = apply("--batch", c, x -> x.withBatchSize(batch));
        c = apply("--clip", c, x -> x.withClipNorm(clipNorm));
        c = apply("--weight-decay", c, x -> x.withWeightDecay(weightDecay));
        c = apply("--val-every", c, x -> x.withValidateEvery(validateEvery));
        c = apply("--val-batch", c, x -> x.withValidationBatchSize(validationBatch));
        c = apply("--patience", c, x -> x.withPatience(patience));
        c = apply("--seed", c, x -> x.withSeed(seed));
        return apply("--threads", c, x -> x.withWorkerThreads(threads));
    }

    /** Fails now rather than after hours of training when the model cannot be saved where asked. */
    private void requireWritableOutput() {
        if (out == null) {
            return;
        }
        Path dir = out.toAbsolutePath().getParent();
        if (Files.isDirectory(out)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--out': " + out + " is a directory");
        }
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--out': directory " + dir
                    + " does not exist or is not writable");
        }
    }

    /** Applies one option, so that an invalid value is reported with the option's name. */
    private <T> T apply(String option, T value, UnaryOperator<T> change) {
        try {
            return change.apply(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + e.getMessage());
        }
    }

    /** One line on stderr per validation. */
    private static final class ProgressLog implements TrainingListener {
        private final PrintWriter log;
        private final int maxSteps;
        private final long start = System.nanoTime();
        private double lastLoss;
        private double lastRate;

        ProgressLog(PrintWriter log, int maxSteps) {
            this.log = log;
            this.maxSteps = maxSteps;
        }

        @Override
        public void onStep(int step, double learningRate, double trainLoss, double gradientNorm) {
            lastLoss = trainLoss;
            lastRate = learningRate;
        }

        @Override
        public void onValidation(int step, double validationNll, boolean isBest) {
            double seconds = (System.nanoTime() - start) / 1e9;
            log.printf(Locale.ROOT, "step %d/%d  train %.4f  val %.4f%s  lr %.2e  %.0fs%n", step, maxSteps, lastLoss,
                    validationNll, isBest ? " *" : "  ", lastRate, seconds);
            log.flush();
        }

        @Override
        public void onFinish(TrainingResult result) {
            log.printf(Locale.ROOT, "stopped after %d steps (%s); best validation NLL %.4f at step %d; %.0f samples/s%n",
                    result.stepsRun(), result.stopReason().id(), result.bestValidationNll(), result.bestStep(),
                    result.samplesPerSecond());
            log.flush();
        }
    }
}
