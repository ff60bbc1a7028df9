package io.autonf.flow.transforms;

import io.autonf.flow.LayerSettings;

import java.util.random.RandomGenerator;

/**
 * {@code maf}: nflows' MaskedAffineAutoregressiveTransform. A MADE with output multiplier 2 gives every feature
 * an unconstrained scale u and a shift from the features before it; z = (softplus(u) + 1e-3) x + shift and
 * log|det| = sum log(softplus(u) + 1e-3).
 */
public final class MaskedAffineAutoregressive extends AutoregressiveTransform {

    /** Builds the layer with a residual MADE of {@code settings}' width and depth, initialised from {@code rng}. */
    public MaskedAffineAutoregressive(int dimension, LayerSettings settings, RandomGenerator rng) {
        this(dimension, ConditionedTransforms.made(settings, rng));
    }

    MaskedAffineAutoregressive(int dimension, ConditionerFactory conditioner) {
        super(dimension, conditioner, ElementwiseMaps.softplusAffineInterleaved());
    }
}
