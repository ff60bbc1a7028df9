package io.autonf.mlflow;

import java.util.List;
import java.util.Optional;

/**
 * The read side of a run store, implemented by both the tracking server and the local file store so that
 * {@code autonf runs} and {@code autonf compare} work the same on either. A failure to read is a
 * {@link TrackingException} ({@link TrackingUnavailableException} when the store cannot be reached); a filter or
 * order the store does not understand is an {@link IllegalArgumentException} or a refused request.
 */
public interface RunQueries {

    /** Where the runs are read from (a server URI or a directory), for messages; never holds credentials. */
    String location();

    /** The id of the active experiment called {@code name}, if there is one. */
    Optional<String> findExperimentId(String name);

    /**
     * Active runs of {@code experimentId} matching the MLflow filter string {@code filter} (null or blank: all),
     * sorted by {@code orderBy} (an MLflow order clause such as {@code attributes.start_time DESC}; null or
     * blank: newest first), at most {@code maxResults}.
     */
    List<RunRecord> searchRuns(String experimentId, String filter, String orderBy, int maxResults);

    /** The run with id {@code runId}; a {@link TrackingException} when there is none. */
    RunRecord getRun(String runId);

    /** Every logged value of metric {@code key} of run {@code runId}, in logging order; empty when none. */
    List<Metric> metricHistory(String runId, String key);
}
