package io.autonf.nn;

import io.autonf.flow.Batch;
import io.autonf.flow.Gradients;
import io.autonf.flow.Parameter;
import io.autonf.flow.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.SplittableRandom;

import static io.autonf.nn.NetworkTestSupport.randomBatch;
import static io.autonf.nn.NetworkTestSupport.randomiseParameters;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MADE: masks as nflows builds them, and the autoregressive property they must give. */
class MadeTest {

    private static List<Linear> layers(Network net) {
        return ((ResidualMlp) net).layers();
    }

    @Test
    void masksMatchNflowsDegrees() {
        // D = 3: hidden degrees k % 2 + 1 = 1,2,1,2; output degrees with multiplier 2 = 1,1,2,2,3,3.
        Network net = Networks.made(3, 2, 4, 1, Precision.FP64, new SplittableRandom(1));
        List<Linear> layers = layers(net);
        boolean t = true;
        boolean f = false;
        assertArrayEquals(new boolean[] {
                t, f, f,
                t, t, f,
                t, f, f,
                t, t, f}, layers.get(0).mask(), "initial_layer: hidden degree >= input degree");
        boolean[] hidden = {
                t, f, t, f,
                t, t, t, t,
                t, f, t, f,
                t, t, t, t};
        assertArrayEquals(hidden, layers.get(1).mask(), "linear_layers.0");
        assertArrayEquals(hidden, layers.get(2).mask(), "linear_layers.1");
        assertArrayEquals(new boolean[] {
                f, f, f, f,
                f, f, f, f,
                t, f, t, f,
                t, f, t, f,
                t, t, t, t,
                t, t, t, t}, layers.get(3).mask(), "final_layer: output degree > hidden degree");
    }

    @Test
    void oneFeatureGivesConstantOutputs() {
        // nflows: D = 1 gives hidden degrees 0, so nothing reaches the hidden layer and the outputs are biases.
        Network net = Networks.made(1, 2, 5, 1, Precision.FP32, new SplittableRandom(3));
        Batch x = randomBatch(new SplittableRandom(4), 3, 1);
        Batch y = net.forward(x).outputs();
        for (int r = 1; r < 3; r++) {
            assertEquals(y.get(0, 0), y.get(r, 0));
            assertEquals(y.get(0, 1), y.get(r, 1));
        }
    }

    @ParameterizedTest(name = "{0} D={1} mult={2} H={3} blocks={4}")
    @CsvSource({"FP64, 5, 3, 16, 2", "FP32, 5, 3, 16, 2", "FP32, 6, 2, 256, 2", "FP64, 4, 1, 9, 0",
            "FP32, 17, 2, 40, 1"})
    void outputBlockDependsOnlyOnEarlierInputs(Precision precision, int d, int mult, int hidden, int blocks) {
        Network net = Networks.made(d, mult, hidden, blocks, precision, new SplittableRandom(d * 7L + hidden));
        SplittableRandom rng = new SplittableRandom(9);
        randomiseParameters(net, rng, 0.5);
        int rows = 6;
        Batch x = randomBatch(rng, rows, d);
        double[] base = net.forward(x).outputs().values();
        for (int input = 0; input < d; input++) {
            Batch moved = x.copy();
            for (int r = 0; r < rows; r++) {
                moved.values()[r * d + input] += 0.75;
            }
            double[] y = net.forward(moved).outputs().values();
            for (int block = 0; block < d; block++) {
                boolean changed = false;
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < mult; j++) {
                        int at = r * d * mult + block * mult + j;
                        if (block <= input) {
                            assertEquals(base[at], y[at], "output block " + block + " must ignore input " + input);
                        } else if (base[at] != y[at]) {
                            changed = true;
                        }
                    }
                }
                if (block > input) {
                    assertTrue(changed, "output block " + block + " should depend on input " + input);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"FP32", "FP64"})
    void maskedWeightsGetExactlyZeroGradient(Precision precision) {
        Network net = Networks.made(5, 2, 13, 2, precision, new SplittableRandom(6));
        SplittableRandom rng = new SplittableRandom(7);
        Batch x = randomBatch(rng, 5, 5);
        Gradients gradients = new Gradients();
        net.forward(x).backward(randomBatch(rng, 5, 10), gradients);
        for (Linear layer : layers(net)) {
            boolean[] mask = layer.mask();
            double[] g = gradients.of(layer.weight);
            int nonzero = 0;
            for (int i = 0; i < mask.length; i++) {
                if (!mask[i]) {
                    assertEquals(0.0, g[i], "masked entry " + i + " of a " + layer.out + "x" + layer.in + " weight");
                } else if (g[i] != 0) {
                    nonzero++;
                }
            }
            assertTrue(nonzero > 0, "some unmasked entry should have a gradient");
        }
    }

    @Test
    void residualNetHasNoMasks() {
        Network net = Networks.residual(3, 4, 5, 1, Precision.FP64, new SplittableRandom(1));
        for (Linear layer : layers(net)) {
            assertNull(layer.mask());
        }
    }

    @Test
    void maskedEntriesHoldRawWeightsLikeTheStateDict() {
        Network net = Networks.made(4, 2, 8, 1, Precision.FP32, new SplittableRandom(2));
        Parameter w = net.parameters().get("final_layer.weight");
        int nonzeroMasked = 0;
        boolean[] mask = layers(net).get(layers(net).size() - 1).mask();
        for (int i = 0; i < mask.length; i++) {
            if (!mask[i] && w.values()[i] != 0) {
                nonzeroMasked++;
            }
        }
        assertTrue(nonzeroMasked > 0, "masked entries are initialised like the others, as in nflows");
    }
}
