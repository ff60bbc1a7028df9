package io.autonf.cost;

import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;

/**
 * Analytic floating-point operations per sample of one layer ({@code reverse} + {@code lu} + the non-linear
 * transform), an estimate that does not depend on the machine and so explains the measured times.
 *
 * <p>What is counted:
 * <ul>
 *   <li>conditioner networks: 2·in·out per linear layer (one multiply and one add per weight), masked MADE layers
 *       counted as dense. Biases, ReLUs and residual additions (O(hidden) per layer, under 1% at the default
 *       widths) are left out, and so is anything done once per batch rather than per sample;</li>
 *   <li>{@code lu}: forward 2D² + D (the dense product L·U·x and the bias), inverse 2D² (two triangular
 *       substitutions, D(D-1) each, D divisions by the diagonal and D bias subtractions). {@code reverse} moves
 *       data and counts nothing;</li>
 *   <li>element-wise maps, per transformed feature, with every arithmetic operation and every exp, log, sqrt or
 *       tanh counted as one: the constants below;</li>
 *   <li>autoregressive inverses as the code runs them: D network passes, each followed by the element-wise
 *       inverse of all D features;</li>
 *   <li>coupling layers at an even position (layer index 0): ⌈D/2⌉ features transformed, conditioned on the other
 *       ⌊D/2⌋, which is the larger half when D is odd, so the figure is an upper bound for the odd positions.</li>
 * </ul>
 */
public final class Flops {

    /**
     * Affine map (maf, affine-c) per feature, both directions: softplus or sigmoid of the scale (3), the 1e-3 floor
     * (1), multiply and add (2), the log of the scale (1), the row sum of log|det| (1).
     */
    public static final double AFFINE_PER_ELEMENT = 8;

    /**
     * Rational-quadratic spline per feature and bin: the softmax and cumulative sum of the widths and of the
     * heights, about 6 operations per bin each (exp, max-subtraction, sum, division, scaling, running sum).
     */
    public static final double SPLINE_PER_BIN = 12;

    /**
     * Rational-quadratic spline per feature besides the bins: bin search, the two knot derivatives (softplus),
     * the rational-quadratic value and its derivative, two logs.
     */
    public static final double SPLINE_FORWARD_BASE = 40;

    /** As {@link #SPLINE_FORWARD_BASE}, plus the quadratic equation for the position in the bin (with a sqrt). */
    public static final double SPLINE_INVERSE_BASE = 50;

    /** Planar forward besides its 4D dot product and update: bias, tanh, log|det| from the slope (10). */
    public static final double PLANAR_FORWARD_EXTRA = 10;

    /** Planar inverse besides its 4D: {@link #PLANAR_FORWARD_EXTRA} and about 6 safeguarded Newton steps of 8. */
    public static final double PLANAR_INVERSE_EXTRA = PLANAR_FORWARD_EXTRA + 6 * 8;

    /** Radial forward besides its 5D (difference, squared norm, update): sqrt, h(r), two logs for log|det|. */
    public static final double RADIAL_FORWARD_EXTRA = 16;

    /** Radial inverse besides its 5D: {@link #RADIAL_FORWARD_EXTRA} and the closed-form root of a quadratic. */
    public static final double RADIAL_INVERSE_EXTRA = 21;

    private Flops() {
    }

    /** Operations per sample of the forward pass (density evaluation) of one layer of {@code kind}. */
    public static double forward(LayerKind kind, int dimension, LayerSettings settings) {
        requireArguments(kind, dimension, settings);
        if (kind == LayerKind.IDENTITY) {
            return 0;
        }
        int d = dimension;
        double nonLinear = switch (kind) {
            case MAF -> made(d, 2, settings) + d * AFFINE_PER_ELEMENT;
            case RQ_AR -> made(d, splineParameters(settings), settings) + d * splineForward(settings);
            case AFFINE_C -> coupling(d, 2, settings) + transformedFeatures(d) * AFFINE_PER_ELEMENT;
            case RQ_C -> coupling(d, splineParameters(settings), settings)
                    + transformedFeatures(d) * splineForward(settings);
            case PLANAR -> 4.0 * d + PLANAR_FORWARD_EXTRA;
            case RADIAL -> 5.0 * d + RADIAL_FORWARD_EXTRA;
            case IDENTITY -> 0;
        };
        return luForward(d) + nonLinear;
    }

