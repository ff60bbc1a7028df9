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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AffineCouplingTest extends TransformContract {

    @Override
    protected Transform create(int dimension, Precision precision, RandomGenerator rng) {
        return new AffineCoupling(dimension, true, new LayerSettings(8, 2, 4, 2.0, precision), rng);
    }

    @Test
    void transformedFeaturesAreShiftedAndScaledBySplitParameters() {
        AffineCoupling t = (AffineCoupling) create(5, Precision.FP64, new SplittableRandom(1));
        Batch x = inputs(3, new SplittableRandom(2));
        int[] identity = t.identityFeatures();
        int[] transformed = t.transformFeatures();
        assertArrayEquals(new int[] {1, 3}, identity);
        assertArrayEquals(new int[] {0, 2, 4}, transformed);
        var pass = t.forward(x);
        for (int r = 0; r < 3; r++) {
            double[] conditioner = {x.get(r, 1), x.get(r, 3)};
            double[] p = t.network().forward(new Batch(conditioner, 1, 2)).outputs().values();
            double logDet = 0;
            for (int j = 0; j < 3; j++) {
                double scale = StableMath.sigmoid(p[3 + j] + 2) + 1e-3;
                assertEquals(scale * x.get(r, transformed[j]) + p[j], pass.outputs().get(r, transformed[j]), 1e-14);
                logDet += Math.log(scale);
            }
            assertEquals(logDet, pass.logAbsDet()[r], 1e-13);
            for (int i : identity) {
                assertEquals(x.get(r, i), pass.outputs().get(r, i), 0.0);
            }
        }
    }

    @Test
    void oddMaskSwapsTheRoles() {
        AffineCoupling t = new AffineCoupling(5, false, new LayerSettings(4, 1, 4, 2.0, Precision.FP64),
                new SplittableRandom(3));
        assertArrayEquals(new int[] {0, 2, 4}, t.identityFeatures());
        assertArrayEquals(new int[] {1, 3}, t.transformFeatures());
        assertEquals(3, t.network().inputs());
        assertEquals(4, t.network().outputs());
    }

    @Test
    void needsTwoFeatures() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AffineCoupling(1, true, LayerSettings.DEFAULT, new SplittableRandom(4)));
        assertTrue(e.getMessage().contains("at least 2 features"), e.getMessage());
    }

    @Test
    void parametersAreTheResidualNetParametersUnderTheNflowsNames() {
        AffineCoupling t = new AffineCoupling(5, true, new LayerSettings(7, 1, 4, 2.0, Precision.FP64),
                new SplittableRandom(5));
        NetworkNames.assertPrefixed("transform_net", t.network(), t.parameters());
        assertArrayEquals(new int[] {7, 2}, t.parameters().get("transform_net.initial_layer.weight").shape());
        assertArrayEquals(new int[] {7, 7}, t.parameters().get("transform_net.blocks.0.linear_layers.0.weight").shape());
        assertArrayEquals(new int[] {6, 7}, t.parameters().get("transform_net.final_layer.weight").shape());
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
