package io.autonf.flow.transforms;

/**
 * {@code maf}: nflows' MaskedAffineAutoregressiveTransform. A MADE with output multiplier 2 gives every feature
 * an unconstrained scale u and a shift from the features before it; z = (softplus(u) + 1e-3) x + shift and
 * log|det| = sum log(softplus(u) + 1e-3).
 */
public final class MaskedAffineAutoregressive extends AutoregressiveTransform {

    MaskedAffineAutoregressive(int dimension, ConditionerFactory conditioner) {
        super(dimension, conditioner, ElementwiseMaps.softplusAffineInterleaved());
    }
}
