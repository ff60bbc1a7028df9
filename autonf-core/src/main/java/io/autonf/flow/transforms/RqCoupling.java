package io.autonf.flow.transforms;

import io.autonf.flow.LayerSettings;

import java.util.random.RandomGenerator;

/**
 * {@code rq-c}: nflows' PiecewiseRationalQuadraticCouplingTransform with linear tails. A residual network reads
 * the identity features and outputs, per transformed feature, K widths, K heights and K-1 interior derivatives
 * (the view (B, T, 3K-1)); widths and heights are divided by sqrt(hidden features) before the softmax, as nflows
 * does for a conditioner with a {@code hidden_features} attribute.
 */
public final class RqCoupling extends CouplingTransform {

    /**
     * Builds the layer with {@code settings}' bins and tail bound and a ResidualNet of its width and depth,
     * initialised from {@code rng}.
     *
     * @param evenMask true: features 0, 2, 4, ... are transformed (nflows' alternating mask, even=True)
     */
    public RqCoupling(int dimension, boolean evenMask, LayerSettings settings, RandomGenerator rng) {
        this(dimension, evenMask, settings, ConditionedTransforms.residual(settings, rng));
    }

    RqCoupling(int dimension, boolean evenMask, LayerSettings settings, ConditionerFactory conditioner) {
        super(dimension, evenMask, conditioner,
                net -> ElementwiseMaps.rationalQuadratic(ConditionedTransforms.splineSettings(settings),
                        ConditionedTransforms.inverseSqrtHidden(net)),
                ConditionedTransforms.splineSettings(settings).parametersPerElement());
    }
}
