package io.autonf.mlflow;

/**
 * MLflow's limits on one log-batch call and on keys and values, as its tracking server enforces them. Checking
 * them here means a bad key fails before anything is sent, with a message that names it.
 */
public final class TrackingLimits {

    public static final int MAX_METRICS_PER_BATCH = 1000;
    public static final int MAX_PARAMS_PER_BATCH = 100;
    public static final int MAX_TAGS_PER_BATCH = 100;
    /** Metrics, params and tags together. */
    public static final int MAX_ENTRIES_PER_BATCH = 1000;
    /**
     * Bytes of one request body. The server's limit is 1 MB; staying below it leaves room for the JSON
     * envelope, whose size the estimate does not count exactly.
     */
    public static final int MAX_BATCH_BYTES = 900_000;
    public static final int MAX_KEY_LENGTH = 250;
    public static final int MAX_PARAM_VALUE_LENGTH = 6000;
    public static final int MAX_TAG_VALUE_LENGTH = 8000;

    private TrackingLimits() {
    }

    /**
     * Checks a metric, param or tag key: at most {@link #MAX_KEY_LENGTH} characters of letters, digits,
     * {@code _ - . / } and space, and a path that normalises to itself (MLflow uses keys as file paths, so
     * {@code a//b}, {@code /a}, {@code a/} and {@code .} or {@code ..} segments are refused).
     */
    public static void requireValidKey(String kind, String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException(kind + " key is empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(kind + " key '" + key.substring(0, 40) + "...' has " + key.length()
                    + " characters, at most " + MAX_KEY_LENGTH + " are allowed");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.' || c == '/' || c == ' ';
            if (!allowed) {
                throw new IllegalArgumentException(kind + " key '" + key + "' contains '" + c + "' at position " + i
                        + "; only letters, digits, '_', '-', '.', '/' and spaces are allowed");
            }
        }
        // Tags such as mlflow.runName are keys too; they contain no slash, so the path checks pass them.
        if (key.startsWith("/") || key.endsWith("/") || key.contains("//")) {
            throw new IllegalArgumentException(kind + " key '" + key
                    + "' is not a plain relative path (leading, trailing or double '/')");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(kind + " key '" + key + "' has a '" + segment + "' path segment");
            }
        }
    }
}
