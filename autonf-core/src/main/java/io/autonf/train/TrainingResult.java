package io.autonf.train;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of a training run; the flow itself holds the best-on-validation parameters afterwards.
 *
 * @param bestValidationNll mean validation NLL (nats per sample) of the parameters kept
 * @param stepsRun          optimisation steps taken
 * @param bestStep          the step after which the kept parameters were validated
 * @param wallTime          time of the whole run, validation included
 * @param samplesPerSecond  training rows processed per second of {@code wallTime}
 * @param stopReason        why the run ended
 */
public record TrainingResult(double bestValidationNll, int stepsRun, int bestStep, Duration wallTime,
                             double samplesPerSecond, StopReason stopReason) {

    public TrainingResult {
        if (stepsRun < 1 || bestStep < 1 || bestStep > stepsRun) {
            throw new IllegalArgumentException("best step " + bestStep + " must lie in [1, steps run " + stepsRun + "]");
        }
        if (wallTime == null || wallTime.isNegative()) {
            throw new IllegalArgumentException("wall time must be zero or positive, got " + wallTime);
        }
        if (stopReason == null) {
            throw new IllegalArgumentException("stop reason is required");
        }
    }

    /** The result by snake_case name, for run records and model files. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("best_validation_nll", bestValidationNll);
        m.put("steps_run", stepsRun);
        m.put("best_step", bestStep);
        m.put("wall_time_s", wallTime.toNanos() / 1e9);
        m.put("samples_per_s", samplesPerSecond);
        m.put("stop_reason", stopReason.id());
        return m;
    }
}
