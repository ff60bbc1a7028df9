package io.autonf.ga;

import io.autonf.cost.CostEmphasis;
import io.autonf.flow.LayerKind;
import io.autonf.search.SearchConfig;
import io.autonf.search.SearchSpace;
import io.autonf.train.TrainingConfig;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything one GA run needs besides the data. Start from {@link #builder(SearchSpace)} (or
 * {@link Builder#matching(SearchConfig)} to share an AutoNF run's space, objective, seed and retraining budget);
 * every value is checked here.
 *
 * @param space              the layers and their options, the same kind of space AutoNF searches
 * @param populationSize     phenotypes per generation (default {@value #DEFAULT_POPULATION_SIZE})
 * @param generations        the most generations (default {@value #DEFAULT_GENERATIONS})
 * @param steadyGenerations  stop once the best fitness has not improved for this many generations; 0 never stops
 *                           for that reason (default {@value #DEFAULT_STEADY_GENERATIONS})
 * @param wallTimeLimit      stop after the generation during which this much time passed; zero for no limit
 *                           (the default)
 * @param computeBudget      stop after the generation during which the trainings reached this many layer
 *                           evaluations (see the package documentation); 0 for no budget (the default)
 * @param mutationRate       probability that a gene is redrawn (Jenetics' {@code Mutator}; default
 *                           {@value #DEFAULT_MUTATION_RATE})
 * @param crossoverRate      probability of a single-point crossover of two offspring (default
 *                           {@value #DEFAULT_CROSSOVER_RATE}; not used with a single layer)
 * @param tournamentSize     phenotypes per tournament of the offspring and survivor selectors (default
 *                           {@value #DEFAULT_TOURNAMENT_SIZE})
 * @param elites             best phenotypes that always survive (default {@value #DEFAULT_ELITES}; 0 for none)
 * @param workers            candidates trained at once (default 1); each training uses
 *                           {@code training.workerThreads()} threads of its own
 * @param seed               seeds the evolution and, with each architecture, each candidate's training
 * @param training           the fixed budget every candidate is trained with (its seed is replaced by the
 *                           candidate's); default {@link #DEFAULT_TRAINING}
 * @param retraining         the budget with which the best architecture, and the reference, are trained from
 *                           scratch afterwards (default {@link TrainingConfig#DEFAULTS}, as in AutoNF)
 * @param lambda             weight λ of the normalised cost in the fitness, {@code >= 0} (default 0)
 * @param emphasis           which measured cost the fitness uses (default forward)
 * @param threads            threads of the final evaluation (test NLL, samples, metrics), as in AutoNF
 */
public record GaConfig(
        SearchSpace space,
        int populationSize,
        int generations,
        int steadyGenerations,
        Duration wallTimeLimit,
        long computeBudget,
        double mutationRate,
        double crossoverRate,
        int tournamentSize,
        int elites,
        int workers,
        long seed,
        TrainingConfig training,
        TrainingConfig retraining,
        double lambda,
        CostEmphasis emphasis,
        int threads) {

    public static final int DEFAULT_POPULATION_SIZE = 16;
    public static final int DEFAULT_GENERATIONS = 20;
    public static final int DEFAULT_STEADY_GENERATIONS = 5;
    public static final double DEFAULT_MUTATION_RATE = 0.2;
    public static final double DEFAULT_CROSSOVER_RATE = 0.3;
    public static final int DEFAULT_TOURNAMENT_SIZE = 3;
    public static final int DEFAULT_ELITES = 1;
    /** Candidate budget: the default training settings cut to 500 steps, validated every 100. */
    public static final TrainingConfig DEFAULT_TRAINING = TrainingConfig.DEFAULTS.withMaxSteps(500)
            .withValidateEvery(100);

    public GaConfig {
        if (space == null) {
            throw new IllegalArgumentException("a search space is required");
        }
        if (space.options().stream().allMatch(k -> k == LayerKind.IDENTITY)) {
            throw new IllegalArgumentException("'identity' cannot be the only option: the flow would have no layer");
        }
        if (populationSize < 2) {
            throw new IllegalArgumentException("the population needs at least 2 phenotypes, got " + populationSize);
        }
        if (generations < 1) {
            throw new IllegalArgumentException("generations must be at least 1, got " + generations);
        }
        if (steadyGenerations < 0) {
            throw new IllegalArgumentException("steady-fitness generations must be 0 (off) or more, got "
                    + steadyGenerations);
        }
        if (wallTimeLimit == null || wallTimeLimit.isNegative()) {
            throw new IllegalArgumentException("the wall-time limit must be zero (none) or positive, got "
                    + wallTimeLimit);
        }
        if (computeBudget < 0) {
            throw new IllegalArgumentException("the compute budget must be 0 (none) or a number of layer evaluations, "
                    + "got " + computeBudget);
        }
        requireProbability(mutationRate, "mutation rate");
        requireProbability(crossoverRate, "crossover rate");
        if (tournamentSize < 2 || tournamentSize > populationSize) {
            throw new IllegalArgumentException("tournament size must lie in [2, population " + populationSize
                    + "], got " + tournamentSize);
        }
        if (elites < 0 || elites >= populationSize) {
            throw new IllegalArgumentException("elites must lie in [0, population " + populationSize + "), got "
                    + elites);
        }
        if (workers < 1 || workers > TrainingConfig.MAX_WORKER_THREADS) {
            throw new IllegalArgumentException("workers must lie in [1, " + TrainingConfig.MAX_WORKER_THREADS
                    + "], got " + workers);
        }
        if (training == null || retraining == null) {
            throw new IllegalArgumentException("a candidate training budget and a retraining budget are required");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda (the cost weight) must be zero or a positive finite number, got "
                    + lambda);
        }
        if (emphasis == null) {
            throw new IllegalArgumentException("a cost emphasis is required");
        }
        if (threads < 1 || threads > TrainingConfig.MAX_WORKER_THREADS) {
            throw new IllegalArgumentException("threads must lie in [1, " + TrainingConfig.MAX_WORKER_THREADS
                    + "], got " + threads);
        }
    }

    private static void requireProbability(double p, String what) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(what + " must lie in [0, 1], got " + p);
        }
    }

    public boolean hasWallTimeLimit() {
        return !wallTimeLimit.isZero();
    }

    public boolean hasComputeBudget() {
        return computeBudget > 0;
    }

    /** The settings by snake_case name, for run records. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", space.layers());
        m.put("options", space.options().stream().map(LayerKind::id).toList());
        m.put("hidden_features", space.settings().hiddenFeatures());
        m.put("blocks_per_network", space.settings().blocks());
        m.put("bins", space.settings().bins());
        m.put("tail_bound", space.settings().tailBound());
        m.put("precision", space.settings().precision().name().toLowerCase(Locale.ROOT));
        m.put("population_size", populationSize);
        m.put("generations", generations);
        m.put("steady_generations", steadyGenerations);
        m.put("wall_time_limit_s", wallTimeLimit.toNanos() / 1e9);
        m.put("compute_budget_layer_evaluations", computeBudget);
        m.put("mutation_rate", mutationRate);
        m.put("crossover_rate", crossoverRate);
        m.put("tournament_size", tournamentSize);
        m.put("elites", elites);
        m.put("workers", workers);
        m.put("seed", seed);
        m.put("training", training.summary());
        m.put("retraining", retraining.summary());
        m.put("lambda", lambda);
        m.put("emphasis", emphasis.id());
        m.put("threads", threads);
        return m;
    }

    public static Builder builder(SearchSpace space) {
        return new Builder(space);
    }

    public Builder toBuilder() {
        return new Builder(space).populationSize(populationSize).generations(generations)
                .steadyGenerations(steadyGenerations).wallTimeLimit(wallTimeLimit).computeBudget(computeBudget)
                .mutationRate(mutationRate).crossoverRate(crossoverRate).tournamentSize(tournamentSize).elites(elites)
                .workers(workers).seed(seed).training(training).retraining(retraining).lambda(lambda)
                .emphasis(emphasis).threads(threads);
    }

    /** Collects the settings; unset values take the defaults above. {@link #build()} validates. */
    public static final class Builder {
        private SearchSpace space;
        private int populationSize = DEFAULT_POPULATION_SIZE;
        private int generations = DEFAULT_GENERATIONS;
        private int steadyGenerations = DEFAULT_STEADY_GENERATIONS;
        private Duration wallTimeLimit = Duration.ZERO;
        private long computeBudget;
        private double mutationRate = DEFAULT_MUTATION_RATE;
        private double crossoverRate = DEFAULT_CROSSOVER_RATE;
        private int tournamentSize = DEFAULT_TOURNAMENT_SIZE;
        private int elites = DEFAULT_ELITES;
        private int workers = 1;
        private long seed;
        private TrainingConfig training = DEFAULT_TRAINING;
        private TrainingConfig retraining = TrainingConfig.DEFAULTS;
        private double lambda;
        private CostEmphasis emphasis = CostEmphasis.FORWARD;
        private int threads = 1;

        private Builder(SearchSpace space) {
            this.space = space;
        }

        /**
         * Takes what defines the comparison from an AutoNF run: its space, λ, emphasis, seed, evaluation threads
         * and retraining budget, so that both searches optimise the same objective and their results are
         * retrained and evaluated alike.
         */
        public Builder matching(SearchConfig search) {
            if (search == null) {
                throw new IllegalArgumentException("a search configuration is required");
            }
            return space(search.space()).lambda(search.lambda()).emphasis(search.emphasis()).seed(search.seed())
                    .threads(search.threads()).retraining(search.retraining());
        }

        public Builder space(SearchSpace v) {
            space = v;
            return this;
        }

        public Builder populationSize(int v) {
            populationSize = v;
            return this;
        }

        public Builder generations(int v) {
            generations = v;
            return this;
        }

        public Builder steadyGenerations(int v) {
            steadyGenerations = v;
            return this;
        }

        public Builder wallTimeLimit(Duration v) {
            wallTimeLimit = v;
            return this;
        }

        public Builder computeBudget(long v) {
            computeBudget = v;
            return this;
        }

        public Builder mutationRate(double v) {
            mutationRate = v;
            return this;
        }

        public Builder crossoverRate(double v) {
            crossoverRate = v;
            return this;
        }

        public Builder tournamentSize(int v) {
            tournamentSize = v;
            return this;
        }

        public Builder elites(int v) {
            elites = v;
            return this;
        }

        public Builder workers(int v) {
            workers = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder training(TrainingConfig v) {
            training = v;
            return this;
        }

        public Builder retraining(TrainingConfig v) {
            retraining = v;
            return this;
        }

        public Builder lambda(double v) {
            lambda = v;
            return this;
        }

        public Builder emphasis(CostEmphasis v) {
            emphasis = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public GaConfig build() {
            return new GaConfig(space, populationSize, generations, steadyGenerations, wallTimeLimit, computeBudget,
                    mutationRate, crossoverRate, tournamentSize, elites, workers, seed, training, retraining, lambda,
                    emphasis, threads);
        }
    }
}
