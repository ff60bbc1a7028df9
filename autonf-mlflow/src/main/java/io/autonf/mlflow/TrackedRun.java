package io.autonf.mlflow;

/**
 * A run as the store created it.
 *
 * @param runId        the store's id of the run
 * @param experimentId the experiment it belongs to
 * @param artifactUri  where its artifacts live, e.g. {@code mlflow-artifacts:/1/<run>/artifacts}
 */
public record TrackedRun(String runId, String experimentId, String artifactUri) {

    public TrackedRun {
        if (runId == null || runId.isBlank() || experimentId == null || experimentId.isBlank()) {
            throw new IllegalArgumentException("a run needs a run id and an experiment id, got '" + runId + "' and '"
                    + experimentId + "'");
        }
        if (artifactUri == null) {
            throw new IllegalArgumentException("run " + runId + " has no artifact URI");
        }
    }
}
