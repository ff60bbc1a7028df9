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
        return new RqAutoregressive(dimension, SETTINGS.withPrecision(precision), rng);
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
        ConditionedChecks.assertLowerTriangularJacobian(create(dimension(), Precision.FP64, new SplittableRandom(3)));
    }

    @Test
    void networkOutputsThreeKMinusOneValuesPerFeature() {
        RqAutoregressive t = (RqAutoregressive) create(4, Precision.FP64, new SplittableRandom(4));
        assertEquals(4 * 11, t.network().outputs());
        assertEquals(4, t.network().inputs());
    }

    @Test
    void passesAreIndependent() {
        ConditionedChecks.assertPassesAreIndependent(create(dimension(), Precision.FP64, new SplittableRandom(6)),
                inputs(3, new SplittableRandom(7)), inputs(4, new SplittableRandom(8)));
    }

    @Test
    void extremeNetworkOutputsStayFinite() {
        // Network outputs of +-1000 push softplus, sigmoid and softmax far into their tails.
        Transform t = create(dimension(), Precision.FP64, new SplittableRandom(9));
        ConditionedChecks.fill(t.parameters().get("autoregressive_net.final_layer.weight"), 0.0);
        var bias = t.parameters().get("autoregressive_net.final_layer.bias");
        for (int i = 0; i < bias.size(); i++) {
            bias.values()[i] = i % 3 == 0 ? 1000 : -1000;
        }
        bias.markUpdated();
        ConditionedChecks.assertFiniteEverywhere(t, inputs(6, new SplittableRandom(10)));
    }
}
