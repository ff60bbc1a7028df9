package io.autonf.cli;

import io.autonf.mlflow.LocalFileStore;
import io.autonf.mlflow.MlflowServerStore;
import io.autonf.mlflow.RunRecord;
import io.autonf.mlflow.SpoolingStore;
import io.autonf.mlflow.TrackedRun;
import io.autonf.mlflow.TrackingLocation;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The tracking options shared by {@code search}, {@code train} and {@code fig3} (a picocli mixin): where the run
 * goes, under which experiment and name, or not at all.
 */
final class TrackingOptions {

    static final String URI_ENVIRONMENT = TrackingLocation.ENVIRONMENT_VARIABLE;
    /** Set by {@code mlflow run} (MLflow Projects) to the run it created for the command: log into that one. */
    static final String RUN_ID_ENVIRONMENT = "MLFLOW_RUN_ID";
    static final String DEFAULT_EXPERIMENT = "autonf";

    @Option(names = "--tracking-uri", paramLabel = "URI", description = "MLflow tracking server http(s)://host:port, "
            + "or a local store file:DIR / DIR (default: $" + URI_ENVIRONMENT + ", else the local store ./mlruns, "
            + "which needs no server; open it with MLFLOW_ALLOW_FILE_STORE=true mlflow ui --backend-store-uri ./mlruns).")
    String trackingUri;

    @Option(names = "--experiment", paramLabel = "NAME", description = "MLflow experiment of the run (default: ${DEFAULT-VALUE}).")
    String experiment = DEFAULT_EXPERIMENT;

    @Option(names = "--run-name", paramLabel = "NAME", description = "Name of the run (default: the command and the time).")
    String runName;

