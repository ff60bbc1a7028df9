package io.autonf.flow.transforms;

import io.autonf.flow.Batch;

import java.util.random.RandomGenerator;

/** Inputs for the spline transforms' checks. */
final class SplineInputs {

    private SplineInputs() {
    }

    /**
     * Normal draws with standard deviation {@code bound} (about a third fall in the linear tails), with one entry
     * per row forced a little outside the bound, alternately below and above.
     */
    static Batch reachingTheTails(int rows, int cols, double bound, RandomGenerator rng) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = bound * rng.nextGaussian();
        }
        for (int r = 0; r < rows; r++) {
            v[r * cols + r % cols] = (r % 2 == 0 ? 1 : -1) * (bound + 0.25 + 0.5 * rng.nextDouble());
        }
        return new Batch(v, rows, cols);
    }
}
