package io.autonf.flow.numeric;

/**
 * softplus(x) = log(1 + e^x), its derivative (the logistic sigmoid) and its inverse, evaluated without
 * overflow for any finite argument and without losing the tiny values far in the negative tail, where
 * constraints like "diagonal > 0" or "u.w >= -1" are decided.
 */
public final class Softplus {

    private Softplus() {
    }

    /** log(1 + e^x); equals x up to rounding for large x and e^x for very negative x. */
    public static double value(double x) {
        // max(x, 0) + log1p(e^-|x|): e^-|x| never overflows and log1p keeps the tail's relative precision.
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** d softplus / dx = 1 / (1 + e^-x). */
    public static double derivative(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** The x with softplus(x) = y, for y > 0: log(e^y - 1). */
    public static double inverse(double y) {
        if (!(y > 0) || Double.isInfinite(y)) {
            throw new IllegalArgumentException("softplus inverse needs a positive finite value, got " + y);
        }
        // For large y, log(e^y - 1) = y + log(1 - e^-y) avoids overflowing e^y.
        return y > 30 ? y + Math.log1p(-Math.exp(-y)) : Math.log(Math.expm1(y));
    }
}
