package io.autonf.flow.transforms;

import io.autonf.flow.Batch;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Precision;
import io.autonf.flow.Transform;
import io.autonf.flow.TransformContract;
import io.autonf.flow.spline.RationalQuadraticSpline;
import io.autonf.flow.spline.SplineSettings;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RqAutoregressiveTest extends TransformContract {

    static final double BOUND = 2.0;
    static final LayerSettings SETTINGS = new LayerSettings(8, 1, 4, BOUND, Precision.FP64);

    @Override
    protected Transform create(int dimension, Precision precision, RandomGenerator rng) {
        return new RqAutoregressive(dimension, SETTINGS.withPrecision(precision), TinyNetworks.made(8, rng));
    }

    /** Wider than the tail bound, so that every check also sees the identity tails. */
    @Override
    protected Batch inputs(int rows, RandomGenerator rng) {
        return SplineInputs.reachingTheTails(rows, dimension(), BOUND, rng);
    }

    @Test
    void eachFeatureGoesThroughItsOwnUnscaledSpline() {
        RqAutoregressive t = (RqAutoregressive) create(3, Precision.FP64, new SplittableRandom(1));
        Batch x = SplineInputs.reachingTheTails(4, 3, BOUND, new SplittableRandom(2));
        double[] params = t.network().forward(x).outputs().values();
        double[] y = new double[12];
        double[] logDet = new double[4];
        RationalQuadraticSpline.forwardPacked(SplineSettings.of(4, BOUND), 4, 3, x.values(), params, 1.0, y, logDet);
        var pass = t.forward(x);
        assertArrayEquals(y, pass.outputs().values(), 0.0);
        assertArrayEquals(logDet, pass.logAbsDet(), 0.0);
    }

    @Test
    void outputsDependOnlyOnTheCurrentAndEarlierFeatures() {
        AutoregressiveChecks.assertLowerTriangularJacobian(create(dimension(), Precision.FP64, new SplittableRandom(3)));
    }

    @Test
    void networkOutputsThreeKMinusOneValuesPerFeature() {
        RqAutoregressive t = (RqAutoregressive) create(4, Precision.FP64, new SplittableRandom(4));
        assertEquals(4 * 11, t.network().outputs());
        assertEquals(4, t.network().inputs());
    }
}
