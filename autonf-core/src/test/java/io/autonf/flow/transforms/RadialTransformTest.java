package io.autonf.flow.transforms;

import io.autonf.flow.Batch;
import io.autonf.flow.ForwardPass;
import io.autonf.flow.Gradients;
import io.autonf.flow.Mapping;
import io.autonf.flow.Parameter;
import io.autonf.flow.Precision;
import io.autonf.flow.Transform;
import io.autonf.flow.TransformContract;
import io.autonf.flow.numeric.Roots;
import io.autonf.flow.numeric.Softplus;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RadialTransformTest extends TransformContract {

    @Override
    protected Transform create(int dimension, Precision precision, RandomGenerator rng) {
        return new RadialTransform(dimension, rng);
    }

    /** β close to -α (γ = softplus(-5)): a strong contraction towards x0, close to the edge of invertibility. */
    @Nested
    class StronglyContracting extends TransformContract {
        @Override
        protected Transform create(int dimension, Precision precision, RandomGenerator rng) {
            RadialTransform radial = new RadialTransform(dimension, rng);
            radial.parameters().get("alpha_hat").set(new double[] {0.5});
            radial.parameters().get("beta_hat").set(new double[] {-5.0});
            return radial;
        }
    }

    /** β = 4: a strong expansion away from x0, with the centre among the inputs. */
    @Nested
    class StronglyExpanding extends TransformContract {
        @Override
        protected Transform create(int dimension, Precision precision, RandomGenerator rng) {
            RadialTransform radial = new RadialTransform(dimension, rng);
            radial.parameters().get("alpha_hat").set(new double[] {-1.0});
            radial.parameters().get("beta_hat").set(new double[] {Softplus.inverse(4.0 + Softplus.value(-1.0))});
            return radial;
        }
    }

    @Test
    void hasParametersX0AlphaHatAndBetaHat() {
        RadialTransform radial = new RadialTransform(4, new SplittableRandom(1));
        assertEquals(List.of("x0", "alpha_hat", "beta_hat"), new ArrayList<>(radial.parameters().keySet()));
        assertEquals(4, radial.parameters().get("x0").size());
        assertEquals(1, radial.parameters().get("alpha_hat").size());
        assertEquals(1, radial.parameters().get("beta_hat").size());
        for (Parameter p : radial.parameters().values()) {
            for (double v : p.values()) {
                assertTrue(Math.abs(v) <= 0.5 && v != 0, "initial value " + v);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new RadialTransform(2, null));
    }

    @Test
    void betaIsNeverBelowMinusAlpha() {
        double[] values = {-800, -50, -5, -1e-3, 0, 1e-3, 2, 30, 800};
        RadialTransform radial = new RadialTransform(2, new SplittableRandom(2));
        for (double ah : values) {
            for (double bh : values) {
                radial.parameters().get("alpha_hat").set(new double[] {ah});
                radial.parameters().get("beta_hat").set(new double[] {bh});
                double alpha = radial.alpha();
                double beta = radial.beta();
                assertTrue(alpha >= 0, "alpha " + alpha);
                assertTrue(beta >= -alpha, "beta " + beta + " < -alpha " + -alpha);
            }
        }
    }

    @Test
    void matchesTheTextbookFormula() {
        RadialTransform radial = new RadialTransform(3, new SplittableRandom(3));
        radial.parameters().get("x0").set(new double[] {0.2, -0.4, 1.0});
        radial.parameters().get("alpha_hat").set(new double[] {0.3});
        radial.parameters().get("beta_hat").set(new double[] {-0.6});
        double alpha = Math.log1p(Math.exp(0.3));
        double beta = -alpha + Math.log1p(Math.exp(-0.6));
        double[] x = {1.5, 0.5, -0.25};
        double[] e = {1.3, 0.9, -1.25};
        double r = Math.sqrt(1.3 * 1.3 + 0.9 * 0.9 + 1.25 * 1.25);
        double h = 1 / (alpha + r);
        double dh = -1 / ((alpha + r) * (alpha + r));
        ForwardPass pass = radial.forward(new Batch(x, 1, 3));
        for (int i = 0; i < 3; i++) {
            assertEquals(x[i] + beta * h * e[i], pass.outputs().values()[i], 1e-14);
        }
        double expected = 2 * Math.log(1 + beta * h) + Math.log(1 + beta * h + beta * dh * r);
        assertEquals(expected, pass.logAbsDet()[0], 1e-13);
        assertEquals(alpha, radial.alpha(), 1e-15);
        assertEquals(beta, radial.beta(), 1e-15);
    }

    @Test
    void closedFormRadiusAgreesWithTheRootSolver() {
        RandomGenerator rng = new SplittableRandom(4);
        for (int trial = 0; trial < 200; trial++) {
            double alpha = Math.exp(rng.nextDouble(-8, 4));
            double gamma = Math.exp(rng.nextDouble(-30, 4));
            double s = Math.exp(rng.nextDouble(-12, 8));
            double solved = Roots.solveIncreasing(
                    r -> r * (gamma + r) / (alpha + r),
                    r -> (r * (r + 2 * alpha) + alpha * gamma) / ((alpha + r) * (alpha + r)),
                    s, 0, s + alpha);
            double closed = RadialTransform.radiusFromImage(s, alpha, gamma);
            assertEquals(solved, closed, 1e-13 * solved, "alpha " + alpha + ", gamma " + gamma + ", s " + s);
            assertEquals(s, closed * (gamma + closed) / (alpha + closed), 1e-14 * s);
        }
        assertEquals(0.0, RadialTransform.radiusFromImage(0.0, 1.0, 1e-30), 0.0);
        assertTrue(Double.isFinite(RadialTransform.radiusFromImage(1e300, 1.0, 2.0)));
    }

    @Test
    void theCentreIsAFixedPointWithoutNaNs() {
        RadialTransform radial = new RadialTransform(3, new SplittableRandom(5));
        for (double bh : new double[] {-40.0, 0.3, 5.0}) {
            radial.parameters().get("beta_hat").set(new double[] {bh});
            double[] centre = radial.parameters().get("x0").values().clone();
            Batch x = new Batch(centre, 1, 3);
            ForwardPass pass = radial.forward(x);
            assertArrayEquals(centre, pass.outputs().values(), 0.0);
            assertAllFinite(pass.logAbsDet(), "log|det| at x0");
            Mapping back = radial.inverse(pass.outputs());
            assertArrayEquals(centre, back.outputs().values(), 0.0);
            assertEquals(0.0, pass.logAbsDet()[0] + back.logAbsDet()[0], 1e-12);
            Gradients g = new Gradients();
            Batch gx = pass.backward(new Batch(new double[] {1, -2, 0.5}, 1, 3), new double[] {1.5}, g);
            assertAllFinite(gx.values(), "input gradient at x0");
            for (Parameter p : radial.parameters().values()) {
                assertAllFinite(g.of(p), "parameter gradient at x0");
            }
        }
    }

    @Test
    void invertsCloseToTheCentreAndNearTheBoundary() {
        RadialTransform radial = new RadialTransform(4, new SplittableRandom(6));
        radial.parameters().get("beta_hat").set(new double[] {-30.0});
        double[] centre = radial.parameters().get("x0").values();
        RandomGenerator rng = new SplittableRandom(7);
        int rows = 50;
        double[] x = new double[rows * 4];
        for (int r = 0; r < rows; r++) {
            double scale = Math.pow(10, -10 + r * 0.25);
            for (int i = 0; i < 4; i++) {
                x[r * 4 + i] = centre[i] + scale * rng.nextGaussian();
            }
        }
        ForwardPass pass = radial.forward(new Batch(x, rows, 4));
        assertAllFinite(pass.logAbsDet(), "forward log|det|");
        Mapping back = radial.inverse(pass.outputs());
        // Near x0 this layer shrinks distances by up to (γ + r)/(α + r) ~ 1e-10, so the rounding of z (an ulp of
        // x0) is magnified by the inverse's Lipschitz constant; beyond that the inverse must be exact, and
        // mapping its output forward again must reproduce z to rounding (backward stability).
        double alpha = radial.alpha();
        double gamma = alpha + radial.beta();
        ForwardPass again = radial.forward(back.outputs());
        assertArrayEquals(pass.outputs().values(), again.outputs().values(), 1e-13);
        for (int r = 0; r < rows; r++) {
            double radius = 0;
            for (int i = 0; i < 4; i++) {
                radius += (x[r * 4 + i] - centre[i]) * (x[r * 4 + i] - centre[i]);
            }
            radius = Math.sqrt(radius);
            double q = alpha + radius;
            double lipschitz = Math.max(q / (gamma + radius), q * q / (radius * (radius + 2 * alpha) + alpha * gamma));
            for (int i = 0; i < 4; i++) {
                double allowed = 1e-13 + 4 * Math.ulp(1.0) * lipschitz;
                assertEquals(x[r * 4 + i], back.outputs().get(r, i), allowed, "row " + r + ", feature " + i);
            }
            // log|det| moves with r at rate dld/dr, which is ~ (D - 1)/(γ + r) near the centre.
            double p = gamma + radius;
            double n = radius * (radius + 2 * alpha) + alpha * gamma;
            double slope = Math.abs(3 * (1 / p - 1 / q) + 2 * (radius + alpha) / n - 2 / q);
            assertEquals(0.0, pass.logAbsDet()[r] + back.logAbsDet()[r], 1e-12 + slope * 4 * Math.ulp(1.0) * lipschitz,
                    "row " + r);
            // Re-evaluating at the recovered x sees r only to an ulp of x0's coordinates.
            assertEquals(0.0, again.logAbsDet()[r] + back.logAbsDet()[r], 1e-12 + slope * 4 * Math.ulp(1.0),
                    "row " + r);
        }
    }

    @Test
    void extremeInputsStayFiniteAndInvert() {
        RadialTransform radial = new RadialTransform(5, new SplittableRandom(8));
        radial.parameters().get("beta_hat").set(new double[] {2.0});
        Batch x = inputs(10, new SplittableRandom(9));
        double[] big = x.values().clone();
        for (int i = 0; i < big.length; i++) {
            big[i] *= 1e3;
        }
        ForwardPass pass = radial.forward(new Batch(big, 10, 5));
        assertAllFinite(pass.outputs().values(), "outputs");
        assertAllFinite(pass.logAbsDet(), "log|det|");
        assertAllFinite(pass.backward(pass.outputs(), new double[10], new Gradients()).values(), "input gradient");
        Mapping back = radial.inverse(pass.outputs());
        assertArrayEquals(big, back.outputs().values(), 1e-12 * 1e3);
        assertAllFinite(back.logAbsDet(), "inverse log|det|");
    }
}
