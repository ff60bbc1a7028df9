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

    /** A failure after {@code rollbacks} rollbacks, each with a lower learning rate, did not avoid it. */
    public TrainingDivergedException(int step, String what, double value, int rollbacks) {
        super("training diverged at step " + step + ": " + what + " is " + value + (rollbacks == 0 ? ""
                : " again after " + rollbacks + " rollback" + (rollbacks == 1 ? "" : "s") + " to the last good "
                + "state with a lower learning rate") + " (try a lower learning rate or a tighter clip norm)");
        this.step = step;
    }

    /** The step (counted from 1) whose loss, gradient or validation was not finite. */
    public int step() {
        return step;
    }
}
