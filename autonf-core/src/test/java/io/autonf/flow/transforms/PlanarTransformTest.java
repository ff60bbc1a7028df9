package io.autonf.flow.transforms;

import io.autonf.flow.Batch;
import io.autonf.flow.ForwardPass;
import io.autonf.flow.Gradients;
import io.autonf.flow.Mapping;
import io.autonf.flow.Precision;
import io.autonf.flow.Transform;
import io.autonf.flow.TransformContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanarTransformTest extends TransformContract {

    @Override
    protected Transform create(int dimension, Precision precision, RandomGenerator rng) {
        return new PlanarTransform(dimension, rng);
    }

    /** wᵀu = -4: ûᵀw = -0.98, a strongly contracting layer close to the edge of invertibility. */
    @Nested
    class NearTheInvertibilityBoundary extends TransformContract {
        @Override
        protected Transform create(int dimension, Precision precision, RandomGenerator rng) {
            PlanarTransform planar = new PlanarTransform(dimension, rng);
            setWDotU(planar, -4.0);
            return planar;
        }
    }

    /** A strongly expanding layer (ûᵀw about 6) with a large bias. */
    @Nested
    class Expanding extends TransformContract {
        @Override
        protected Transform create(int dimension, Precision precision, RandomGenerator rng) {
            PlanarTransform planar = new PlanarTransform(dimension, rng);
            setWDotU(planar, 6.0);
            planar.parameters().get("b").set(new double[] {1.5});
            return planar;
        }
    }

    /** Sets u so that wᵀu = target while keeping u's component orthogonal to w. */
    private static void setWDotU(PlanarTransform planar, double target) {
        double[] u = planar.parameters().get("u").values();
        double[] w = planar.parameters().get("w").values();
        double dot = dot(u, w);
        double norm2 = dot(w, w);
        for (int i = 0; i < u.length; i++) {
            u[i] += (target - dot) * w[i] / norm2;
        }
        planar.parameters().get("u").markUpdated();
    }

    @Test
    void hasParametersUWAndBInitialisedWithinTheDocumentedBounds() {
        PlanarTransform planar = new PlanarTransform(9, new SplittableRandom(3));
        assertEquals(List.of("u", "w", "b"), new ArrayList<>(planar.parameters().keySet()));
        assertEquals(9, planar.parameters().get("u").size());
        assertEquals(9, planar.parameters().get("w").size());
        assertEquals(1, planar.parameters().get("b").size());
        for (var p : planar.parameters().values()) {
            for (double v : p.values()) {
                assertTrue(Math.abs(v) <= 1.0 / 3.0 && v != 0, "initial value " + v);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new PlanarTransform(3, null));
        assertThrows(IllegalArgumentException.class, () -> new PlanarTransform(0, new SplittableRandom(1)));
    }

    @Test
    void matchesTheTextbookFormulaByHand() {
        PlanarTransform planar = new PlanarTransform(2, new SplittableRandom(1));
        planar.parameters().get("u").set(new double[] {0.5, -1.0});
        planar.parameters().get("w").set(new double[] {2.0, 1.0});
        planar.parameters().get("b").set(new double[] {0.25});
        double wu = 0.0;
        double m = -1 + Math.log1p(Math.exp(wu));
        double[] uHat = {0.5 + (m - wu) * 2.0 / 5.0, -1.0 + (m - wu) * 1.0 / 5.0};
        assertArrayEquals(uHat, planar.constrainedU(), 1e-15);
        assertEquals(m, planar.uHatDotW(), 1e-15);
        double[] x = {0.3, -0.7};
        double a = 2.0 * 0.3 - 0.7 + 0.25;
        ForwardPass pass = planar.forward(new Batch(x, 1, 2));
        assertArrayEquals(new double[] {x[0] + uHat[0] * Math.tanh(a), x[1] + uHat[1] * Math.tanh(a)},
                pass.outputs().values(), 1e-15);
        double derivative = 1 - Math.tanh(a) * Math.tanh(a);
        assertEquals(Math.log(Math.abs(1 + m * derivative)), pass.logAbsDet()[0], 1e-14);
    }

    @Test
    void constraintHoldsForAnyUAndW() {
        RandomGenerator rng = new SplittableRandom(7);
        for (int trial = 0; trial < 300; trial++) {
            int d = 1 + rng.nextInt(8);
            PlanarTransform planar = new PlanarTransform(d, rng);
            double scale = Math.pow(10, rng.nextDouble(-3, 2));
            for (String name : new String[] {"u", "w"}) {
                double[] v = planar.parameters().get(name).values();
                for (int i = 0; i < d; i++) {
                    v[i] = scale * rng.nextGaussian();
                }
                planar.parameters().get(name).markUpdated();
            }
            if (trial % 3 == 0) {
                setWDotU(planar, trial % 2 == 0 ? -50.0 : -1e3);
            }
            double[] w = planar.parameters().get("w").values();
            double uHatDotW = planar.uHatDotW();
            assertTrue(uHatDotW >= -1.0, "uHat.w = " + uHatDotW);
            assertEquals(uHatDotW, dot(planar.constrainedU(), w), 1e-10 * (1 + Math.abs(uHatDotW)), "trial " + trial);
        }
    }

    @Test
    void invertsAtTheAdversarialWDotUOfMinusFifty() {
        PlanarTransform planar = new PlanarTransform(4, new SplittableRandom(11));
        setWDotU(planar, -50.0);
        assertEquals(-1.0, planar.uHatDotW(), 1e-20);
        RandomGenerator rng = new SplittableRandom(12);
        int rows = 200;
        double[] x = new double[rows * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * rng.nextGaussian();
        }
        ForwardPass pass = planar.forward(new Batch(x, rows, 4));
        assertAllFinite(pass.logAbsDet(), "forward log|det|");
        Mapping back = planar.inverse(pass.outputs());
        assertAllFinite(back.logAbsDet(), "inverse log|det|");
        // The map's Jacobian along w is tanh²(a) there, so x is only as well determined as 1/tanh²(a) allows;
        // the inverse is checked to be exact up to that conditioning, and backward-stable without qualification.
        double[] w = planar.parameters().get("w").values();
        double b = planar.parameters().get("b").values()[0];
        for (int r = 0; r < rows; r++) {
            double a = b;
            for (int i = 0; i < 4; i++) {
                a += w[i] * x[r * 4 + i];
            }
            double conditioning = 1 / Math.max(Math.tanh(a) * Math.tanh(a), 1e-300);
            for (int i = 0; i < 4; i++) {
                assertEquals(x[r * 4 + i], back.outputs().get(r, i), 1e-13 * (1 + conditioning), "row " + r);
            }
            assertEquals(0.0, pass.logAbsDet()[r] + back.logAbsDet()[r], 1e-12 * (1 + conditioning), "row " + r);
        }
        Batch again = planar.forward(back.outputs()).outputs();
        assertArrayEquals(pass.outputs().values(), again.values(), 1e-12);
        Batch gx = pass.backward(pass.outputs(), new double[rows], new Gradients());
        assertAllFinite(gx.values(), "input gradient");
    }

    @Test
    void invertsPointsOnTheFlatSpotExactly() {
        // With ûᵀw = -1 the scalar map a - tanh(a) has zero slope at a = 0; x on the hyperplane wᵀx + b = 0
        // is a fixed point and must come back unchanged.
        PlanarTransform planar = new PlanarTransform(3, new SplittableRandom(21));
        setWDotU(planar, -60.0);
        planar.parameters().get("b").set(new double[] {0.0});
        double[] w = planar.parameters().get("w").values();
        double[] x = {w[1], -w[0], 0.0};
        ForwardPass pass = planar.forward(new Batch(x, 1, 3));
        assertArrayEquals(x, pass.outputs().values(), 1e-15);
        assertTrue(Double.isFinite(pass.logAbsDet()[0]));
        assertArrayEquals(x, planar.inverse(pass.outputs()).outputs().values(), 1e-15);
    }

    @Test
    void extremeInputsStayFiniteAndInvert() {
        PlanarTransform planar = new PlanarTransform(5, new SplittableRandom(31));
        setWDotU(planar, 2.0);
        Batch x = inputs(10, new SplittableRandom(32));
        double[] big = x.values().clone();
        for (int i = 0; i < big.length; i++) {
            big[i] *= 1e3;
        }
        ForwardPass pass = planar.forward(new Batch(big, 10, 5));
        assertAllFinite(pass.outputs().values(), "outputs");
        assertAllFinite(pass.logAbsDet(), "log|det|");
        assertAllFinite(pass.backward(pass.outputs(), new double[10], new Gradients()).values(), "input gradient");
        Mapping back = planar.inverse(pass.outputs());
        assertArrayEquals(big, back.outputs().values(), 1e-12 * 1e3);
        assertAllFinite(back.logAbsDet(), "inverse log|det|");
    }

    @Test
    void zeroWIsATranslation() {
        PlanarTransform planar = new PlanarTransform(2, new SplittableRandom(41));
        planar.parameters().get("w").set(new double[] {0, 0});
        planar.parameters().get("u").set(new double[] {1, 2});
        planar.parameters().get("b").set(new double[] {0.5});
        Batch x = new Batch(new double[] {3, 4}, 1, 2);
        ForwardPass pass = planar.forward(x);
        double t = Math.tanh(0.5);
        assertArrayEquals(new double[] {3 + t, 4 + 2 * t}, pass.outputs().values(), 1e-15);
        assertEquals(0.0, pass.logAbsDet()[0], 0.0);
        assertArrayEquals(x.values(), planar.inverse(pass.outputs()).outputs().values(), 1e-15);
        Gradients g = new Gradients();
        pass.backward(pass.outputs(), new double[] {1.0}, g);
        for (var p : planar.parameters().values()) {
            assertAllFinite(g.of(p), p.toString());
        }
    }

    @Test
    void eachPassUsesTheParametersItStartedWith() {
        PlanarTransform planar = new PlanarTransform(3, new SplittableRandom(51));
        Batch x3 = new Batch(new double[] {0.4, -1.1, 2.0, -0.3, 0.8, 1.7}, 2, 3);
        ForwardPass before = planar.forward(x3);
        Gradients g1 = new Gradients();
        Batch gx1 = before.backward(before.outputs(), new double[] {1, 1}, g1);
        ForwardPass again = planar.forward(x3);
        planar.parameters().get("w").values()[0] += 1.0;
        planar.parameters().get("w").markUpdated();
        Gradients g2 = new Gradients();
        Batch gx2 = again.backward(again.outputs(), new double[] {1, 1}, g2);
        assertArrayEquals(gx1.values(), gx2.values(), 0.0);
        assertNotEquals(before.outputs(), planar.forward(x3).outputs());
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
