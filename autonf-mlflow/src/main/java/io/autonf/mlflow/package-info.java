/**
 * Tracking AutoNF runs in MLflow: a transport-agnostic {@link io.autonf.mlflow.TrackingStore}, its REST
 * implementation against a real tracking server with the MLflow Java client
 * ({@link io.autonf.mlflow.MlflowServerStore}), the zero-server
 * default that writes MLflow's {@code ./mlruns} file-store layout ({@link io.autonf.mlflow.LocalFileStore}), a
 * {@link io.autonf.mlflow.BatchLogger} that keeps every call within MLflow's limits without losing a value,
 * {@link io.autonf.mlflow.SearchRunTracker}, which turns search and training events into metrics, params and tags;
 * {@link io.autonf.mlflow.SpoolingStore}, which journals every write durably and replays it when a lost server returns;
 * the read side of both stores ({@link io.autonf.mlflow.RunQueries}, with {@link io.autonf.mlflow.RunFilter} for
 * the local one), where runs go ({@link io.autonf.mlflow.TrackingLocation}); and the CI regression gate's rules
 * ({@link io.autonf.mlflow.RegressionGate}, {@link io.autonf.mlflow.MetricRule}).
 */
package io.autonf.mlflow;
