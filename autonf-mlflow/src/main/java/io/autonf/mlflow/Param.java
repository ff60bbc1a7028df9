package io.autonf.mlflow;

/** One run parameter; values longer than {@link TrackingLimits#MAX_PARAM_VALUE_LENGTH} are handled by {@link BatchLogger}. */
public record Param(String key, String value) {

    public Param {
        TrackingLimits.requireValidKey("param", key);
        if (value == null) {
            throw new IllegalArgumentException("param '" + key + "' has no value");
        }
    }
}
