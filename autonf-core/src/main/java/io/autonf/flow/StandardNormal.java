package io.autonf.flow;

import java.util.random.RandomGenerator;

/** The standard normal base distribution N(0, I) of a flow. */
public final class StandardNormal {

    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private final int dimension;

    public StandardNormal(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        this.dimension = dimension;
    }

    public int dimension() {
        return dimension;
    }

    /** log N(z; 0, I) per row. */
    public double[] logProb(Batch z) {
        z.requireCols(dimension, "StandardNormal");
        double[] out = new double[z.rows()];
        double[] v = z.values();
        for (int r = 0; r < z.rows(); r++) {
            double sq = 0;
            int base = r * dimension;
            for (int c = 0; c < dimension; c++) {
                sq += v[base + c] * v[base + c];
            }
            out[r] = -0.5 * sq - dimension * LOG_SQRT_2PI;
        }
        return out;
    }

    public Batch sample(int n, RandomGenerator rng) {
        double[] v = new double[Math.multiplyExact(n, dimension)];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        return new Batch(v, n, dimension);
    }
}
