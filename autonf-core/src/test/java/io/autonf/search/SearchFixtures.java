package io.autonf.search;

import io.autonf.cost.CostEmphasis;
import io.autonf.cost.CostTable;
import io.autonf.cost.Hardware;
import io.autonf.cost.LayerCost;
import io.autonf.flow.Batch;
import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Precision;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Small data and hand-made cost tables for search tests. */
final class SearchFixtures {

    static final LayerSettings TINY = new LayerSettings(8, 1, 4, 3.0, Precision.FP64);

    private SearchFixtures() {
    }

    /**
     * {@code rows} samples of a correlated, skewed 2-D density: x0 ~ N(0, 1), x1 = 0.8 x0 + 0.3 x0² + 0.4 ε.
     * An affine autoregressive layer fits the correlation; nothing here is standard normal.
     */
    static Batch skewed(int rows, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[rows * 2];
        for (int r = 0; r < rows; r++) {
            double x0 = rng.nextGaussian();
            v[2 * r] = x0;
            v[2 * r + 1] = 0.8 * x0 + 0.3 * (x0 * x0 - 1) + 0.4 * rng.nextGaussian();
        }
        return new Batch(v, rows, 2);
    }

    /** A table in which each kind costs {@code seconds[kind]} for every emphasis. */
    static CostTable costs(int dimension, Map<LayerKind, Double> seconds) {
        Map<LayerKind, LayerCost> layers = new EnumMap<>(LayerKind.class);
        seconds.forEach((kind, s) -> layers.put(kind, new LayerCost(kind, s, s, 3 * s, 100, 100)));
        return new CostTable(CostTable.FORMAT_VERSION, Instant.EPOCH, Hardware.current(), dimension, TINY, 64, 1, layers);
    }

    static double cost(CostTable t, LayerKind k) {
        return t.cost(k, CostEmphasis.FORWARD);
    }
}
