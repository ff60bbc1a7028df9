package io.autonf.flow.spline;

/**
 * The fixed shape of a rational-quadratic spline with linear tails.
 *
 * @param bins           K, the number of bins on [-tailBound, tailBound]
 * @param tailBound      B: the spline maps [-B, B] onto itself and is the identity outside
 * @param minBinWidth    every bin is at least this fraction of 2B wide
 * @param minBinHeight   every bin is at least this fraction of 2B high
 * @param minDerivative  lower bound of the derivative at every interior knot
 */
public record SplineSettings(int bins, double tailBound, double minBinWidth, double minBinHeight, double minDerivative) {

    /** The nflows defaults for the three minima. */
    public static final double DEFAULT_MIN_BIN_WIDTH = 1e-3;
    public static final double DEFAULT_MIN_BIN_HEIGHT = 1e-3;
    public static final double DEFAULT_MIN_DERIVATIVE = 1e-3;

    public SplineSettings {
        if (bins < 1) {
            throw new IllegalArgumentException("a spline needs at least one bin, got " + bins);
        }
        if (!(tailBound > 0) || Double.isInfinite(tailBound)) {
            throw new IllegalArgumentException("tail bound must be a positive finite number, got " + tailBound);
        }
        requireFraction("minimal bin width", minBinWidth, bins);
        requireFraction("minimal bin height", minBinHeight, bins);
        // The boundary derivatives are pinned to exactly 1 = minDerivative + softplus(c), which needs c finite.
        if (!(minDerivative >= 0 && minDerivative < 1)) {
            throw new IllegalArgumentException("minimal derivative must be in [0, 1), got " + minDerivative);
        }
    }

    private static void requireFraction(String what, double value, int bins) {
        if (!(value >= 0) || value * bins > 1.0) {
            throw new IllegalArgumentException(what + " " + value + " is not in [0, 1/" + bins + "] for " + bins + " bins");
        }
    }

    /** K bins on [-B, B] with the nflows default minima. */
    public static SplineSettings of(int bins, double tailBound) {
        return new SplineSettings(bins, tailBound, DEFAULT_MIN_BIN_WIDTH, DEFAULT_MIN_BIN_HEIGHT, DEFAULT_MIN_DERIVATIVE);
    }

    /** Unnormalised parameters per element: K widths, K heights and K-1 interior derivatives. */
    public int parametersPerElement() {
        return 3 * bins - 1;
    }
}
