package io.autonf.study;

import io.autonf.cost.CostEmphasis;
import io.autonf.metric.FlowEvaluation;
import io.autonf.search.Candidate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a study keeps of a flow trained from scratch and evaluated: everything its rows and the figures of merit
 * against it are computed from, without the trained flow itself, so that a {@link StudyCheckpoint} can carry a
 * reference to a resumed study.
 *
 * @param architecture    as written in reports
 * @param evaluation      its test NLL, sample metrics and modelled costs
 * @param trainingCost    seconds per sample of one training step, from the cost model
 * @param trainingSeconds wall time of its training
 * @param summary         the candidate's record by snake_case name ({@link Candidate#summary()})
 */
public record TrainedFlow(String architecture, FlowEvaluation evaluation, double trainingCost,
                          double trainingSeconds, Map<String, Object> summary) {

    public TrainedFlow {
        if (architecture == null || evaluation == null || summary == null) {
            throw new IllegalArgumentException("a trained flow needs its architecture, evaluation and summary");
        }
        if (!evaluation.hasCosts()) {
            throw new IllegalArgumentException("a trained flow's evaluation must carry its forward and inverse costs");
        }
        summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary));
    }

    public static TrainedFlow of(Candidate candidate) {
        return new TrainedFlow(candidate.architecture().toString(), candidate.evaluation(), candidate.trainingCost(),
                candidate.training().wallTime().toNanos() / 1e9, candidate.summary());
    }

    /** Seconds per sample for {@code emphasis}, as {@link Candidate#cost}. */
    public double cost(CostEmphasis emphasis) {
        return switch (emphasis) {
            case FORWARD -> evaluation.forwardCost();
            case INVERSE -> evaluation.inverseCost();
            case TRAINING -> trainingCost;
        };
    }
}
