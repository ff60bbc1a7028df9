package io.autonf.cost;

import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Precision;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** Hand-made tables and tiny settings for the cost tests. */
final class CostFixtures {

    static final LayerSettings TINY = new LayerSettings(8, 1, 4, 3.0, Precision.FP64);

    /** One untimed round and one timed call per operation: a table of all kinds in well under a second. */
    static final MeasureOptions INSTANT = new MeasureOptions(16, 0.0, 0.0, 1, 0.0);

    static final Hardware OTHER_MACHINE = new Hardware("Imaginary CPU 9000", 64, "Nobody", "99+1", "Plan9", "mips",
            4);

    private CostFixtures() {
    }

    /**
     * A table whose kind k (in {@code kinds} order) costs (k+1) µs forward, 10(k+1) µs inverse, 3(k+1) µs
     * training, (k+1)e5 forward FLOPs and (k+1)e6 inverse FLOPs per sample.
     */
    static CostTable table(Hardware hardware, int dimension, LayerSettings settings, LayerKind... kinds) {
        Map<LayerKind, LayerCost> costs = new EnumMap<>(LayerKind.class);
        for (int k = 0; k < kinds.length; k++) {
            double s = k + 1;
            costs.put(kinds[k], new LayerCost(kinds[k], s * 1e-6, s * 1e-5, s * 3e-6, s * 1e5, s * 1e6));
        }
        return new CostTable(CostTable.FORMAT_VERSION, Instant.parse("2024-05-06T07:08:09.123456789Z"), hardware,
                dimension, settings, 512, 1, costs);
    }
}
