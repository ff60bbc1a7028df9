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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RqCouplingTest extends TransformContract {

    static final double BOUND = 2.0;
    static final LayerSettings SETTINGS = new LayerSettings(9, 1, 4, BOUND, Precision.FP64);

    @Override
    protected Transform create(int dimension, Precision precision, RandomGenerator rng) {
        return new RqCoupling(dimension, true, SETTINGS.withPrecision(precision), rng);
    }

    @Override
    protected Batch inputs(int rows, RandomGenerator rng) {
        return SplineInputs.reachingTheTails(rows, dimension(), BOUND, rng);
    }

    @Test
    void transformedFeaturesGoThroughSplinesScaledByTheHiddenWidth() {
        RqCoupling t = (RqCoupling) create(4, Precision.FP64, new SplittableRandom(1));
        Batch x = SplineInputs.reachingTheTails(3, 4, BOUND, new SplittableRandom(2));
        var pass = t.forward(x);
        for (int r = 0; r < 3; r++) {
            double[] p = t.network().forward(new Batch(new double[] {x.get(r, 1), x.get(r, 3)}, 1, 2)).outputs().values();
            double[] y = new double[2];
            double[] logDet = new double[1];
            RationalQuadraticSpline.forwardPacked(SplineSettings.of(4, BOUND), 1, 2,
                    new double[] {x.get(r, 0), x.get(r, 2)}, p, 1.0 / 3.0, y, logDet);
            assertEquals(y[0], pass.outputs().get(r, 0), 0.0);
            assertEquals(y[1], pass.outputs().get(r, 2), 0.0);
            assertEquals(x.get(r, 1), pass.outputs().get(r, 1), 0.0);
            assertEquals(x.get(r, 3), pass.outputs().get(r, 3), 0.0);
            assertEquals(logDet[0], pass.logAbsDet()[r], 1e-14);
        }
        assertEquals(2 * 11, t.network().outputs());
    }

    @Test
    void needsTwoFeatures() {
        assertThrows(IllegalArgumentException.class,
                () -> new RqCoupling(1, false, SETTINGS, new SplittableRandom(3)));
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
        ConditionedChecks.fill(t.parameters().get("transform_net.final_layer.weight"), 0.0);
        var bias = t.parameters().get("transform_net.final_layer.bias");
        for (int i = 0; i < bias.size(); i++) {
            bias.values()[i] = i % 3 == 0 ? 1000 : -1000;
        }
        bias.markUpdated();
        ConditionedChecks.assertFiniteEverywhere(t, inputs(6, new SplittableRandom(10)));
    }
}
