package io.autonf.flow.transforms;

import io.autonf.flow.Batch;
import io.autonf.flow.Precision;
import io.autonf.flow.Transform;
import io.autonf.flow.TransformContract;
import io.autonf.flow.spline.StableMath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AffineCouplingTest extends TransformContract {

    @Override
    protected Transform create(int dimension, Precision precision, RandomGenerator rng) {
        return new AffineCoupling(dimension, true, TinyNetworks.dense(8, rng));
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
        AffineCoupling t = new AffineCoupling(5, false, TinyNetworks.dense(4, new SplittableRandom(3)));
        assertArrayEquals(new int[] {0, 2, 4}, t.identityFeatures());
        assertArrayEquals(new int[] {1, 3}, t.transformFeatures());
        assertEquals(3, t.network().inputs());
        assertEquals(4, t.network().outputs());
    }

    @Test
    void needsTwoFeatures() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AffineCoupling(1, true, TinyNetworks.dense(4, new SplittableRandom(4))));
        assertTrue(e.getMessage().contains("at least 2 features"), e.getMessage());
    }

    @Test
    void parametersAreTheNetworkParametersUnderTheNflowsPrefix() {
        Transform t = create(3, Precision.FP64, new SplittableRandom(5));
        assertEquals(List.of("transform_net.initial_layer.weight", "transform_net.initial_layer.bias",
                "transform_net.final_layer.weight", "transform_net.final_layer.bias"),
                List.copyOf(t.parameters().keySet()));
    }
}
