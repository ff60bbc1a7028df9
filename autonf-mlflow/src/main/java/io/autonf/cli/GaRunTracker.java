package io.autonf.cli;

import io.autonf.ga.CandidateEvaluation;
import io.autonf.ga.GaListener;
import io.autonf.ga.GaResult;
import io.autonf.ga.GenerationStatistics;
import io.autonf.metric.FlowEvaluation;
import io.autonf.mlflow.SearchRunTracker;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Records a GA run in its command's run ({@link RunScope}):
 * <ul>
 *   <li>after every generation, metrics with step = the generation (from 1): {@code ga/best_fitness} (of the
 *       population), {@code ga/best_so_far}, {@code ga/mean_fitness}, {@code ga/diversity} (distinct genotypes),
 *       {@code ga/hamming_distance} (mean over pairs of members), {@code ga/failed} (members whose training failed),
 *       {@code ga/evaluations} (candidates trained so far), {@code ga/layer_evaluations} (their compute so far) and
 *       {@code ga/wall_time_s};</li>
 *   <li>every candidate trained, as a nested run {@code candidate 007 rq-ar,maf,...} with params
 *       {@code architecture}, {@code generation}, {@code seed}, {@code index}, the architecture tag, and metrics
 *       {@code val_nll}, {@code cost}, {@code fitness}, {@code training_time_s}, {@code layer_evaluations},
 *       {@code steps_run}, {@code failed} (0 or 1); ended FINISHED, or FAILED with the failure as the error tag.
 *       A failed candidate's fitness ({@link io.autonf.ga.GaObjective#FAILED_FITNESS}, the largest double) is not
 *       logged: it would flatten every chart of the candidates;</li>
 *   <li>the found architecture's and the reference's evaluations as a search run records them
 *       ({@code found/test_nll}, ...), and the architecture tag.</li>
 * </ul>
 * A nested run costs three calls to the store (create, one log batch, end): its values are buffered until it ends.
 */
final class GaRunTracker implements GaListener {

    private final RunScope run;
    private long nestedRunNanos;
    private int nestedRuns;

    GaRunTracker(RunScope run) {
        if (run == null) {
            throw new IllegalArgumentException("a GA run tracker needs a run scope (RunScope.disabled() for none)");
        }
        this.run = run;
    }

    /** The name of a candidate's nested run: its index, three digits, and its architecture. */
    static String name(CandidateEvaluation c) {
        return String.format(Locale.ROOT, "candidate %03d %s", c.index(), c.architecture());
    }

    @Override
    public void onCandidate(CandidateEvaluation c) {
        if (!run.enabled()) {
            return;
        }
        long start = System.nanoTime();
        RunScope child = run.child(name(c));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("architecture", c.architecture().toString());
        params.put("generation", c.generation());
        params.put("seed", c.seed());
        params.put("index", c.index());
        child.params(params);
        child.tag(SearchRunTracker.ARCHITECTURE_TAG, c.architecture().toString());
        Map<String, Number> metrics = new LinkedHashMap<>();
        metrics.put("val_nll", c.validationNll());
        metrics.put("cost", c.cost());
        if (!c.failed()) {
            metrics.put("fitness", c.fitness());
        }
        metrics.put("training_time_s", c.trainingTime().toNanos() / 1e9);
        metrics.put("layer_evaluations", c.layerEvaluations());
        metrics.put("steps_run", c.stepsRun());
        metrics.put("failed", c.failed() ? 1 : 0);
        child.metrics(metrics, 0);
        if (c.failed()) {
            child.fail(new IllegalStateException(c.failure()));
        } else {
            child.close();
        }
        nestedRunNanos += System.nanoTime() - start;
        nestedRuns++;
    }

    @Override
    public void onGeneration(GenerationStatistics g) {
        Map<String, Number> metrics = new LinkedHashMap<>();
        // A population whose members all failed has no real best: FAILED_FITNESS would only flatten the chart.
        if (g.bestFitness() < io.autonf.ga.GaObjective.FAILED_FITNESS) {
            metrics.put("ga/best_fitness", g.bestFitness());
        }
        if (g.bestSoFar() < io.autonf.ga.GaObjective.FAILED_FITNESS) {
            metrics.put("ga/best_so_far", g.bestSoFar());
        }
        metrics.put("ga/mean_fitness", g.meanFitness());
        metrics.put("ga/diversity", g.distinctGenotypes());
        metrics.put("ga/hamming_distance", g.meanHammingDistance());
        metrics.put("ga/failed", g.failedMembers());
        metrics.put("ga/evaluations", g.trainings());
        metrics.put("ga/layer_evaluations", g.layerEvaluations());
        metrics.put("ga/wall_time_s", g.wallTime().toNanos() / 1e9);
        run.metrics(metrics, g.generation());
        run.flush();
    }

    @Override
    public void onFinish(GaResult result) {
        run.tag(SearchRunTracker.ARCHITECTURE_TAG, result.bestArchitecture().toString());
        if (nestedRuns > 0) {
            run.metric("tracking/nested_run_ms", nestedRunMillis());
        }
        run.flush();
    }

    @Override
    public void onEvaluation(String label, FlowEvaluation evaluation) {
        run.searchListener().onEvaluation(label, evaluation);
    }

    /** Nested runs recorded so far. */
    int nestedRuns() {
        return nestedRuns;
    }

    /** Mean time to record one candidate's nested run, in milliseconds (NaN before the first). */
    double nestedRunMillis() {
        return nestedRuns == 0 ? Double.NaN : nestedRunNanos / 1e6 / nestedRuns;
    }
}
