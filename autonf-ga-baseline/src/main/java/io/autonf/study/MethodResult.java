package io.autonf.study;

import io.autonf.cost.CostEmphasis;
import io.autonf.metric.FlowEvaluation;
import io.autonf.metric.Fom;
import io.autonf.search.Candidate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One method's numbers in one cell, or why it failed.
 *
 * @param architecture     the flow trained from scratch and evaluated (null when it failed before one was chosen)
 * @param testNll          mean test NLL, nats per sample
 * @param testNllError     its ±2 standard errors over the test rows
 * @param density          density of the flow's samples against the test points (Naeem et al.)
 * @param coverage         coverage, likewise
 * @param costMicros       the emphasised cost from the cost model (what the searches optimise), µs per sample
 * @param fom              figure of merit against the emphasis' reference ({@link StudyMethod#referenceFor}); 0 for
 *                         that reference itself, NaN when the reference failed
 * @param layerEvaluations compute the search spent (see {@code io.autonf.ga}); 0 for a reference, which is not
 *                         searched
 * @param wallTimeSeconds  search plus final training (a reference: its training alone); evaluation not included
 * @param failure          why it failed, or null
 * @param details          the method's full record by snake_case name (the pipeline's summary), for tracking
 */
public record MethodResult(StudyCell cell, StudyMethod method, String architecture, double testNll,
                           double testNllError, double density, double coverage, double costMicros, double fom,
                           long layerEvaluations, double wallTimeSeconds, String failure, Map<String, Object> details) {

    public MethodResult {
        if (cell == null || method == null) {
            throw new IllegalArgumentException("a method result needs its cell and method");
        }
        if (failure != null && failure.isBlank()) {
            throw new IllegalArgumentException("a failure needs a message");
        }
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public boolean failed() {
        return failure != null;
    }

    /** A method that failed: every number NaN. */
    public static MethodResult failed(StudyCell cell, StudyMethod method, String failure) {
        return new MethodResult(cell, method, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, 0, Double.NaN, failure == null || failure.isBlank() ? "failed without a message" : failure,
                Map.of());
    }

    /**
     * The numbers of a flow trained from scratch and evaluated.
     *
     * @param reference the emphasis' reference, or null when it failed (the FOM is then NaN)
     */
    public static MethodResult of(StudyCell cell, StudyMethod method, Candidate found, Candidate reference,
                                  long layerEvaluations, double searchSeconds, Map<String, Object> details) {
        return of(cell, method, TrainedFlow.of(found), reference == null ? null : reference.evaluation(),
                layerEvaluations, searchSeconds, details);
    }

    /**
     * The numbers of a flow trained from scratch and evaluated, from what a study keeps of it.
     *
     * @param reference the evaluation of the emphasis' reference, or null when it failed (the FOM is then NaN)
     */
    public static MethodResult of(StudyCell cell, StudyMethod method, TrainedFlow found, FlowEvaluation reference,
                                  long layerEvaluations, double searchSeconds, Map<String, Object> details) {
        CostEmphasis e = cell.emphasis();
        double fom = Double.NaN;
        if (reference != null) {
            try {
                fom = Fom.of(found.evaluation(), reference, e).value();
            } catch (IllegalArgumentException noFom) {
                // A reference whose samples have zero density has no relative density change: no FOM.
                fom = Double.NaN;
            }
        }
        return new MethodResult(cell, method, found.architecture(), found.evaluation().testNll().mean(),
                found.evaluation().testNll().error(), found.evaluation().density(), found.evaluation().coverage(),
                found.cost(e) * 1e6, fom, layerEvaluations, searchSeconds + found.trainingSeconds(), null, details);
    }

    /** A copy with another wall time (tests compare runs without their timings). */
    public MethodResult withWallTime(double seconds) {
        return new MethodResult(cell, method, architecture, testNll, testNllError, density, coverage, costMicros, fom,
                layerEvaluations, seconds, failure, details);
    }
}
