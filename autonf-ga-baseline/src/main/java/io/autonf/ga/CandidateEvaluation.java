package io.autonf.ga;

import io.autonf.flow.Architecture;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One candidate the GA trained and scored.
 *
 * @param index            its place among the run's trainings, from 0 (the order is deterministic)
 * @param generation       the generation whose evaluation trained it, from 1
 * @param architecture     the decoded architecture
 * @param seed             the seed of its training
 * @param validationNll    validation NLL after the candidate budget (NaN when it failed)
 * @param cost             normalised cost of the architecture for the emphasis (NaN without a cost table)
 * @param fitness          validation NLL + λ·cost, or {@link GaObjective#FAILED_FITNESS} when it failed
 * @param stepsRun         optimisation steps taken
 * @param layerEvaluations compute spent training it
 * @param trainingTime     wall time of its training
 * @param failure          why it failed, or null
 */
public record CandidateEvaluation(int index, int generation, Architecture architecture, long seed,
                                  double validationNll, double cost, double fitness, int stepsRun,
                                  long layerEvaluations, Duration trainingTime, String failure) {

    public CandidateEvaluation {
        if (architecture == null || trainingTime == null) {
            throw new IllegalArgumentException("a candidate evaluation needs its architecture and training time");
        }
        if (index < 0 || generation < 1) {
            throw new IllegalArgumentException("index must be >= 0 and generation >= 1, got " + index + " and "
                    + generation);
        }
        if (Double.isNaN(fitness) || Double.isInfinite(fitness)) {
            throw new IllegalArgumentException("fitness must be finite (a failure scores FAILED_FITNESS), got "
                    + fitness);
        }
    }

    public boolean failed() {
        return failure != null;
    }

    /** By snake_case name, for run records (a nested run per candidate). */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("generation", generation);
        m.put("architecture", architecture.toString());
        m.put("seed", seed);
        m.put("validation_nll", validationNll);
        m.put("cost", cost);
        m.put("fitness", fitness);
        m.put("steps_run", stepsRun);
        m.put("layer_evaluations", layerEvaluations);
        m.put("training_time_s", trainingTime.toNanos() / 1e9);
        m.put("failed", failed());
        if (failure != null) {
            m.put("failure", failure);
        }
        return m;
    }
}
