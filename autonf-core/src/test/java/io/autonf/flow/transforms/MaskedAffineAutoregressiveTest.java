package io.autonf.flow.transforms;

import io.autonf.flow.Batch;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Precision;
import io.autonf.flow.Transform;
import io.autonf.flow.TransformContract;
import io.autonf.flow.spline.StableMath;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MaskedAffineAutoregressiveTest extends TransformContract {

    @Override
    protected Transform create(int dimension, Precision precision, RandomGenerator rng) {
        return new MaskedAffineAutoregressive(dimension, new LayerSettings(8, 2, 4, 2.0, precision), rng);
    }

    @Test
    void eachFeatureIsScaledAndShiftedByItsInterleavedPair() {
        MaskedAffineAutoregressive t = (MaskedAffineAutoregressive) create(4, Precision.FP64, new SplittableRandom(1));
        Batch x = SplineInputs.reachingTheTails(3, 4, 1.5, new SplittableRandom(2));
        double[] p = t.network().forward(x).outputs().values();
        var pass = t.forward(x);
        for (int r = 0; r < 3; r++) {
            double logDet = 0;
            for (int c = 0; c < 4; c++) {
                int i = r * 4 + c;
                double scale = StableMath.softplus(p[2 * i]) + 1e-3;
                assertEquals(scale * x.values()[i] + p[2 * i + 1], pass.outputs().values()[i], 1e-14);
                logDet += Math.log(scale);
            }
            assertEquals(logDet, pass.logAbsDet()[r], 1e-13);
        }
    }

    @Test
    void outputsDependOnlyOnTheCurrentAndEarlierFeatures() {
        ConditionedChecks.assertLowerTriangularJacobian(create(dimension(), Precision.FP64, new SplittableRandom(3)));
    }

    @Test
    void parametersAreTheMadeParametersUnderTheNflowsNames() {
        MaskedAffineAutoregressive t = new MaskedAffineAutoregressive(3, new LayerSettings(7, 2, 4, 2.0, Precision.FP64),
                new SplittableRandom(4));
        NetworkNames.assertPrefixed("autoregressive_net", t.network(), t.parameters());
        assertArrayEquals(new int[] {7, 3}, t.parameters().get("autoregressive_net.initial_layer.weight").shape());
        assertArrayEquals(new int[] {7}, t.parameters().get("autoregressive_net.blocks.1.linear_layers.1.bias").shape());
        assertArrayEquals(new int[] {6, 7}, t.parameters().get("autoregressive_net.final_layer.weight").shape());
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
