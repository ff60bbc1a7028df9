package io.autonf.study;

import io.autonf.cost.CostEmphasis;
import io.autonf.cost.CostTables;
import io.autonf.cost.MeasureOptions;
import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Precision;
import io.autonf.ga.GaConfig;
import io.autonf.metric.Evaluator;
import io.autonf.metric.Prdc;
import io.autonf.search.AdamSettings;
import io.autonf.search.SearchConfig;
import io.autonf.search.SearchLoss;
import io.autonf.search.SearchMethod;
import io.autonf.search.SearchPipeline;
import io.autonf.search.SearchSpace;
import io.autonf.train.TrainingConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a study runs: every data set × emphasis × seed, each cell with the two references, AutoNF and the GA.
 *
 * <p>The two searches are configured by templates whose seed and emphasis each cell replaces
 * ({@link #searchFor}, {@link #gaFor}). The templates must agree on what makes the comparison fair, and the
 * constructor checks it: the same search space (layers, options, conditioner settings), the same λ, the same
 * evaluation threads and the same final-training budget ({@link SearchConfig#retraining()}), with which the
 * references, AutoNF's architecture and the GA's architecture are all trained from scratch.
 *
 * @param name     a label for the report and the tracking run
 * @param datasets data specs as the command line's {@code --data} takes them ({@code power-sample},
 *                 {@code power:/data/maf}, ...), resolved by a {@link DatasetSource}
 * @param emphases forward and/or inverse (the paper's Table 1 has both; the figure of merit has no training
 *                 emphasis)
 * @param seeds    one cell per seed; distinct
 * @param search   AutoNF's settings (space, λ, schedule, batch sizes, optimisers) and the final-training budget
 * @param ga       the GA's settings (population, generations, candidate budget, workers, stop conditions)
 * @param options  evaluation samples and k, the cost-table directory and how to measure a missing table; its
 *                 {@code trainReference} flag is not used (the study trains the references itself)
 */
public record StudyConfig(String name, List<String> datasets, List<CostEmphasis> emphases, List<Long> seeds,
                          SearchConfig search, GaConfig ga, SearchPipeline.Options options) {

    public StudyConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a study needs a name");
        }
        datasets = requireDistinct(datasets, "data set");
        emphases = requireDistinct(emphases, "emphasis");
        seeds = requireDistinct(seeds, "seed");
        for (String d : datasets) {
            if (d == null || d.isBlank()) {
                throw new IllegalArgumentException("a data set spec is empty in " + datasets);
            }
        }
        if (emphases.contains(CostEmphasis.TRAINING)) {
            throw new IllegalArgumentException("a study compares forward or inverse cost (the paper's Table 1); "
                    + "emphasis 'training' has no figure of merit");
        }
        if (search == null || ga == null || options == null) {
            throw new IllegalArgumentException("a study needs AutoNF settings, GA settings and evaluation options");
        }
        if (!ga.space().equals(search.space())) {
            throw new IllegalArgumentException("AutoNF and the GA must search the same space, got " + search.space()
                    + " and " + ga.space());
        }
        if (ga.lambda() != search.lambda()) {
            throw new IllegalArgumentException("AutoNF and the GA must weigh cost alike, got λ " + search.lambda()
                    + " and " + ga.lambda());
        }
        if (!ga.retraining().equals(search.retraining())) {
            throw new IllegalArgumentException("the final-training budget must be the same for every method (equal "
                    + "budgets), got " + search.retraining() + " for AutoNF and " + ga.retraining() + " for the GA");
        }
        if (ga.threads() != search.threads()) {
            throw new IllegalArgumentException("AutoNF and the GA must evaluate with the same threads, got "
                    + search.threads() + " and " + ga.threads());
        }
    }

    /** The profile names {@link #profile} knows. */
    public static final List<String> PROFILES = List.of("quick", "paper");

    /** Where {@link #paper()} expects MAF's data root when {@code AUTONF_MAF_DATA} is not set. */
    public static final String DEFAULT_MAF_ROOT = "data/maf";

    /**
     * {@code quick} or {@code paper}.
     *
     * @throws IllegalArgumentException naming the known profiles
     */
    public static StudyConfig profile(String name) {
        if (name == null) {
            throw new IllegalArgumentException("a profile name is required; known: " + PROFILES);
        }
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "quick" -> quick();
            case "paper" -> paper();
            default -> throw new IllegalArgumentException("unknown study profile '" + name + "'; known: " + PROFILES);
        };
    }

    /**
     * The bundled POWER and MINIBOONE slices, forward and inverse, seeds 1-3: 12 cells, each with AutoNF and the
     * GA, and 12 reference trainings (RQ-AF and RQ-C per data set × seed). Sized to finish in under 30 minutes on
     * a 2-core machine.
     *
     * <p><b>Space and budgets.</b> 4 layers of {@code maf, rq-ar, affine-c, rq-c}, conditioners of 2 residual
     * blocks × 32 hidden units, 8 bins, λ = 0.5, 2 threads. AutoNF: block method, 2 rounds × 4 blocks × 200 step
     * pairs of batch 128. GA: population 8, at most 6 generations (steady-fitness stop after 3), elites 1,
     * candidate budget 300 steps of batch 128 validated every 100, 1 worker (the 2 threads go to each training).
     * Final training (references, AutoNF's and the GA's architectures): at most 3000 steps of batch 256, lr 1e-3
     * cosine, validated every 200, patience 5. Evaluation: 2000 samples, k = 5. Quick cost-table timing.
     *
     * <p><b>Measured:</b> 8 min 35 s to 8 min 41 s on the idle 2-core machine with the cost tables already
     * measured (about 15 s more without), so the 30-minute goal holds with a margin of about 3.5 for a slower or
     * busier machine.
     */
    public static StudyConfig quick() {
        TrainingConfig finalTraining = TrainingConfig.DEFAULTS.withMaxSteps(3000).withLearningRate(1e-3)
                .withBatchSize(256).withValidateEvery(200).withPatience(5).withWorkerThreads(2);
        TrainingConfig candidate = TrainingConfig.DEFAULTS.withMaxSteps(300).withLearningRate(1e-3)
                .withBatchSize(128).withValidateEvery(100).withWorkerThreads(2);
        return builder().name("quick").datasets(List.of("power-sample", "miniboone-sample"))
                .emphases(List.of(CostEmphasis.FORWARD, CostEmphasis.INVERSE)).seeds(List.of(1L, 2L, 3L))
                .layers(4).options(List.of(LayerKind.MAF, LayerKind.RQ_AR, LayerKind.AFFINE_C, LayerKind.RQ_C))
                .settings(LayerSettings.DEFAULT.withHiddenFeatures(32)).lambda(0.5).threads(2)
                .stepsPerBlock(200).rounds(2).batch(128).alphaBatch(128).thetaLearningRate(1e-3)
                .alphaLearningRate(1e-2)
                .population(8).generations(6).steadyGenerations(3).candidateTraining(candidate).workers(1)
                .finalTraining(finalTraining).evaluationSamples(2000).k(Prdc.DEFAULT_K)
                .quickCosts(true).build();
    }

    /**
     * The paper's Table 1 setting, for the full data and a bigger machine: POWER, GAS, HEPMASS, MINIBOONE and
     * BSDS300 from MAF's files under {@code $AUTONF_MAF_DATA} (default {@value #DEFAULT_MAF_ROOT}), forward and
     * inverse, seeds 1-5, 4 layers of {@code maf, rq-ar, affine-c, rq-c}. Conditioners and training follow the
     * nflows tabular settings the project uses as its defaults ({@link LayerSettings#DEFAULT}: 2 residual blocks
     * × 256, 8 bins; {@link TrainingConfig#DEFAULTS}: batch 512, lr 5e-4 cosine-annealed, up to 10000 steps,
     * patience 20), 10000 evaluation samples (the paper's number), k = 5. The project has no record of the paper's
     * exact search budget; AutoNF uses the library defaults ({@link SearchConfig#DEFAULT_STEPS_PER_BLOCK} step
     * pairs per visit, 2 rounds, batch 256) and the GA Jenetics-style defaults of {@link GaConfig} (population 16,
     * 20 generations, candidate budget 500 steps), λ = 0.5 as the project's search command. Override any of
     * these in a {@code study.yaml}.
     */
    public static StudyConfig paper() {
        String root = System.getenv().getOrDefault("AUTONF_MAF_DATA", DEFAULT_MAF_ROOT);
        List<String> datasets = new ArrayList<>();
        for (String name : List.of("power", "gas", "hepmass", "miniboone", "bsds300")) {
            datasets.add(name + ":" + root);
        }
        return builder().name("paper").datasets(datasets)
                .emphases(List.of(CostEmphasis.FORWARD, CostEmphasis.INVERSE)).seeds(List.of(1L, 2L, 3L, 4L, 5L))
                .layers(4).options(List.of(LayerKind.MAF, LayerKind.RQ_AR, LayerKind.AFFINE_C, LayerKind.RQ_C))
                .settings(LayerSettings.DEFAULT).lambda(0.5).threads(1)
                .stepsPerBlock(SearchConfig.DEFAULT_STEPS_PER_BLOCK).rounds(SearchConfig.DEFAULT_BLOCK_ROUNDS)
                .batch(SearchConfig.DEFAULT_BATCH_SIZE).alphaBatch(SearchConfig.DEFAULT_BATCH_SIZE)
                .thetaLearningRate(AdamSettings.THETA_DEFAULT.learningRate()).alphaLearningRate(1e-2)
                .population(GaConfig.DEFAULT_POPULATION_SIZE).generations(GaConfig.DEFAULT_GENERATIONS)
                .steadyGenerations(GaConfig.DEFAULT_STEADY_GENERATIONS).candidateTraining(GaConfig.DEFAULT_TRAINING)
                .workers(1).finalTraining(TrainingConfig.DEFAULTS).evaluationSamples(Evaluator.DEFAULT_SAMPLES)
                .k(Prdc.DEFAULT_K).quickCosts(false).build();
    }

    /** AutoNF's configuration for one cell: the template with the cell's emphasis and seed (also the final training's). */
    public SearchConfig searchFor(CostEmphasis emphasis, long seed) {
        return search.toBuilder().emphasis(emphasis).seed(seed).retraining(search.retraining().withSeed(seed))
                .build();
    }

    /** The GA's configuration for one cell: the template matched to AutoNF's ({@link GaConfig.Builder#matching}). */
    public GaConfig gaFor(SearchConfig cellSearch) {
        return ga.toBuilder().matching(cellSearch).build();
    }

    /** Cells of the study (data set × emphasis × seed), in the order they run. */
    public List<StudyCell> cells() {
        List<StudyCell> cells = new ArrayList<>();
        for (String d : datasets) {
            for (long s : seeds) {
                for (CostEmphasis e : emphases) {
                    cells.add(new StudyCell(d, e, s));
                }
            }
        }
        return cells;
    }

    /** The settings by snake_case name, for run records and the report's header. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("datasets", datasets);
        m.put("emphases", emphases.stream().map(CostEmphasis::id).toList());
        m.put("seeds", seeds);
        m.put("search", search.summary());
        m.put("ga", ga.summary());
        m.put("evaluation_samples", options.evaluationSamples());
        m.put("k", options.k());
        m.put("cost_directory", options.costDirectory().toString());
        return m;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder(null);
    }

    private static <T> List<T> requireDistinct(List<T> values, String what) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("a study needs at least one " + what);
        }
        if (values.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("a " + what + " is missing in " + values);
        }
        if (new HashSet<>(values).size() != values.size()) {
            throw new IllegalArgumentException("each " + what + " may appear once, got " + values);
        }
        return List.copyOf(values);
    }

    /**
     * Flat settings, as a {@code study.yaml} names them; {@link #build()} turns them into the two templates
     * (sharing space, λ, threads and final-training budget by construction) and validates everything.
     */
    public static final class Builder {
        private String name = "study";
        private List<String> datasets = List.of();
        private List<CostEmphasis> emphases = List.of(CostEmphasis.FORWARD, CostEmphasis.INVERSE);
        private List<Long> seeds = List.of(1L);
        private int layers = 4;
        private List<LayerKind> options = List.of(LayerKind.MAF, LayerKind.RQ_AR, LayerKind.AFFINE_C, LayerKind.RQ_C);
        private LayerSettings settings = LayerSettings.DEFAULT;
        private double lambda = 0.5;
        private int threads = 1;
        private SearchLoss loss = SearchConfig.DEFAULT_LOSS;
        private SearchMethod method = SearchConfig.DEFAULT_METHOD;
        private int blockSize = SearchConfig.DEFAULT_BLOCK_SIZE;
        private Integer rounds;
        private int stepsPerBlock = SearchConfig.DEFAULT_STEPS_PER_BLOCK;
        private int warmupSteps;
        private int batch = SearchConfig.DEFAULT_BATCH_SIZE;
        private int alphaBatch = SearchConfig.DEFAULT_BATCH_SIZE;
        private double thetaLearningRate = AdamSettings.THETA_DEFAULT.learningRate();
        private double alphaLearningRate = AdamSettings.DARTS_ALPHA.learningRate();
        private int population = GaConfig.DEFAULT_POPULATION_SIZE;
        private int generations = GaConfig.DEFAULT_GENERATIONS;
        private int steadyGenerations = GaConfig.DEFAULT_STEADY_GENERATIONS;
        private double mutationRate = GaConfig.DEFAULT_MUTATION_RATE;
        private double crossoverRate = GaConfig.DEFAULT_CROSSOVER_RATE;
        private int tournamentSize = GaConfig.DEFAULT_TOURNAMENT_SIZE;
        private int elites = GaConfig.DEFAULT_ELITES;
        private int workers = 1;
        private long computeBudget;
        private Duration wallTimeLimit = Duration.ZERO;
        private TrainingConfig candidateTraining = GaConfig.DEFAULT_TRAINING;
        private TrainingConfig finalTraining = TrainingConfig.DEFAULTS;
        private int evaluationSamples = Evaluator.DEFAULT_SAMPLES;
        private int k = Prdc.DEFAULT_K;
        private Path costDirectory = CostTables.defaultDirectory();
        private boolean quickCosts;
        private Long memoryBudgetBytes;

        private Builder(StudyConfig from) {
            if (from == null) {
                return;
            }
            SearchConfig s = from.search;
            GaConfig g = from.ga;
            name = from.name;
            datasets = from.datasets;
            emphases = from.emphases;
            seeds = from.seeds;
            layers = s.space().layers();
            options = s.space().options();
            settings = s.space().settings();
            lambda = s.lambda();
            threads = s.threads();
            loss = s.loss();
            method = s.method();
            blockSize = s.blockSize();
            rounds = s.rounds();
            stepsPerBlock = s.stepsPerBlock();
            warmupSteps = s.warmupSteps();
            batch = s.thetaBatchSize();
            alphaBatch = s.alphaBatchSize();
            thetaLearningRate = s.theta().learningRate();
            alphaLearningRate = s.alpha().learningRate();
            memoryBudgetBytes = s.memoryBudgetBytes();
            population = g.populationSize();
            generations = g.generations();
            steadyGenerations = g.steadyGenerations();
            mutationRate = g.mutationRate();
            crossoverRate = g.crossoverRate();
            tournamentSize = g.tournamentSize();
            elites = g.elites();
            workers = g.workers();
            computeBudget = g.computeBudget();
            wallTimeLimit = g.wallTimeLimit();
            candidateTraining = g.training();
            finalTraining = s.retraining();
            evaluationSamples = from.options.evaluationSamples();
            k = from.options.k();
            costDirectory = from.options.costDirectory();
            quickCosts = from.options.measure().equals(MeasureOptions.DEFAULT.quick());
        }

        public Builder name(String v) { name = v; return this; }
        public Builder datasets(List<String> v) { datasets = v; return this; }
        public Builder emphases(List<CostEmphasis> v) { emphases = v; return this; }
        public Builder seeds(List<Long> v) { seeds = v; return this; }
        public Builder layers(int v) { layers = v; return this; }
        public Builder options(List<LayerKind> v) { options = v; return this; }
        public Builder settings(LayerSettings v) { settings = v; return this; }
        public LayerSettings settings() { return settings; }
        public Builder precision(Precision v) { settings = settings.withPrecision(v); return this; }
        public Builder lambda(double v) { lambda = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder loss(SearchLoss v) { loss = v; return this; }
        public Builder method(SearchMethod v) { method = v; return this; }
        public Builder blockSize(int v) { blockSize = v; return this; }
        public Builder rounds(int v) { rounds = v; return this; }
        public Builder stepsPerBlock(int v) { stepsPerBlock = v; return this; }
        public Builder warmupSteps(int v) { warmupSteps = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        public Builder alphaBatch(int v) { alphaBatch = v; return this; }
        public Builder thetaLearningRate(double v) { thetaLearningRate = v; return this; }
        public Builder alphaLearningRate(double v) { alphaLearningRate = v; return this; }
        public Builder memoryBudgetBytes(long v) { memoryBudgetBytes = v; return this; }
        public Builder population(int v) { population = v; return this; }
        public Builder generations(int v) { generations = v; return this; }
        public Builder steadyGenerations(int v) { steadyGenerations = v; return this; }
        public Builder mutationRate(double v) { mutationRate = v; return this; }
        public Builder crossoverRate(double v) { crossoverRate = v; return this; }
        public Builder tournamentSize(int v) { tournamentSize = v; return this; }
        public Builder elites(int v) { elites = v; return this; }
        public Builder workers(int v) { workers = v; return this; }
        public Builder computeBudget(long v) { computeBudget = v; return this; }
        public Builder wallTimeLimit(Duration v) { wallTimeLimit = v; return this; }
        public Builder candidateTraining(TrainingConfig v) { candidateTraining = v; return this; }
        public TrainingConfig candidateTraining() { return candidateTraining; }
        public Builder finalTraining(TrainingConfig v) { finalTraining = v; return this; }
        public TrainingConfig finalTraining() { return finalTraining; }
        public Builder evaluationSamples(int v) { evaluationSamples = v; return this; }
        public Builder k(int v) { k = v; return this; }
        public Builder costDirectory(Path v) { costDirectory = v; return this; }
        public Builder quickCosts(boolean v) { quickCosts = v; return this; }

        public StudyConfig build() {
            SearchSpace space = new SearchSpace(layers, options, settings);
            // The final budget trains with the study's threads, as AutoNF's search and evaluation do.
            TrainingConfig retraining = finalTraining.withWorkerThreads(threads);
            SearchConfig.Builder s = SearchConfig.builder(space).loss(loss).lambda(lambda).method(method)
                    .blockSize(blockSize).stepsPerBlock(stepsPerBlock).warmupSteps(warmupSteps)
                    .thetaBatchSize(batch).alphaBatchSize(alphaBatch)
                    .theta(AdamSettings.THETA_DEFAULT.withLearningRate(thetaLearningRate))
                    .alpha(AdamSettings.DARTS_ALPHA.withLearningRate(alphaLearningRate))
                    .threads(threads).retraining(retraining);
            if (rounds != null) {
                s.rounds(rounds);
            }
            if (memoryBudgetBytes != null) {
                s.memoryBudgetBytes(memoryBudgetBytes);
            }
            SearchConfig search = s.build();
            GaConfig ga = GaConfig.builder(space).populationSize(population).generations(generations)
                    .steadyGenerations(steadyGenerations).mutationRate(mutationRate).crossoverRate(crossoverRate)
                    .tournamentSize(tournamentSize).elites(elites).workers(workers).computeBudget(computeBudget)
                    .wallTimeLimit(wallTimeLimit).training(candidateTraining).matching(search).build();
            SearchPipeline.Options pipeline = SearchPipeline.Options.defaults().withCostDirectory(costDirectory)
                    .withMeasure(quickCosts ? MeasureOptions.DEFAULT.quick() : MeasureOptions.DEFAULT)
                    .withEvaluationSamples(evaluationSamples).withK(k).withTrainReference(false);
            return new StudyConfig(name, datasets, emphases, seeds, search, ga, pipeline);
        }
    }
}
