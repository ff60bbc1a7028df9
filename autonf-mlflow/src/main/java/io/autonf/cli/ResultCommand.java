package io.autonf.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A command that ends with a result: its fields are printed on stdout, as one JSON object with {@code --json};
 * anything the command logs goes to stderr.
 */
abstract class ResultCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print the result as one JSON object on stdout (logs stay on stderr).")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    /** The tracked run of this invocation; commands with {@link #trackingOptions()} log to it in execute. */
    RunScope tracking = RunScope.disabled();

    /** The tracking options of a tracked command (a mixin), or null for a command that is never tracked. */
    TrackingOptions trackingOptions() {
        return null;
    }

    /** The runtime options (progress bars, metrics) of a long command (a mixin), or null for a short command. */
    RuntimeOptions runtimeOptions() {
        return null;
    }

    /**
     * Does the work and returns the result fields in the order they are printed; throws on failure (an
     * {@link IllegalArgumentException} means bad input).
     *
     * @param log where progress goes (stderr)
     */
    protected abstract Map<String, Object> execute(PrintWriter log) throws Exception;

    /** The result for people (without {@code --json}); by default one aligned {@code name value} line per field. */
    protected String text(Map<String, Object> result) {
        return Results.text(result);
    }

    @Override
    public final Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        TrackingOptions options = trackingOptions();
        Map<String, Object> result;
        // The run starts before any work, so that an unreachable server is reported at once.
        try (RunScope run = options == null ? RunScope.disabled() : options.open(spec, System.getenv(), err)) {
            tracking = run;
            try {
                RuntimeOptions runtime = runtimeOptions();
                // Inside the run: the last system-metrics sample lands in it before it ends.
                try (CommandTelemetry telemetry = runtime == null ? CommandTelemetry.none()
                        : runtime.start(spec, run, err)) {
                    result = execute(err);
                }
                run.finish(result);
                if (run.enabled()) {
                    // Printed, not logged: a CI job passes it to 'compare --candidate'.
                    result = new java.util.LinkedHashMap<>(result);
                    result.put("mlflow_run_id", run.run().runId());
                    result.put("mlflow_experiment_id", run.run().experimentId());
                }
            } catch (Exception | Error e) {
                try {
                    run.fail(e);
                } catch (RuntimeException trackingFailed) {
                    e.addSuppressed(trackingFailed);
                }
                throw e;
            }
        } finally {
            tracking = RunScope.disabled();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Results.printJson(out, spec.name(), result);
        } else {
            out.print(text(result));
            out.flush();
        }
        return ExitCodes.OK;
    }
}
