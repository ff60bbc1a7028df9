package io.autonf.train;

/** Why training ended normally (a diverged run throws {@link TrainingDivergedException} instead). */
public enum StopReason {
    /** All configured steps ran. */
    MAX_STEPS,
    /** Validation NLL did not improve for {@code patience} validations. */
    EARLY_STOPPED;

    /** The lower-case name used in run records, e.g. {@code early_stopped}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
