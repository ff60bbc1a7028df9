package io.autonf.flow.transforms;

import io.autonf.flow.LayerSettings;

/**
 * {@code rq-c}: nflows' PiecewiseRationalQuadraticCouplingTransform with linear tails. A residual network reads
 * the identity features and outputs, per transformed feature, K widths, K heights and K-1 interior derivatives
 * (the view (B, T, 3K-1)); widths and heights are divided by sqrt(hidden features) before the softmax, as nflows
 * does for a conditioner with a {@code hidden_features} attribute.
 */
public final class RqCoupling extends CouplingTransform {

    RqCoupling(int dimension, boolean evenMask, LayerSettings settings, ConditionerFactory conditioner) {
        super(dimension, evenMask, conditioner,
                net -> ElementwiseMaps.rationalQuadratic(RqAutoregressive.splineSettings(settings),
                        ConditionedTransforms.inverseSqrtHidden(net)),
                3 * bins(settings) - 1);
    }

    private static int bins(LayerSettings settings) {
        return RqAutoregressive.splineSettings(settings).bins();
    }
}
