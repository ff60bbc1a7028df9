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

import static org.junit.jupiter.api.Assertions.assertEquals;

class MaskedAffineAutoregressiveTest extends TransformContract {

    @Override
    protected Transform create(int dimension, Precision precision, RandomGenerator rng) {
        return new MaskedAffineAutoregressive(dimension, TinyNetworks.made(8, rng));
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
        AutoregressiveChecks.assertLowerTriangularJacobian(create(dimension(), Precision.FP64, new SplittableRandom(3)));
    }

    @Test
    void parametersAreTheMadeParametersUnderTheNflowsPrefix() {
        Transform t = create(3, Precision.FP64, new SplittableRandom(4));
        assertEquals(List.of("autoregressive_net.initial_layer.weight", "autoregressive_net.initial_layer.bias",
                "autoregressive_net.final_layer.weight", "autoregressive_net.final_layer.bias"),
                List.copyOf(t.parameters().keySet()));
    }
}
