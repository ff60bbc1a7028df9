package io.autonf.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to train a flow. Start from {@link #DEFAULTS} and change fields with the {@code withX} copies.
 *
 * @param batchSize           rows per optimisation step
 * @param maxSteps            optimisation steps at most
 * @param learningRate        Adam's initial learning rate
 * @param minLearningRate     the rate the cosine schedule anneals to
 * @param warmupSteps         steps of linear warm-up before the cosine decay (0 for none)
 * @param clipNorm            global gradient-norm bound; {@code Double.POSITIVE_INFINITY} disables clipping
 * @param weightDecay         L2 weight decay added to the gradient
 * @param validateEvery       steps between validations (there is always one after the last step)
 * @param validationBatchSize rows per evaluation pass on validation and test data
 * @param patience            validations without improvement before training stops early
 * @param seed                seed of the shuffling random generator when the caller passes none
 * @param workerThreads       threads that share each step's batch (1 runs everything on the caller's thread)
 */
public record TrainingConfig(
        int batchSize,
        int maxSteps,
        double learningRate,
        double minLearningRate,
        int warmupSteps,
        double clipNorm,
        double weightDecay,
        int validateEvery,
        int validationBatchSize,
        int patience,
        long seed,
        int workerThreads) {

    // Compile-time constants so that command-line option descriptions can show them.
    public static final int DEFAULT_BATCH_SIZE = 512;
    public static final int DEFAULT_MAX_STEPS = 10_000;
    public static final double DEFAULT_LEARNING_RATE = 5e-4;
    public static final double DEFAULT_MIN_LEARNING_RATE = 0.0;
    public static final int DEFAULT_WARMUP_STEPS = 0;
    public static final double DEFAULT_CLIP_NORM = 5.0;
    public static final double DEFAULT_WEIGHT_DECAY = 0.0;
    public static final int DEFAULT_VALIDATE_EVERY = 250;
    public static final int DEFAULT_VALIDATION_BATCH_SIZE = 4096;
    public static final int DEFAULT_PATIENCE = 20;
    public static final long DEFAULT_SEED = 0L;
    public static final int DEFAULT_WORKER_THREADS = 1;

    /**
     * The nflows tabular settings (batch 512, lr 5e-4 annealed to 0, clip 5) with a shorter default run; one
     * worker thread, so that a default run is the same on every machine.
     */
    public static final TrainingConfig DEFAULTS = new TrainingConfig(DEFAULT_BATCH_SIZE, DEFAULT_MAX_STEPS,
            DEFAULT_LEARNING_RATE, DEFAULT_MIN_LEARNING_RATE, DEFAULT_WARMUP_STEPS, DEFAULT_CLIP_NORM,
            DEFAULT_WEIGHT_DECAY, DEFAULT_VALIDATE_EVERY, DEFAULT_VALIDATION_BATCH_SIZE, DEFAULT_PATIENCE,
            DEFAULT_SEED, DEFAULT_WORKER_THREADS);

    /** More threads than this would only queue on any machine this runs on. */
    public static final int MAX_WORKER_THREADS = 256;

    public TrainingConfig {
        requirePositive(batchSize, "batch size");
        requirePositive(maxSteps, "max steps");
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive finite number, got " + learningRate);
        }
        if (!(minLearningRate >= 0) || minLearningRate > learningRate) {
            throw new IllegalArgumentException(
                    "minimum learning rate must lie in [0, learning rate " + learningRate + "], got " + minLearningRate);
        }
        if (warmupSteps < 0 || warmupSteps >= maxSteps) {
            throw new IllegalArgumentException("warm-up steps must lie in [0, max steps " + maxSteps + "), got " + warmupSteps);
        }
        if (!(clipNorm > 0)) {
            throw new IllegalArgumentException("clip norm must be positive (infinite disables clipping), got " + clipNorm);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be zero or a positive finite number, got " + weightDecay);
        }
        requirePositive(validateEvery, "validation interval");
        requirePositive(validationBatchSize, "validation batch size");
        requirePositive(patience, "patience");
        if (workerThreads < 1 || workerThreads > MAX_WORKER_THREADS) {
            throw new IllegalArgumentException(
                    "worker threads must lie in [1, " + MAX_WORKER_THREADS + "], got " + workerThreads);
        }
    }

    private static void requirePositive(int value, String what) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
    }

    /** Cosine annealing from the learning rate to the minimum over {@link #maxSteps}, after the warm-up. */
    public LearningRateSchedule schedule() {
        return new CosineSchedule(learningRate, minLearningRate, maxSteps, warmupSteps);
    }

    /** The settings by snake_case name, for run records and model files. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch_size", batchSize);
        m.put("max_steps", maxSteps);
        m.put("learning_rate", learningRate);
        m.put("min_learning_rate", minLearningRate);
        m.put("warmup_steps", warmupSteps);
        m.put("clip_norm", clipNorm);
        m.put("weight_decay", weightDecay);
        m.put("validate_every", validateEvery);
        m.put("validation_batch_size", validationBatchSize);
        m.put("patience", patience);
        m.put("seed", seed);
        m.put("worker_threads", workerThreads);
        return m;
    }

    public TrainingConfig withBatchSize(int v) {
        return new TrainingConfig(v, maxSteps, learningRate, minLearningRate, warmupSteps, clipNorm, weightDecay,
                validateEvery, validationBatchSize, patience, seed, workerThreads);
    }

    public TrainingConfig withMaxSteps(int v) {
        return new TrainingConfig(batchSize, v, learningRate, minLearningRate, warmupSteps, clipNorm, weightDecay,
                validateEvery, validationBatchSize, patience, seed, workerThreads);
    }

    public TrainingConfig withLearningRate(double v) {
        return new TrainingConfig(batchSize, maxSteps, v, minLearningRate, warmupSteps, clipNorm, weightDecay,
                validateEvery, validationBatchSize, patience, seed, workerThreads);
    }

    public TrainingConfig withMinLearningRate(double v) {
        return new TrainingConfig(batchSize, maxSteps, learningRate, v, warmupSteps, clipNorm, weightDecay,
                validateEvery, validationBatchSize, patience, seed, workerThreads);
    }

    public TrainingConfig withWarmupSteps(int v) {
        return new TrainingConfig(batchSize, maxSteps, learningRate, minLearningRate, v, clipNorm, weightDecay,
                validateEvery, validationBatchSize, patience, seed, workerThreads);
    }

    public TrainingConfig withClipNorm(double v) {
        return new TrainingConfig(batchSize, maxSteps, learningRate, minLearningRate, warmupSteps, v, weightDecay,
                validateEvery, validationBatchSize, patience, seed, workerThreads);
    }

    public TrainingConfig withWeightDecay(double v) {
        return new TrainingConfig(batchSize, maxSteps, learningRate, minLearningRate, warmupSteps, clipNorm, v,
                validateEvery, validationBatchSize, patience, seed, workerThreads);
    }

    public TrainingConfig withValidateEvery(int v) {
        return new TrainingConfig(batchSize, maxSteps, learningRate, minLearningRate, warmupSteps, clipNorm, weightDecay,
                v, validationBatchSize, patience, seed, workerThreads);
    }

    public TrainingConfig withValidationBatchSize(int v) {
        return new TrainingConfig(batchSize, maxSteps, learningRate, minLearningRate, warmupSteps, clipNorm, weightDecay,
                validateEvery, v, patience, seed, workerThreads);
    }

    public TrainingConfig withPatience(int v) {
        return new TrainingConfig(batchSize, maxSteps, learningRate, minLearningRate, warmupSteps, clipNorm, weightDecay,
                validateEvery, validationBatchSize, v, seed, workerThreads);
    }

    public TrainingConfig withSeed(long v) {
        return new TrainingConfig(batchSize, maxSteps, learningRate, minLearningRate, warmupSteps, clipNorm, weightDecay,
                validateEvery, validationBatchSize, patience, v, workerThreads);
    }

    public TrainingConfig withWorkerThreads(int v) {
        return new TrainingConfig(batchSize, maxSteps, learningRate, minLearningRate, warmupSteps, clipNorm, weightDecay,
                validateEvery, validationBatchSize, patience, seed, v);
    }
}
