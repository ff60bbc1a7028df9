package io.autonf.flow;

/**
 * Hyper-parameters shared by the layers of one flow.
 *
 * @param hiddenFeatures width of the conditioner networks' hidden layers
 * @param blocks         residual blocks per conditioner network
 * @param bins           spline bins K of the rational-quadratic layers
 * @param tailBound      B: the splines act on [-B, B] and are the identity outside it
 * @param precision      arithmetic of the conditioner networks
 */
public record LayerSettings(int hiddenFeatures, int blocks, int bins, double tailBound, Precision precision) {

    /** The NSF defaults for tabular data: 2 residual blocks of 256, 8 bins, tail bound 3, fp32. */
    public static final LayerSettings DEFAULT = new LayerSettings(256, 2, 8, 3.0, Precision.FP32);

    public LayerSettings {
        if (hiddenFeatures < 1) {
            throw new IllegalArgumentException("hidden features must be positive, got " + hiddenFeatures);
        }
        if (blocks < 0) {
            throw new IllegalArgumentException("residual blocks must be zero or more, got " + blocks);
        }
        if (bins < 1) {
            throw new IllegalArgumentException("spline bins must be positive, got " + bins);
        }
        if (!(tailBound > 0) || Double.isInfinite(tailBound)) {
            throw new IllegalArgumentException("tail bound must be a positive finite number, got " + tailBound);
        }
        if (precision == null) {
            throw new IllegalArgumentException("precision is required");
        }
    }

    public LayerSettings withHiddenFeatures(int h) {
        return new LayerSettings(h, blocks, bins, tailBound, precision);
    }

    public LayerSettings withBlocks(int b) {
        return new LayerSettings(hiddenFeatures, b, bins, tailBound, precision);
    }

    public LayerSettings withBins(int k) {
        return new LayerSettings(hiddenFeatures, blocks, k, tailBound, precision);
    }

    public LayerSettings withTailBound(double bound) {
        return new LayerSettings(hiddenFeatures, blocks, bins, bound, precision);
    }

    public LayerSettings withPrecision(Precision p) {
        return new LayerSettings(hiddenFeatures, blocks, bins, tailBound, p);
    }
}
