package io.autonf.flow.spline;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link RationalQuadraticSpline} evaluates one element per vector lane, selecting each lane's bin with masks and
 * discarding tail lanes; {@link ScalarSplineReference} is the element-at-a-time transcription. They must agree to
 * rounding for every bin count, every group remainder (block sizes that are not a multiple of the lane count),
 * rows that straddle lane groups, tails, NaN, the exact bounds, inputs on knots and extreme parameters.
 */
class LaneParallelSplineTest {

    /**
     * Both compute the same expressions; the vector exponential and logarithms may differ from {@code Math}'s by
     * an ulp, and with bins as narrow as 1e-3 of the range that is amplified by about 1e3 in the gradients.
     */
    private static final double TOLERANCE = 1e-11;

    private static double[] gaussians(int n, double spread, RandomGenerator rng) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = spread * rng.nextGaussian();
        }
        return v;
    }

    /** Inputs mostly inside [-B, B], with tails, NaN, both bounds and zero mixed in. */
    private static double[] inputs(int n, double bound, RandomGenerator rng) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (rng.nextInt(12)) {
                case 0 -> bound * (1.5 + rng.nextDouble());
                case 1 -> -bound * (1.5 + rng.nextDouble());
                case 2 -> rng.nextBoolean() ? bound : -bound;
                case 3 -> Double.NaN;
                case 4 -> 0.0;
                default -> rng.nextDouble(-bound, bound);
            };
        }
        return x;
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) || Double.isNaN(a)) {
                if (!(Double.isNaN(e) && Double.isNaN(a))) {
                    fail(what + "[" + i + "]: expected " + e + ", got " + a);
                }
                continue;
            }
            if (Math.abs(e - a) > TOLERANCE * Math.max(1.0, Math.abs(e))) {
                fail(what + "[" + i + "]: expected " + e + ", got " + a + " (difference " + Math.abs(e - a) + ")");
            }
        }
    }

    @Test
    void packedForwardInverseAndBackwardMatchTheScalarReference() {
        RandomGenerator rng = new SplittableRandom(41);
        for (int bins : new int[] {1, 2, 3, 5, 8, 16}) {
            SplineSettings s = SplineSettings.of(bins, 2.5);
            int p = s.parametersPerElement();
            for (int[] shape : new int[][] {{1, 1}, {1, 7}, {3, 5}, {2, 9}, {5, 8}, {7, 3}, {4, 22}, {0, 4}}) {
                int rows = shape[0];
                int cols = shape[1];
                int n = rows * cols;
                String what = "K=" + bins + " " + rows + "x" + cols;
                for (double spread : new double[] {0.5, 3.0, 40.0}) {
                    double scale = 1.0 / (1 + rng.nextInt(16));
                    double[] params = gaussians(n * p, spread, rng);
                    double[] x = inputs(n, s.tailBound(), rng);

                    double[] y = new double[n];
                    double[] ld = new double[rows];
                    double[] yRef = new double[n];
                    double[] ldRef = new double[rows];
                    RationalQuadraticSpline.forwardPacked(s, rows, cols, x, params, scale, y, ld);
                    ScalarSplineReference.forwardPacked(s, rows, cols, x, params, scale, yRef, ldRef);
                    assertClose(yRef, y, what + " forward outputs");
                    assertClose(ldRef, ld, what + " forward log|det|");

                    double[] z = inputs(n, s.tailBound(), rng);
                    RationalQuadraticSpline.inversePacked(s, rows, cols, z, params, scale, y, ld);
                    ScalarSplineReference.inversePacked(s, rows, cols, z, params, scale, yRef, ldRef);
                    assertClose(yRef, y, what + " inverse outputs");
                    assertClose(ldRef, ld, what + " inverse log|det|");

                    double[] gy = gaussians(n, 1.0, rng);
                    double[] gl = gaussians(rows, 1.0, rng);
                    double[] gx = new double[n];
                    double[] gp = new double[n * p];
                    double[] gxRef = new double[n];
                    double[] gpRef = new double[n * p];
                    java.util.Arrays.fill(gp, Double.NaN);
                    RationalQuadraticSpline.backwardPacked(s, rows, cols, x, params, scale, gy, gl, gx, gp);
                    ScalarSplineReference.backwardPacked(s, rows, cols, x, params, scale, gy, gl, gxRef, gpRef);
                    assertClose(gxRef, gx, what + " input gradients");
                    assertClose(gpRef, gp, what + " parameter gradients");
                }
            }
        }
    }

    @Test
    void elementWiseLayoutMatchesTheScalarReferenceOnKnotsAndExtremes() {
        RandomGenerator rng = new SplittableRandom(42);
        SplineSettings s = new SplineSettings(6, 3.0, 0.0, 1e-2, 0.0);
        int k = s.bins();
        int n = 37;
        double[] w = gaussians(n * k, 60.0, rng);
        double[] h = gaussians(n * k, 60.0, rng);
        double[] d = gaussians(n * (k - 1), 60.0, rng);
        double[] x = inputs(n, 3.0, rng);
        // Put some inputs exactly on an interior width knot of their own spline, as the reference computes it.
        double[] y = new double[n];
        double[] ld = new double[n];
        for (int i = 0; i < n; i += 4) {
            double[] wi = java.util.Arrays.copyOfRange(w, i * k, (i + 1) * k);
            double sum = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (double u : wi) {
                max = Math.max(max, u);
            }
            for (double u : wi) {
                sum += Math.exp(u - max);
            }
            double cumulative = 0;
            int knot = 1 + rng.nextInt(k - 1);
            for (int j = 0; j < knot; j++) {
                cumulative += s.minBinWidth() + (1 - s.minBinWidth() * k) * (Math.exp(wi[j] - max) / sum);
            }
            x[i] = 2 * s.tailBound() * cumulative - s.tailBound();
        }
        double[] yRef = new double[n];
        double[] ldRef = new double[n];
        RationalQuadraticSpline.forward(s, x, w, h, d, y, ld);
        ScalarSplineReference.forward(s, x, w, h, d, yRef, ldRef);
        assertClose(yRef, y, "forward outputs");
        assertClose(ldRef, ld, "forward log|det|");
        RationalQuadraticSpline.inverse(s, yRef, w, h, d, y, ld);
        double[] xRef = new double[n];
        ScalarSplineReference.inverse(s, yRef, w, h, d, xRef, ldRef);
        assertClose(xRef, y, "inverse outputs");
        assertClose(ldRef, ld, "inverse log|det|");

        double[] gy = gaussians(n, 1.0, rng);
        double[] gl = gaussians(n, 1.0, rng);
        double[][] got = {new double[n], new double[n * k], new double[n * k], new double[n * (k - 1)]};
        double[][] ref = {new double[n], new double[n * k], new double[n * k], new double[n * (k - 1)]};
        RationalQuadraticSpline.backward(s, x, w, h, d, gy, gl, got[0], got[1], got[2], got[3]);
        ScalarSplineReference.backward(s, x, w, h, d, gy, gl, ref[0], ref[1], ref[2], ref[3]);
        String[] names = {"input", "width", "height", "derivative"};
        for (int g = 0; g < 4; g++) {
            assertClose(ref[g], got[g], names[g] + " gradients");
        }
    }
}
