package io.autonf.study;

import io.autonf.ga.GaObjective;

import java.util.List;

/**
 * Objective against compute in one cell, both searches on the GA's objective ({@link GaObjective}: validation NLL
 * after the GA's candidate budget + λ·normalised cost).
 *
 * <ul>
 *   <li><b>AutoNF</b>: after every block visit, the architecture AutoNF would return if stopped there (the argmax of
 *       every layer; a layer not visited yet has uniform α, whose argmax is the first option) is scored with the GA's
 *       objective, against the layer evaluations AutoNF had spent by then. Those scoring trainings are a
 *       measurement, not part of the method: they are charged neither to AutoNF's compute nor to its wall time.
 *       The objective is that of the current argmax, not the best so far: AutoNF has no way to know which
 *       earlier argmax would have scored better.</li>
 *   <li><b>GA</b>: after every generation, the best fitness so far against the GA's layer evaluations so far.</li>
 * </ul>
 *
 * @param autonf                points in order of compute (objective {@link GaObjective#FAILED_FITNESS} when the
 *                              scoring training failed)
 * @param ga                    one point per generation
 * @param gaBest                the GA's best objective
 * @param gaCompute             the GA's total layer evaluations
 * @param autonfComputeToReach  the layer evaluations of AutoNF's first point whose objective is at most
 *                              {@code gaBest}; -1 when none is
 * @param failure               why the comparison could not be made (a search failed), or null
 */
public record Convergence(StudyCell cell, List<Point> autonf, List<Point> ga, double gaBest, long gaCompute,
                          long autonfComputeToReach, String failure) {

    /** One measurement: compute spent so far and the objective reached. */
    public record Point(long layerEvaluations, double objective, String architecture) {
    }

    public Convergence {
        if (cell == null || autonf == null || ga == null) {
            throw new IllegalArgumentException("a convergence record needs its cell and both curves");
        }
        autonf = List.copyOf(autonf);
        ga = List.copyOf(ga);
    }

    /** Compares the two curves; see the class documentation. */
    public static Convergence of(StudyCell cell, List<Point> autonf, List<Point> ga, double gaBest, long gaCompute) {
        long reach = -1;
        if (gaBest < GaObjective.FAILED_FITNESS) {
            for (Point p : autonf) {
                if (p.objective() <= gaBest) {
                    reach = p.layerEvaluations();
                    break;
                }
            }
        }
        return new Convergence(cell, autonf, ga, gaBest, gaCompute, reach, null);
    }

    public static Convergence failed(StudyCell cell, String failure) {
        return new Convergence(cell, List.of(), List.of(), Double.NaN, 0, -1,
                failure == null || failure.isBlank() ? "failed without a message" : failure);
    }

    public boolean failed() {
        return failure != null;
    }

    /** Whether AutoNF's objective reached the GA's best. */
    public boolean reached() {
        return failure == null && autonfComputeToReach >= 0;
    }

    /** AutoNF's compute to reach the GA's best as a fraction of the GA's whole compute; NaN when not reached. */
    public double fraction() {
        return reached() && gaCompute > 0 ? (double) autonfComputeToReach / gaCompute : Double.NaN;
    }

    /** Whether the architecture AutoNF finally chose (its last point) is at least as good as the GA's best. */
    public boolean finalReached() {
        return failure == null && !autonf.isEmpty() && autonfFinal() <= gaBest;
    }

    /** AutoNF's objective at its last point (its final architecture); NaN without points. */
    public double autonfFinal() {
        return autonf.isEmpty() ? Double.NaN : autonf.get(autonf.size() - 1).objective();
    }
}
