package io.autonf.ga;

import java.time.Duration;

/**
 * What training one candidate gave.
 *
 * @param validationNll    mean validation NLL (nats per sample) of the parameters kept (NaN when it failed)
 * @param stepsRun         optimisation steps taken (up to the failure, for a failed one)
 * @param layerEvaluations compute spent, in layer evaluations (see the package documentation)
 * @param wallTime         time of the training
 * @param failure          why it failed, or null when it did not
 */
public record TrainingOutcome(double validationNll, int stepsRun, long layerEvaluations, Duration wallTime,
                              String failure) {

    public TrainingOutcome {
        if (stepsRun < 0 || layerEvaluations < 0) {
            throw new IllegalArgumentException("steps and layer evaluations cannot be negative, got " + stepsRun
                    + " and " + layerEvaluations);
        }
        if (wallTime == null || wallTime.isNegative()) {
            throw new IllegalArgumentException("wall time must be zero or positive, got " + wallTime);
        }
        if (failure == null && !Double.isFinite(validationNll)) {
            failure = "the validation NLL is " + validationNll;
        }
    }

    public static TrainingOutcome succeeded(double validationNll, int stepsRun, long layerEvaluations,
                                            Duration wallTime) {
        return new TrainingOutcome(validationNll, stepsRun, layerEvaluations, wallTime, null);
    }

    public static TrainingOutcome failed(String failure, int stepsRun, long layerEvaluations, Duration wallTime) {
        if (failure == null || failure.isBlank()) {
            throw new IllegalArgumentException("a failed training needs a reason");
        }
        return new TrainingOutcome(Double.NaN, stepsRun, layerEvaluations, wallTime, failure);
    }

    /** True when training failed (an exception, or a validation NLL that is not finite). */
    public boolean failed() {
        return failure != null;
    }
}
