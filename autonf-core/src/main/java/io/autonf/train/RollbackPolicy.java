package io.autonf.train;

/**
 * What to do when a step's loss or gradient norm is NaN or infinite: undo the step (go back to the last state
 * whose step was finite), multiply the learning rate by {@code learningRateFactor} for the rest of the run, and
 * try again, at most {@code maxRollbacks} times in all; one more such step fails the run.
 *
 * @param maxRollbacks       rollbacks allowed per run (0: the first non-finite step fails it)
 * @param learningRateFactor in (0, 1): applied to the learning rate at every rollback, cumulatively
 */
public record RollbackPolicy(int maxRollbacks, double learningRateFactor) {

    public static final int DEFAULT_MAX_ROLLBACKS = 3;
    public static final double DEFAULT_LEARNING_RATE_FACTOR = 0.5;

    /** Three rollbacks, halving the learning rate each time. */
    public static final RollbackPolicy DEFAULT = new RollbackPolicy(DEFAULT_MAX_ROLLBACKS, DEFAULT_LEARNING_RATE_FACTOR);

    /** No rollback: the first non-finite step fails the run. */
    public static final RollbackPolicy NONE = new RollbackPolicy(0, DEFAULT_LEARNING_RATE_FACTOR);

    public RollbackPolicy {
        if (maxRollbacks < 0) {
            throw new IllegalArgumentException("max rollbacks must be zero or more, got " + maxRollbacks);
        }
        if (!(learningRateFactor > 0 && learningRateFactor < 1)) {
            throw new IllegalArgumentException("the rollback learning-rate factor must lie in (0, 1), got "
                    + learningRateFactor);
        }
    }

    public RollbackPolicy withMaxRollbacks(int v) {
        return new RollbackPolicy(v, learningRateFactor);
    }

    /**
     * The exception for a non-finite {@code value} of {@code what} at {@code step} once {@code rollbacks} were
     * spent: it names the step, the value and what was tried.
     */
    public TrainingDivergedException exhausted(int step, String what, double value, int rollbacks) {
        return new TrainingDivergedException(step, what, value, rollbacks);
    }
}
