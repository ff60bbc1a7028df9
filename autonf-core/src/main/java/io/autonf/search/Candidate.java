package io.autonf.search;

import io.autonf.cost.CostEmphasis;
import io.autonf.cost.MeasuredCost;
import io.autonf.flow.Architecture;
import io.autonf.flow.Flow;
import io.autonf.metric.FlowEvaluation;
import io.autonf.train.TrainingResult;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One architecture trained from scratch and evaluated: the searched one or a reference.
 *
 * @param evaluation     test NLL, sample metrics, and forward and inverse cost (seconds per sample, cost model)
 * @param trainingCost   seconds per sample of one training step, from the cost model
 * @param measured       forward and inverse cost of the trained flow itself, timed on this machine
 * @param evaluationTime time of the evaluation (test NLL, sampling, metrics)
 * @param flow           the trained flow itself, so that it can be saved ({@code FlowFiles}) and evaluated again
 */
public record Candidate(Architecture architecture, TrainingResult training, FlowEvaluation evaluation,
                        double trainingCost, MeasuredCost measured, Duration evaluationTime, Flow flow) {

    public Candidate {
        if (architecture == null || training == null || evaluation == null || measured == null
                || evaluationTime == null || flow == null) {
            throw new IllegalArgumentException("a candidate needs its architecture, training, evaluation, measured "
                    + "costs, evaluation time and trained flow");
        }
        if (!evaluation.hasCosts()) {
            throw new IllegalArgumentException("a candidate's evaluation must carry its forward and inverse costs");
        }
    }

    /** Seconds per sample for {@code emphasis}, from the cost model (what the search optimised). */
    public double cost(CostEmphasis emphasis) {
        return switch (emphasis) {
            case FORWARD -> evaluation.forwardCost();
            case INVERSE -> evaluation.inverseCost();
            case TRAINING -> trainingCost;
        };
    }

    /** By snake_case name, for run records. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", architecture.toString());
        m.put("test_nll", evaluation.testNll().mean());
        m.put("test_nll_error", evaluation.testNll().error());
        m.put("test_rows", evaluation.testNll().count());
        m.put("density", evaluation.density());
        m.put("coverage", evaluation.coverage());
        m.put("precision", evaluation.precision());
        m.put("recall", evaluation.recall());
        m.put("forward_cost_s_per_sample", evaluation.forwardCost());
        m.put("inverse_cost_s_per_sample", evaluation.inverseCost());
        m.put("forward_cost_measured_us", measured.forwardSeconds() * 1e6);
        m.put("inverse_cost_measured_us", measured.inverseSeconds() * 1e6);
        m.put("training_cost_s_per_sample", trainingCost);
        m.put("training", training.summary());
        m.put("training_wall_time_s", training.wallTime().toNanos() / 1e9);
        m.put("evaluation_wall_time_s", evaluationTime.toNanos() / 1e9);
        return m;
    }
}
