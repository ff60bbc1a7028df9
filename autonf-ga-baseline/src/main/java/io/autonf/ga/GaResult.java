package io.autonf.ga;

import io.autonf.flow.Architecture;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a GA run.
 *
 * @param config           what ran
 * @param best             the candidate with the lowest fitness of the whole run (the first trained on a tie)
 * @param generations      statistics after every generation, in order
 * @param candidates       every candidate trained, in index order
 * @param layerEvaluations compute spent by all trainings (see the package documentation)
 * @param wallTime         time of the GA alone (no cost measurement, retraining or evaluation)
 * @param stopReason       why it ended
 */
public record GaResult(GaConfig config, CandidateEvaluation best, List<GenerationStatistics> generations,
                       List<CandidateEvaluation> candidates, long layerEvaluations, Duration wallTime,
                       GaStopReason stopReason) {

    public GaResult {
        if (config == null || best == null || generations == null || candidates == null || wallTime == null
                || stopReason == null) {
            throw new IllegalArgumentException("a GA result needs its configuration, best candidate, generations, "
                    + "candidates, wall time and stop reason");
        }
        generations = List.copyOf(generations);
        candidates = List.copyOf(candidates);
    }

    public Architecture bestArchitecture() {
        return best.architecture();
    }

    /** Candidates trained (each distinct architecture once). */
    public int trainings() {
        return candidates.size();
    }

    public long failures() {
        return candidates.stream().filter(CandidateEvaluation::failed).count();
    }

    /** By snake_case name, for run records. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", best.architecture().toString());
        m.put("fitness", best.fitness());
        m.put("validation_nll", best.validationNll());
        m.put("cost", best.cost());
        m.put("generations", generations.size());
        m.put("trainings", trainings());
        m.put("failures", failures());
        m.put("layer_evaluations", layerEvaluations);
        m.put("ga_wall_time_s", wallTime.toNanos() / 1e9);
        m.put("stop_reason", stopReason.id());
        return m;
    }
}
