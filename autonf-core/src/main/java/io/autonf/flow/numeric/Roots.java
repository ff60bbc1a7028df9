package io.autonf.flow.numeric;

import java.util.function.DoubleUnaryOperator;

/**
 * Solves f(x) = target for a non-decreasing function of one variable: first a bracket [low, high] with
 * f(low) <= target <= f(high) (widened geometrically when the caller's guess does not contain the root), then
 * Newton steps that are replaced by bisection whenever they would leave the bracket or stop shrinking fast
 * enough. Bisection alone guarantees progress in flat regions (where Newton crawls, e.g. x - tanh x near 0);
 * Newton gives quadratic convergence everywhere else.
 */
public final class Roots {

    /** Default stopping rule: the last step is below this fraction of |x| (plus {@link Double#MIN_NORMAL}). */
    public static final double RELATIVE_TOLERANCE = 1e-14;

    /**
     * Enough for bisection alone to shrink any finite bracket (width < 2^1025) below the smallest normal double
     * (2^-1022), so the cap is reached only by a broken function; Newton normally needs fewer than 10.
     */
    public static final int MAX_ITERATIONS = 2100;

    /** Doublings of the search step while looking for a bracket; 2^200 covers any practical scale. */
    public static final int MAX_BRACKET_EXPANSIONS = 200;

    private Roots() {
    }

    /**
     * The x with f(x) = target, to {@link #RELATIVE_TOLERANCE}.
     *
     * @param f          a non-decreasing function
     * @param derivative f', used for Newton steps; a wrong or zero slope only costs speed, never correctness
     * @param low        lower end of the first bracket guess
     * @param high       upper end of the first bracket guess ({@code >= low})
     * @throws IllegalArgumentException when no bracket is found: the target lies outside the range f reaches
     * @throws ArithmeticException      when f is NaN at a point the solver visits, or it does not converge
     */
    public static double solveIncreasing(DoubleUnaryOperator f, DoubleUnaryOperator derivative, double target,
                                         double low, double high) {
        return solveIncreasing(f, derivative, target, low, high, RELATIVE_TOLERANCE, Double.MIN_NORMAL);
    }

    /**
     * As {@link #solveIncreasing(DoubleUnaryOperator, DoubleUnaryOperator, double, double, double)} with the
     * stopping rule |step| <= relativeTolerance * |x| + absoluteTolerance.
     */
    public static double solveIncreasing(DoubleUnaryOperator f, DoubleUnaryOperator derivative, double target,
                                         double low, double high, double relativeTolerance, double absoluteTolerance) {
        if (!Double.isFinite(target)) {
            throw new IllegalArgumentException("root solver target must be finite, got " + target);
        }
        if (!Double.isFinite(low) || !Double.isFinite(high) || low > high) {
            throw new IllegalArgumentException("root solver needs a finite guess low <= high, got [" + low + ", " + high + "]");
        }
        if (!(relativeTolerance >= 0) || !(absoluteTolerance >= 0) || relativeTolerance + absoluteTolerance == 0) {
            throw new IllegalArgumentException("root solver tolerances must be non-negative and not both zero, got relative "
                    + relativeTolerance + ", absolute " + absoluteTolerance);
        }
        double lo = low;
        double hi = high;
        double gLo = residual(f, lo, target);
        double gHi = lo == hi ? gLo : residual(f, hi, target);
        double step = hi > lo ? hi - lo : Math.max(1.0, Math.abs(lo));
        for (int k = 0; gLo > 0; k++) {
            // f(lo) is already above the target, so lo is a valid upper end; search further down.
            hi = lo;
            gHi = gLo;
            lo = expand(lo, -step, k, f, target, "above");
            gLo = residual(f, lo, target);
            step *= 2;
        }
        for (int k = 0; gHi < 0; k++) {
            lo = hi;
            gLo = gHi;
            hi = expand(hi, step, k, f, target, "below");
            gHi = residual(f, hi, target);
            step *= 2;
        }
        if (gLo == 0) {
            return lo;
        }
        if (gHi == 0) {
            return hi;
        }
        return refine(f, derivative, target, lo, hi, relativeTolerance, absoluteTolerance);
    }

    private static double refine(DoubleUnaryOperator f, DoubleUnaryOperator derivative, double target,
                                 double lo, double hi, double relativeTolerance, double absoluteTolerance) {
        double x = lo + 0.5 * (hi - lo);
        double lastStep = hi - lo;
        for (int i = 0; i < MAX_ITERATIONS; i++) {
            double g = residual(f, x, target);
            if (g == 0) {
                return x;
            }
            if (g < 0) {
                lo = x;
            } else {
                hi = x;
            }
            double slope = derivative.applyAsDouble(x);
            double newtonStep = g / slope;
            double candidate = x - newtonStep;
            // Newton is trusted only inside the bracket and only while its step is at most half the last one;
            // otherwise bisection, which always halves the bracket. Near a zero of f' Newton converges only
            // linearly (by 2/3 per step on x^3), and this rule hands those stretches to bisection.
            boolean trustNewton = slope > 0 && candidate > lo && candidate < hi
                    && Math.abs(2 * g) <= Math.abs(lastStep * slope);
            double next;
            if (trustNewton) {
                lastStep = newtonStep;
                next = candidate;
            } else {
                lastStep = 0.5 * (hi - lo);
                next = lo + lastStep;
            }
            double tolerance = relativeTolerance * Math.abs(next) + absoluteTolerance;
            if (Math.abs(lastStep) <= tolerance || hi - lo <= tolerance || next == x) {
                return next;
            }
            x = next;
        }
        throw new ArithmeticException("root solver did not converge in " + MAX_ITERATIONS + " iterations for target "
                + target + "; last bracket [" + lo + ", " + hi + "]");
    }

    private static double expand(double from, double step, int expansions, DoubleUnaryOperator f, double target,
                                 String side) {
        double next = from + step;
        if (expansions >= MAX_BRACKET_EXPANSIONS || !Double.isFinite(next)) {
            throw new IllegalArgumentException("cannot bracket a root of f(x) = " + target + ": f stays " + side
                    + " the target out to x = " + from + " (the target is outside the range of f)");
        }
        return next;
    }

    private static double residual(DoubleUnaryOperator f, double x, double target) {
        double g = f.applyAsDouble(x) - target;
        if (Double.isNaN(g)) {
            throw new ArithmeticException("root solver: f(" + x + ") is NaN (target " + target + ")");
        }
        return g;
    }
}