    @Option(names = "--no-tracking", description = "Track nothing, even when $" + URI_ENVIRONMENT + " is set.")
    boolean noTracking;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag of the run, e.g. --tag branch=main "
            + "(repeatable); CI can then pick its baseline with compare --baseline \"tags.branch = 'main'\".")
    Map<String, String> tags = new java.util.LinkedHashMap<>();

    /** The run to continue ({@code --resume}), or null to start one. */
    private String resumeRunId;

    static final Path DEFAULT_SPOOL_DIR = Path.of(".autonf", "spool");

    @Option(names = "--spool", description = "Start even when the tracking server cannot be reached: the run "
            + "starts in the local journal and is created on the server once it answers (default: such a server is an error).")
    boolean spool;

    @Option(names = "--spool-dir", paramLabel = "DIR", description = "Where values wait while the tracking server "
            + "is unreachable (default: ${DEFAULT-VALUE}); send what is left with: autonf sync DIR.")
    Path spoolDir = DEFAULT_SPOOL_DIR;

    @Option(names = "--spool-wait", paramLabel = "SECONDS", description = "At the end, wait at most this long for "
            + "values not yet sent to the tracking server, then keep them in the journal (default: ${DEFAULT-VALUE}).")
    int spoolWaitSeconds = 30;

    /** The existing run this invocation logs into ({@value #RUN_ID_ENVIRONMENT}), or null for a new run. */
    private String attachTo;

    /**
     * Starts the command's run, or a scope that tracks nothing. A malformed or non-http URI given on the command
     * line is bad input; one that only comes from the environment is reported on {@code log} and ignored, so that
     * a variable set for Python tools (e.g. {@code sqlite:///mlflow.db}) does not break the command.
     */
    RunScope open(CommandSpec spec, Map<String, String> environment, PrintWriter log) {
        return open(spec, environment, log, null);
    }

    /**
     * Like {@link #open(CommandSpec, Map, PrintWriter)}, but continues run {@code resumeRunId} of the same store
     * instead of starting one, when it is not null ({@code --resume}).
     */
    RunScope open(CommandSpec spec, Map<String, String> environment, PrintWriter log, String resumeRunId) {
        this.resumeRunId = resumeRunId;
        if (noTracking && resumeRunId != null) {
            throw new ParameterException(spec.commandLine(), "--resume continues a tracked run; it cannot be "
                    + "combined with --no-tracking");
        }
        if (noTracking) {
            return RunScope.disabled();
        }
        if (experiment == null || experiment.isBlank()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--experiment': empty name");
        }
        // Checked before the run exists, so that a bad --tag is bad input rather than a run that cannot be tagged.
        tags.forEach((key, value) -> {
            try {
                io.autonf.mlflow.TrackingLimits.requireValidKey("tag", key);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--tag': " + e.getMessage());
            }
        });
        String existingRun = environment.get(RUN_ID_ENVIRONMENT);
        attachTo = existingRun == null || existingRun.isBlank() ? null : existingRun.strip();
        boolean fromOption = trackingUri != null;
        String text = fromOption ? trackingUri : environment.get(URI_ENVIRONMENT);
        if (text == null || text.isBlank()) {
            return tagged(local(LocalFileStore.DEFAULT_ROOT, spec, log));
        }
        TrackingLocation location;
        try {
            location = TrackingLocation.parse(text);
        } catch (IllegalArgumentException e) {
            return refuse(spec, fromOption, log, e.getMessage());
        }
        return tagged(switch (location) {
            case TrackingLocation.LocalStore local -> local(local.root(), spec, log);
            case TrackingLocation.Server server -> server(server.uri(), spec, environment, log);
        });
    }

    /** Adds the {@code --tag} tags to a newly opened run (sent at once, so that a search filter finds it early). */
    private RunScope tagged(RunScope scope) {
        if (scope.enabled() && !tags.isEmpty()) {
            tags.forEach(scope::tag);
            scope.flush();
        }
        return scope;
    }

    /**
     * A run on a tracking server, every write journalled by a {@link SpoolingStore}. Without {@code --spool} the
     * server is asked at once, so that an unreachable one fails the command within seconds, before any work.
     */
    private RunScope server(URI uri, CommandSpec spec, Map<String, String> environment, PrintWriter log) {
        if (spoolWaitSeconds < 0) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--spool-wait': "
                    + spoolWaitSeconds + " is negative");
        }
        MlflowServerStore server = spool ? new MlflowServerStore(uri, environment)
                : MlflowServerStore.connect(uri, environment);
        // Seeded afresh per process on purpose: jitter exists to keep many clients' retries apart.
        SpoolingStore store = SpoolingStore.open(server, spoolDir, uri, SpoolingStore.Settings.DEFAULT
                        .withDrainTimeout(Duration.ofSeconds(spoolWaitSeconds)).withSpoolAtStart(spool),
                new SplittableRandom(), runFinder(server), log);
        return start(store, server, spec, log);
    }

    /**
     * The run {@code --resume} names, reopened; else the run of an {@code mlflow run} when
     * {@value #RUN_ID_ENVIRONMENT} names one ({@code reader} tells which params it holds already); else a new run.
     */
    private RunScope start(io.autonf.mlflow.TrackingStore store, io.autonf.mlflow.RunQueries reader, CommandSpec spec,
                           PrintWriter log) {
        if (resumeRunId != null) {
            return RunScope.reopen(store, resumeRunId, spec);
        }
        if (attachTo == null) {
            return RunScope.open(store, experiment, runName, spec);
        }
        log.println("tracking into the existing run " + attachTo + " ($" + RUN_ID_ENVIRONMENT + ", e.g. from mlflow run)"
                + " in its own experiment");
        log.flush();
        return RunScope.attach(store, attachTo, reader.getRun(attachTo).params().keySet(), runName, spec);
    }

    /** Finds a run by tag with the server's search, for a spooled create whose answer may have been lost. */
    static SpoolingStore.RunFinder runFinder(MlflowServerStore server) {
        return (experimentId, key, value) -> {
            List<RunRecord> runs = server.searchRuns(experimentId,
                    "tags.`" + key + "` = '" + value.replace("'", "\\'") + "'", null, 1);
            if (runs.isEmpty()) {
                return Optional.empty();
            }
            String runId = runs.get(0).runId();
            String artifactUri = server.query("runs/get", Map.of("run_id", runId)).path("run").path("info")
                    .path("artifact_uri").asText();
            return Optional.of(new TrackedRun(runId, runs.get(0).experimentId(), artifactUri));
        };
    }

    /** The zero-server default: MLflow's file layout under {@code root}, opened later by the real MLflow. */
    private RunScope local(Path root, CommandSpec spec, PrintWriter log) {
        log.println("tracking to the local store " + root.toAbsolutePath() + " (view it with: MLFLOW_ALLOW_FILE_STORE=true "
                + "mlflow ui --backend-store-uri " + root + ")");
        log.flush();
        LocalFileStore store = new LocalFileStore(root);
        return start(store, store, spec, log);
    }

    private static RunScope refuse(CommandSpec spec, boolean fromOption, PrintWriter log, String why) {
        if (fromOption) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--tracking-uri': " + why);
        }
        log.println("not tracking: $" + URI_ENVIRONMENT + " " + why);
        log.flush();
        return RunScope.disabled();
    }
}
