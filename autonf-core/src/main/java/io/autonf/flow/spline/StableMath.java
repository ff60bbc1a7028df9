package io.autonf.flow.spline;

/**
 * Scalar functions written so that they neither overflow nor lose precision for large arguments.
 *
 * <p>The textbook {@code log(1 + exp(u))} overflows to infinity once {@code exp(u)} does (about u = 88 in fp32,
 * 709 in fp64), and one infinite derivative is enough to turn a whole spline layer into NaN during training.
 */
public final class StableMath {

    private StableMath() {
    }

    /** log(1 + e^u), exact to rounding for every finite u (u for large u, e^u for very negative u). */
    public static double softplus(double u) {
        return Math.max(u, 0.0) + Math.log1p(Math.exp(-Math.abs(u)));
    }

    /** 1 / (1 + e^-u), the derivative of {@link #softplus}; never evaluates an exponential of a positive number. */
    public static double sigmoid(double u) {
        if (u >= 0) {
            return 1.0 / (1.0 + Math.exp(-u));
        }
        double e = Math.exp(u);
        return e / (1.0 + e);
    }

    /** The u with softplus(u) = y, for y &gt; 0: log(e^y - 1), computed without cancellation for small y. */
    public static double inverseSoftplus(double y) {
        if (!(y > 0)) {
            throw new IllegalArgumentException("softplus only takes positive values, got " + y);
        }
        return y + Math.log(-Math.expm1(-y));
    }
}
