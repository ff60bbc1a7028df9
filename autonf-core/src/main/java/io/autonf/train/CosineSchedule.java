package io.autonf.train;

/**
 * Cosine annealing from {@code initialRate} to {@code minRate} over {@code totalSteps}, after an optional linear
 * warm-up: step {@code t < warmupSteps} uses {@code initialRate * (t + 1) / warmupSteps}, later steps use
 * {@code minRate + (initialRate - minRate) / 2 * (1 + cos(pi * (t - W) / (T - W)))}. Steps past the end stay at
 * {@code minRate}.
 *
 * <p>Warm-up ends on {@code initialRate} rather than starting at zero, so that no step is wasted with a zero
 * rate; the cosine part then starts exactly where the warm-up ended.
 */
public record CosineSchedule(double initialRate, double minRate, long totalSteps, long warmupSteps)
        implements LearningRateSchedule {

    public CosineSchedule {
        if (!(initialRate > 0) || Double.isInfinite(initialRate)) {
            throw new IllegalArgumentException("initial learning rate must be a positive finite number, got " + initialRate);
        }
        if (!(minRate >= 0) || minRate > initialRate) {
            throw new IllegalArgumentException("minimum learning rate must lie in [0, " + initialRate + "], got " + minRate);
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("a schedule needs at least one step, got " + totalSteps);
        }
        if (warmupSteps < 0 || warmupSteps >= totalSteps) {
            throw new IllegalArgumentException(
                    "warm-up steps must lie in [0, " + totalSteps + "), got " + warmupSteps);
        }
    }

    @Override
    public double rate(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be zero or more, got " + step);
        }
        if (step < warmupSteps) {
            return initialRate * (step + 1) / warmupSteps;
        }
        if (step >= totalSteps) {
            return minRate;
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return minRate + (initialRate - minRate) / 2 * (1 + Math.cos(Math.PI * progress));
    }
}
