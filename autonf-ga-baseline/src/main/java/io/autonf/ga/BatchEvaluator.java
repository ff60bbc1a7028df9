package io.autonf.ga;

import io.autonf.flow.Architecture;
import io.autonf.telemetry.AutoNfMeters;
import io.autonf.train.TrainingConfig;
import io.jenetics.IntegerGene;
import io.jenetics.Phenotype;
import io.jenetics.engine.Evaluator;
import io.jenetics.util.ISeq;
import io.jenetics.util.Seq;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Jenetics' population evaluator for the GA: given a population, it trains the architectures that are new to the
 * run, in parallel on up to {@code workers} threads, and gives every phenotype its fitness.
 *
 * <ul>
 *   <li><b>Each architecture trains at most once per run.</b> Results are cached by (architecture, training
 *       seed); phenotypes already evaluated keep their fitness, and genotypes that decode to one architecture
 *       (identity layers in different places) share one training.</li>
 *   <li><b>Order-independent.</b> A candidate's training seed is a function of the run's seed and its architecture
 *       ({@link GaObjective#candidateSeed}); new architectures are numbered in their order of first appearance in
 *       the population and recorded in that order once all have finished, so the results, the record and the
 *       listener's calls are the same with any number of workers.</li>
 *   <li><b>Failures</b> score {@link GaObjective#FAILED_FITNESS} and are recorded as failed; the run goes on.</li>
 *   <li><b>Meters:</b> every training is timed as {@value AutoNfMeters#GA_EVALUATIONS}, every phenotype answered
 *       without one (cached, or sharing a training in its generation) counted in
 *       {@value AutoNfMeters#GA_CACHE_HITS}, in the registry given (Micrometer's global one by default).</li>
 * </ul>
 *
 * <p>Called by the engine on one thread at a time; the counters are read on that thread between generations.
 */
public final class BatchEvaluator implements Evaluator<IntegerGene, Double>, AutoCloseable {

    /** What the cache is keyed by: an architecture trained with a seed. */
    public record CacheKey(Architecture architecture, long seed) {
    }

    private final ArchitectureCodec codec;
    private final GaObjective objective;
    private final long seed;
    private final Consumer<CandidateEvaluation> onCandidate;
    private final ExecutorService pool;
    private final Map<CacheKey, CandidateEvaluation> cache = new HashMap<>();
    private final List<CandidateEvaluation> evaluated = new ArrayList<>();
    private int generation = 1;
    private long layerEvaluations;
    private int failures;
    private final Timer trainingTimer;
    private final Counter cacheHits;

    /**
     * @param seed        the run's seed, from which every candidate's training seed is derived
     * @param workers     candidates trained at once (1: on the engine's thread)
     * @param onCandidate told of every candidate once trained, in index order, on the engine's thread
     */
    public BatchEvaluator(ArchitectureCodec codec, GaObjective objective, long seed, int workers,
                          Consumer<CandidateEvaluation> onCandidate) {
        this(codec, objective, seed, workers, onCandidate, null);
    }

    /** As the other constructor, recording meters in {@code registry} (the global one when null). */
    public BatchEvaluator(ArchitectureCodec codec, GaObjective objective, long seed, int workers,
                          Consumer<CandidateEvaluation> onCandidate, MeterRegistry registry) {
        if (codec == null || objective == null || onCandidate == null) {
            throw new IllegalArgumentException("the evaluator needs a codec, an objective and a candidate consumer");
        }
        if (workers < 1 || workers > TrainingConfig.MAX_WORKER_THREADS) {
            throw new IllegalArgumentException("workers must lie in [1, " + TrainingConfig.MAX_WORKER_THREADS
                    + "], got " + workers);
        }
        this.codec = codec;
        this.objective = objective;
        this.seed = seed;
        this.onCandidate = onCandidate;
        MeterRegistry meters = AutoNfMeters.orGlobal(registry);
        this.trainingTimer = Timer.builder(AutoNfMeters.GA_EVALUATIONS).description("one GA candidate trained")
                .register(meters);
        this.cacheHits = Counter.builder(AutoNfMeters.GA_CACHE_HITS)
                .description("GA candidates answered without a training").register(meters);
        this.pool = workers == 1 ? null : Executors.newFixedThreadPool(workers, new WorkerThreads());
    }

    /** The generation that candidates trained from now on belong to (from 1). */
    public void generation(int generation) {
        if (generation < 1) {
            throw new IllegalArgumentException("generations count from 1, got " + generation);
        }
        this.generation = generation;
    }

    /**
     * Fills a new evaluator with the trainings of an interrupted run (a {@link GaCheckpoint}'s candidates), so that
     * none of them trains again and new candidates go on numbering after them. The listener is not told of them.
     *
     * @param candidates every candidate the run trained, in index order
     */
    public void restore(List<CandidateEvaluation> candidates) {
        if (!evaluated.isEmpty()) {
            throw new IllegalStateException("an evaluator can only be restored before it trains anything");
        }
        for (CandidateEvaluation e : candidates) {
            if (e.index() != evaluated.size()) {
                throw new IllegalArgumentException("restored candidates must be in index order; expected "
                        + evaluated.size() + ", got " + e.index());
            }
            CacheKey key = new CacheKey(e.architecture(), e.seed());
            if (!key.equals(key(e.architecture()))) {
                throw new IllegalArgumentException("candidate " + e.index() + " (" + e.architecture() + ") was "
                        + "trained with seed " + e.seed() + ", not this run's seed for it: another run's checkpoint?");
            }
            cache.put(key, e);
            evaluated.add(e);
            layerEvaluations += e.layerEvaluations();
            if (e.failed()) {
                failures++;
            }
        }
    }

    @Override
    public ISeq<Phenotype<IntegerGene, Double>> eval(Seq<Phenotype<IntegerGene, Double>> population) {
        Map<CacheKey, Architecture> pending = new LinkedHashMap<>();
        List<CacheKey> keys = new ArrayList<>(population.size());
        for (Phenotype<IntegerGene, Double> p : population) {
            if (p.isEvaluated()) {
                keys.add(null);
                continue;
            }
            CacheKey key = key(codec.decode(p.genotype()));
            keys.add(key);
            if (cache.containsKey(key) || pending.putIfAbsent(key, key.architecture()) != null) {
                cacheHits.increment();
            }
        }
        for (CandidateEvaluation e : train(pending)) {
            cache.put(new CacheKey(e.architecture(), e.seed()), e);
            evaluated.add(e);
            layerEvaluations += e.layerEvaluations();
            if (e.failed()) {
                failures++;
            }
            onCandidate.accept(e);
        }
        List<Phenotype<IntegerGene, Double>> out = new ArrayList<>(population.size());
        for (int i = 0; i < population.size(); i++) {
            Phenotype<IntegerGene, Double> p = population.get(i);
            out.add(p.isEvaluated() ? p : p.withFitness(cache.get(keys.get(i)).fitness()));
        }
        return ISeq.of(out);
    }

    /** Trains the pending candidates, numbered in their order; returns them in that order. */
    private List<CandidateEvaluation> train(Map<CacheKey, Architecture> pending) {
        List<CacheKey> keys = List.copyOf(pending.keySet());
        int first = evaluated.size();
        List<CandidateEvaluation> results = new ArrayList<>(keys.size());
        if (pool == null || keys.size() == 1) {
            for (int i = 0; i < keys.size(); i++) {
                results.add(evaluate(keys.get(i), first + i));
            }
            return results;
        }
        List<Future<CandidateEvaluation>> futures = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            CacheKey key = keys.get(i);
            int index = first + i;
            futures.add(pool.submit(() -> evaluate(key, index)));
        }
        try {
            for (Future<CandidateEvaluation> f : futures) {
                results.add(f.get());
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the GA's evaluation was interrupted", e);
        } catch (ExecutionException e) {
            // evaluate never throws for a failed training; anything else is a bug worth surfacing.
            futures.forEach(f -> f.cancel(true));
            throw new IllegalStateException("a candidate evaluation failed: " + e.getCause(), e.getCause());
        }
        return results;
    }

    private CandidateEvaluation evaluate(CacheKey key, int index) {
        long start = System.nanoTime();
        try {
            return objective.evaluate(key.architecture(), key.seed(), index, generation);
        } finally {
            trainingTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** The cache key of {@code architecture} in this run. */
    public CacheKey key(Architecture architecture) {
        return new CacheKey(architecture, GaObjective.candidateSeed(seed, architecture));
    }

    /** The cached evaluation of {@code architecture}, or null if it has not been trained. */
    public CandidateEvaluation cached(Architecture architecture) {
        return cache.get(key(architecture));
    }

    /** Trainings so far (one per distinct architecture). */
    public int trainings() {
        return evaluated.size();
    }

    /** Of those, how many failed. */
    public int failures() {
        return failures;
    }

    /** Layer evaluations of every training so far. */
    public long layerEvaluations() {
        return layerEvaluations;
    }

    /** Every candidate trained so far, in index order. */
    public List<CandidateEvaluation> evaluated() {
        return List.copyOf(evaluated);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Daemon threads with recognisable names, so a forgotten evaluator never keeps the JVM alive. */
    private static final class WorkerThreads implements java.util.concurrent.ThreadFactory {
        private static final AtomicInteger POOLS = new AtomicInteger();
        private final int pool = POOLS.incrementAndGet();
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "autonf-ga-" + pool + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
