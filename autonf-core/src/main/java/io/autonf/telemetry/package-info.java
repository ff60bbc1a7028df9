/**
 * The names of the meters the engines record (training steps, search steps, GA evaluations, k-NN time), in
 * Micrometer's dotted style, and how an engine picks its registry ({@link io.autonf.telemetry.AutoNfMeters}).
 *
 * <p>The core ships no monitoring backend: an engine records into the {@code MeterRegistry} it is given, by
 * default Micrometer's global composite registry, which forwards to whatever registries the application added
 * (the command line adds Prometheus and an MLflow bridge) and, with none added, drops every value at the cost of a
 * clock read per step.
 */
package io.autonf.telemetry;
