package io.autonf.ga;

import java.util.Locale;

/** Why a GA run ended; when several limits are reached by the same generation, the first listed here. */
public enum GaStopReason {
    /** The configured number of generations ran. */
    GENERATIONS,
    /** The best fitness did not improve for the configured number of generations. */
    STEADY_FITNESS,
    /** The wall-time limit passed. */
    WALL_TIME,
    /** The trainings reached the compute budget in layer evaluations. */
    COMPUTE_BUDGET;

    /** The lower-case name used in run records, e.g. {@code steady_fitness}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
