package io.autonf.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.autonf.cost.CostEmphasis;
import io.autonf.ga.CandidateEvaluation;
import io.autonf.ga.GaCheckpoint;
import io.autonf.ga.GaCheckpointing;
import io.autonf.ga.GaConfig;
import io.autonf.ga.GaListener;
import io.autonf.ga.GaListeners;
import io.autonf.ga.GaPipeline;
import io.autonf.ga.GaPipelineResult;
import io.autonf.ga.GaResult;
import io.autonf.ga.GenerationStatistics;
import io.autonf.metric.FlowEvaluation;
import io.autonf.mlflow.ArchitectureJson;
import io.autonf.plot.FitnessChart;
import io.autonf.search.SearchConfig;
import io.autonf.search.SearchPipeline;
import io.autonf.search.SearchSpace;
import io.autonf.train.FlowFiles;
import io.autonf.train.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code autonf ga}: the genetic-algorithm baseline over the architecture space of {@code search}, optimising the
 * same objective (validation NLL after a fixed training budget + λ·normalised cost), and ending as a search ends:
 * the best architecture retrained from scratch with the reference budget, the reference trained alike, both
 * evaluated, and the figure of merit (see {@link GaPipeline}).
 *
 * <p>Everything the two commands share (space, layer settings, λ, emphasis, retraining, evaluation, seed, threads)
 * has the same options and defaults, so that {@code search} and {@code ga} with the same options compare. Every
 * candidate is trained like the retraining (same batch, learning rate, validation interval and patience) but for
 * {@code --budget-steps} steps; its fitness is its best validation NLL within them plus λ·cost. The GA's own
 * defaults are sized for the bundled {@code power-sample} on a 2-core machine: 8 phenotypes, at most 8
 * generations (stopping after 4 without improvement), 200 steps per candidate.
 */
@Command(name = "ga", description = "Search a flow architecture with a genetic algorithm (the baseline), retrain it, "
        + "and compare it with the reference (RQ-AF for forward cost, RQ-C for inverse cost).", sortOptions = false)
public final class GaCommand extends ResultCommand {

    static final int DEFAULT_POPULATION = 8;
    static final int DEFAULT_GENERATIONS = 8;
    static final int DEFAULT_STEADY = 4;
    static final int DEFAULT_BUDGET_STEPS = 200;
    static final String GENERATIONS_CSV = "generations.csv";
    static final String CANDIDATES_CSV = "candidates.csv";
    static final String FITNESS_PNG = "fitness.png";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final DatasetLoader datasets;

    @Option(names = "--data", required = true, paramLabel = "NAME|FILE", description = "Data set name or file.")
    String data;

    @Mixin
    LayerOptions layerOptions = new LayerOptions();

    @Option(names = "--lambda", paramLabel = "L", description = "Weight of the normalised cost in the fitness (default: ${DEFAULT-VALUE}).")
    double lambda = SearchCommand.DEFAULT_LAMBDA;

    @Option(names = "--emphasis", paramLabel = "forward|inverse|training", converter = SearchCommand.EmphasisConverter.class,
            description = "Which cost the fitness counts (default: ${DEFAULT-VALUE}).")
    CostEmphasis emphasis = SearchConfig.DEFAULT_EMPHASIS;

    @Option(names = "--population", paramLabel = "P", description = "Phenotypes per generation (default: ${DEFAULT-VALUE}).")
    int population = DEFAULT_POPULATION;

    @Option(names = "--generations", paramLabel = "G", description = "The most generations (default: ${DEFAULT-VALUE}).")
    int generations = DEFAULT_GENERATIONS;

    @Option(names = "--budget-steps", paramLabel = "S", description = "Training steps of every candidate (default: ${DEFAULT-VALUE}).")
    int budgetSteps = DEFAULT_BUDGET_STEPS;

    @Option(names = "--steady", paramLabel = "G", description = "Stop after this many generations without a better "
            + "fitness; 0 never stops for that (default: ${DEFAULT-VALUE}).")
    int steady = DEFAULT_STEADY;

    @Option(names = "--max-time", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after the generation during which this much time passed, e.g. 90s, 10m, 1h, PT1H30M "
                    + "(default: no limit).")
    Duration maxTime = Duration.ZERO;

