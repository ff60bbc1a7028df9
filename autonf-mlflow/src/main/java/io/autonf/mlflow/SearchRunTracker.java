package io.autonf.mlflow;

import io.autonf.event.SearchListener;
import io.autonf.flow.Architecture;
import io.autonf.flow.LayerKind;
import io.autonf.metric.FlowEvaluation;
import io.autonf.search.SearchConfig;
import io.autonf.search.SearchResult;
import io.autonf.train.TrainingListener;
import io.autonf.train.TrainingResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Records a search (and the trainings and evaluations around it) as one tracked run. Events become
 * <ul>
 *   <li>metrics with the search step: {@code loss/train}, {@code loss/val} (not in warm-up, where it is not
 *       measured), {@code cost/expected}, {@code search/layer_evaluations}, the softmax weight of every option of
 *       every layer {@code alpha/layerNN/<option>} and that layer's weight entropy {@code alpha/layerNN/entropy}
 *       in nats (layers from 00, as in the trajectory CSV files);</li>
 *   <li>for a training: {@code loss/train}, {@code lr} and {@code grad_norm} per step, {@code loss/val} per
 *       validation, and the result's numbers as {@code train/<name>};</li>
 *   <li>for an evaluation labelled {@code found} or {@code reference}: {@code <label>/test_nll},
 *       {@code <label>/test_nll_error}, density, coverage, precision, recall and the costs when known;</li>
 *   <li>params: the search configuration, nested settings joined with dots ({@code theta_optimiser.learning_rate});
 *       tags: {@code autonf.architecture} once chosen.</li>
 * </ul>
 * Values are buffered and sent through a {@link BatchLogger} whenever {@code flushEvery} metrics are waiting,
 * at the end of the search or training, and on {@link #flush()}. The tracker works on any {@link TrackingStore};
 * it does not start or end the run ({@link #finish} ends it, after a last flush).
 *
 * <p>Thread-safe: Ctrl-C ends the run from a shutdown hook while the command's thread may still be logging or in
 * the middle of a flush. Each method holds the tracker's lock, so the hook waits for a batch in flight instead of
 * sending it a second time, and then sends what is left.
 */
public final class SearchRunTracker implements SearchListener, TrainingListener {

    public static final String ARCHITECTURE_TAG = "autonf.architecture";

    private final BatchLogger logger;
    private final int flushEvery;
    private final LongSupplier clock;
    private final List<Metric> metrics = new ArrayList<>();
    private final List<Param> params = new ArrayList<>();
    private final List<Tag> tags = new ArrayList<>();
    private List<String> optionIds = List.of();

    /**
     * @param logger     sends the values of one run
     * @param flushEvery send once this many metrics are buffered, in [1, 100 000]
     * @param clock      milliseconds since the epoch, for the metrics' timestamps
     */
    public SearchRunTracker(BatchLogger logger, int flushEvery, LongSupplier clock) {
        this.logger = Objects.requireNonNull(logger, "logger");
        if (flushEvery < 1 || flushEvery > 100_000) {
            throw new IllegalArgumentException("flushEvery must lie in [1, 100000], got " + flushEvery);
        }
        this.flushEvery = flushEvery;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A tracker that flushes every {@link TrackingLimits#MAX_METRICS_PER_BATCH} metrics, with the system clock. */
    public SearchRunTracker(BatchLogger logger) {
        this(logger, TrackingLimits.MAX_METRICS_PER_BATCH, System::currentTimeMillis);
    }

    @Override
    public synchronized void onStart(SearchConfig config) {
        optionIds = config.space().options().stream().map(LayerKind::id).toList();
        addParams("", config.summary());
    }

    @Override
    public synchronized void onStep(int step, int block, double trainLoss, double validationLoss, double[][] weights,
                       double expectedCost, long layerEvaluations) {
        long now = clock.getAsLong();
        metric("loss/train", trainLoss, now, step);
        if (!Double.isNaN(validationLoss)) {
            metric("loss/val", validationLoss, now, step);
        }
        metric("cost/expected", expectedCost, now, step);
        metric("search/block", block, now, step);
        metric("search/layer_evaluations", layerEvaluations, now, step);
        for (int layer = 0; layer < weights.length; layer++) {
            String prefix = String.format(Locale.ROOT, "alpha/layer%02d/", layer);
            double entropy = 0;
            for (int option = 0; option < weights[layer].length; option++) {
                double w = weights[layer][option];
                metric(prefix + optionName(option), w, now, step);
                if (w > 0) {
                    entropy -= w * Math.log(w);
                }
            }
            metric(prefix + "entropy", entropy, now, step);
        }
        flushIfFull();
    }

    @Override
    public synchronized void onArchitectureChosen(Architecture architecture, double[][] weights) {
        tags.add(new Tag(ARCHITECTURE_TAG, architecture.toString()));
    }

    @Override
    public synchronized void onFinish(SearchResult result) {
        long now = clock.getAsLong();
        metric("search/steps", result.steps(), now, 0);
        metric("search/wall_time_s", result.wallTime().toNanos() / 1e9, now, 0);
        metric("search/seconds_per_step", result.secondsPerStep(), now, 0);
        tags.add(new Tag(ARCHITECTURE_TAG, result.architecture().toString()));
        flush();
    }

    @Override
    public synchronized void onEvaluation(String label, FlowEvaluation evaluation) {
        long now = clock.getAsLong();
        String prefix = label + "/";
        metric(prefix + "test_nll", evaluation.testNll().mean(), now, 0);
        metric(prefix + "test_nll_error", evaluation.testNll().error(), now, 0);
        metric(prefix + "density", evaluation.density(), now, 0);
        metric(prefix + "coverage", evaluation.coverage(), now, 0);
        metric(prefix + "precision", evaluation.precision(), now, 0);
        metric(prefix + "recall", evaluation.recall(), now, 0);
        if (evaluation.hasCosts()) {
            metric(prefix + "cost/forward", evaluation.forwardCost(), now, 0);
            metric(prefix + "cost/inverse", evaluation.inverseCost(), now, 0);
        }
        flush();
    }

    @Override
    public synchronized void onStep(int step, double learningRate, double trainLoss, double gradientNorm) {
        long now = clock.getAsLong();
        metric("loss/train", trainLoss, now, step);
        metric("lr", learningRate, now, step);
        metric("grad_norm", gradientNorm, now, step);
        flushIfFull();
    }

    @Override
    public synchronized void onValidation(int step, double validationNll, boolean isBest) {
        metric("loss/val", validationNll, clock.getAsLong(), step);
        flushIfFull();
    }

    @Override
    public synchronized void onFinish(TrainingResult result) {
        long now = clock.getAsLong();
        result.summary().forEach((k, v) -> {
            if (v instanceof Number n) {
                metric("train/" + k, n.doubleValue(), now, 0);
            }
        });
        flush();
    }

    /** Adds params by hand (dataset, split sizes, ...), sent with the next flush. */
    public synchronized void logParams(Map<String, ?> values) {
        addParams("", values);
    }

    /**
     * Adds a metric by hand at {@code step}, sent with the next flush (or sooner, once the buffer is full), so that
     * a run's values can leave in one call; non-finite values are skipped (MLflow's JSON has no NaN).
     */
    public synchronized void logMetric(String key, double value, long step) {
        if (Double.isFinite(value)) {
            metric(key, value, clock.getAsLong(), step);
            flushIfFull();
        }
    }

    /** Adds a tag by hand, sent with the next flush. */
    public synchronized void setTag(String key, String value) {
        tags.add(new Tag(key, value));
    }

    /** Sends everything buffered. */
    public synchronized void flush() {
        if (metrics.isEmpty() && params.isEmpty() && tags.isEmpty()) {
            return;
        }
        // Copies, so that a failed send leaves the buffers as they were and nothing is lost.
        logger.log(List.copyOf(metrics), List.copyOf(params), List.copyOf(tags));
        metrics.clear();
        params.clear();
        tags.clear();
    }

    /** Flushes and ends the run with {@code status} (a failed search with the error as tag {@code autonf.error}). */
    public synchronized void finish(RunStatus status, String error) {
        if (error != null) {
            tags.add(new Tag("autonf.error", error));
        }
        flush();
        logger.store().finishRun(logger.run().runId(), status, clock.getAsLong());
    }

    /** Values buffered and not yet sent: metrics, params, tags. */
    synchronized int[] pending() {
        return new int[]{metrics.size(), params.size(), tags.size()};
    }

    private String optionName(int option) {
        return option < optionIds.size() ? optionIds.get(option) : "option" + option;
    }

    private void metric(String key, double value, long timestamp, long step) {
        metrics.add(new Metric(key, value, timestamp, step));
    }

    private void flushIfFull() {
        if (metrics.size() >= flushEvery) {
            flush();
        }
    }

    private void addParams(String prefix, Map<String, ?> values) {
        values.forEach((k, v) -> {
            String key = prefix + k;
            if (v instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, ?> typed = (Map<String, ?>) nested;
                addParams(key + ".", typed);
            } else if (v instanceof List<?> list) {
                params.add(new Param(key, String.join(",", list.stream().map(String::valueOf).toList())));
            } else {
                params.add(new Param(key, String.valueOf(v)));
            }
        });
    }
}
