package io.autonf.mlflow;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Sends metrics, params and tags of one run in as few log-batch calls as MLflow's limits allow
 * ({@link TrackingLimits}). Keys were checked when the values were built, so nothing invalid reaches the
 * server, and no value is lost to a limit:
 * <ul>
 *   <li>a param value longer than {@link TrackingLimits#MAX_PARAM_VALUE_LENGTH} (a tag value longer than
 *       {@link TrackingLimits#MAX_TAG_VALUE_LENGTH}) is stored whole as the artifact
 *       {@code params/<key>.txt} ({@code tags/<key>.txt}), and the param (tag) holds its beginning followed by
 *       {@link #TRUNCATION_MARKER} and that artifact path, so the logged value itself says where the rest is;</li>
 *   <li>calls are cut so that each holds at most 1000 metrics, 100 params, 100 tags, 1000 entries and about
 *       900 kB, keeping the values' order (MLflow keeps the last value of a metric at a step by timestamp, and
 *       order keeps ties stable).</li>
 * </ul>
 */
public final class BatchLogger {

    /** Separates a truncated value's beginning from the artifact path holding the whole value. */
    public static final String TRUNCATION_MARKER = "...[truncated; full value in artifact ";

    private final TrackingStore store;
    private final TrackedRun run;
    private final java.util.Map<String, Long> loggedSteps;
    private final java.util.Set<String> loggedParams;
    /**
     * Keys whose final value (step 0) this logger has sent: a command's result repeats numbers its listeners
     * already logged (an evaluation's density, say), and a key is to have each step once, so the first is kept.
     */
    private final java.util.Set<String> finalKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Params the run holds already (set by whoever created it), left out because MLflow params cannot change. */
    private final Set<String> heldParams;

    public BatchLogger(TrackingStore store, TrackedRun run) {
        this(store, run, Set.of());
    }

    private BatchLogger(TrackingStore store, TrackedRun run, Set<String> heldParams) {
        this.store = Objects.requireNonNull(store, "store");
        this.run = Objects.requireNonNull(run, "run");
        this.loggedSteps = java.util.Map.of();
        this.loggedParams = java.util.Set.of();
        this.heldParams = Set.copyOf(heldParams);
    }

    /**
     * A logger for a resumed run: a metric at a step no larger than its key's last step before the run stopped
     * was logged then and is dropped, so that no step of a metric is logged twice; a param the run already has
     * keeps its first value (the checkpoint has made sure the settings that change the numbers are the same).
     */
    public BatchLogger(TrackingStore store, ReopenedRun reopened) {
        this.store = Objects.requireNonNull(store, "store");
        this.run = reopened.run();
        this.loggedSteps = reopened.lastSteps();
        this.loggedParams = reopened.params().keySet();
        this.heldParams = Set.of();
    }

    /**
     * A logger for the same run that leaves out the params {@code keys}: those of a run someone else created and
     * filled (e.g. {@code mlflow run} logs the MLproject's parameters, some of which share a key with ours, in its
     * own spelling, such as {@code 0.50} for our {@code 0.5}); logging another value would be refused.
     */
    public BatchLogger withoutParams(Set<String> keys) {
        return new BatchLogger(store, run, keys);
    }

    public TrackedRun run() {
        return run;
    }

    public TrackingStore store() {
        return store;
    }

    /** Logs all of them, in as many calls as the limits need; returns the number of calls made. */
    public int log(List<Metric> metrics, List<Param> params, List<Tag> tags) {
        if (metrics.stream().anyMatch(m -> m.step() == 0)) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            metrics = metrics.stream().filter(m -> m.step() != 0 || !finalKeys.contains(m.key()) && seen.add(m.key()))
                    .toList();
        }
        if (!loggedSteps.isEmpty() || !loggedParams.isEmpty()) {
            metrics = metrics.stream().filter(m -> m.step() > loggedSteps.getOrDefault(m.key(), Long.MIN_VALUE)).toList();
            params = params.stream().filter(p -> !loggedParams.contains(p.key())).toList();
            if (metrics.isEmpty() && params.isEmpty() && tags.isEmpty()) {
                return 0;
            }
        }
        List<Param> fittedParams = new ArrayList<>(params.size());
        for (Param p : params) {
            if (heldParams.contains(p.key())) {
                continue;
            }
            fittedParams.add(new Param(p.key(), fit("params", p.key(), p.value(), TrackingLimits.MAX_PARAM_VALUE_LENGTH)));
        }
        List<Tag> fittedTags = new ArrayList<>(tags.size());
        for (Tag t : tags) {
            fittedTags.add(new Tag(t.key(), fit("tags", t.key(), t.value(), TrackingLimits.MAX_TAG_VALUE_LENGTH)));
        }
        List<Batch> batches = split(metrics, fittedParams, fittedTags);
        for (Batch b : batches) {
            store.logBatch(run.runId(), b.metrics, b.params, b.tags);
            for (Metric m : b.metrics) {
                if (m.step() == 0) {
                    finalKeys.add(m.key());
                }
            }
        }
        return batches.size();
    }

    /** The value itself when it fits; otherwise uploads it whole and returns its beginning plus a pointer to it. */
    private String fit(String folder, String key, String value, int maxLength) {
        if (value.length() <= maxLength) {
            return value;
        }
        String artifact = folder + "/" + key + ".txt";
        store.uploadArtifact(run, artifact, value.getBytes(StandardCharsets.UTF_8));
        return truncated(value, artifact, maxLength);
    }

    /** {@code value}'s beginning, the marker and {@code artifact}, in at most {@code maxLength} characters. */
    static String truncated(String value, String artifact, int maxLength) {
        String suffix = TRUNCATION_MARKER + artifact + "]";
        int keep = maxLength - suffix.length();
        // Never cut a surrogate pair in half: the server would see an invalid character.
        if (keep > 0 && Character.isHighSurrogate(value.charAt(keep - 1))) {
            keep--;
        }
        return value.substring(0, keep) + suffix;
    }

    /** The calls that {@link #log} makes, in order (params and tags first, as MLflow records them together). */
    static List<Batch> split(List<Metric> metrics, List<Param> params, List<Tag> tags) {
        List<Batch> batches = new ArrayList<>();
        Batch current = new Batch();
        for (Param p : params) {
            int size = jsonSize(p.key(), p.value());
            if (!current.fitsParam(size)) {
                batches.add(current);
                current = new Batch();
            }
            current.params.add(p);
            current.bytes += size;
        }
        for (Tag t : tags) {
            int size = jsonSize(t.key(), t.value());
            if (!current.fitsTag(size)) {
                batches.add(current);
                current = new Batch();
            }
            current.tags.add(t);
            current.bytes += size;
        }
        for (Metric m : metrics) {
            int size = m.key().length() * 3 + 96;
            if (!current.fitsMetric(size)) {
                batches.add(current);
                current = new Batch();
            }
            current.metrics.add(m);
            current.bytes += size;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** An upper bound of the JSON bytes of {"key":..,"value":..}: UTF-8 takes at most 3 bytes per char, escapes 6. */
    private static int jsonSize(String key, String value) {
        return 6 * (key.length() + value.length()) + 32;
    }

    static final class Batch {
        final List<Metric> metrics = new ArrayList<>();
        final List<Param> params = new ArrayList<>();
        final List<Tag> tags = new ArrayList<>();
        int bytes;

        int entries() {
            return metrics.size() + params.size() + tags.size();
        }

        boolean isEmpty() {
            return entries() == 0;
        }

        private boolean fits(int size) {
            return entries() < TrackingLimits.MAX_ENTRIES_PER_BATCH
                    && (isEmpty() || bytes + size <= TrackingLimits.MAX_BATCH_BYTES);
        }

        boolean fitsParam(int size) {
            return params.size() < TrackingLimits.MAX_PARAMS_PER_BATCH && fits(size);
        }

        boolean fitsTag(int size) {
            return tags.size() < TrackingLimits.MAX_TAGS_PER_BATCH && fits(size);
        }

        boolean fitsMetric(int size) {
            return metrics.size() < TrackingLimits.MAX_METRICS_PER_BATCH && fits(size);
        }
    }
}
