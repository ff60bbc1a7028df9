package io.autonf.parity;

import io.autonf.flow.Precision;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compares our outputs and log-determinants with an nflows fixture.
 *
 * <p>Tolerances, per entry, scaled by {@code max(1, |reference|)}:
 * <ul>
 *   <li>{@link Precision#FP64} against nflows in float64 (same fp32-representable parameters and inputs, widened
 *       exactly): {@value #FP64_TOLERANCE}. Both sides compute the same maths in double; only the order of
 *       floating-point operations differs.</li>
 *   <li>{@link Precision#FP32} against nflows in float32: {@value #FP32_TOLERANCE} plus the float32 reference's
 *       own rounding error, |float32 - float64|, which the fixture tells us entry by entry. Our FP32 runs only the
 *       networks in fp32 and the spline/affine maths in fp64, so it cannot be closer to the float32 numbers than
 *       those are to the exact ones: in a spline bin of width 1e-3 the float32 log-determinant is off by 1e-3.</li>
 * </ul>
 */
final class ParityAssertions {

    static final double FP64_TOLERANCE = 1e-9;
    static final double FP32_TOLERANCE = 1e-5;

    private ParityAssertions() {
    }

    /**
     * Asserts that {@code outputs} (row-major, as the fixture's inputs) and {@code logAbsDet} match the fixture's
     * results of {@code direction} ("forward" or "inverse") for a computation at {@code precision}.
     */
    static void assertMatches(NflowsFixture fixture, String direction, Precision precision, double[] outputs,
                              double[] logAbsDet) {
        NflowsFixture.Direction ref64 = pick(fixture.results().float64(), direction);
        NflowsFixture.Direction ref32 = pick(fixture.results().float32(), direction);
        int cols = ref64.outputs().shape().length == 2 ? ref64.outputs().shape()[1] : 1;
        String what = fixture.name() + " " + direction + " " + precision;
        StringBuilder failures = new StringBuilder();
        if (precision == Precision.FP64) {
            compare(what + " outputs", ref64.outputs().values(), null, outputs, FP64_TOLERANCE, cols, failures);
            compare(what + " logabsdet", ref64.logabsdet().values(), null, logAbsDet, FP64_TOLERANCE, 1, failures);
        } else {
            compare(what + " outputs", ref32.outputs().values(), ref64.outputs().values(), outputs, FP32_TOLERANCE,
                    cols, failures);
            compare(what + " logabsdet", ref32.logabsdet().values(), ref64.logabsdet().values(), logAbsDet,
                    FP32_TOLERANCE, 1, failures);
        }
        if (!failures.isEmpty()) {
            fail(failures.toString());
        }
    }

    private static NflowsFixture.Direction pick(NflowsFixture.Reference reference, String direction) {
        return switch (direction) {
            case "forward" -> reference.forward();
            case "inverse" -> reference.inverse();
            default -> throw new IllegalArgumentException("direction must be 'forward' or 'inverse', got '" + direction + "'");
        };
    }

    /**
     * Appends a report to {@code failures} unless every |actual - expected| is within
     * {@code tolerance * max(1, |expected|) + |expected - exact|} ({@code exact} may be null: no slack).
     */
    static void compare(String what, double[] expected, double[] exact, double[] actual, double tolerance, int cols,
                        StringBuilder failures) {
        if (actual == null || actual.length != expected.length) {
            failures.append(what).append(": expected ").append(expected.length).append(" values, got ")
                    .append(actual == null ? "null" : actual.length).append('\n');
            return;
        }
        int bad = 0;
        int worst = -1;
        double worstRatio = 0;
        double worstAllowed = 0;
        for (int i = 0; i < expected.length; i++) {
            double allowed = tolerance * Math.max(1.0, Math.abs(expected[i]))
                    + (exact == null ? 0.0 : Math.abs(expected[i] - exact[i]));
            double error = Math.abs(actual[i] - expected[i]);
            if (!(error <= allowed)) {
                bad++;
                double ratio = Double.isNaN(error) ? Double.POSITIVE_INFINITY : error / allowed;
                if (worst < 0 || ratio > worstRatio) {
                    worst = i;
                    worstRatio = ratio;
                    worstAllowed = allowed;
                }
            }
        }
        if (bad > 0) {
            failures.append(String.format(java.util.Locale.ROOT,
                    "%s: %d of %d entries off; worst at [%d, %d]: expected %.17g, got %.17g (error %.3g, allowed %.3g)%n",
                    what, bad, expected.length, worst / cols, worst % cols, expected[worst], actual[worst],
                    Math.abs(actual[worst] - expected[worst]), worstAllowed));
        }
    }
}
