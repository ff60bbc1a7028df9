package io.autonf.flow.spline;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class RationalQuadraticSplineTest {

    /** Step of the numerical log-derivative check. */
    private static final double FD_STEP = 1e-5;
    /**
     * Step of the gradient checks: with a Richardson step the truncation error is O(h^4), so a wider step is
     * accurate and keeps the rounding noise of the knot sums (about 1e-14 of the loss) below 1e-9.
     */
    private static final double GRADIENT_STEP = 1e-4;
    private static final double GRADIENT_TOLERANCE = 1e-6;

    /** n splines with random parameters of spread {@code spread}, and the given inputs. */
    private record Case(SplineSettings s, double[] x, double[] w, double[] h, double[] d) {

        static Case random(SplineSettings s, double[] x, double spread, RandomGenerator rng) {
            int n = x.length;
            int k = s.bins();
            double[] w = gaussians(n * k, spread, rng);
            double[] h = gaussians(n * k, spread, rng);
            double[] d = gaussians(n * (k - 1), spread, rng);
            return new Case(s, x, w, h, d);
        }

        int n() {
            return x.length;
        }

        double[][] forward() {
            double[] y = new double[n()];
            double[] ld = new double[n()];
            RationalQuadraticSpline.forward(s, x, w, h, d, y, ld);
            return new double[][] {y, ld};
        }

        double[][] inverse(double[] z) {
            double[] out = new double[n()];
            double[] ld = new double[n()];
            RationalQuadraticSpline.inverse(s, z, w, h, d, out, ld);
            return new double[][] {out, ld};
        }
    }

    private static double[] gaussians(int n, double spread, RandomGenerator rng) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = spread * rng.nextGaussian();
        }
        return v;
    }

    private static double[] uniforms(int n, double bound, RandomGenerator rng) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextDouble(-bound, bound);
        }
        return v;
    }

    // ------------------------------------------------------------------ values

    @Test
    void tailBoundsMapToThemselvesAndTailsAreTheIdentity() {
        SplineSettings s = SplineSettings.of(8, 3.0);
        double[] x = {-3.0, 3.0, -3.0 - 1e-9, 3.0 + 1e-9, -7.5, 12.0, Double.NaN};
        Case c = Case.random(s, x, 2.0, new SplittableRandom(1));
        double[][] f = c.forward();
        assertEquals(-3.0, f[0][0], 1e-12);
        assertEquals(3.0, f[0][1], 1e-12);
        for (int i = 2; i < 6; i++) {
            assertEquals(x[i], f[0][i], 0.0, "tail input " + x[i] + " passes unchanged");
            assertEquals(0.0, f[1][i], 0.0, "tail log|det| is zero");
        }
        assertTrue(Double.isNaN(f[0][6]), "NaN stays NaN");
        double[][] back = c.inverse(new double[] {-3.0, 3.0, -3.0 - 1e-9, 3.0 + 1e-9, -7.5, 12.0, 0.0});
        assertEquals(-3.0, back[0][0], 1e-12);
        assertEquals(3.0, back[0][1], 1e-12);
        for (int i = 2; i < 6; i++) {
            assertEquals(x[i], back[0][i], 0.0);
            assertEquals(0.0, back[1][i], 0.0);
        }
    }

    @Test
    void boundaryDerivativesAreOneSoTheSplineJoinsItsTailsSmoothly() {
        SplineSettings s = SplineSettings.of(6, 2.0);
        double eps = 1e-10;
        double[] x = {-2.0 + eps, 2.0 - eps};
        Case c = Case.random(s, x, 2.0, new SplittableRandom(2));
        double[][] f = c.forward();
        assertEquals(-2.0 + eps, f[0][0], 1e-14);
        assertEquals(2.0 - eps, f[0][1], 1e-14);
        assertEquals(0.0, f[1][0], 1e-6, "log-derivative next to -B");
        assertEquals(0.0, f[1][1], 1e-6, "log-derivative next to B");
    }

    @Test
    void isStrictlyIncreasingOnAFineGrid() {
        SplineSettings s = SplineSettings.of(8, 3.0);
        RandomGenerator rng = new SplittableRandom(3);
        int grid = 4001;
        double[] w = gaussians(8, 3.0, rng);
        double[] h = gaussians(8, 3.0, rng);
        double[] d = gaussians(7, 3.0, rng);
        double[] x = new double[grid];
        double[] ww = new double[grid * 8];
        double[] hh = new double[grid * 8];
        double[] dd = new double[grid * 7];
        for (int i = 0; i < grid; i++) {
            x[i] = -4.0 + 8.0 * i / (grid - 1);
            System.arraycopy(w, 0, ww, i * 8, 8);
            System.arraycopy(h, 0, hh, i * 8, 8);
            System.arraycopy(d, 0, dd, i * 7, 7);
        }
        double[] y = new double[grid];
        double[] ld = new double[grid];
        RationalQuadraticSpline.forward(s, x, ww, hh, dd, y, ld);
        for (int i = 1; i < grid; i++) {
            assertTrue(y[i] > y[i - 1], "not increasing between " + x[i - 1] + " and " + x[i]);
            assertTrue(Double.isFinite(ld[i]));
        }
    }

    @Test
    void inverseUndoesForwardInsideTheBound() {
        for (int bins : new int[] {1, 2, 5, 8, 16}) {
            SplineSettings s = SplineSettings.of(bins, 2.5);
            RandomGenerator rng = new SplittableRandom(100 + bins);
            double[] x = uniforms(500, 2.5, rng);
            x[0] = -2.5;
            x[1] = 2.5;
            Case c = Case.random(s, x, 1.0, rng);
            double[][] f = c.forward();
            double[][] back = c.inverse(f[0]);
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], back[0][i], 1e-12, "K=" + bins + " element " + i);
                assertEquals(0.0, f[1][i] + back[1][i], 1e-10, "log|det| cancel, K=" + bins + " element " + i);
            }
        }
    }

    @Test
    void inverseIsAsAccurateAsTheSlopeAllowsInNearlyFlatRegions() {
        // Where dy/dx is tiny, one rounding of y moves x by ulp(y) / slope: no inverse can do better, so the
        // tolerance is 1e-12 scaled by that condition number (slopes here go down to about 1e-6).
        for (int bins : new int[] {2, 8}) {
            SplineSettings s = SplineSettings.of(bins, 2.5);
            RandomGenerator rng = new SplittableRandom(200 + bins);
            double[] x = uniforms(500, 2.5, rng);
            Case c = Case.random(s, x, 3.0, rng);
            double[][] f = c.forward();
            double[][] back = c.inverse(f[0]);
            for (int i = 0; i < x.length; i++) {
                double condition = Math.max(1.0, Math.exp(-f[1][i]));
                assertEquals(x[i], back[0][i], 1e-12 * condition, "K=" + bins + " element " + i);
            }
        }
    }

    @Test
    void forwardUndoesInverseInsideTheBound() {
        SplineSettings s = SplineSettings.of(8, 3.0);
        RandomGenerator rng = new SplittableRandom(5);
        double[] z = uniforms(300, 3.0, rng);
        Case c = Case.random(s, new double[300], 2.0, rng);
        double[][] back = c.inverse(z);
        Case again = new Case(s, back[0], c.w, c.h, c.d);
        double[][] f = again.forward();
        for (int i = 0; i < z.length; i++) {
            assertEquals(z[i], f[0][i], 1e-12);
        }
    }

    @Test
    void logDetIsTheLogOfTheNumericalDerivative() {
        SplineSettings s = SplineSettings.of(8, 3.0);
        RandomGenerator rng = new SplittableRandom(6);
        double[] x = uniforms(200, 2.9, rng);
        Case c = Case.random(s, x, 1.5, rng);
        double[][] f = c.forward();
        double[] up = shifted(x, FD_STEP);
        double[] down = shifted(x, -FD_STEP);
        double[] yUp = new Case(s, up, c.w, c.h, c.d).forward()[0];
        double[] yDown = new Case(s, down, c.w, c.h, c.d).forward()[0];
        for (int i = 0; i < x.length; i++) {
            double slope = (yUp[i] - yDown[i]) / (2 * FD_STEP);
            assertEquals(Math.log(slope), f[1][i], 1e-6, "element " + i + " at " + x[i]);
        }
    }

    @Test
    void knotsLandInTheBinTheyOpen() {
        // At a knot the spline must equal the height knot whichever side of the knot the bin search picks.
        SplineSettings s = SplineSettings.of(4, 1.0);
        double[] w = {0.3, -0.2, 0.9, 0.1};
        double[] h = {-0.5, 0.4, 0.2, 0.0};
        double[] d = {0.3, -1.0, 2.0};
        double[] x = {-1.0, -0.5, 0.0, 0.5, 1.0};
        double[] ww = new double[20];
        double[] hh = new double[20];
        double[] dd = new double[15];
        for (int i = 0; i < 5; i++) {
            System.arraycopy(w, 0, ww, 4 * i, 4);
            System.arraycopy(h, 0, hh, 4 * i, 4);
            System.arraycopy(d, 0, dd, 3 * i, 3);
        }
        double[] knotsX = knotPositions(w, 4, 1.0);
        double[] knotsY = knotPositions(h, 4, 1.0);
        double[] y = new double[5];
        double[] ld = new double[5];
        RationalQuadraticSpline.forward(s, knotsX, ww, hh, dd, y, ld);
        for (int j = 0; j <= 4; j++) {
            assertEquals(knotsY[j], y[j], 1e-14, "knot " + j);
        }
        double[] back = new double[5];
        RationalQuadraticSpline.inverse(s, knotsY, ww, hh, dd, back, ld);
        for (int j = 0; j <= 4; j++) {
            assertEquals(knotsX[j], back[j], 1e-14, "inverse at height knot " + j);
        }
        assertEquals(5, x.length);
    }

    /** The knots as the nflows formula defines them, computed independently of the class under test. */
    private static double[] knotPositions(double[] u, int k, double bound) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : u) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : u) {
            sum += Math.exp(v - max);
        }
        double[] knots = new double[k + 1];
        double cum = 0;
        knots[0] = -bound;
        for (int i = 0; i < k; i++) {
            cum += 1e-3 + (1 - 1e-3 * k) * Math.exp(u[i] - max) / sum;
            knots[i + 1] = 2 * bound * cum - bound;
        }
        knots[k] = bound;
        return knots;
    }

    @Test
    void matchesAClosedFormForOneUniformBin() {
        // One bin with unit boundary derivatives and delta = 1 is the identity.
        SplineSettings s = SplineSettings.of(1, 2.0);
        double[] x = {-1.3, 0.0, 0.7, 2.0};
        double[] y = new double[4];
        double[] ld = new double[4];
        RationalQuadraticSpline.forward(s, x, new double[] {0.4, -1, 3, 9}, new double[] {2, 2, -5, 0}, new double[0], y, ld);
        for (int i = 0; i < 4; i++) {
            assertEquals(x[i], y[i], 1e-14);
            assertEquals(0.0, ld[i], 1e-14);
        }
    }

    @Test
    void configurableMinimaBoundTheBins() {
        // With the minimum width and height at 1/K every bin is forced to be uniform: the spline is the identity
        // whatever the unnormalised widths, heights say, only the interior derivatives bend it.
        SplineSettings s = new SplineSettings(4, 1.0, 0.25, 0.25, 0.5);
        RandomGenerator rng = new SplittableRandom(8);
        double[] x = {-0.75, -0.5, 0.0, 0.5, 0.75};
        Case c = new Case(s, x, gaussians(20, 3, rng), gaussians(20, 3, rng), new double[15]);
        double[][] f = c.forward();
        for (int i = 0; i < x.length; i++) {
            // At knots (multiples of 0.5) the uniform spline passes through the identity.
            if (Math.abs(x[i] * 2 - Math.rint(x[i] * 2)) < 1e-15) {
                assertEquals(x[i], f[0][i], 1e-14);
            }
        }
        // minDerivative + softplus(-1000) = minDerivative: the smallest slope the spline can have at a knot.
        double[] dd = new double[15];
        java.util.Arrays.fill(dd, -1000);
        double[] atKnot = {0.0};
        double[] y = new double[1];
        double[] ld = new double[1];
        RationalQuadraticSpline.forward(s, atKnot, new double[4], new double[4], new double[3], y, ld);
        assertEquals(Math.log(0.5 + Math.log(2)), ld[0], 1e-14);
        RationalQuadraticSpline.forward(s, atKnot, new double[4], new double[4], java.util.Arrays.copyOf(dd, 3), y, ld);
        assertEquals(Math.log(0.5), ld[0], 1e-12);
    }

    // ------------------------------------------------------------------ packed layout

    @Test
    void packedLayoutMatchesTheElementWiseLayout() {
        SplineSettings s = SplineSettings.of(8, 3.0);
        int rows = 4;
        int cols = 3;
        int n = rows * cols;
        int p = s.parametersPerElement();
        double scale = 0.25;
        RandomGenerator rng = new SplittableRandom(9);
        double[] params = gaussians(n * p, 4.0, rng);
        double[] x = gaussians(n, 2.5, rng);
        double[] w = new double[n * 8];
        double[] h = new double[n * 8];
        double[] d = new double[n * 7];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 8; j++) {
                w[i * 8 + j] = scale * params[i * p + j];
                h[i * 8 + j] = scale * params[i * p + 8 + j];
            }
            System.arraycopy(params, i * p + 16, d, i * 7, 7);
        }
        Case c = new Case(s, x, w, h, d);
        double[][] f = c.forward();
        double[] y = new double[n];
        double[] rowLogDet = new double[rows];
        RationalQuadraticSpline.forwardPacked(s, rows, cols, x, params, scale, y, rowLogDet);
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int col = 0; col < cols; col++) {
                assertEquals(f[0][r * cols + col], y[r * cols + col], 0.0);
                sum += f[1][r * cols + col];
            }
            assertEquals(sum, rowLogDet[r], 1e-13);
        }
        double[] back = new double[n];
        double[] rowBack = new double[rows];
        RationalQuadraticSpline.inversePacked(s, rows, cols, y, params, scale, back, rowBack);
        for (int i = 0; i < n; i++) {
            assertEquals(x[i], back[i], 1e-12);
        }
        for (int r = 0; r < rows; r++) {
            assertEquals(-rowLogDet[r], rowBack[r], 1e-10);
        }
    }

    @Test
    void packedGradientsMatchFiniteDifferences() {
        SplineSettings s = SplineSettings.of(5, 2.0);
        int rows = 3;
        int cols = 4;
        int n = rows * cols;
        int p = s.parametersPerElement();
        double scale = 0.5;
        RandomGenerator rng = new SplittableRandom(10);
        double[] params = gaussians(n * p, 2.0, rng);
        double[] x = gaussians(n, 1.5, rng);
        x[0] = 2.6;
        x[5] = -3.0;
        double[] a = gaussians(n, 1, rng);
        double[] c = gaussians(rows, 1, rng);
        double[] gx = new double[n];
        double[] gp = new double[n * p];
        RationalQuadraticSpline.backwardPacked(s, rows, cols, x, params, scale, a.clone(), c.clone(), gx, gp);
        java.util.function.ToDoubleFunction<double[][]> loss = args -> {
            double[] y = new double[n];
            double[] ld = new double[rows];
            RationalQuadraticSpline.forwardPacked(s, rows, cols, args[0], args[1], scale, y, ld);
            return dot(a, y) + dot(c, ld);
        };
        assertGradientsClose(numericGradient(loss, new double[][] {x, params}, 0), gx, "packed d/dx");
        assertGradientsClose(numericGradient(loss, new double[][] {x, params}, 1), gp, "packed d/dparams");
        assertEquals(1.0 * a[0], gx[0], 0.0, "tail element passes its gradient through");
        for (int j = 0; j < p; j++) {
            assertEquals(0.0, gp[j], 0.0, "tail element has no parameter gradient");
        }
    }

    // ------------------------------------------------------------------ gradients

    @Test
    void gradientsMatchFiniteDifferencesInsideTheBins() {
        SplineSettings s = SplineSettings.of(8, 3.0);
        RandomGenerator rng = new SplittableRandom(11);
        double[] x = uniforms(30, 2.95, rng);
        checkGradients(Case.random(s, x, 1.5, rng), rng, "inside");
    }

    @Test
    void gradientsMatchFiniteDifferencesOnBothSidesOfTheTails() {
        SplineSettings s = SplineSettings.of(6, 1.5);
        RandomGenerator rng = new SplittableRandom(12);
        double[] x = {-1.5 - 0.3, -1.5 + 0.3, 1.5 - 0.3, 1.5 + 0.3, -1.5 + 0.02, 1.5 - 0.02, -1.5 - 1e-3, 1.5 + 1e-3,
                -9, 40, 0.0};
        checkGradients(Case.random(s, x, 2.0, rng), rng, "tails");
    }

    @Test
    void gradientsMatchFiniteDifferencesForFewBins() {
        for (int bins : new int[] {1, 2, 3}) {
            SplineSettings s = SplineSettings.of(bins, 2.0);
            RandomGenerator rng = new SplittableRandom(13 + bins);
            double[] x = uniforms(12, 1.9, rng);
            checkGradients(Case.random(s, x, 1.0, rng), rng, "K=" + bins);
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesWithNonDefaultMinima() {
        SplineSettings s = new SplineSettings(5, 2.0, 0.05, 0.02, 0.1);
        RandomGenerator rng = new SplittableRandom(17);
        double[] x = uniforms(20, 1.95, rng);
        checkGradients(Case.random(s, x, 2.0, rng), rng, "minima");
    }

    @Test
    void extremeUnnormalisedValuesGiveFiniteCorrectValuesAndGradients() {
        SplineSettings s = SplineSettings.of(4, 2.0);
        double[] extremes = {50, -50, 100, -100, 1000, -1000};
        RandomGenerator rng = new SplittableRandom(18);
        int n = extremes.length * 3;
        double[] x = new double[n];
        double[] w = gaussians(n * 4, 1.0, rng);
        double[] h = gaussians(n * 4, 1.0, rng);
        double[] d = gaussians(n * 3, 1.0, rng);
        for (int e = 0; e < extremes.length; e++) {
            // element 3e: an extreme derivative; 3e+1: an extreme width; 3e+2: an extreme height.
            d[(3 * e) * 3 + 1] = extremes[e];
            w[(3 * e + 1) * 4 + 2] = extremes[e];
            h[(3 * e + 2) * 4 + 1] = extremes[e];
        }
        Case c = new Case(s, x, w, h, d);
        // Inputs a third of the way into bin 1: away from the knot the extreme derivative sits on, where the
        // function is smooth enough for central differences.
        double[] kx = new double[5];
        for (int i = 0; i < n; i++) {
            double[] knots = knotPositions(java.util.Arrays.copyOfRange(w, 4 * i, 4 * i + 4), 4, 2.0);
            x[i] = knots[1] + (knots[2] - knots[1]) / 3;
            System.arraycopy(knots, 0, kx, 0, 5);
        }
        double[][] f = c.forward();
        for (int i = 0; i < n; i++) {
            assertTrue(Double.isFinite(f[0][i]) && Double.isFinite(f[1][i]), "element " + i);
        }
        double[][] back = c.inverse(f[0]);
        for (int i = 0; i < n; i++) {
            assertEquals(x[i], back[0][i], 1e-9, "round trip of element " + i);
        }
        checkGradients(c, rng, "extremes");
        // A derivative of softplus(1000) + 1e-3 at a knot: the log-derivative there is exactly its log.
        double[] atKnot = {knotPositions(java.util.Arrays.copyOfRange(w, 0, 4), 4, 2.0)[2]};
        double[] y = new double[1];
        double[] ld = new double[1];
        RationalQuadraticSpline.forward(s, atKnot, java.util.Arrays.copyOf(w, 4), java.util.Arrays.copyOf(h, 4),
                new double[] {0, 1000, 0}, y, ld);
        assertEquals(Math.log(1000 + 1e-3), ld[0], 1e-9);
    }

    private static void checkGradients(Case c, RandomGenerator rng, String what) {
        int n = c.n();
        int k = c.s.bins();
        double[] a = gaussians(n, 1, rng);
        double[] b = gaussians(n, 1, rng);
        double[] gx = new double[n];
        double[] gw = new double[c.w.length];
        double[] gh = new double[c.h.length];
        double[] gd = new double[c.d.length];
        RationalQuadraticSpline.backward(c.s, c.x, c.w, c.h, c.d, a, b, gx, gw, gh, gd);
        // Elements are independent: differentiate each element's own loss a_e y_e + b_e logdet_e, so that the
        // rounding noise of the other elements does not swamp small gradients.
        double[] nx = new double[n];
        double[] nw = new double[c.w.length];
        double[] nh = new double[c.h.length];
        double[] nd = new double[c.d.length];
        for (int e = 0; e < n; e++) {
            double ae = a[e];
            double be = b[e];
            java.util.function.ToDoubleFunction<double[][]> loss = args -> {
                double[] y = new double[1];
                double[] ld = new double[1];
                RationalQuadraticSpline.forward(c.s, args[0], args[1], args[2], args[3], y, ld);
                return ae * y[0] + be * ld[0];
            };
            double[][] args = {
                    {c.x[e]},
                    java.util.Arrays.copyOfRange(c.w, e * k, (e + 1) * k),
                    java.util.Arrays.copyOfRange(c.h, e * k, (e + 1) * k),
                    java.util.Arrays.copyOfRange(c.d, e * (k - 1), (e + 1) * (k - 1))};
            nx[e] = numericGradient(loss, args, 0)[0];
            System.arraycopy(numericGradient(loss, args, 1), 0, nw, e * k, k);
            System.arraycopy(numericGradient(loss, args, 2), 0, nh, e * k, k);
            System.arraycopy(numericGradient(loss, args, 3), 0, nd, e * (k - 1), k - 1);
        }
        assertGradientsClose(nx, gx, what + ": d/dx");
        assertGradientsClose(nw, gw, what + ": d/dwidths");
        assertGradientsClose(nh, gh, what + ": d/dheights");
        assertGradientsClose(nd, gd, what + ": d/dderivatives");
        for (double[] g : new double[][] {gx, gw, gh, gd}) {
            for (double v : g) {
                assertTrue(Double.isFinite(v), what + ": non-finite gradient");
            }
        }
    }

    /**
     * Central differences with one Richardson step, (4 D(h/2) - D(h)) / 3, whose truncation error is O(h^4): near
     * steep knots a plain central difference at h = 1e-5 is off by more than the 1e-6 being tested.
     */
    private static double[] numericGradient(java.util.function.ToDoubleFunction<double[][]> loss, double[][] args,
                                            int which) {
        double[] v = args[which];
        double[] g = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double wide = central(loss, args, v, i, GRADIENT_STEP);
            double narrow = central(loss, args, v, i, GRADIENT_STEP / 2);
            g[i] = (4 * narrow - wide) / 3;
        }
        return g;
    }

    private static double central(java.util.function.ToDoubleFunction<double[][]> loss, double[][] args, double[] v,
                                  int i, double step) {
        double saved = v[i];
        v[i] = saved + step;
        double up = loss.applyAsDouble(args);
        v[i] = saved - step;
        double down = loss.applyAsDouble(args);
        v[i] = saved;
        return (up - down) / (2 * step);
    }

    private static void assertGradientsClose(double[] numeric, double[] analytic, String what) {
        assertEquals(numeric.length, analytic.length, what + ": length");
        for (int i = 0; i < numeric.length; i++) {
            double err = Math.abs(numeric[i] - analytic[i]);
            if (err > GRADIENT_TOLERANCE * (Math.abs(numeric[i]) + Math.abs(analytic[i])) + 1e-9) {
                fail(what + "[" + i + "]: finite differences " + numeric[i] + ", backward " + analytic[i]);
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[] shifted(double[] x, double by) {
        double[] out = x.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += by;
        }
        return out;
    }

    // ------------------------------------------------------------------ validation

    @Test
    void rejectsMismatchedLengthsWithAClearMessage() {
        double[] x = new double[3];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                RationalQuadraticSpline.forward(x, new double[23], new double[24], new double[21], 8, 3.0,
                        new double[3], new double[3]));
        assertTrue(e.getMessage().contains("unnormalized widths") && e.getMessage().contains("24"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RationalQuadraticSpline.forwardPacked(
                SplineSettings.of(8, 3.0), 2, 3, new double[6], new double[6 * 22], 1.0, new double[6], new double[2]));
        assertThrows(IllegalArgumentException.class, () -> RationalQuadraticSpline.inversePacked(
                SplineSettings.of(8, 3.0), 2, 3, new double[6], new double[6 * 23], 1.0, new double[6], new double[3]));
    }

    @Test
    void settingsRejectImpossibleShapes() {
        assertThrows(IllegalArgumentException.class, () -> SplineSettings.of(0, 3.0));
        assertThrows(IllegalArgumentException.class, () -> SplineSettings.of(8, 0.0));
        assertThrows(IllegalArgumentException.class, () -> SplineSettings.of(8, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new SplineSettings(8, 3.0, 0.2, 1e-3, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> new SplineSettings(8, 3.0, 1e-3, -1e-3, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> new SplineSettings(8, 3.0, 1e-3, 1e-3, 1.0));
        assertEquals(23, SplineSettings.of(8, 3.0).parametersPerElement());
    }
}