    @Option(names = "--max-layer-evaluations", paramLabel = "N", description = "Stop after the generation during which "
            + "the candidates' trainings reached this many layer evaluations (default: no budget).")
    long maxLayerEvaluations = 0;

    @Option(names = "--mutation", paramLabel = "RATE", description = "Probability that a gene is redrawn (default: ${DEFAULT-VALUE}).")
    double mutation = GaConfig.DEFAULT_MUTATION_RATE;

    @Option(names = "--crossover", paramLabel = "RATE", description = "Probability of a single-point crossover (default: ${DEFAULT-VALUE}).")
    double crossover = GaConfig.DEFAULT_CROSSOVER_RATE;

    @Option(names = "--tournament", paramLabel = "K", description = "Phenotypes per selection tournament (default: ${DEFAULT-VALUE}).")
    int tournament = GaConfig.DEFAULT_TOURNAMENT_SIZE;

    @Option(names = "--elites", paramLabel = "E", description = "Best phenotypes that always survive (default: ${DEFAULT-VALUE}).")
    int elites = GaConfig.DEFAULT_ELITES;

    @Option(names = "--workers", paramLabel = "W", description = "Candidates trained at once, each on --threads "
            + "threads; results do not depend on them (default: ${DEFAULT-VALUE}).")
    int workers = 1;

    @Option(names = "--batch", paramLabel = "N", description = "Training rows per step of the candidates and of the "
            + "retraining (default: ${DEFAULT-VALUE}).")
    int batch = SearchCommand.DEFAULT_BATCH;

    @Mixin
    RetrainingOptions retrainingOptions = new RetrainingOptions();

    @Mixin
    EvaluationOptions evaluationOptions = new EvaluationOptions();

