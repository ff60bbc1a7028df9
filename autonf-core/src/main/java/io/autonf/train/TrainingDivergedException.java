package io.autonf.train;

/**
 * Training produced a NaN or infinite loss, gradient or validation NLL. The flow has been reset to the best
 * parameters validated before the failure, if there were any.
 */
public final class TrainingDivergedException extends RuntimeException {

    private final int step;

    public TrainingDivergedException(int step, String what, double value) {
        super("training diverged at step " + step + ": " + what + " is " + value
                + " (try a lower learning rate or a tighter clip norm)");
        this.step = step;
    }

    /** The step (counted from 1) whose loss, gradient or validation was not finite. */
    public int step() {
        return step;
    }
}
