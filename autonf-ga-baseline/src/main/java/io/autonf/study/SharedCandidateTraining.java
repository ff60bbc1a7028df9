package io.autonf.study;

import io.autonf.flow.Architecture;
import io.autonf.ga.BatchEvaluator;
import io.autonf.ga.CandidateTraining;
import io.autonf.ga.TrainingOutcome;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A candidate training with a cache shared by the GA and the scoring of AutoNF's intermediate architectures in one
 * cell, so that an architecture is trained once whoever asks first. The GA's own cache lives for one run; this
 * one sits beneath it. A cached outcome keeps the compute of its training, so the GA is charged for a candidate
 * the scoring trained first exactly as if it had trained it.
 */
final class SharedCandidateTraining implements CandidateTraining {

    private final CandidateTraining training;
    private final ConcurrentHashMap<BatchEvaluator.CacheKey, CompletableFuture<TrainingOutcome>> outcomes =
            new ConcurrentHashMap<>();
    private final AtomicInteger trainings = new AtomicInteger();

    SharedCandidateTraining(CandidateTraining training) {
        if (training == null) {
            throw new IllegalArgumentException("a candidate training is required");
        }
        this.training = training;
    }

    @Override
    public TrainingOutcome train(Architecture architecture, long seed) {
        BatchEvaluator.CacheKey key = new BatchEvaluator.CacheKey(architecture, seed);
        CompletableFuture<TrainingOutcome> mine = new CompletableFuture<>();
        CompletableFuture<TrainingOutcome> existing = outcomes.putIfAbsent(key, mine);
        if (existing != null) {
            return existing.join();
        }
        trainings.incrementAndGet();
        try {
            TrainingOutcome outcome = training.train(architecture, seed);
            mine.complete(outcome);
            return outcome;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** Trainings actually run (cache misses). */
    int trainings() {
        return trainings.get();
    }
}
