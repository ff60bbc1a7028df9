package io.autonf.flow.transforms;

import io.autonf.flow.LayerSettings;
import io.autonf.flow.spline.SplineSettings;

/**
 * {@code rq-ar}: nflows' MaskedPiecewiseRationalQuadraticAutoregressiveTransform with linear tails. A MADE with
 * output multiplier 3K-1 gives every feature its spline: K widths, K heights, K-1 interior derivatives.
 *
 * <p>Unlike the coupling layer, the widths and heights are used unscaled: nflows 0.14 divides them by
 * sqrt(hidden features) only when the conditioner has a {@code hidden_features} attribute, and its MADE has none.
 */
public final class RqAutoregressive extends AutoregressiveTransform {

    RqAutoregressive(int dimension, LayerSettings settings, ConditionerFactory conditioner) {
        super(dimension, conditioner,
                ElementwiseMaps.rationalQuadratic(splineSettings(settings), 1.0));
    }

    static SplineSettings splineSettings(LayerSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("layer settings are required");
        }
        return SplineSettings.of(settings.bins(), settings.tailBound());
    }
}
