package io.autonf.cli;

import io.autonf.train.TrainingConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The budget with which a search's result, and the reference, are trained from scratch (a picocli mixin shared by
 * {@code search} and {@code ga}: both retrain alike, so that their results compare).
 */
final class RetrainingOptions {

    static final int DEFAULT_RETRAIN_STEPS = 3000;
    static final double DEFAULT_RETRAIN_LR = 1e-3;
    static final int DEFAULT_VALIDATE_EVERY = 100;
    static final int DEFAULT_PATIENCE = 5;

    @Option(names = "--retrain-steps", paramLabel = "N", description = "Training steps of the found architecture and "
            + "of the reference (default: ${DEFAULT-VALUE}).")
    int retrainSteps = DEFAULT_RETRAIN_STEPS;

    @Option(names = "--retrain-lr", paramLabel = "RATE", description = "Their learning rate, cosine-annealed (default: ${DEFAULT-VALUE}).")
    double retrainLearningRate = DEFAULT_RETRAIN_LR;

    @Option(names = "--val-every", paramLabel = "N", description = "Steps between their validations (default: ${DEFAULT-VALUE}).")
    int validateEvery = DEFAULT_VALIDATE_EVERY;

    @Option(names = "--patience", paramLabel = "N", description = "Validations without improvement before they stop (default: ${DEFAULT-VALUE}).")
    int patience = DEFAULT_PATIENCE;

    /**
     * The retraining budget on batches of {@code batch} rows, seeded with {@code seed}, on {@code threads} threads;
     * a value the library rejects is bad input of {@code command}, named by its option where one is at fault.
     */
    TrainingConfig retraining(CommandLine command, int batch, long seed, int threads) {
        TrainingConfig steps = ParameterChecks.option(command, "--retrain-steps",
                () -> TrainingConfig.DEFAULTS.withMaxSteps(retrainSteps));
        TrainingConfig rate = ParameterChecks.option(command, "--retrain-lr",
                () -> steps.withLearningRate(retrainLearningRate));
        return ParameterChecks.settings(command, () -> rate.withBatchSize(batch).withValidateEvery(validateEvery)
                .withPatience(patience).withSeed(seed).withWorkerThreads(threads));
    }
}
