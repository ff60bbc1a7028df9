package io.autonf.mlflow;

/** One run tag; values longer than {@link TrackingLimits#MAX_TAG_VALUE_LENGTH} are handled by {@link BatchLogger}. */
public record Tag(String key, String value) {

    public Tag {
        TrackingLimits.requireValidKey("tag", key);
        if (value == null) {
            throw new IllegalArgumentException("tag '" + key + "' has no value");
        }
    }
}
