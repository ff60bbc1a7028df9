package io.autonf.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

/**
 * Meter names and the default registry of the engines. Every timer is recorded once per unit of work that takes
 * milliseconds (a training step, a search step, a candidate training, a k-NN pass), never per row, so that the
 * cost of a meter stays far below the work it measures.
 */
public final class AutoNfMeters {

    /** Timer: one optimisation step of {@code Trainer} (batch copy, forward, backward, reduction, Adam). */
    public static final String TRAIN_STEP = "autonf.train.step";
    /** Counter (samples): training rows consumed; its rate is the training throughput in samples/s. */
    public static final String TRAIN_SAMPLES = "autonf.train.samples";
    /** Timer: one validation pass of {@code Trainer}. */
    public static final String TRAIN_VALIDATION = "autonf.train.validation";
    /** Timer tagged {@code phase=theta|alpha}: one θ or α update of {@code AutoNfSearch}. */
    public static final String SEARCH_STEP = "autonf.search.step";
    /** Counter: candidate-layer evaluations times rows spent by {@code AutoNfSearch}. */
    public static final String SEARCH_LAYER_EVALUATIONS = "autonf.search.layer.evaluations";
    /** Timer: one candidate trained from scratch by the GA (its count is the number of trainings). */
    public static final String GA_EVALUATIONS = "autonf.ga.evaluations";
    /** Counter: GA candidates whose architecture had been trained before, answered from the cache. */
    public static final String GA_CACHE_HITS = "autonf.ga.cache.hits";
    /** Timer tagged {@code stage=radii|balls}: the exact k-NN passes of the PRDC metrics. */
    public static final String KNN = "autonf.knn";

    private AutoNfMeters() {
    }

    /** {@code registry}, or Micrometer's global composite registry when it is null. */
    public static MeterRegistry orGlobal(MeterRegistry registry) {
        return registry == null ? Metrics.globalRegistry : registry;
    }
}
