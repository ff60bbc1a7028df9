package io.autonf.ga;

import io.autonf.cost.CostTable;
import io.autonf.flow.Batch;
import io.jenetics.EliteSelector;
import io.jenetics.IntegerGene;
import io.jenetics.Mutator;
import io.jenetics.Phenotype;
import io.jenetics.Selector;
import io.jenetics.SinglePointCrossover;
import io.jenetics.TournamentSelector;
import io.jenetics.engine.Engine;
import io.jenetics.engine.EvolutionResult;
import io.jenetics.engine.EvolutionStart;
import io.jenetics.engine.Limits;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * A GA run with Jenetics over the architectures of a {@link GaConfig#space()}: integer genotypes
 * ({@link ArchitectureCodec}), tournament selection of offspring, tournament selection of survivors after the
 * {@link GaConfig#elites()} best, single-point crossover and per-gene mutation, fitness minimised
 * ({@link GaObjective}) and evaluated by a {@link BatchEvaluator}.
 *
 * <p><b>Reproducibility.</b> Jenetics draws every random number from its {@link RandomRegistry}; the run scopes a
 * {@link SplittableRandom} seeded with {@link GaConfig#seed()} to its thread and runs the engine's own steps
 * (selection, alteration) on that thread. Trainings run on the evaluator's workers but are seeded per
 * architecture, so a seed gives the same run with any number of workers.
 *
 * <p><b>Stopping.</b> The engine is stepped one generation at a time and, after each, tested against: the
 * generation count, Jenetics' {@link Limits#bySteadyFitness}, {@link Limits#byExecutionTime} (started before the
 * first generation) and the compute budget. Stepping, rather than limiting Jenetics' stream, matters here: a
 * stream computes a generation before its limit can reject it, and a generation costs a batch of trainings. A
 * limit therefore stops the run after the generation that reached it, whose trainings are already paid for.
 */
public final class GaSearch {

    private final GaConfig config;
    private final ArchitectureCodec codec;
    private final GaObjective objective;

    /**
     * @param costs    a cost table covering every option, or null when λ = 0
     * @param training how each candidate is trained ({@link #withTraining} for the real one)
     */
    public GaSearch(GaConfig config, CostTable costs, CandidateTraining training) {
        if (config == null) {
            throw new IllegalArgumentException("a GA configuration is required");
        }
        this.config = config;
        this.codec = new ArchitectureCodec(config.space());
        this.objective = new GaObjective(config.space(), costs, config.emphasis(), config.lambda(), training);
    }

    /** A GA whose candidates are trained with {@link GaConfig#training()} on {@code train}, scored on {@code validation}. */
    public static GaSearch withTraining(GaConfig config, CostTable costs, Batch train, Batch validation) {
        if (config == null) {
            throw new IllegalArgumentException("a GA configuration is required");
        }
        return new GaSearch(config, costs,
                new FlowTraining(config.training(), config.space().settings(), train, validation));
    }

    public GaConfig config() {
        return config;
    }

    public ArchitectureCodec codec() {
        return codec;
    }

    public GaObjective objective() {
        return objective;
    }

    /** Runs the GA with the system clock for its wall-time limit. */
    public GaResult run(GaListener listener) {
        return run(listener, InstantSource.system());
    }

    /**
     * Runs the GA.
     *
     * @param clock the clock of the wall-time limit (tests pass a fake one); the reported wall times are measured
     *              with {@link System#nanoTime()}
     */
    public GaResult run(GaListener listener, InstantSource clock) {
        if (listener == null || clock == null) {
            throw new IllegalArgumentException("a listener (use GaListener.NONE) and a clock are required");
        }
        long start = System.nanoTime();
        listener.onStart(config);
        try (BatchEvaluator evaluator = new BatchEvaluator(codec, objective, config.seed(), config.workers(),
                listener::onCandidate)) {
            Engine<IntegerGene, Double> engine = engine(evaluator);
            Predicate<? super EvolutionResult<IntegerGene, Double>> steady = config.steadyGenerations() > 0
                    ? Limits.bySteadyFitness(config.steadyGenerations()) : null;
            Predicate<Object> inTime = config.hasWallTimeLimit()
                    ? Limits.byExecutionTime(config.wallTimeLimit(), clock) : null;
            if (inTime != null) {
                // Jenetics starts this limit's clock at its first test; start it now, so that the first
                // generation, the largest batch of trainings, counts.
                inTime.test(this);
            }
            List<GenerationStatistics> history = new ArrayList<>();
            GaStopReason reason = RandomRegistry.with(new SplittableRandom(config.seed()), random -> {
                EvolutionStart<IntegerGene, Double> next = EvolutionStart.of(ISeq.empty(), 1);
                while (true) {
                    EvolutionResult<IntegerGene, Double> result = engine.evolve(next);
                    GenerationStatistics statistics = statistics(result, evaluator, start);
                    history.add(statistics);
                    listener.onGeneration(statistics);
                    GaStopReason stop = stopReason(result, evaluator, steady, inTime);
                    if (stop != null) {
                        return stop;
                    }
                    next = result.next();
                    evaluator.generation((int) result.generation() + 1);
                }
            });
            List<CandidateEvaluation> candidates = evaluator.evaluated();
            GaResult result = new GaResult(config, best(candidates), history, candidates,
                    evaluator.layerEvaluations(), Duration.ofNanos(System.nanoTime() - start), reason);
            listener.onFinish(result);
            return result;
        }
    }

    private Engine<IntegerGene, Double> engine(BatchEvaluator evaluator) {
        Selector<IntegerGene, Double> tournament = new TournamentSelector<>(config.tournamentSize());
        Selector<IntegerGene, Double> survivors = config.elites() > 0
                ? new EliteSelector<>(config.elites(), tournament) : tournament;
        Engine.Builder<IntegerGene, Double> builder = new Engine.Builder<>(evaluator, codec.encoding())
                .minimizing()
                .populationSize(config.populationSize())
                .offspringSelector(tournament)
                .survivorsSelector(survivors)
                // Selection and alteration on the run's thread: they draw from the registry's scoped generator.
                .executor(Runnable::run);
        Mutator<IntegerGene, Double> mutator = new Mutator<>(config.mutationRate());
        if (config.space().layers() > 1 && config.crossoverRate() > 0) {
            builder.alterers(new SinglePointCrossover<>(config.crossoverRate()), mutator);
        } else {
            // A single gene has no point to cross over at.
            builder.alterers(mutator);
        }
        return builder.build();
    }

    /** The first limit (in {@link GaStopReason} order) that {@code result} reached, or null to go on. */
    private GaStopReason stopReason(EvolutionResult<IntegerGene, Double> result, BatchEvaluator evaluator,
                                    Predicate<? super EvolutionResult<IntegerGene, Double>> steady,
                                    Predicate<Object> inTime) {
        // Every stateful limit sees every generation, whichever of them stops the run.
        boolean steadyReached = steady != null && !steady.test(result);
        boolean timeReached = inTime != null && !inTime.test(result);
        if (result.generation() >= config.generations()) {
            return GaStopReason.GENERATIONS;
        }
        if (steadyReached) {
            return GaStopReason.STEADY_FITNESS;
        }
        if (timeReached) {
            return GaStopReason.WALL_TIME;
        }
        if (config.hasComputeBudget() && evaluator.layerEvaluations() >= config.computeBudget()) {
            return GaStopReason.COMPUTE_BUDGET;
        }
        return null;
    }

    private GenerationStatistics statistics(EvolutionResult<IntegerGene, Double> result, BatchEvaluator evaluator,
                                            long start) {
        ISeq<Phenotype<IntegerGene, Double>> population = result.population();
        Phenotype<IntegerGene, Double> best = result.bestPhenotype();
        double sum = 0;
        int succeeded = 0;
        List<int[]> genotypes = new ArrayList<>(population.size());
        Set<List<Integer>> distinct = new HashSet<>();
        for (Phenotype<IntegerGene, Double> p : population) {
            double f = p.fitness();
            if (f < GaObjective.FAILED_FITNESS) {
                sum += f;
                succeeded++;
            }
            int[] choice = codec.choice(p.genotype());
            genotypes.add(choice);
            distinct.add(Arrays.stream(choice).boxed().toList());
        }
        double bestSoFar = evaluator.evaluated().stream().mapToDouble(CandidateEvaluation::fitness).min()
                .orElse(Double.NaN);
        return new GenerationStatistics((int) result.generation(), best.fitness(), codec.decode(best.genotype()),
                bestSoFar, succeeded == 0 ? Double.NaN : sum / succeeded, population.size() - succeeded,
                distinct.size(), meanHammingDistance(genotypes), evaluator.trainings(), evaluator.layerEvaluations(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Mean over all pairs of the number of layers in which two genotypes differ (0 for fewer than two). */
    static double meanHammingDistance(List<int[]> genotypes) {
        long pairs = 0;
        long differences = 0;
        for (int a = 0; a < genotypes.size(); a++) {
            for (int b = a + 1; b < genotypes.size(); b++) {
                int[] x = genotypes.get(a);
                int[] y = genotypes.get(b);
                for (int i = 0; i < x.length; i++) {
                    if (x[i] != y[i]) {
                        differences++;
                    }
                }
                pairs++;
            }
        }
        return pairs == 0 ? 0 : (double) differences / pairs;
    }

    /** The lowest fitness; the first trained on a tie. */
    private static CandidateEvaluation best(List<CandidateEvaluation> candidates) {
        CandidateEvaluation best = null;
        for (CandidateEvaluation c : candidates) {
            if (best == null || c.fitness() < best.fitness()) {
                best = c;
            }
        }
        if (best == null) {
            throw new IllegalStateException("the GA trained no candidate");
        }
        return best;
    }
}
