package io.autonf.flow.transforms;

/**
 * {@code affine-c}: nflows' AffineCouplingTransform (RealNVP). A residual network reads the identity features and
 * outputs [T shifts | T unconstrained scales u] for the T transformed features; z = (sigmoid(u + 2) + 1e-3) x +
 * shift on those, identity elsewhere.
 */
public final class AffineCoupling extends CouplingTransform {

    AffineCoupling(int dimension, boolean evenMask, ConditionerFactory conditioner) {
        super(dimension, evenMask, conditioner, net -> ElementwiseMaps.sigmoidAffineSplit(), 2);
    }
}
