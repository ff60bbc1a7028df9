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
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A GA run with Jenetics over the architectures of a {@link GaConfig#space()}: integer genotypes
 * ({@link ArchitectureCodec}), tournament selection of offspring, tournament selection of survivors after the
 * {@link GaConfig#elites()} best, single-point crossover and per-gene mutation, fitness minimised
 * ({@link GaObjective}) and evaluated by a {@link BatchEvaluator}.
 *
 * <p><b>Reproducibility.</b> Jenetics draws every random number from its {@link RandomRegistry}; the run scopes a
 * {@link SplittableRandom} to its thread for each generation, seeded from {@link GaConfig#seed()} and the
 * generation's number ({@link #generationSeed}), and runs the engine's own steps (selection, alteration) on that
 * thread. Trainings run on the evaluator's workers but are seeded per architecture, so a seed gives the same run
 * with any number of workers. A generator per generation, rather than one for the run, is what lets a run resume
 * from a {@link GaCheckpoint} identically: the next generation's random numbers depend on nothing the checkpoint
 * would have to capture from inside a generator.
 *
 * <p><b>Stopping.</b> The engine is stepped one generation at a time and, after each, tested against: the
 * generation count, Jenetics' steady-fitness rule (the best fitness has not improved for the configured number of
 * generations), the wall-time limit (started before the first generation) and the compute budget. Stepping,
 * rather than limiting Jenetics' stream, matters here: a stream computes a generation before its limit can reject
 * it, and a generation costs a batch of trainings. A limit therefore stops the run after the generation that
 * reached it, whose trainings are already paid for. The two stateful limits are kept here rather than in
 * Jenetics' {@code Limits}, so that a checkpoint can carry their state.
 *
 * <p><b>Checkpoints.</b> {@link #run(GaListener, int, Consumer)} hands a {@link GaCheckpoint} to a sink every few
 * generations and after the last; {@link #resume} goes on from one (see the package documentation).
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
        return execute(null, listener, clock, 0, null);
    }

    /**
     * Runs the GA and hands a {@link GaCheckpoint} to {@code sink} after every {@code checkpointEvery}-th
     * generation and after the last one, each time after the listener has heard of that generation.
     */
    public GaResult run(GaListener listener, int checkpointEvery, Consumer<GaCheckpoint> sink) {
        return run(listener, InstantSource.system(), checkpointEvery, sink);
    }

    /** {@link #run(GaListener, int, Consumer)} with the wall-time limit on {@code clock}. */
    public GaResult run(GaListener listener, InstantSource clock, int checkpointEvery, Consumer<GaCheckpoint> sink) {
        requireCheckpointing(checkpointEvery, sink);
        return execute(null, listener, clock, checkpointEvery, sink);
    }

    /**
     * Goes on with an interrupted run from {@code checkpoint} (taken by a GA with this configuration) and ends as
     * the uninterrupted run would have: same generations, candidates, compute and best. The listener hears
     * {@link GaListener#onResume} instead of {@code onStart}, then only what happens after the checkpoint; no
     * candidate of the checkpoint trains again. From a checkpoint of a finished run, nothing runs and the
     * listener hears nothing but {@code onResume}: the result is rebuilt.
     *
     * @param checkpointEvery as for {@link #run(GaListener, int, Consumer)}; 0 with a null sink for none
     */
    public GaResult resume(GaCheckpoint checkpoint, GaListener listener, int checkpointEvery,
                           Consumer<GaCheckpoint> sink) {
        return resume(checkpoint, listener, InstantSource.system(), checkpointEvery, sink);
    }

    /** {@link #resume(GaCheckpoint, GaListener, int, Consumer)} with the wall-time limit on {@code clock}. */
    public GaResult resume(GaCheckpoint checkpoint, GaListener listener, InstantSource clock, int checkpointEvery,
                           Consumer<GaCheckpoint> sink) {
        if (checkpoint == null) {
            throw new IllegalArgumentException("a checkpoint to resume from is required");
        }
        if (sink != null || checkpointEvery != 0) {
            requireCheckpointing(checkpointEvery, sink);
        }
        String expected = CheckpointJson.fingerprint(config.summary());
        if (!expected.equals(checkpoint.configFingerprint())) {
            throw new IllegalArgumentException("the checkpoint was taken by a GA with another configuration; "
                    + "resume with the same one. Checkpoint: " + checkpoint.configFingerprint() + "; this GA: "
                    + expected);
        }
        return execute(checkpoint, listener, clock, checkpointEvery, sink);
    }

    /**
     * Runs a GA with checkpointing (and resumes it) as {@link #checkpointing} says; the common entry point of the
     * command line and the pipeline.
     */
    public GaResult run(GaListener listener, GaCheckpointing checkpointing) {
        if (checkpointing == null) {
            throw new IllegalArgumentException("checkpointing is required (GaCheckpointing.NONE for none)");
        }
        return checkpointing.resumeFrom() == null
                ? execute(null, listener, InstantSource.system(), checkpointing.every(), checkpointing.sink())
                : resume(checkpointing.resumeFrom(), listener, checkpointing.every(), checkpointing.sink());
    }

    private static void requireCheckpointing(int every, Consumer<GaCheckpoint> sink) {
        if (every < 1 || sink == null) {
            throw new IllegalArgumentException("checkpoints need an interval of at least 1 generation and a sink, "
                    + "got " + every + " and " + sink);
        }
    }

    /** The seed of the random numbers Jenetics draws while evolving {@code generation}. */
    static long generationSeed(long seed, long generation) {
        return new SplittableRandom(seed + 0x9E3779B97F4A7C15L * generation).nextLong();
    }

    private GaResult execute(GaCheckpoint from, GaListener listener, InstantSource clock, int every,
                             Consumer<GaCheckpoint> sink) {
        if (listener == null || clock == null) {
            throw new IllegalArgumentException("a listener (use GaListener.NONE) and a clock are required");
        }
        long start = System.nanoTime();
        Duration before = from == null ? Duration.ZERO : from.wallTime();
        if (from == null) {
            listener.onStart(config);
        } else {
            listener.onResume(from);
            if (from.finished()) {
                return new GaResult(config, best(from.candidates()), from.generations(), from.candidates(),
                        from.layerEvaluations(), from.wallTime(), from.stopReason());
            }
        }
        try (BatchEvaluator evaluator = new BatchEvaluator(codec, objective, config.seed(), config.workers(),
                listener::onCandidate)) {
            Engine<IntegerGene, Double> engine = engine(evaluator);
            SteadyFitness steady = new SteadyFitness(config.steadyGenerations(),
                    from == null ? Double.NaN : from.steadyBest(), from == null ? 0 : from.steadyCount());
            // Started now, so that the first generation, the largest batch of trainings, counts.
            WallTimeLimit inTime = new WallTimeLimit(config, clock,
                    from == null ? Duration.ZERO : from.limitElapsed());
            List<GenerationStatistics> history = new ArrayList<>();
            EvolutionStart<IntegerGene, Double> next;
            if (from == null) {
                next = EvolutionStart.of(ISeq.empty(), 1);
            } else {
                evaluator.restore(from.candidates());
                history.addAll(from.generations());
                next = EvolutionStart.of(population(from), from.completedGenerations() + 1);
            }
            evaluator.generation((int) next.generation());
            GaStopReason reason;
            while (true) {
                EvolutionStart<IntegerGene, Double> current = next;
                // A generator per generation, seeded from the run's seed and the generation: a resumed run draws
                // what the uninterrupted one drew, without having to restore a generator's hidden state.
                EvolutionResult<IntegerGene, Double> result = RandomRegistry.with(
                        new SplittableRandom(generationSeed(config.seed(), current.generation())),
                        random -> engine.evolve(current));
                GenerationStatistics statistics = statistics(result, evaluator, start, before);
                history.add(statistics);
                listener.onGeneration(statistics);
                reason = stopReason(result, evaluator, steady, inTime);
                next = result.next();
                if (reason != null) {
                    break;
                }
                evaluator.generation((int) next.generation());
                if (sink != null && result.generation() % every == 0) {
                    sink.accept(checkpoint(next, evaluator, history, steady, inTime,
                            before.plusNanos(System.nanoTime() - start), null));
                }
            }
            List<CandidateEvaluation> candidates = evaluator.evaluated();
            Duration wallTime = before.plusNanos(System.nanoTime() - start);
            GaResult result = new GaResult(config, best(candidates), history, candidates,
                    evaluator.layerEvaluations(), wallTime, reason);
            listener.onFinish(result);
            if (sink != null) {
                sink.accept(checkpoint(next, evaluator, history, steady, inTime, wallTime, reason));
            }
            return result;
        }
    }

    private ISeq<Phenotype<IntegerGene, Double>> population(GaCheckpoint from) {
        List<Phenotype<IntegerGene, Double>> members = new ArrayList<>();
        for (GaCheckpoint.Member m : from.population()) {
            members.add(Phenotype.of(codec.genotype(m.choice()), m.birthGeneration(), m.fitness()));
        }
        return ISeq.of(members);
    }

    private GaCheckpoint checkpoint(EvolutionStart<IntegerGene, Double> next, BatchEvaluator evaluator,
                                    List<GenerationStatistics> history, SteadyFitness steady, WallTimeLimit inTime,
                                    Duration wallTime, GaStopReason reason) {
        List<GaCheckpoint.Member> population = new ArrayList<>();
        for (Phenotype<IntegerGene, Double> p : next.population()) {
            population.add(new GaCheckpoint.Member(codec.choice(p.genotype()), p.generation(), p.fitness()));
        }
        return new GaCheckpoint(CheckpointJson.fingerprint(config.summary()), population, evaluator.evaluated(),
                history, steady.best, steady.count, wallTime, inTime.elapsed, reason);
    }

    /**
     * Jenetics' steady-fitness limit with its state in view, so that a checkpoint can keep it: the run stops once
     * the best fitness of a generation has not improved on the best so far for more than {@code generations}
     * generations in a row, counting the generation that set it.
     */
    private static final class SteadyFitness {
        private final int generations;
        private double best;
        private int count;

        SteadyFitness(int generations, double best, int count) {
            this.generations = generations;
            this.best = best;
            this.count = count;
        }

        /** False once the best has held too long; a limit of 0 never stops. */
        boolean test(double generationBest) {
            if (Double.isNaN(best) || generationBest < best) {
                best = generationBest;
                count = 1;
            } else {
                count++;
            }
            return generations <= 0 || count <= generations;
        }
    }

    /**
     * Jenetics' execution-time limit, started at construction, with the time an interrupted run had already
     * counted added, and the last elapsed time kept for a checkpoint (reading the clock for it would move a test
     * clock).
     */
    private static final class WallTimeLimit {
        private final Duration limit;
        private final InstantSource clock;
        private final Instant start;
        private final Duration before;
        private Duration elapsed;

        WallTimeLimit(GaConfig config, InstantSource clock, Duration before) {
            this.limit = config.hasWallTimeLimit() ? config.wallTimeLimit() : null;
            this.clock = clock;
            this.before = before;
            this.elapsed = before;
            this.start = limit == null ? null : clock.instant();
        }

        /** False once the limit has passed; always true without a limit (and the clock is not read). */
        boolean test() {
            if (limit == null) {
                return true;
            }
            elapsed = before.plus(Duration.between(start, clock.instant()));
            return elapsed.compareTo(limit) < 0;
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
                                    SteadyFitness steady, WallTimeLimit inTime) {
        // Every stateful limit sees every generation, whichever of them stops the run.
        boolean steadyReached = !steady.test(result.bestFitness());
        boolean timeReached = !inTime.test();
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
                                            long start, Duration before) {
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
                before.plusNanos(System.nanoTime() - start));
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
