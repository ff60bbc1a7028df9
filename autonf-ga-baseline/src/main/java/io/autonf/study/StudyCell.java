package io.autonf.study;

import io.autonf.cost.CostEmphasis;

/**
 * One cell of a study: a data set, the emphasised cost and a seed.
 *
 * @param dataset  the data spec, as in {@link StudyConfig#datasets()}
 * @param emphasis forward or inverse
 * @param seed     seeds the searches, the trainings and the evaluation
 */
public record StudyCell(String dataset, CostEmphasis emphasis, long seed) {

    public StudyCell {
        if (dataset == null || dataset.isBlank() || emphasis == null) {
            throw new IllegalArgumentException("a cell needs a data set and an emphasis");
        }
    }

    /** A short label such as {@code power-sample/forward/seed1}, for logs and run names. */
    public String label() {
        return dataset + "/" + emphasis.id() + "/seed" + seed;
    }
}
