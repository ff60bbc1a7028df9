package io.autonf.cli;

import io.autonf.event.SearchListener;
import io.autonf.mlflow.BatchLogger;
import io.autonf.mlflow.Metric;
import io.autonf.mlflow.RunStatus;
import io.autonf.mlflow.RunTags;
import io.autonf.mlflow.SearchRunTracker;
import io.autonf.mlflow.SpoolingStore;
import io.autonf.mlflow.TrackedRun;
import io.autonf.mlflow.TrackingStore;
import io.autonf.train.TrainingListener;
import io.autonf.train.TrainingResult;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One command as one tracked run, or nothing when tracking is off ({@link #disabled()}). The command passes
 * {@link #searchListener()} and {@link #trainingListener()} to the engines, logs its result with
 * {@link #finish(Map)} and its output files with {@link #artifact(Path)}; {@link ResultCommand} ends the run:
 * FINISHED after a result, FAILED with the message as tag {@code autonf.error} when the command throws, and
 * KILLED from a shutdown hook when the process is stopped (Ctrl-C) with the run still open.
 */
final class RunScope implements AutoCloseable {

    static final String ERROR_TAG = "autonf.error";
    /** Options that say where the run goes or how it is printed, not how it computes: not params. */
    private static final Set<String> NOT_PARAMS = Set.of("--tracking-uri", "--experiment", "--run-name",
            "--no-tracking", "--tag", "--spool", "--spool-dir", "--spool-wait", "--json", "--help",
            "--metrics-port", "--system-metrics-interval", "--quiet", "--resume", "--checkpoint-every");
    /** Set on a run each time a command resumes it: when (milliseconds since the epoch). */
    static final String RESUMED_TAG = "autonf.resumed_at";

    private static final RunScope DISABLED = new RunScope(null, null);

    private final SearchRunTracker tracker;
    private final BatchLogger logger;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Thread killHook;
    /** Nested runs started by {@link #child}; the ones still open end with this run, with its status. */
    private final List<RunScope> children = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** What started the run ({@code mlflow.source.name}); nested runs share it. */
    private volatile String sourceName = "autonf";

    private RunScope(SearchRunTracker tracker, BatchLogger logger) {
        this.tracker = tracker;
        this.logger = logger;
        if (tracker == null) {
            killHook = null;
            ended.set(true);
        } else {
            killHook = new Thread(() -> end(RunStatus.KILLED, null), "autonf-run-killed");
            Runtime.getRuntime().addShutdownHook(killHook);
        }
    }

    /** A nested run's scope ({@code nested} tells this constructor apart): no shutdown hook, its parent's ends it. */
    private RunScope(SearchRunTracker tracker, BatchLogger logger, boolean nested) {
        this.tracker = tracker;
        this.logger = logger;
        this.killHook = null;
    }

    /** A scope that tracks nothing; every method does nothing. */
    static RunScope disabled() {
        return DISABLED;
    }

    /**
     * Starts a run of command {@code spec} in {@code experiment} of {@code store} and logs the command's options
     * as params {@code cli.<option>}. Fails (a {@link io.autonf.mlflow.TrackingException}) when the store cannot
     * be reached.
     */
    static RunScope open(TrackingStore store, String experiment, String runName, CommandSpec spec) {
        String command = spec.name();
        String name = runName != null && !runName.isBlank() ? runName
                : command + " " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        String experimentId = store.experimentId(experiment);
        long now = System.currentTimeMillis();
        TrackedRun run = store.createRun(experimentId, name,
                RunTags.forRun(name, "autonf " + command, null, VersionInfo.version(), VersionInfo.gitCommit()), now);
        BatchLogger logger = new BatchLogger(store, run);
        RunScope scope = new RunScope(new SearchRunTracker(logger), logger);
        scope.sourceName = "autonf " + command;
        scope.tracker.logParams(optionParams(spec));
        scope.tracker.flush();
        return scope;
    }

    /**
     * Continues run {@code runId} of {@code store} (see {@link io.autonf.mlflow.TrackingStore#reopenRun}): RUNNING
     * again, tagged {@value #RESUMED_TAG}, every metric logged only at steps after the last one it reached
     * before it stopped, and params it already has left at their first values.
     */
    static RunScope reopen(TrackingStore store, String runId, CommandSpec spec) {
        io.autonf.mlflow.ReopenedRun reopened = store.reopenRun(runId);
        BatchLogger logger = new BatchLogger(store, reopened);
        RunScope scope = new RunScope(new SearchRunTracker(logger), logger);
        scope.sourceName = "autonf " + spec.name();
        scope.tracker.setTag(RESUMED_TAG, Long.toString(System.currentTimeMillis()));
        scope.logCommandParams(spec);
        return scope;
    }

    /** The artifact {@code name} of this run, if it has one (empty when nothing is tracked). */
    java.util.Optional<byte[]> findArtifact(String name) {
        return tracker == null ? java.util.Optional.empty() : logger.store().findArtifact(logger.run(), name);
    }

    /** Logs the command's options as params {@code cli.<option>}, now. */
    private void logCommandParams(CommandSpec spec) {
        tracker.logParams(optionParams(spec));
        tracker.flush();
    }

    /**
     * Logs command {@code spec} into the existing run {@code runId} of {@code store}, which someone else started
     * ({@code mlflow run} passes its id in {@code MLFLOW_RUN_ID}): no second run is created. The run keeps its
     * experiment, its name (unless {@code runName} is given) and the {@code mlflow.source.*}, user and commit tags
     * its creator set; it gets the command's params {@code cli.<option>}, the {@code autonf.*} tags, everything
     * the command logs, and at the end the command's status, as a run of {@link #open} would. Params the run
     * holds already ({@code heldParams}, e.g. the MLproject's parameters that {@code mlflow run} logged) are not
     * logged again, since MLflow refuses a param's second value.
     */
    static RunScope attach(TrackingStore store, String runId, Set<String> heldParams, String runName, CommandSpec spec) {
        TrackedRun run = store.attachRun(runId);
        BatchLogger logger = new BatchLogger(store, run).withoutParams(heldParams);
        RunScope scope = new RunScope(new SearchRunTracker(logger), logger);
        scope.sourceName = "autonf " + spec.name();
        Map<String, String> ours = RunTags.forRun(runName != null && !runName.isBlank() ? runName : spec.name(),
                scope.sourceName, null, VersionInfo.version(), VersionInfo.gitCommit());
        ours.forEach((key, value) -> {
            if (key.startsWith("autonf.") || (RunTags.RUN_NAME.equals(key) && runName != null && !runName.isBlank())) {
                scope.tracker.setTag(key, value);
            }
        });
        scope.tracker.logParams(optionParams(spec));
        scope.tracker.flush();
        return scope;
    }

    /** The command's options as params {@code cli.<option>}, without those that only say where the run goes. */
    private static Map<String, Object> optionParams(CommandSpec spec) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (OptionSpec option : spec.options()) {
            if (!NOT_PARAMS.contains(option.longestName()) && option.getValue() != null) {
                Object value = option.getValue();
                if (value instanceof double[] numbers) {
                    value = java.util.Arrays.stream(numbers).boxed().toList();
                }
                params.put("cli." + option.longestName().replaceFirst("^-+", ""), value);
            }
        }
        return params;
    }

    boolean enabled() {
        return tracker != null;
    }

    /** The run as the store created it, or null when nothing is tracked. */
    TrackedRun run() {
        return logger == null ? null : logger.run();
    }

    /**
     * Starts a nested run called {@code name} in this run's experiment, tagged {@code mlflow.parentRunId} (the
     * MLflow UI draws it under this run), with the same source, version and commit tags. The child is ended by
     * its own {@link #close}/{@link #fail}, or else when this run ends, with this run's status (a Ctrl-C ends
     * open children KILLED). A disabled scope returns a disabled child.
     */
    RunScope child(String name) {
        if (tracker == null) {
            return DISABLED;
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a nested run needs a name");
        }
        if (ended.get()) {
            throw new IllegalStateException("run " + run().runId() + " has ended; it cannot start nested run '" + name + "'");
        }
        TrackedRun parent = run();
        // A child's params, tags and metrics must not overtake the parent's in a store that orders them.
        tracker.flush();
        TrackingStore store = logger.store();
        TrackedRun run = store.createRun(parent.experimentId(), name, RunTags.forRun(name, sourceName,
                parent.runId(), VersionInfo.version(), VersionInfo.gitCommit()), System.currentTimeMillis());
        BatchLogger childLogger = new BatchLogger(store, run);
        RunScope child = new RunScope(new SearchRunTracker(childLogger), childLogger, true);
        child.sourceName = sourceName;
        children.add(child);
        return child;
    }

    /** Logs params by hand (nested maps join their keys with dots), sent with the next flush. */
    void params(Map<String, ?> values) {
        if (tracker != null) {
            tracker.logParams(values);
        }
    }

    /** Sends everything buffered now. */
    void flush() {
        if (tracker != null) {
            tracker.flush();
        }
    }

    /** Stores {@code content} as artifact {@code name} (a slash-separated path) of this run. */
    void artifact(String name, byte[] content) {
        if (tracker != null) {
            logger.store().uploadArtifact(logger.run(), name, content);
        }
    }

    /** Records the search's steps, architecture and evaluations (a listener that ignores all when disabled). */
    SearchListener searchListener() {
        return tracker == null ? new SearchListener() {
        } : tracker;
    }

    /** Records a training's steps and result. */
    TrainingListener trainingListener() {
        return tracker == null ? TrainingListener.NONE : tracker;
    }

    /** Adds a tag, sent with the next flush. */
    void tag(String key, String value) {
        if (tracker != null) {
            tracker.setTag(key, value);
        }
    }

    /** Logs a final metric (step 0) now; non-finite values are skipped (MLflow's JSON has no NaN). */
    void metric(String key, double value) {
        if (tracker != null && Double.isFinite(value)) {
            logger.log(List.of(new Metric(key(key), value, System.currentTimeMillis(), 0)), List.of(), List.of());
        }
    }

    /**
     * Buffers metrics at {@code step}, sent with the next flush or when the run ends (a nested run that logs its
     * params, tags and metrics this way costs one log call); non-finite values are skipped.
     */
    void metrics(Map<String, ? extends Number> values, long step) {
        if (tracker != null) {
            values.forEach((k, v) -> tracker.logMetric(key(k), v.doubleValue(), step));
        }
    }

    /**
     * Logs sampled system metrics at {@code step} and sends them at once; called from the sampling thread while
     * the command's thread logs too (the tracker serialises the two). Nothing once the run has ended.
     */
    void systemMetrics(Map<String, Double> values, long step) {
        if (tracker != null && !ended.get()) {
            values.forEach((k, v) -> tracker.logMetric(key(k), v, step));
            tracker.flush();
        }
    }

    /**
     * Logs every number of a command's result as a final metric: nested maps join their keys with {@code /}
     * ({@code found/test_nll}); lists and texts are left to the artifacts and params.
     */
    void finish(Map<String, ?> result) {
        if (tracker == null) {
            return;
        }
        List<Metric> metrics = new ArrayList<>();
        collect("", result, System.currentTimeMillis(), metrics);
        logger.log(metrics, List.of(), List.of());
        tracker.flush();
    }

    /** Uploads {@code file}, when it exists, as artifact {@code name}. */
    void artifact(Path file, String name) throws IOException {
        if (tracker != null && file != null && Files.isRegularFile(file)) {
            logger.store().uploadArtifact(logger.run(), name, Files.readAllBytes(file));
        }
    }

    /** Uploads {@code file}, when it exists, under its file name. */
    void artifact(Path file) throws IOException {
        if (file != null) {
            artifact(file, file.getFileName().toString());
        }
    }

    /** Ends the run FAILED with {@code failure}'s message as tag {@value #ERROR_TAG}. */
    void fail(Throwable failure) {
        String message = failure.getMessage();
        end(RunStatus.FAILED, message == null || message.isBlank() ? failure.getClass().getName() : message);
    }

    /** Ends the run FINISHED unless it already ended. */
    @Override
    public void close() {
        end(RunStatus.FINISHED, null);
        if (killHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(killHook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or about to; the run has ended either way.
            }
        }
    }

    private void end(RunStatus status, String error) {
        if (ended.compareAndSet(false, true)) {
            try {
                endChildren(status);
                tracker.finish(status, error);
            } finally {
                // Bounded wait for values still on their way; what is left stays in the journal for 'autonf sync'.
                // Only the top-level run owns the store: its nested runs share it and end before it does.
                if (killHook != null && logger.store() instanceof SpoolingStore spool) {
                    spool.close();
                }
            }
        }
    }

    /**
     * Ends the children still open with {@code status}, each on its own: one that cannot be ended does not keep
     * the others, or this run, open.
     */
    private void endChildren(RunStatus status) {
        RuntimeException first = null;
        for (RunScope child : children) {
            try {
                child.end(status, status == RunStatus.FAILED ? "the enclosing run failed" : null);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void collect(String prefix, Map<String, ?> values, long now, List<Metric> into) {
        values.forEach((k, v) -> {
            String key = prefix + key(k);
            if (v instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, ?> typed = (Map<String, ?>) nested;
                collect(key + "/", typed, now, into);
            } else if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
                into.add(new Metric(key, n.doubleValue(), now, 0));
            }
        });
    }

    /** A result field name as a metric key: characters MLflow refuses become '_'. */
    private static String key(String name) {
        return name.replaceAll("[^A-Za-z0-9_\\-./ ]", "_");
    }

    /** Both listeners, {@code first} first. */
    static TrainingListener both(TrainingListener first, TrainingListener second) {
        return new TrainingListener() {
            @Override
            public void onStep(int step, double learningRate, double trainLoss, double gradientNorm) {
                first.onStep(step, learningRate, trainLoss, gradientNorm);
                second.onStep(step, learningRate, trainLoss, gradientNorm);
            }

            @Override
            public void onValidation(int step, double validationNll, boolean isBest) {
                first.onValidation(step, validationNll, isBest);
                second.onValidation(step, validationNll, isBest);
            }

            @Override
            public void onRollback(int step, String what, double value, int rollbacks, double learningRateScale) {
                first.onRollback(step, what, value, rollbacks, learningRateScale);
                second.onRollback(step, what, value, rollbacks, learningRateScale);
            }

            @Override
            public void onFinish(TrainingResult result) {
                first.onFinish(result);
                second.onFinish(result);
            }
        };
    }
}
