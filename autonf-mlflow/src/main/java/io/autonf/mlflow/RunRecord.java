package io.autonf.mlflow;

import java.util.Map;

/**
 * A run as a store reports it when read back: what the {@code runs} listing and the regression gate need.
 *
 * @param runId           the store's id of the run
 * @param experimentId    the experiment it belongs to
 * @param runName         its name, empty when it has none
 * @param status          MLflow's spelling of its status: RUNNING, SCHEDULED, FINISHED, FAILED or KILLED
 * @param startTimeMillis when it started, milliseconds since the epoch
 * @param endTimeMillis   when it ended, or null while it runs
 * @param params          its params
 * @param tags            its tags, {@code mlflow.*} ones included
 * @param latestMetrics   per metric key, the latest value (largest step, then latest timestamp), as MLflow picks it
 */
public record RunRecord(String runId, String experimentId, String runName, String status, long startTimeMillis,
                        Long endTimeMillis, Map<String, String> params, Map<String, String> tags,
                        Map<String, Double> latestMetrics) {

    public RunRecord {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("a run record needs a run id");
        }
        runName = runName == null ? "" : runName;
        status = status == null ? "" : status;
        params = Map.copyOf(params);
        tags = Map.copyOf(tags);
        latestMetrics = Map.copyOf(latestMetrics);
    }

    /** The run this one is nested in ({@code mlflow.parentRunId}), or null for a top-level run. */
    public String parentRunId() {
        return tags.get(RunTags.PARENT_RUN_ID);
    }
}
