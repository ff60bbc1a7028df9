package io.autonf.flow.transforms;

import io.autonf.flow.Batch;
import io.autonf.flow.ForwardPass;
import io.autonf.flow.Gradients;
import io.autonf.flow.Mapping;
import io.autonf.flow.Parameter;
import io.autonf.flow.Precision;
import io.autonf.flow.Transform;
import io.autonf.flow.TransformContract;
import io.autonf.flow.numeric.Softplus;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LuLinearTest extends TransformContract {

    @Override
    protected Transform create(int dimension, Precision precision, RandomGenerator rng) {
        return new LuLinear(dimension);
    }

    /** D = 1: no triangles, the layer is z = (softplus(u) + eps) x + bias. */
    @Nested
    class DimensionOne extends TransformContract {
        @Override
        protected Transform create(int dimension, Precision precision, RandomGenerator rng) {
            return new LuLinear(dimension);
        }

        @Override
        protected int dimension() {
            return 1;
        }
    }

    /** Strongly non-identity parameters: triangles of order one and diagonals spread over [0.05, 3]. */
    @Nested
    class FarFromIdentity extends TransformContract {
        @Override
        protected Transform create(int dimension, Precision precision, RandomGenerator rng) {
            LuLinear lu = new LuLinear(dimension);
            randomise(lu, rng);
            return lu;
        }
    }

    private static void randomise(LuLinear lu, RandomGenerator rng) {
        for (var e : lu.parameters().entrySet()) {
            double[] v = e.getValue().values();
            for (int i = 0; i < v.length; i++) {
                v[i] = e.getKey().equals("unconstrained_upper_diag")
                        ? Softplus.inverse(rng.nextDouble(0.05, 3.0)) : rng.nextGaussian();
            }
            e.getValue().markUpdated();
        }
    }

    @Test
    void hasTheNflowsParametersAndStartsAsTheIdentity() {
        LuLinear lu = new LuLinear(4);
        assertEquals(List.of("bias", "lower_entries", "upper_entries", "unconstrained_upper_diag"),
                new ArrayList<>(lu.parameters().keySet()));
        assertEquals(6, lu.parameters().get("lower_entries").size());
        assertEquals(6, lu.parameters().get("upper_entries").size());
        assertEquals(4, lu.parameters().get("unconstrained_upper_diag").size());
        assertEquals(Math.log(Math.exp(1 - 1e-3) - 1), lu.parameters().get("unconstrained_upper_diag").values()[0], 1e-15);
        Batch x4 = new Batch(new double[] {0.3, -1.2, 2.5, 0.0, 1e3, -7, 0.5, 4}, 2, 4);
        ForwardPass p4 = lu.forward(x4);
        assertArrayEquals(x4.values(), p4.outputs().values(), 1e-12);
        assertArrayEquals(new double[2], p4.logAbsDet(), 1e-12);
        assertEquals(1, new LuLinear(1).parameters().get("bias").size());
        assertEquals(List.of("bias", "unconstrained_upper_diag"), new ArrayList<>(new LuLinear(1).parameters().keySet()));
    }

    @Test
    void entriesFillTheTrianglesInNumpyRowMajorOrder() {
        LuLinear lu = new LuLinear(3);
        lu.parameters().get("lower_entries").set(new double[] {1, 2, 3});
        lu.parameters().get("upper_entries").set(new double[] {4, 5, 6});
        lu.parameters().get("unconstrained_upper_diag").set(new double[] {
                Softplus.inverse(2 - 1e-3), Softplus.inverse(3 - 1e-3), Softplus.inverse(0.5 - 1e-3)});
        double[][] lower = {{1, 0, 0}, {1, 1, 0}, {2, 3, 1}};
        double[][] upper = {{2, 4, 5}, {0, 3, 6}, {0, 0, 0.5}};
        assertArrayEquals(flatten(multiply(lower, upper)), lu.weight(), 1e-12);
        assertEquals(Math.log(2 * 3 * 0.5), lu.logAbsDet(), 1e-12);
    }

    @Test
    void matchesAnExplicitDenseLowerTimesUpperPlusBias() {
        int d = 7;
        LuLinear lu = new LuLinear(d);
        RandomGenerator rng = new SplittableRandom(5);
        randomise(lu, rng);
        double[][] lower = new double[d][d];
        double[][] upper = new double[d][d];
        double[] le = lu.parameters().get("lower_entries").values();
        double[] ue = lu.parameters().get("upper_entries").values();
        double[] u = lu.parameters().get("unconstrained_upper_diag").values();
        double[] bias = lu.parameters().get("bias").values();
        int k = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                lower[i][j] = le[k++];
            }
        }
        k = 0;
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                upper[i][j] = ue[k++];
            }
            lower[i][i] = 1;
            upper[i][i] = Math.log1p(Math.exp(u[i])) + 1e-3;
        }
        double[][] weight = multiply(lower, upper);
        double[] x = new double[3 * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * rng.nextGaussian();
        }
        ForwardPass pass = lu.forward(new Batch(x, 3, d));
        for (int r = 0; r < 3; r++) {
            for (int i = 0; i < d; i++) {
                double expected = bias[i];
                for (int j = 0; j < d; j++) {
                    expected += weight[i][j] * x[r * d + j];
                }
                assertEquals(expected, pass.outputs().get(r, i), 1e-12 * (1 + Math.abs(expected)));
            }
            assertEquals(logAbsDeterminant(weight), pass.logAbsDet()[r], 1e-12);
        }
    }

    @Test
    void cachedFactorsFollowParameterUpdates() {
        LuLinear lu = new LuLinear(3);
        Batch x = new Batch(new double[] {1, 2, 3}, 1, 3);
        assertArrayEquals(new double[] {1, 2, 3}, lu.forward(x).outputs().values(), 1e-12);
        Parameter lower = lu.parameters().get("lower_entries");
        lower.values()[0] = 10; // L[1][0]
        lower.markUpdated();
        assertArrayEquals(new double[] {1, 12, 3}, lu.forward(x).outputs().values(), 1e-12);
        assertArrayEquals(new double[] {1, 2, 3}, lu.inverse(new Batch(new double[] {1, 12, 3}, 1, 3)).outputs().values(), 1e-12);
        Parameter diag = lu.parameters().get("unconstrained_upper_diag");
        diag.values()[2] = Softplus.inverse(4 - 1e-3);
        diag.markUpdated();
        assertArrayEquals(new double[] {1, 12, 12}, lu.forward(x).outputs().values(), 1e-12);
        assertEquals(Math.log(4), lu.forward(x).logAbsDet()[0], 1e-12);
    }

    @Test
    void concurrentPassesAgreeWithASerialOne() throws Exception {
        LuLinear lu = new LuLinear(20);
        randomise(lu, new SplittableRandom(9));
        double[] x = new double[64 * 20];
        RandomGenerator rng = new SplittableRandom(10);
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        Batch batch = new Batch(x, 64, 20);
        // Each round invalidates the cache, then four passes race to rebuild and use it.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                lu.parameters().get("upper_entries").values()[round % 5] += 0.01;
                lu.parameters().get("upper_entries").markUpdated();
                List<Future<double[]>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    results.add(pool.submit(() -> lu.forward(batch).outputs().values()));
                }
                double[] reference = serialReference(lu, batch);
                for (Future<double[]> f : results) {
                    assertArrayEquals(reference, f.get(), 0.0);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static double[] serialReference(LuLinear lu, Batch batch) {
        LuLinear copy = new LuLinear(lu.dimension());
        for (var e : lu.parameters().entrySet()) {
            copy.parameters().get(e.getKey()).set(e.getValue().values());
        }
        return copy.forward(batch).outputs().values();
    }

    @Test
    void roundTripsAHundredFeaturesAtBatchFiveHundredTwelve() {
        int d = 100;
        int rows = 512;
        LuLinear lu = new LuLinear(d);
        RandomGenerator rng = new SplittableRandom(13);
        for (var e : lu.parameters().values()) {
            double[] v = e.values();
            for (int i = 0; i < v.length; i++) {
                v[i] += 0.1 * rng.nextGaussian();
            }
            e.markUpdated();
        }
        double[] x = new double[rows * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        Batch batch = new Batch(x, rows, d);
        ForwardPass pass = lu.forward(batch);
        Mapping back = lu.inverse(pass.outputs());
        assertArrayEquals(x, back.outputs().values(), 1e-9);
        Batch gx = pass.backward(pass.outputs(), new double[rows], new Gradients());
        assertAllFinite(gx.values(), "input gradient");
    }

    @Test
    void extremeInputsStayFinite() {
        LuLinear lu = new LuLinear(5);
        randomise(lu, new SplittableRandom(17));
        Batch x = inputs(6, new SplittableRandom(18));
        double[] big = x.values().clone();
        for (int i = 0; i < big.length; i++) {
            big[i] *= 1e3;
        }
        Batch wide = new Batch(big, 6, 5);
        ForwardPass pass = lu.forward(wide);
        assertAllFinite(pass.outputs().values(), "outputs");
        assertArrayEquals(big, lu.inverse(pass.outputs()).outputs().values(), 1e-9 * 1e3);
        assertAllFinite(pass.backward(pass.outputs(), new double[6], new Gradients()).values(), "input gradient");
    }

    @Test
    void rejectsMismatchedGradients() {
        LuLinear lu = new LuLinear(3);
        ForwardPass pass = lu.forward(new Batch(new double[6], 2, 3));
        assertThrows(IllegalArgumentException.class,
                () -> pass.backward(new Batch(new double[3], 1, 3), new double[2], new Gradients()));
        assertThrows(IllegalArgumentException.class,
                () -> pass.backward(new Batch(new double[6], 2, 3), new double[1], new Gradients()));
        assertThrows(IllegalArgumentException.class, () -> lu.forward(new Batch(new double[4], 2, 2)));
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int m = 0; m < n; m++) {
                    c[i][j] += a[i][m] * b[m][j];
                }
            }
        }
        return c;
    }

    private static double[] flatten(double[][] m) {
        double[] out = new double[m.length * m.length];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, out, i * m.length, m.length);
        }
        return out;
    }
}
