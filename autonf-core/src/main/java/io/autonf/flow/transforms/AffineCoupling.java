package io.autonf.flow.transforms;

import io.autonf.flow.LayerSettings;

import java.util.random.RandomGenerator;

/**
 * {@code affine-c}: nflows' AffineCouplingTransform (RealNVP). A residual network reads the identity features and
 * outputs [T shifts | T unconstrained scales u] for the T transformed features; z = (sigmoid(u + 2) + 1e-3) x +
 * shift on those, identity elsewhere.
 */
public final class AffineCoupling extends CouplingTransform {

    /**
     * Builds the layer with a ResidualNet of {@code settings}' width and depth, initialised from {@code rng}.
     *
     * @param evenMask true: features 0, 2, 4, ... are transformed (nflows' alternating mask, even=True)
     */
    public AffineCoupling(int dimension, boolean evenMask, LayerSettings settings, RandomGenerator rng) {
        this(dimension, evenMask, ConditionedTransforms.residual(settings, rng));
    }

    AffineCoupling(int dimension, boolean evenMask, ConditionerFactory conditioner) {
        super(dimension, evenMask, conditioner, net -> ElementwiseMaps.sigmoidAffineSplit(), 2);
    }
}
