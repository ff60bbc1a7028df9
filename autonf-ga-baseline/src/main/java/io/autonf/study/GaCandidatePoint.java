package io.autonf.study;

/**
 * One candidate the GA trained in a cell, for the Pareto plot: what the GA itself saw of it.
 *
 * @param cell          where
 * @param architecture  its architecture
 * @param validationNll validation NLL after the GA's candidate budget (not a test NLL; NaN when it failed)
 * @param costMicros    its emphasised cost from the cost model, µs per sample
 * @param fitness       the GA fitness
 */
public record GaCandidatePoint(StudyCell cell, String architecture, double validationNll, double costMicros,
                               double fitness) {

    public GaCandidatePoint {
        if (cell == null || architecture == null) {
            throw new IllegalArgumentException("a candidate point needs its cell and architecture");
        }
    }
}