    @Option(names = "--seed", paramLabel = "N", description = "Seeds everything (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--threads", paramLabel = "N", description = "Threads of each training and of the evaluation; "
            + "results do not depend on them (default: ${DEFAULT-VALUE}).")
    int threads = 1;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the generations and candidates (CSV), the fitness "
            + "chart (PNG), the architecture, the cost table, the retrained flow (model.anf), a report and the result "
            + "(JSON) here.")
    Path out;

    @Mixin
    TrackingOptions trackingOptions = new TrackingOptions();

    @Mixin
    RuntimeOptions runtime = new RuntimeOptions();

    @Override
    RuntimeOptions runtimeOptions() {
        return runtime;
    }

    @Mixin
    ResumeOptions resumeOptions = new ResumeOptions();

    /** The GA's checkpoint in --out, next to its other files. */
    static final String CHECKPOINT_FILE = "ga-checkpoint.json";

    @Override
    TrackingOptions trackingOptions() {
        return trackingOptions;
    }

    @Override
    String resumeRunId() {
        resumeOptions.validate(spec);
        return resumeOptions.resume;
    }

    /**
     * A checkpoint every {@code --checkpoint-every} generations (default 1) and after the last, to --out and the
     * run's artifact; with {@code --resume}, the run's last checkpoint to go on from.
     */
    private GaCheckpointing checkpointing(PrintWriter log) throws java.io.IOException {
        int every = resumeOptions.checkpointEvery(1);
        GaCheckpointing checkpointing = every > 0 && (out != null || tracking.enabled())
                ? GaCheckpointing.every(every, checkpoint -> ResumeOptions.save(
                        checkpoint.toJson().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), out,
                        CHECKPOINT_FILE, tracking))
                : GaCheckpointing.NONE;
        java.util.Optional<byte[]> saved = resumeOptions.load(tracking, out, CHECKPOINT_FILE, log);
        if (saved.isEmpty()) {
            return checkpointing;
        }
        GaCheckpoint from = GaCheckpoint.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(saved.get()));
        return checkpointing.sink() == null ? new GaCheckpointing(0, null, from) : checkpointing.resumingFrom(from);
    }

    public GaCommand(DatasetLoader datasets) {
        if (datasets == null) {
            throw new IllegalArgumentException("ga needs a data-set loader");
        }
        this.datasets = datasets;
    }

    @Override
    protected Map<String, Object> execute(PrintWriter log) throws Exception {
        GaConfig config = config();
        SearchPipeline.Options pipeline = evaluationOptions.pipeline(spec.commandLine());
        if (out != null) {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--out': " + out
                        + " is a file, not a directory");
            }
            Files.createDirectories(out);
        }
        TrainingData dataset = datasets.load(data, seed);
        tracking.params(SearchCommand.dataParams(data, seed, dataset));
        tracking.params(evaluationOptions.params(pipeline));
        tracking.params(config.summary());
        tracking.flush();
        log.printf(Locale.ROOT, "GA over %d layers of %s on %s (%d features): λ %s, %s emphasis, population %d, at most "
                        + "%d generations, %d steps per candidate, %d worker%s of %d thread%s%n", config.space().layers(),
                config.space().options(), dataset.name(), dataset.dimension(), config.lambda(), config.emphasis(),
                config.populationSize(), config.generations(), config.training().maxSteps(), config.workers(),
                config.workers() == 1 ? "" : "s", config.threads(), config.threads() == 1 ? "" : "s");
        log.flush();
        GaRunTracker tracker = new GaRunTracker(tracking);
        GaPipelineResult result = GaPipeline.run(config, pipeline, dataset.train(), dataset.validation(), dataset.test(),
                GaListeners.all(List.of(new Progress(log), runtime.progress(log).ga("ga"), tracker)),
                RunScope.both(new SearchCommand.TrainingProgress(log),
                        runtime.progress(log).training("retrain", config.retraining().maxSteps())), line -> {
                    log.println(line);
                    log.flush();
                }, checkpointing(log));
        if (tracker.nestedRuns() > 0) {
            log.printf(Locale.ROOT, "tracked %d candidates as nested runs, %.1f ms each%n", tracker.nestedRuns(),
                    tracker.nestedRunMillis());
            log.flush();
        }

        Map<String, Object> fields = fields(result, dataset);
        Path dir = out != null ? out : tracking.enabled() ? Files.createTempDirectory("autonf-ga-") : null;
        if (dir != null) {
            try {
                for (Path file : writeFiles(dir, result, dataset, pipeline, fields)) {
                    tracking.artifact(file);
                }
                if (out != null) {
                    log.println("wrote " + out.toAbsolutePath());
                    log.flush();
                }
            } finally {
                if (out == null) {
                    SearchCommand.deleteTree(dir);
                }
            }
        }
        return fields;
    }

    /**
     * The result: as a search's where they share a meaning, the GA's summary under {@code ga} (its compute as
     * {@code total_layer_evaluations}: the run's metrics {@code ga/layer_evaluations} are per generation), and
     * every generation's statistics.
     */
    private static Map<String, Object> fields(GaPipelineResult result, TrainingData dataset) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("dataset", dataset.name());
        fields.put("dimension", dataset.dimension());
        Map<String, Object> summary = result.summary();
        Map<String, Object> ga = new LinkedHashMap<>(result.ga().summary());
        ga.put("total_layer_evaluations", ga.remove("layer_evaluations"));
        ga.remove("ga_wall_time_s");
        summary.put("ga", ga);
        fields.putAll(summary);
        fields.put("generations", result.ga().generations().stream().map(GenerationStatistics::summary).toList());
        fields.put("config", result.config().summary());
        return fields;
    }

    private List<Path> writeFiles(Path dir, GaPipelineResult result, TrainingData dataset, SearchPipeline.Options pipeline,
                                  Map<String, Object> fields) throws IOException {
        GaConfig config = result.config();
        GaResult ga = result.ga();
        Path generationsCsv = dir.resolve(GENERATIONS_CSV);
        Files.writeString(generationsCsv, generationsCsv(ga.generations()));
        Path candidatesCsv = dir.resolve(CANDIDATES_CSV);
        Files.writeString(candidatesCsv, candidatesCsv(ga.candidates()));
        Path png = dir.resolve(FITNESS_PNG);
        FitnessChart.writePng(ga.generations(), ga.candidates(), String.format(Locale.ROOT,
                "GA on %s: λ %s, %s emphasis, population %d", dataset.name(), config.lambda(), config.emphasis(),
                config.populationSize()), png);
        Path architecture = dir.resolve(ArchitectureJson.FILE_NAME);
        Files.writeString(architecture, ArchitectureJson.write(result.found().architecture(), config.space().options(),
                null, config.space().settings(), dataset.dimension()));
        Path costTable = dir.resolve("cost_table.json");
        Files.writeString(costTable, result.costs().toJson());
        Path model = dir.resolve(SearchCommand.MODEL_FILE);
        FlowFiles.save(model, SearchCommand.trainedFlow("autonf ga", result.found(), config.space().settings(),
                config.retraining(), config.seed(), dataset, data, seed, pipeline));
        Path markdown = dir.resolve(RunReport.MARKDOWN_FILE);
        Path html = dir.resolve(RunReport.HTML_FILE);
        RunReport report = report(result, dataset, fields, png);
        Files.write(markdown, report.markdownBytes());
        Files.write(html, report.htmlBytes());
        List<Path> files = new ArrayList<>(List.of(generationsCsv, candidatesCsv, png, architecture, costTable, model,
                markdown, html));
        if (out != null) {
            fields.put("generations_csv", generationsCsv.toAbsolutePath().toString());
            fields.put("candidates_csv", candidatesCsv.toAbsolutePath().toString());
            fields.put("fitness_png", png.toAbsolutePath().toString());
            fields.put("model", model.toAbsolutePath().toString());
            Path json = dir.resolve("result.json");
            Files.writeString(json, JSON.writeValueAsString(fields));
            files.add(json);
        }
        return files;
    }

    /** One row per generation, the columns of {@link GenerationStatistics#summary()}. */
    static String generationsCsv(List<GenerationStatistics> generations) {
        StringBuilder b = new StringBuilder("generation,best_fitness,best_architecture,best_fitness_so_far,mean_fitness,"
                + "failed_members,distinct_genotypes,mean_hamming_distance,trainings,layer_evaluations,wall_time_s\n");
        for (GenerationStatistics g : generations) {
            b.append(g.generation()).append(',').append(number(g.bestFitness())).append(',')
                    .append(quoted(g.bestArchitecture().toString())).append(',').append(number(g.bestSoFar())).append(',')
                    .append(number(g.meanFitness())).append(',').append(g.failedMembers()).append(',')
                    .append(g.distinctGenotypes()).append(',').append(number(g.meanHammingDistance())).append(',')
                    .append(g.trainings()).append(',').append(g.layerEvaluations()).append(',')
                    .append(number(g.wallTime().toNanos() / 1e9)).append('\n');
        }
        return b.toString();
    }

    /** One row per candidate trained, in index order, the columns of {@link CandidateEvaluation#summary()}. */
    static String candidatesCsv(List<CandidateEvaluation> candidates) {
        StringBuilder b = new StringBuilder("index,generation,architecture,seed,validation_nll,cost,fitness,steps_run,"
                + "layer_evaluations,training_time_s,failed,failure\n");
        for (CandidateEvaluation c : candidates) {
            b.append(c.index()).append(',').append(c.generation()).append(',').append(quoted(c.architecture().toString()))
                    .append(',').append(c.seed()).append(',').append(number(c.validationNll())).append(',')
                    .append(number(c.cost())).append(',').append(number(c.fitness())).append(',').append(c.stepsRun())
                    .append(',').append(c.layerEvaluations()).append(',')
                    .append(number(c.trainingTime().toNanos() / 1e9)).append(',').append(c.failed()).append(',')
                    .append(c.failed() ? quoted(c.failure()) : "").append('\n');
        }
        return b.toString();
    }

    /** Round-trips through Double.parseDouble; NaN (a failed candidate's NLL) stays NaN. */
    private static String number(double v) {
        return Double.toString(v);
    }

    /** A CSV field in quotes (architectures hold commas), inner quotes doubled and line breaks flattened. */
    private static String quoted(String text) {
        return '"' + text.replace("\"", "\"\"").replace('\n', ' ').replace('\r', ' ') + '"';
    }

    @SuppressWarnings("unchecked")
    private RunReport report(GaPipelineResult result, TrainingData dataset, Map<String, Object> fields, Path png)
            throws IOException {
        GaConfig config = result.config();
        RunReport report = new RunReport("GA baseline on " + dataset.name() + ": " + result.found().architecture());
        Map<String, Object> dataAndBuild = new LinkedHashMap<>(SearchCommand.dataParams(data, seed, dataset));
        dataAndBuild.put("autonf.version", VersionInfo.version());
        dataAndBuild.put("git.commit", VersionInfo.gitCommit());
        report.pairs("Data and build", dataAndBuild);
        List<List<String>> rows = new ArrayList<>();
        for (GenerationStatistics g : result.ga().generations()) {
            rows.add(List.of(String.valueOf(g.generation()), RunReport.number(g.bestFitness()),
                    g.bestArchitecture().toString(), RunReport.number(g.bestSoFar()), RunReport.number(g.meanFitness()),
                    g.distinctGenotypes() + "/" + config.populationSize(), RunReport.number(g.meanHammingDistance()),
                    String.valueOf(g.failedMembers()), String.valueOf(g.trainings()),
                    RunReport.number((double) g.layerEvaluations()), RunReport.number(g.wallTime().toNanos() / 1e9)));
        }
        report.table("Generations", List.of("generation", "best fitness", "best architecture", "best so far",
                "mean fitness", "distinct genotypes", "mean Hamming distance", "failed", "candidates trained",
                "layer evaluations", "wall time s"), rows);
        List<List<String>> evaluations = new ArrayList<>();
        evaluations.add(SearchCommand.evaluationRow("found", result.found()));
        if (result.reference() != null) {
            evaluations.add(SearchCommand.evaluationRow("reference", result.reference()));
        }
        report.table("Evaluation (test split)", List.of("", "architecture", "test NLL", "± error", "density", "coverage",
                "forward µs/sample (model)", "forward µs (measured)", "inverse µs/sample (model)",
                "inverse µs (measured)"), evaluations);
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("emphasis", config.emphasis().id());
        for (String key : List.of("cost_reduction_percent", "density_change_percent", "fom", "ga_wall_time_s",
                "retraining_wall_time_s", "reference_training_wall_time_s", "wall_time_s")) {
            if (fields.containsKey(key)) {
                outcome.put(key, fields.get(key));
            }
        }
        outcome.putAll((Map<String, Object>) fields.get("ga"));
        report.pairs("Cost, figure of merit and compute", outcome);
        report.pairs("Configuration", config.summary());
        report.chart(png.getFileName().toString(), Files.readAllBytes(png), "Fitness per generation",
                "fitness per generation and of every candidate");
        return report;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected String text(Map<String, Object> r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "architecture  %s%n", r.get("architecture")));
        b.append(String.format(Locale.ROOT, "%-10s %-12s %-12s %-12s %-9s %-8s %-6s %-10s %s%n", "generation", "best",
                "best so far", "mean", "distinct", "hamming", "failed", "trained", "layer evaluations"));
        for (Map<String, Object> g : (List<Map<String, Object>>) r.get("generations")) {
            b.append(String.format(Locale.ROOT, "%-10s %-12s %-12s %-12s %-9s %-8s %-6s %-10s %.3g%n", g.get("generation"),
                    fitness((Double) g.get("best_fitness")), fitness((Double) g.get("best_fitness_so_far")),
                    fitness((Double) g.get("mean_fitness")), g.get("distinct_genotypes"),
                    String.format(Locale.ROOT, "%.2f", (Double) g.get("mean_hamming_distance")), g.get("failed_members"),
                    g.get("trainings"), ((Number) g.get("layer_evaluations")).doubleValue()));
        }
        b.append(SearchCommand.row("found", (Map<String, Object>) r.get("found")));
        if (r.containsKey("reference")) {
            b.append(SearchCommand.row("reference", (Map<String, Object>) r.get("reference")));
            b.append(String.format(Locale.ROOT, "%s cost reduction %.1f%%, density change %.1f%%, FOM %.1f%n",
                    r.get("emphasis"), (Double) r.get("cost_reduction_percent"), (Double) r.get("density_change_percent"),
                    (Double) r.get("fom")));
        }
        Map<String, Object> ga = (Map<String, Object>) r.get("ga");
        b.append(String.format(Locale.ROOT, "compute       %.4g layer evaluations x rows in %s candidate trainings (%s "
                        + "failed), %s generations, stopped by %s%n",
                ((Number) ga.get("total_layer_evaluations")).doubleValue(), ga.get("trainings"), ga.get("failures"),
                ga.get("generations"), ga.get("stop_reason")));
        b.append(String.format(Locale.ROOT, "wall time     GA %.1f s, retraining %.1f s%s, total %.1f s%n",
                (Double) r.get("ga_wall_time_s"), (Double) r.get("retraining_wall_time_s"),
                r.containsKey("reference_training_wall_time_s") ? String.format(Locale.ROOT,
                        ", reference training %.1f s", (Double) r.get("reference_training_wall_time_s")) : "",
                (Double) r.get("wall_time_s")));
        if (r.containsKey("fitness_png")) {
            b.append("fitness       ").append(r.get("fitness_png")).append(System.lineSeparator());
        }
        return b.toString();
    }

    /** A fitness for the console: 4 decimals, "failed" for a failed candidate's. */
    private static String fitness(Double f) {
        return f == null || f >= io.autonf.ga.GaObjective.FAILED_FITNESS ? "failed"
                : String.format(Locale.ROOT, "%.4f", f);
    }

    private GaConfig config() {
        SearchSpace space = layerOptions.space(spec.commandLine());
        TrainingConfig retraining = retrainingOptions.retraining(spec.commandLine(), batch, seed, threads);
        TrainingConfig candidates = option("--budget-steps", () -> retraining.withMaxSteps(budgetSteps));
        return settings(() -> GaConfig.builder(space).populationSize(population).generations(generations)
                .steadyGenerations(steady).wallTimeLimit(maxTime).computeBudget(maxLayerEvaluations)
                .mutationRate(mutation).crossoverRate(crossover).tournamentSize(tournament).elites(elites)
                .workers(workers).seed(seed).training(candidates).retraining(retraining).lambda(lambda)
                .emphasis(emphasis).threads(threads).build());
    }

    private <T> T option(String name, Supplier<T> build) {
        return ParameterChecks.option(spec.commandLine(), name, build);
    }

    private <T> T settings(Supplier<T> build) {
        return ParameterChecks.settings(spec.commandLine(), build);
    }

    /**
     * A duration as people write it: a number with a unit (ms, s, m, h; {@code 90s}, {@code 1.5h}), a bare number
     * of seconds, or ISO-8601 ({@code PT1H30M}); zero or more.
     */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h)?");

        @Override
        public Duration convert(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            Matcher m = SIMPLE.matcher(text);
            if (m.matches()) {
                double amount = Double.parseDouble(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                double seconds = switch (unit) {
                    case "ms" -> amount / 1000;
                    case "m", "min" -> amount * 60;
                    case "h" -> amount * 3600;
                    default -> amount;
                };
                return Duration.ofNanos(Math.round(seconds * 1e9));
            }
            try {
                Duration d = Duration.parse(value.strip().toUpperCase(Locale.ROOT));
                if (d.isNegative()) {
                    throw new TypeConversionException("a duration must not be negative, got " + value);
                }
                return d;
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a duration; write e.g. 90s, 10m, 1.5h or PT1H30M");
            }
        }
    }

    /** GA progress on stderr: one line per candidate trained and per generation, and the evaluations. */
    static final class Progress implements GaListener {
        private final PrintWriter log;

        Progress(PrintWriter log) {
            this.log = log;
        }

        @Override
        public void onCandidate(CandidateEvaluation c) {
            if (c.failed()) {
                log.printf(Locale.ROOT, "  candidate %03d %s failed after %d steps: %s%n", c.index(), c.architecture(),
                        c.stepsRun(), c.failure());
            } else {
                log.printf(Locale.ROOT, "  candidate %03d %s: validation NLL %.4f, cost %.3f, fitness %.4f, %.1f s%n",
                        c.index(), c.architecture(), c.validationNll(), c.cost(), c.fitness(),
                        c.trainingTime().toNanos() / 1e9);
            }
            log.flush();
        }

        @Override
        public void onGeneration(GenerationStatistics g) {
            log.printf(Locale.ROOT, "generation %d: best %s (%s), best so far %s, mean %s, %d distinct, %d trained, "
                            + "%.3g layer evaluations, %.0f s%n", g.generation(), fitness(g.bestFitness()),
                    g.bestArchitecture(), fitness(g.bestSoFar()), fitness(g.meanFitness()), g.distinctGenotypes(),
                    g.trainings(), (double) g.layerEvaluations(), g.wallTime().toNanos() / 1e9);
            log.flush();
        }

        @Override
        public void onEvaluation(String label, FlowEvaluation evaluation) {
            log.printf(Locale.ROOT, "evaluated %s: test NLL %s, density %.4f, coverage %.4f%n", label,
                    evaluation.testNll(), evaluation.density(), evaluation.coverage());
            log.flush();
        }
    }
}
