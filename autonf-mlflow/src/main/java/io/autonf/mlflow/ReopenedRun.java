package io.autonf.mlflow;

import java.util.Map;

/**
 * A run made RUNNING again to continue it, and how far each of its metrics got before it stopped.
 *
 * @param run       where to keep logging (its experiment and artifact URI as the store reports them)
 * @param lastSteps per metric key, the largest step logged so far; a resumed command logs a key's steps only above
 *                  it, so that no step of a metric is logged twice
 * @param params    the params it already has; MLflow params cannot change, and those that a resumed command
 *                  may see differently (the default memory budget follows the JVM's heap) keep their first value
 */
public record ReopenedRun(TrackedRun run, Map<String, Long> lastSteps, Map<String, String> params) {

    public ReopenedRun {
        if (run == null || lastSteps == null || params == null) {
            throw new IllegalArgumentException("a reopened run needs the run, its metrics' last steps and its params");
        }
        lastSteps = Map.copyOf(lastSteps);
        params = Map.copyOf(params);
    }
}