    /** Operations per sample of the inverse pass (sampling) of one layer of {@code kind}. */
    public static double inverse(LayerKind kind, int dimension, LayerSettings settings) {
        requireArguments(kind, dimension, settings);
        if (kind == LayerKind.IDENTITY) {
            return 0;
        }
        int d = dimension;
        double nonLinear = switch (kind) {
            // D sequential passes, each inverting all D features from the parameters of the current estimate.
            case MAF -> d * (made(d, 2, settings) + d * AFFINE_PER_ELEMENT);
            case RQ_AR -> d * (made(d, splineParameters(settings), settings) + d * splineInverse(settings));
            case AFFINE_C -> coupling(d, 2, settings) + transformedFeatures(d) * AFFINE_PER_ELEMENT;
            case RQ_C -> coupling(d, splineParameters(settings), settings)
                    + transformedFeatures(d) * splineInverse(settings);
            case PLANAR -> 4.0 * d + PLANAR_INVERSE_EXTRA;
            case RADIAL -> 5.0 * d + RADIAL_INVERSE_EXTRA;
            case IDENTITY -> 0;
        };
        return luInverse(d) + nonLinear;
    }

    /**
     * A residual network (nflows' ResidualNet, or a MADE counted dense): initial layer in → H, {@code blocks}
     * blocks of two H → H layers, final layer H → out.
     */
    public static double network(int inputs, int outputs, int hidden, int blocks) {
        if (inputs < 1 || outputs < 1 || hidden < 1 || blocks < 0) {
            throw new IllegalArgumentException("a network needs positive inputs, outputs and hidden width and no negative "
                    + "block count, got " + inputs + ", " + outputs + ", " + hidden + ", " + blocks);
        }
        double h = hidden;
        return 2.0 * (inputs * h + 2.0 * blocks * h * h + h * outputs);
    }

    public static double luForward(int dimension) {
        return 2.0 * dimension * dimension + dimension;
    }

    public static double luInverse(int dimension) {
        return 2.0 * dimension * dimension;
    }

    public static double splineForward(LayerSettings settings) {
        return SPLINE_PER_BIN * settings.bins() + SPLINE_FORWARD_BASE;
    }

    public static double splineInverse(LayerSettings settings) {
        return SPLINE_PER_BIN * settings.bins() + SPLINE_INVERSE_BASE;
    }

    /** Features a coupling layer at an even position transforms: ⌈D/2⌉. */
    public static int transformedFeatures(int dimension) {
        return (dimension + 1) / 2;
    }

    private static double made(int d, int parametersPerFeature, LayerSettings s) {
        return network(d, d * parametersPerFeature, s.hiddenFeatures(), s.blocks());
    }

    private static double coupling(int d, int parametersPerFeature, LayerSettings s) {
        int transformed = transformedFeatures(d);
        return network(d - transformed, transformed * parametersPerFeature, s.hiddenFeatures(), s.blocks());
    }

    /** K widths, K heights and K-1 interior derivatives. */
    private static int splineParameters(LayerSettings s) {
        return 3 * s.bins() - 1;
    }

    private static void requireArguments(LayerKind kind, int dimension, LayerSettings settings) {
        if (kind == null || settings == null) {
            throw new IllegalArgumentException("a layer kind and layer settings are required");
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        if ((kind == LayerKind.AFFINE_C || kind == LayerKind.RQ_C) && dimension < 2) {
            throw new IllegalArgumentException("a coupling layer (" + kind + ") needs at least 2 features, got " + dimension);
        }
    }
}
