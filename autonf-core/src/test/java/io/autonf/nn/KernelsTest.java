package io.autonf.nn;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kernel against a naive triple loop in fp64, for odd, tiny and large shapes. */
class KernelsTest {

    /** Naive reference: each entry with the sum of |terms|, which bounds its rounding error. */
    private record Reference(double[] value, double[] magnitude) {
    }

    private static double[] random(SplittableRandom rng, int size) {
        double[] a = new double[size];
        for (int i = 0; i < size; i++) {
            a[i] = rng.nextDouble(-1, 1);
        }
        return a;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** y = x W^T + b. */
    private static Reference forward(double[] x, double[] w, double[] b, int n, int in, int out) {
        double[] y = new double[n * out];
        double[] m = new double[n * out];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                double a = Math.abs(b[o]);
                for (int i = 0; i < in; i++) {
                    s += x[r * in + i] * w[o * in + i];
                    a += Math.abs(x[r * in + i] * w[o * in + i]);
                }
                y[r * out + o] = s;
                m[r * out + o] = a;
            }
        }
        return new Reference(y, m);
    }

    /** dx = [gate > 0] (dy W) + addend. */
    private static Reference inputGrad(double[] dy, double[] w, double[] gate, double[] addend, int n, int out, int in) {
        double[] dx = new double[n * in];
        double[] m = new double[n * in];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < in; i++) {
                double s = 0;
                double a = 0;
                for (int o = 0; o < out; o++) {
                    s += dy[r * out + o] * w[o * in + i];
                    a += Math.abs(dy[r * out + o] * w[o * in + i]);
                }
                if (gate != null && !(gate[r * in + i] > 0)) {
                    s = 0;
                    a = 0;
                }
                dx[r * in + i] = s + (addend == null ? 0 : addend[r * in + i]);
                m[r * in + i] = a + (addend == null ? 0 : Math.abs(addend[r * in + i]));
            }
        }
        return new Reference(dx, m);
    }

    /** dW = dy^T x + addend. */
    private static Reference weightGrad(double[] dy, double[] x, double[] addend, int n, int out, int in) {
        double[] dw = new double[out * in];
        double[] m = new double[out * in];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double s = addend == null ? 0 : addend[o * in + i];
                double a = Math.abs(s);
                for (int r = 0; r < n; r++) {
                    s += dy[r * out + o] * x[r * in + i];
                    a += Math.abs(dy[r * out + o] * x[r * in + i]);
                }
                dw[o * in + i] = s;
                m[o * in + i] = a;
            }
        }
        return new Reference(dw, m);
    }

    private static void assertClose(Reference expected, double[] actual, double relative, String what) {
        assertEquals(expected.value().length, actual.length, what + " length");
        for (int k = 0; k < actual.length; k++) {
            double tolerance = relative * (expected.magnitude()[k] + 1e-30);
            double error = Math.abs(expected.value()[k] - actual[k]);
            if (!(error <= tolerance)) {
                throw new AssertionError(what + " entry " + k + ": expected " + expected.value()[k] + ", got "
                        + actual[k] + " (error " + error + " > " + tolerance + ")");
            }
        }
    }

    /** Padding columns of a padded result must stay exactly zero. */
    private static void assertZeroPadding(double[] padded, int rows, int cols, int stride, String what) {
        for (int r = 0; r < rows; r++) {
            for (int c = cols; c < stride; c++) {
                assertEquals(0.0, padded[r * stride + c], what + " padding at row " + r + " column " + c);
            }
        }
    }

    private static double[] relu(double[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = Math.max(0, a[i]);
        }
        return r;
    }

    @ParameterizedTest(name = "n={0} in={1} out={2}")
    @CsvSource({"1,1,1", "3,5,7", "8,6,8", "8,8,12", "17,33,19", "5,16,48", "9,40,33", "0,4,4", "512,256,256"})
    void fp64KernelsMatchNaiveLoops(int n, int in, int out) {
        SplittableRandom rng = new SplittableRandom(31L * n + 7L * in + out);
        double[] x = random(rng, n * in);
        double[] w = random(rng, out * in);
        double[] b = random(rng, out);
        double[] dy = random(rng, n * out);
        double[] gate = random(rng, n * in);
        double[] prior = random(rng, n * in);
        double[] priorW = random(rng, out * in);

        Reference y = forward(x, w, b, n, in, out);
        double[] yPad = new double[n * Kernels.doubleStride(out)];
        double[] reluPad = new double[yPad.length];
        Kernels.forward(n, in, out, Kernels.pad(x, n, in), Kernels.packTransposed(w, out, in),
                Kernels.pad(b, 1, out), yPad, reluPad);
        assertClose(y, Kernels.unpad(yPad, n, out), 1e-13, "forward");
        assertClose(new Reference(relu(y.value()), y.magnitude()), Kernels.unpad(reluPad, n, out), 1e-13, "relu");
        assertZeroPadding(yPad, n, out, Kernels.doubleStride(out), "forward");

        double[] dxPad = Kernels.pad(prior, n, in);
        Kernels.inputGrad(n, out, in, Kernels.pad(dy, n, out), Kernels.packRows(w, out, in),
                Kernels.pad(gate, n, in), dxPad, true);
        assertClose(inputGrad(dy, w, gate, prior, n, out, in), Kernels.unpad(dxPad, n, in), 1e-13, "input grad");
        double[] dxPlain = new double[n * Kernels.doubleStride(in)];
        Kernels.inputGrad(n, out, in, Kernels.pad(dy, n, out), Kernels.packRows(w, out, in), null, dxPlain, false);
        assertClose(inputGrad(dy, w, null, null, n, out, in), Kernels.unpad(dxPlain, n, in), 1e-13, "input grad");
        assertZeroPadding(dxPlain, n, in, Kernels.doubleStride(in), "input grad");

        double[] dwPad = Kernels.pad(priorW, out, in);
        Kernels.weightGrad(n, out, in, Kernels.pad(dy, n, out), Kernels.pad(x, n, in), dwPad, true);
        assertClose(weightGrad(dy, x, priorW, n, out, in), Kernels.unpad(dwPad, out, in), 1e-13, "weight grad");
        Kernels.weightGrad(n, out, in, Kernels.pad(dy, n, out), Kernels.pad(x, n, in), dwPad, false);
        assertClose(weightGrad(dy, x, null, n, out, in), Kernels.unpad(dwPad, out, in), 1e-13, "weight grad");

        double[] db = Kernels.pad(b, 1, out);
        Kernels.biasGrad(n, out, Kernels.pad(dy, n, out), db);
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1);
        assertClose(weightGrad(dy, ones, b, n, out, 1), Kernels.unpad(db, 1, out), 1e-13, "bias grad");
    }

    @ParameterizedTest(name = "n={0} in={1} out={2}")
    @CsvSource({"1,1,1", "3,5,7", "8,6,8", "8,8,12", "17,33,19", "5,16,48", "9,40,33", "0,4,4", "512,256,256"})
    void fp32KernelsMatchNaiveLoops(int n, int in, int out) {
        SplittableRandom rng = new SplittableRandom(31L * n + 7L * in + out);
        // Reference on the fp32-rounded inputs, so that only the kernels' own rounding is measured.
        double[] x = toDouble(toFloat(random(rng, n * in)));
        double[] w = toDouble(toFloat(random(rng, out * in)));
        double[] b = toDouble(toFloat(random(rng, out)));
        double[] dy = toDouble(toFloat(random(rng, n * out)));
        double[] gate = toDouble(toFloat(random(rng, n * in)));
        double[] prior = toDouble(toFloat(random(rng, n * in)));
        double tolerance = 1e-5;

        Reference y = forward(x, w, b, n, in, out);
        float[] yPad = new float[n * Kernels.floatStride(out)];
        float[] reluPad = new float[yPad.length];
        Kernels.forward(n, in, out, Kernels.pad(toFloat(x), n, in), Kernels.packTransposed(toFloat(w), out, in),
                Kernels.pad(toFloat(b), 1, out), yPad, reluPad);
        assertClose(y, toDouble(Kernels.unpad(yPad, n, out)), tolerance, "forward");
        assertClose(new Reference(relu(y.value()), y.magnitude()), toDouble(Kernels.unpad(reluPad, n, out)),
                tolerance, "relu");
        assertZeroPadding(toDouble(yPad), n, out, Kernels.floatStride(out), "forward");

        float[] dxPad = Kernels.pad(toFloat(prior), n, in);
        Kernels.inputGrad(n, out, in, Kernels.pad(toFloat(dy), n, out), Kernels.packRows(toFloat(w), out, in),
                Kernels.pad(toFloat(gate), n, in), dxPad, true);
        assertClose(inputGrad(dy, w, gate, prior, n, out, in), toDouble(Kernels.unpad(dxPad, n, in)), tolerance,
                "input grad");

        float[] dwPad = new float[out * Kernels.floatStride(in)];
        Kernels.weightGrad(n, out, in, Kernels.pad(toFloat(dy), n, out), Kernels.pad(toFloat(x), n, in), dwPad, false);
        assertClose(weightGrad(dy, x, null, n, out, in), toDouble(Kernels.unpad(dwPad, out, in)), tolerance,
                "weight grad");

        float[] db = new float[Kernels.floatStride(out)];
        Kernels.biasGrad(n, out, Kernels.pad(toFloat(dy), n, out), db);
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1);
        assertClose(weightGrad(dy, ones, null, n, out, 1), toDouble(Kernels.unpad(db, 1, out)), tolerance,
                "bias grad");
    }

    @Test
    void stridesAreWholeVectors() {
        assertEquals(Kernels.floatLanes(), Kernels.floatStride(1));
        assertEquals(2 * Kernels.floatLanes(), Kernels.floatStride(Kernels.floatLanes() + 1));
        assertEquals(Kernels.doubleLanes(), Kernels.doubleStride(Kernels.doubleLanes()));
    }

    @Test
    void rejectsArraysThatAreTooShort() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.forward(2, 3, 4, new float[2], new float[3 * Kernels.floatStride(4)], null,
                        new float[2 * Kernels.floatStride(4)], null));
        assertTrue(e.getMessage().contains("x"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Kernels.floatStride(0));
        assertThrows(IllegalArgumentException.class,
                () -> Kernels.forward(1, 1, 1, new double[8], new double[8], null, null, null));
    }
}
