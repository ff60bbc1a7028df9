package io.autonf.cli;

import io.autonf.mlflow.LocalFileStore;
import io.autonf.mlflow.MlflowRestStore;
import io.autonf.mlflow.SpoolingStore;
import io.autonf.mlflow.TrackedRun;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The tracking options shared by {@code search}, {@code train} and {@code fig3} (a picocli mixin): where the run
 * goes, under which experiment and name, or not at all.
 */
final class TrackingOptions {

    static final String URI_ENVIRONMENT = "MLFLOW_TRACKING_URI";
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

    /**
     * Starts the command's run, or a scope that tracks nothing. A malformed or non-http URI given on the command
     * line is bad input; one that only comes from the environment is reported on {@code log} and ignored, so that
     * a variable set for Python tools (e.g. {@code sqlite:///mlflow.db}) does not break the command.
     */
    RunScope open(CommandSpec spec, Map<String, String> environment, PrintWriter log) {
        if (noTracking) {
            return RunScope.disabled();
        }
        if (experiment == null || experiment.isBlank()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--experiment': empty name");
        }
        boolean fromOption = trackingUri != null;
        String text = fromOption ? trackingUri : environment.get(URI_ENVIRONMENT);
        if (text == null || text.isBlank()) {
            return local(LocalFileStore.DEFAULT_ROOT, spec, log);
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            return refuse(spec, fromOption, log, text, "is not a URI: " + e.getMessage());
        }
        if (uri.getScheme() == null) {
            return local(Path.of(text.trim()), spec, log);
        }
        if ("file".equals(uri.getScheme())) {
            return local(uri.getPath() != null && !uri.getPath().isEmpty() ? Path.of(uri.getPath())
                    : Path.of(uri.getSchemeSpecificPart()), spec, log);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            return refuse(spec, fromOption, log, text, "is neither an http(s)://host URI of a tracking server nor a "
                    + "local store (file:DIR or DIR)");
        }
        if (spoolWaitSeconds < 0) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--spool-wait': "
                    + spoolWaitSeconds + " is negative");
        }
        MlflowRestStore server = MlflowRestStore.fromEnvironment(uri);
        // Seeded afresh per process on purpose: jitter exists to keep many clients' retries apart.
        SpoolingStore store = SpoolingStore.open(server, spoolDir, uri, SpoolingStore.Settings.DEFAULT
                .withDrainTimeout(Duration.ofSeconds(spoolWaitSeconds)).withSpoolAtStart(spool),
                new SplittableRandom(), runFinder(server), log);
        return RunScope.open(store, experiment, runName, spec);
    }

    /** Finds a run by tag with the server's search, for a spooled create whose answer may have been lost. */
    static SpoolingStore.RunFinder runFinder(MlflowRestStore server) {
        return (experimentId, key, value) -> {
            var runs = server.searchRuns(experimentId, "tags.`" + key + "` = '" + value.replace("'", "\\'") + "'",
                    null, 1).path("runs");
            if (runs.isEmpty()) {
                return Optional.empty();
            }
            var info = runs.get(0).path("info");
            return Optional.of(new TrackedRun(info.path("run_id").asText(), info.path("experiment_id").asText(),
                    info.path("artifact_uri").asText()));
        };
    }

    /** The zero-server default: MLflow's file layout under {@code root}, opened later by the real MLflow. */
    private RunScope local(Path root, CommandSpec spec, PrintWriter log) {
        log.println("tracking to the local store " + root.toAbsolutePath() + " (view it with: MLFLOW_ALLOW_FILE_STORE=true "
                + "mlflow ui --backend-store-uri " + root + ")");
        log.flush();
        return RunScope.open(new LocalFileStore(root), experiment, runName, spec);
    }

    private static RunScope refuse(CommandSpec spec, boolean fromOption, PrintWriter log, String text, String why) {
        if (fromOption) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--tracking-uri': '" + text
                    + "' " + why);
        }
        log.println("not tracking: $" + URI_ENVIRONMENT + " '" + text + "' " + why);
        log.flush();
        return RunScope.disabled();
    }
}
