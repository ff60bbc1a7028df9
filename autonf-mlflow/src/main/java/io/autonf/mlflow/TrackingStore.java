package io.autonf.mlflow;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where runs are recorded. Kept small and free of transport details so that a real tracking server and a
 * local store that needs no server can both implement it. Calls may block; a failure is a
 * {@link TrackingException}. Implementations need not enforce MLflow's per-call limits themselves:
 * {@link BatchLogger} splits and validates before calling {@link #logBatch}.
 */
public interface TrackingStore {

    /** The id of the experiment called {@code name}, creating it when it does not exist yet. */
    String experimentId(String name);

    /**
     * Starts a run in {@code experimentId}. {@code tags} are set at creation (e.g. {@code mlflow.runName},
     * {@code mlflow.parentRunId}); {@code runName} may be null.
     */
    TrackedRun createRun(String experimentId, String runName, Map<String, String> tags, long startTimeMillis);

    /** Records values of one run in one call (the caller keeps it within {@link TrackingLimits}). */
    void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags);

    /** Ends the run with {@code status} at {@code endTimeMillis}. */
    void finishRun(String runId, RunStatus status, long endTimeMillis);

    /** Stores {@code content} as the artifact at relative {@code path} (slash-separated) of the run. */
    void uploadArtifact(TrackedRun run, String path, byte[] content);

    /**
     * Makes an ended (or killed) run RUNNING again so that a resumed command continues it, and reports how far its
     * metrics got. A store that cannot do this says so with a {@link TrackingException}.
     */
    default ReopenedRun reopenRun(String runId) {
        throw new TrackingException(getClass().getSimpleName() + " cannot reopen run " + runId);
    }

    /** The artifact at {@code path} (slash-separated) of {@code run}, or empty when there is none. */
    default Optional<byte[]> findArtifact(TrackedRun run, String path) {
        throw new TrackingException(getClass().getSimpleName() + " cannot read artifact '" + path + "' of run "
                + run.runId());
    }

    /**
     * The existing run {@code runId}, made by someone else (e.g. {@code mlflow run}, which hands its id over in
     * {@code MLFLOW_RUN_ID}), so that values can be logged into it: its experiment and artifact location as the
     * store knows them. Its status is left as it is. A {@link TrackingException} when there is no such run; by
     * default every run id is refused, for stores that only hold the runs they created themselves.
     */
    default TrackedRun attachRun(String runId) {
        throw new TrackingException(getClass().getSimpleName() + " only logs into runs it created; it cannot log into "
                + "run " + runId);
    }
}
