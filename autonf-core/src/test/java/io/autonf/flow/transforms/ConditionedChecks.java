package io.autonf.flow.transforms;

import io.autonf.flow.Batch;
import io.autonf.flow.ForwardPass;
import io.autonf.flow.Gradients;
import io.autonf.flow.Parameter;
import io.autonf.flow.Transform;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Checks shared by the tests of the network-conditioned transforms. */
final class ConditionedChecks {

    private ConditionedChecks() {
    }

    /** dz_i/dx_j = 0 for j &gt; i, and dz_i/dx_i != 0: the MADE masks hold through the whole transform. */
    static void assertLowerTriangularJacobian(Transform t) {
        int d = t.dimension();
        SplittableRandom rng = new SplittableRandom(99);
        double[] x = new double[d];
        for (int i = 0; i < d; i++) {
            x[i] = rng.nextGaussian();
        }
        double[] z = t.forward(new Batch(x, 1, d)).outputs().values();
        for (int j = 0; j < d; j++) {
            double[] moved = x.clone();
            moved[j] += 0.37;
            double[] zm = t.forward(new Batch(moved, 1, d)).outputs().values();
            for (int i = 0; i < j; i++) {
                assertEquals(z[i], zm[i], 0.0, "z" + i + " must not depend on x" + j);
            }
            assertTrue(zm[j] != z[j], "z" + j + " must depend on x" + j);
        }
    }

    /**
     * Two passes alive at once, back-propagated in the opposite order, give exactly what each gives alone: a
     * transform keeps no per-pass state of its own.
     */
    static void assertPassesAreIndependent(Transform t, Batch a, Batch b) {
        double[] onesA = ones(a.rows());
        double[] onesB = ones(b.rows());
        Gradients aloneA = new Gradients();
        Batch gradA = t.forward(a).backward(a, onesA, aloneA);
        Gradients aloneB = new Gradients();
        Batch gradB = t.forward(b).backward(b, onesB, aloneB);

        ForwardPass passA = t.forward(a);
        ForwardPass passB = t.forward(b);
        Gradients interleavedB = new Gradients();
        Gradients interleavedA = new Gradients();
        assertArrayEquals(gradB.values(), passB.backward(b, onesB, interleavedB).values(), 0.0);
        assertArrayEquals(gradA.values(), passA.backward(a, onesA, interleavedA).values(), 0.0);
        for (Parameter p : t.parameters().values()) {
            assertArrayEquals(aloneA.getOrNull(p), interleavedA.getOrNull(p), 0.0);
            assertArrayEquals(aloneB.getOrNull(p), interleavedB.getOrNull(p), 0.0);
        }
    }

    private static double[] ones(int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, 1.0);
        return v;
    }

    /** Sets every entry of {@code p} to {@code value} and marks it updated. */
    static void fill(Parameter p, double value) {
        java.util.Arrays.fill(p.values(), value);
        p.markUpdated();
    }

    /** Forward, inverse and backward stay finite. */
    static void assertFiniteEverywhere(Transform t, Batch x) {
        ForwardPass pass = t.forward(x);
        Gradients gradients = new Gradients();
        double[][] all = {pass.outputs().values(), pass.logAbsDet(), pass.backward(x, ones(x.rows()), gradients).values(),
                t.inverse(pass.outputs()).outputs().values(), t.inverse(pass.outputs()).logAbsDet()};
        for (double[] values : all) {
            for (double v : values) {
                if (!Double.isFinite(v)) {
                    fail("non-finite value " + v);
                }
            }
        }
        for (Parameter p : t.parameters().values()) {
            double[] g = gradients.getOrNull(p);
            if (g != null) {
                for (double v : g) {
                    assertTrue(Double.isFinite(v), "non-finite parameter gradient");
                }
            }
        }
    }
}
