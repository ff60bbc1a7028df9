package io.autonf.flow;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The shared test base that every transform passes: shapes and finiteness, inverse(forward(x)) = x,
 * log|det| against a numerical Jacobian, and input and parameter gradients against central finite
 * differences in fp64.
 *
 * <p>A transform's test extends this class and says how to build the transform; it may widen the inputs (for
 * example to reach a spline's linear tails) or perturb the parameters away from an identity initialisation, so
 * that the checks exercise the interesting maths.
 */
public abstract class TransformContract {

    protected static final double FD_STEP = 1e-5;
    protected static final double GRADIENT_TOLERANCE = 1e-6;

    /** Builds the transform under test with its parameters drawn from {@code rng}. */
    protected abstract Transform create(int dimension, Precision precision, RandomGenerator rng);

    /** Feature count used by the checks; small so that Jacobians and finite differences stay cheap. */
    protected int dimension() {
        return 5;
    }

    /** Inputs for the checks; by default standard normal draws scaled by 1.5. */
    protected Batch inputs(int rows, RandomGenerator rng) {
        double[] v = new double[rows * dimension()];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1.5 * rng.nextGaussian();
        }
        return new Batch(v, rows, dimension());
    }

    /**
     * Moves every parameter away from its initial value so that identity initialisations (LU, zero-initialised
     * residual blocks) do not hide mistakes. Subclasses may override with something gentler.
     */
    protected void perturbParameters(Transform t, RandomGenerator rng) {
        for (Parameter p : t.parameters().values()) {
            double[] v = p.values();
            for (int i = 0; i < v.length; i++) {
                v[i] += 0.1 * rng.nextGaussian();
            }
            p.markUpdated();
        }
    }

    /** Tolerance of the round trip in fp32 networks (the flow maths itself is fp64). */
    protected double roundTripToleranceFp32() {
        return 1e-4;
    }

    protected double roundTripToleranceFp64() {
        return 1e-9;
    }

    private Transform build(Precision precision, long seed) {
        Transform t = create(dimension(), precision, new SplittableRandom(seed));
        perturbParameters(t, new SplittableRandom(seed + 1));
        return t;
    }

    @Test
    void outputsHaveTheRightShapeAndAreFinite() {
        Transform t = build(Precision.FP64, 11);
        Batch x = inputs(7, new SplittableRandom(12));
        ForwardPass pass = t.forward(x);
        assertEquals(7, pass.outputs().rows());
        assertEquals(dimension(), pass.outputs().cols());
        assertEquals(7, pass.logAbsDet().length);
        assertAllFinite(pass.outputs().values(), "forward outputs");
        assertAllFinite(pass.logAbsDet(), "forward log|det|");
        Mapping back = t.inverse(pass.outputs());
        assertAllFinite(back.outputs().values(), "inverse outputs");
        assertAllFinite(back.logAbsDet(), "inverse log|det|");
    }

    @Test
    void forwardDoesNotWriteIntoItsInputs() {
        Transform t = build(Precision.FP64, 21);
        Batch x = inputs(4, new SplittableRandom(22));
        Batch copy = x.copy();
        ForwardPass pass = t.forward(x);
        pass.backward(pass.outputs(), new double[4], new Gradients());
        t.inverse(x);
        assertArrayEquals(copy.values(), x.values(), 0.0);
    }

    @Test
    void inverseUndoesForwardInFp64() {
        checkRoundTrip(Precision.FP64, roundTripToleranceFp64());
    }

    @Test
    void inverseUndoesForwardInFp32() {
        checkRoundTrip(Precision.FP32, roundTripToleranceFp32());
    }

    private void checkRoundTrip(Precision precision, double tolerance) {
        Transform t = build(precision, 31);
        Batch x = inputs(16, new SplittableRandom(32));
        ForwardPass pass = t.forward(x);
        Mapping back = t.inverse(pass.outputs());
        assertArrayEquals(x.values(), back.outputs().values(), tolerance, "inverse(forward(x)) != x");
        for (int i = 0; i < x.rows(); i++) {
            assertEquals(0.0, pass.logAbsDet()[i] + back.logAbsDet()[i], tolerance * 10,
                    "forward and inverse log|det| must cancel (row " + i + ")");
        }
    }

    @Test
    void logAbsDetMatchesTheNumericalJacobian() {
        Transform t = build(Precision.FP64, 41);
        Batch x = inputs(4, new SplittableRandom(42));
        double[] logAbsDet = t.forward(x).logAbsDet();
        int d = dimension();
        for (int r = 0; r < x.rows(); r++) {
            double[][] jac = new double[d][d];
            for (int j = 0; j < d; j++) {
                Batch plus = rowCopy(x, r);
                Batch minus = rowCopy(x, r);
                plus.values()[j] += FD_STEP;
                minus.values()[j] -= FD_STEP;
                double[] zp = t.forward(plus).outputs().values();
                double[] zm = t.forward(minus).outputs().values();
                for (int i = 0; i < d; i++) {
                    jac[i][j] = (zp[i] - zm[i]) / (2 * FD_STEP);
                }
            }
            double numerical = logAbsDeterminant(jac);
            assertEquals(numerical, logAbsDet[r], 1e-6, "log|det J| of row " + r);
        }
    }

    @Test
    void inputGradientsMatchFiniteDifferences() {
        Transform t = build(Precision.FP64, 51);
        Batch x = inputs(5, new SplittableRandom(52));
        Probe probe = new Probe(x.rows(), dimension(), new SplittableRandom(53));
        Batch analytic = t.forward(x).backward(probe.gradOutputs(), probe.gradLogAbsDet(), new Gradients());
        double[] numeric = new double[x.values().length];
        for (int i = 0; i < numeric.length; i++) {
            double saved = x.values()[i];
            x.values()[i] = saved + FD_STEP;
            double up = probe.loss(t.forward(x));
            x.values()[i] = saved - FD_STEP;
            double down = probe.loss(t.forward(x));
            x.values()[i] = saved;
            numeric[i] = (up - down) / (2 * FD_STEP);
        }
        assertGradientsClose(numeric, analytic.values(), "d loss / d inputs");
    }

    @Test
    void parameterGradientsMatchFiniteDifferences() {
        Transform t = build(Precision.FP64, 61);
        Batch x = inputs(5, new SplittableRandom(62));
        Probe probe = new Probe(x.rows(), dimension(), new SplittableRandom(63));
        Gradients gradients = new Gradients();
        t.forward(x).backward(probe.gradOutputs(), probe.gradLogAbsDet(), gradients);
        for (Map.Entry<String, Parameter> e : t.parameters().entrySet()) {
            Parameter p = e.getValue();
            double[] analytic = gradients.getOrNull(p);
            if (analytic == null) {
                analytic = new double[p.size()];
            }
            double[] numeric = new double[p.size()];
            double[] v = p.values();
            for (int i = 0; i < v.length; i++) {
                double saved = v[i];
                v[i] = saved + FD_STEP;
                p.markUpdated();
                double up = probe.loss(t.forward(x));
                v[i] = saved - FD_STEP;
                p.markUpdated();
                double down = probe.loss(t.forward(x));
                v[i] = saved;
                p.markUpdated();
                numeric[i] = (up - down) / (2 * FD_STEP);
            }
            assertGradientsClose(numeric, analytic, "d loss / d " + e.getKey());
        }
    }

    @Test
    void theSameSeedBuildsTheSameTransform() {
        Transform a = build(Precision.FP64, 71);
        Transform b = build(Precision.FP64, 71);
        assertEquals(a.parameters().keySet(), b.parameters().keySet());
        for (String name : a.parameters().keySet()) {
            assertArrayEquals(a.parameters().get(name).values(), b.parameters().get(name).values(), 0.0, name);
        }
        Batch x = inputs(3, new SplittableRandom(72));
        assertArrayEquals(a.forward(x).outputs().values(), b.forward(x).outputs().values(), 0.0);
    }

    /** A random linear functional L = sum a.z + sum c.logdet, whose gradients are known in closed form. */
    protected static final class Probe {
        private final double[] a;
        private final double[] c;
        private final int rows;
        private final int cols;

        Probe(int rows, int cols, RandomGenerator rng) {
            this.rows = rows;
            this.cols = cols;
            a = new double[rows * cols];
            c = new double[rows];
            for (int i = 0; i < a.length; i++) {
                a[i] = rng.nextGaussian();
            }
            for (int i = 0; i < c.length; i++) {
                c[i] = rng.nextGaussian();
            }
        }

        double loss(ForwardPass pass) {
            double sum = 0;
            double[] z = pass.outputs().values();
            for (int i = 0; i < z.length; i++) {
                sum += a[i] * z[i];
            }
            double[] ld = pass.logAbsDet();
            for (int i = 0; i < ld.length; i++) {
                sum += c[i] * ld[i];
            }
            return sum;
        }

        Batch gradOutputs() {
            return new Batch(a.clone(), rows, cols);
        }

        double[] gradLogAbsDet() {
            return c.clone();
        }
    }

    protected static void assertGradientsClose(double[] numeric, double[] analytic, String what) {
        assertEquals(numeric.length, analytic.length, what + ": length");
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < numeric.length; i++) {
            double err = Math.abs(numeric[i] - analytic[i]);
            if (err > GRADIENT_TOLERANCE * (Math.abs(numeric[i]) + Math.abs(analytic[i])) + 1e-9) {
                fail(what + "[" + i + "]: finite differences " + numeric[i] + ", backward " + analytic[i]);
            }
            diff += err * err;
            scale += numeric[i] * numeric[i];
        }
        assertTrue(Math.sqrt(diff) <= GRADIENT_TOLERANCE * Math.max(Math.sqrt(scale), 1e-3),
                what + ": relative error " + Math.sqrt(diff / Math.max(scale, 1e-300)));
    }

    protected static void assertAllFinite(double[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                fail(what + "[" + i + "] is " + values[i]);
            }
        }
    }

    private static Batch rowCopy(Batch x, int row) {
        return x.slice(row, row + 1);
    }

    /** log|det A| by LU decomposition with partial pivoting. */
    protected static double logAbsDeterminant(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = matrix[i].clone();
        }
        double logDet = 0;
        for (int k = 0; k < n; k++) {
            int pivot = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(a[i][k]) > Math.abs(a[pivot][k])) {
                    pivot = i;
                }
            }
            double[] tmp = a[k];
            a[k] = a[pivot];
            a[pivot] = tmp;
            if (a[k][k] == 0) {
                return Double.NEGATIVE_INFINITY;
            }
            logDet += Math.log(Math.abs(a[k][k]));
            for (int i = k + 1; i < n; i++) {
                double f = a[i][k] / a[k][k];
                for (int j = k; j < n; j++) {
                    a[i][j] -= f * a[k][j];
                }
            }
        }
        return logDet;
    }
}
