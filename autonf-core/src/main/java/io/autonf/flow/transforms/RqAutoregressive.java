package io.autonf.flow.transforms;

import io.autonf.flow.LayerSettings;

import java.util.random.RandomGenerator;

/**
 * {@code rq-ar}: nflows' MaskedPiecewiseRationalQuadraticAutoregressiveTransform with linear tails. A MADE with
 * output multiplier 3K-1 gives every feature its spline: K widths, K heights, K-1 interior derivatives.
 *
 * <p>Unlike the coupling layer, the widths and heights are used unscaled: nflows 0.14 divides them by
 * sqrt(hidden features) only when the conditioner has a {@code hidden_features} attribute, and its MADE has none.
 */
public final class RqAutoregressive extends AutoregressiveTransform {

    /**
     * Builds the layer with {@code settings}' bins and tail bound and a residual MADE of its width and depth,
     * initialised from {@code rng}.
     */
    public RqAutoregressive(int dimension, LayerSettings settings, RandomGenerator rng) {
        this(dimension, settings, ConditionedTransforms.made(settings, rng));
    }

    RqAutoregressive(int dimension, LayerSettings settings, ConditionerFactory conditioner) {
        super(dimension, conditioner,
                ElementwiseMaps.rationalQuadratic(ConditionedTransforms.splineSettings(settings), 1.0));
    }
}
