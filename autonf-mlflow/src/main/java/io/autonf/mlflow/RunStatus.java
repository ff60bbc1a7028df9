package io.autonf.mlflow;

/** How a run ended, in MLflow's terms. */
public enum RunStatus {
    FINISHED,
    FAILED,
    KILLED
}
