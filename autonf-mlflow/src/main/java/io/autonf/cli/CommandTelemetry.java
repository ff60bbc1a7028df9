package io.autonf.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The meter registries of one command: a Prometheus one served on {@code --metrics-port}, a simple one sampled
 * into the MLflow run by a {@link SystemMetricsBridge}, each added to Micrometer's global registry (where the
 * engines record) for the command's duration and given the JVM memory, GC and processor meters. With neither
 * asked for, nothing is added and the engines' meters cost a clock read per step.
 */
final class CommandTelemetry implements AutoCloseable {

    private static final CommandTelemetry NONE = new CommandTelemetry();

    private final List<MeterRegistry> registries = new ArrayList<>();
    private final List<JvmGcMetrics> gcMetrics = new ArrayList<>();
    private SystemMetricsBridge bridge;
    private PrometheusEndpoint endpoint;

    private CommandTelemetry() {
    }

    /** Telemetry that adds nothing. */
    static CommandTelemetry none() {
        return NONE;
    }

    /**
     * @param port            the Prometheus endpoint's port (0: any free one), or null for none
     * @param intervalSeconds seconds between samples logged into {@code run} (0: none; nothing either when
     *                        {@code run} tracks nothing)
     */
    static CommandTelemetry start(Integer port, double intervalSeconds, RunScope run, PrintWriter log) {
        boolean bridged = intervalSeconds > 0 && run.enabled();
        if (port == null && !bridged) {
            return NONE;
        }
        CommandTelemetry telemetry = new CommandTelemetry();
        try {
            if (port != null) {
                PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                telemetry.add(prometheus);
                telemetry.endpoint = PrometheusEndpoint.start(port, prometheus::scrape);
                log.println("serving Prometheus metrics on http://localhost:" + telemetry.endpoint.port()
                        + PrometheusEndpoint.PATH);
                log.flush();
            }
            if (bridged) {
                SimpleMeterRegistry sampled = new SimpleMeterRegistry();
                telemetry.add(sampled);
                telemetry.bridge = new SystemMetricsBridge(sampled, Math.max(1, Math.round(intervalSeconds * 1000)),
                        run::systemMetrics, log);
            }
        } catch (RuntimeException e) {
            telemetry.close();
            throw e;
        }
        return telemetry;
    }

    private void add(MeterRegistry registry) {
        registries.add(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        gcMetrics.add(gc);
        new ProcessorMetrics().bindTo(registry);
        Metrics.addRegistry(registry);
    }

    /** The Prometheus endpoint's port, or -1 without one. */
    int port() {
        return endpoint == null ? -1 : endpoint.port();
    }

    /** Takes the last sample, stops serving, and detaches the registries from the global one. */
    @Override
    public void close() {
        if (this == NONE) {
            return;
        }
        if (bridge != null) {
            bridge.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        gcMetrics.forEach(JvmGcMetrics::close);
        for (MeterRegistry registry : registries) {
            Metrics.removeRegistry(registry);
            registry.close();
        }
    }
}
