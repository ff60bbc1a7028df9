package io.autonf.mlflow;

/**
 * One metric value at one step.
 *
 * @param key       metric name, checked by {@link TrackingLimits#requireValidKey}
 * @param value     any double; NaN and infinities are sent in MLflow's JSON spelling
 * @param timestamp milliseconds since the epoch
 * @param step      the step the value belongs to (x axis of MLflow's charts)
 */
public record Metric(String key, double value, long timestamp, long step) {

    public Metric {
        TrackingLimits.requireValidKey("metric", key);
    }
}
