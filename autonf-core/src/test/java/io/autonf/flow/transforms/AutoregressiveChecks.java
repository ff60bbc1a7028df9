package io.autonf.flow.transforms;

import io.autonf.flow.Batch;
import io.autonf.flow.Transform;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks shared by the autoregressive transforms' tests. */
final class AutoregressiveChecks {

    private AutoregressiveChecks() {
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
}
