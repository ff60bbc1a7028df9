package io.autonf.metric;

import io.autonf.train.NllEstimate;

/**
 * How good and how expensive one trained flow is: its test NLL, the sample-quality metrics of its samples
 * against test points, and its costs.
 *
 * @param testNll         mean test NLL in nats per sample, ± two standard errors
 * @param prdc            precision, recall, density and coverage of the flow's samples against test points
 * @param samples         number of flow samples the metrics used
 * @param referencePoints number of test points the metrics used
 * @param k               neighbours per ball
 * @param forwardCost     seconds per sample of density evaluation (data to noise); NaN when not given
 * @param inverseCost     seconds per sample of sampling (noise to data); NaN when not given
 */
public record FlowEvaluation(NllEstimate testNll, PrdcResult prdc, int samples, int referencePoints, int k,
                             double forwardCost, double inverseCost) {

    public FlowEvaluation {
        if (testNll == null || prdc == null) {
            throw new IllegalArgumentException("an evaluation needs a test NLL and the sample metrics");
        }
        if (k < 1 || samples < k + 1 || referencePoints < k + 1) {
            throw new IllegalArgumentException("k = " + k + " needs more than k samples and reference points, got "
                    + samples + " and " + referencePoints);
        }
        requireCost("forward", forwardCost);
        requireCost("inverse", inverseCost);
    }

    /** This evaluation with the two costs (seconds per sample), e.g. from the cost model. */
    public FlowEvaluation withCosts(double forwardSecondsPerSample, double inverseSecondsPerSample) {
        return new FlowEvaluation(testNll, prdc, samples, referencePoints, k, forwardSecondsPerSample,
                inverseSecondsPerSample);
    }

    /** Whether both costs are given. */
    public boolean hasCosts() {
        return !Double.isNaN(forwardCost) && !Double.isNaN(inverseCost);
    }

    public double density() {
        return prdc.density();
    }

    public double coverage() {
        return prdc.coverage();
    }

    public double precision() {
        return prdc.precision();
    }

    public double recall() {
        return prdc.recall();
    }

    private static void requireCost(String name, double seconds) {
        if (!Double.isNaN(seconds) && !(seconds >= 0 && Double.isFinite(seconds))) {
            throw new IllegalArgumentException(name + " cost must be NaN (not given) or finite and non-negative seconds"
                    + " per sample, got " + seconds);
        }
    }
}
