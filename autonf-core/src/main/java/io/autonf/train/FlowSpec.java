package io.autonf.train;

import io.autonf.flow.Architecture;
import io.autonf.flow.Flow;
import io.autonf.flow.LayerSettings;

import java.util.SplittableRandom;

/**
 * Everything needed to build a flow again: its architecture, data dimension, layer settings and the seed of its
 * initialisation.
 */
public record FlowSpec(Architecture architecture, int dimension, LayerSettings settings, long seed) {

    public FlowSpec {
        if (architecture == null) {
            throw new IllegalArgumentException("architecture is required");
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("a flow needs at least one feature, got " + dimension);
        }
        if (settings == null) {
            throw new IllegalArgumentException("layer settings are required");
        }
    }

    /**
     * Builds the flow with {@code new SplittableRandom(seed)} as its initialisation source, so the same spec
     * always gives the same initial parameters.
     */
    public Flow build(FlowFactory factory) {
        Flow flow = factory.build(architecture, dimension, settings, new SplittableRandom(seed));
        if (flow == null || flow.dimension() != dimension) {
            throw new IllegalArgumentException("the flow factory built " + (flow == null ? "nothing" : "a flow of "
                    + flow.dimension() + " features") + " for " + architecture + " on " + dimension + " features");
        }
        return flow;
    }
}
