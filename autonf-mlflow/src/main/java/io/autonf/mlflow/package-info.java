/**
 * Tracking AutoNF runs in MLflow: a transport-agnostic {@link io.autonf.mlflow.TrackingStore}, its REST
 * implementation against a real tracking server ({@link io.autonf.mlflow.MlflowRestStore}), a
 * {@link io.autonf.mlflow.BatchLogger} that keeps every call within MLflow's limits without losing a value, and
 * {@link io.autonf.mlflow.SearchRunTracker}, which turns search and training events into metrics, params and tags.
 */
package io.autonf.mlflow;
