package io.autonf.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;

/**
 * How a long command reports on itself while it runs (a picocli mixin): progress bars on stderr, a Prometheus
 * scrape endpoint, and system metrics sampled into its MLflow run. None of it changes what the command computes,
 * so none of it is logged as a param.
 */
final class RuntimeOptions {

    static final double DEFAULT_SYSTEM_METRICS_INTERVAL = 10;

    @Option(names = "--metrics-port", paramLabel = "PORT", description = "Serve Prometheus metrics (training and "
            + "search steps, GA evaluations, k-NN time, JVM memory, GC, CPU) at http://HOST:PORT/metrics while the "
            + "command runs; 0 picks a free port (printed on stderr).")
    Integer metricsPort;

    @Option(names = "--system-metrics-interval", paramLabel = "SECONDS", description = "Sample the same meters into "
            + "the MLflow run as system/... metrics every SECONDS; 0 turns it off (default: ${DEFAULT-VALUE}).")
    double systemMetricsInterval = DEFAULT_SYSTEM_METRICS_INTERVAL;

    @Option(names = "--quiet", description = "No progress bars on stderr (for CI logs); the other log lines stay.")
    boolean quiet;

    /** Starts the endpoint and the sampling this invocation asked for. */
    CommandTelemetry start(CommandSpec spec, RunScope run, PrintWriter log) {
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65_535)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--metrics-port': "
                    + metricsPort + " is not a port (0..65535)");
        }
        if (!(systemMetricsInterval >= 0) || Double.isInfinite(systemMetricsInterval)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--system-metrics-interval': "
                    + systemMetricsInterval + " is not a number of seconds >= 0");
        }
        return CommandTelemetry.start(metricsPort, systemMetricsInterval, run, log);
    }

    /** The command's progress bars: none with {@code --quiet}, else redrawn on a terminal and as lines elsewhere. */
    ProgressBars progress(PrintWriter log) {
        return quiet ? ProgressBars.off(log) : new ProgressBars(ProgressBar.detect(System.getenv()), log);
    }
}
