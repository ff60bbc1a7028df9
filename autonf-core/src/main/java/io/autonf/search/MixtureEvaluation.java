package io.autonf.search;

import java.util.Arrays;

/**
 * The result of one {@link MixtureFlow#evaluate evaluation} of a mixture on a batch.
 *
 * @param loss             the mean loss over the batch (the chosen {@link SearchLoss})
 * @param meanPathNll      mean −log p_k(x) of every path k, in lexicographic order over the mixed layers (the
 *                         first mixed layer most significant); one entry when no layer is mixed
 * @param layerEvaluations candidate-layer forward evaluations times rows that the evaluation performed
 */
public record MixtureEvaluation(double loss, double[] meanPathNll, long layerEvaluations) {

    public MixtureEvaluation {
        if (meanPathNll == null || meanPathNll.length == 0) {
            throw new IllegalArgumentException("an evaluation needs the NLL of at least one path");
        }
        if (layerEvaluations < 0) {
            throw new IllegalArgumentException("layer evaluations cannot be negative, got " + layerEvaluations);
        }
        meanPathNll = meanPathNll.clone();
    }

    @Override
    public double[] meanPathNll() {
        return meanPathNll.clone();
    }

    public int pathCount() {
        return meanPathNll.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MixtureEvaluation other && Double.compare(loss, other.loss) == 0
                && Arrays.equals(meanPathNll, other.meanPathNll) && layerEvaluations == other.layerEvaluations;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Double.hashCode(loss) + Arrays.hashCode(meanPathNll)) + Long.hashCode(layerEvaluations);
    }

    @Override
    public String toString() {
        return "MixtureEvaluation[loss=" + loss + ", paths=" + meanPathNll.length + ", layerEvaluations="
                + layerEvaluations + "]";
    }
}
