package io.autonf.nn;

import io.autonf.flow.Batch;
import io.autonf.flow.Gradients;
import io.autonf.flow.Parameter;
import io.autonf.flow.Precision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.SplittableRandom;

import static io.autonf.nn.NetworkTestSupport.checkGradients;
import static io.autonf.nn.NetworkTestSupport.randomBatch;
import static io.autonf.nn.NetworkTestSupport.randomiseParameters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernels' skipping (k ranges per column vector, row runs of the weight gradient) must be exact for any mask
 * and unit order, not only for MADE's staircases: random masks, some all-zero rows and columns, shuffled units.
 */
class MaskedLayerTest {

    private static boolean[] randomMask(SplittableRandom rng, int out, int in) {
        boolean[] mask = new boolean[out * in];
        for (int o = 0; o < out; o++) {
            boolean deadRow = rng.nextInt(5) == 0;
            for (int i = 0; i < in; i++) {
                mask[o * in + i] = !deadRow && rng.nextBoolean();
            }
        }
        return mask;
    }

    private static int[] shuffled(SplittableRandom rng, int size) {
        int[] order = new int[size];
        for (int k = 0; k < size; k++) {
            order[k] = k;
        }
        for (int k = size - 1; k > 0; k--) {
            int j = rng.nextInt(k + 1);
            int t = order[k];
            order[k] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static ResidualMlp network(Precision precision, int in, int hidden, int out, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] order = shuffled(rng, hidden);
        Linear initial = new Linear(in, hidden, precision, randomMask(rng, hidden, in), null, order);
        Linear first = new Linear(hidden, hidden, precision, randomMask(rng, hidden, hidden), order, order);
        Linear second = new Linear(hidden, hidden, precision, randomMask(rng, hidden, hidden), order, order);
        Linear last = new Linear(hidden, out, precision, randomMask(rng, out, hidden), order, null);
        ResidualMlp net = new ResidualMlp(in, out, hidden, precision, initial, List.<Linear[]>of(new Linear[] {first, second}),
                last);
        randomiseParameters(net, new SplittableRandom(seed + 1), 0.5);
        return net;
    }

    @ParameterizedTest(name = "in={0} H={1} out={2}")
    @CsvSource({"5, 13, 7", "3, 37, 20", "9, 8, 4"})
    void fp64GradientsMatchFiniteDifferences(int in, int hidden, int out) {
        ResidualMlp net = network(Precision.FP64, in, hidden, out, 100L * hidden + out);
        SplittableRandom rng = new SplittableRandom(hidden);
        checkGradients(net, randomBatch(rng, 9, in), randomBatch(rng, 9, out));
    }

    @ParameterizedTest(name = "in={0} H={1} out={2}")
    @CsvSource({"5, 13, 7", "3, 37, 20", "6, 70, 33"})
    void fp32MatchesFp64AndMaskedGradientsAreZero(int in, int hidden, int out) {
        ResidualMlp single = network(Precision.FP32, in, hidden, out, 7L * hidden + out);
        ResidualMlp dual = network(Precision.FP64, in, hidden, out, 7L * hidden + out);
        SplittableRandom rng = new SplittableRandom(out);
        Batch x = randomBatch(rng, 21, in);
        Batch g = randomBatch(rng, 21, out);
        Gradients g32 = new Gradients();
        Gradients g64 = new Gradients();
        NetworkPass p32 = single.forward(x);
        NetworkPass p64 = dual.forward(x);
        assertClose(p64.outputs().values(), p32.outputs().values(), "outputs");
        assertClose(p64.backward(g, g64).values(), p32.backward(g, g32).values(), "input gradients");
        List<Linear> layers = single.layers();
        List<Linear> twins = dual.layers();
        for (int l = 0; l < layers.size(); l++) {
            boolean[] mask = layers.get(l).mask();
            double[] a = g32.of(layers.get(l).weight);
            double[] b = g64.of(twins.get(l).weight);
            assertClose(b, a, "weight gradient of layer " + l);
            for (int k = 0; k < mask.length; k++) {
                if (!mask[k]) {
                    assertEquals(0.0, a[k], "fp32 masked entry " + k + " of layer " + l);
                    assertEquals(0.0, b[k], "fp64 masked entry " + k + " of layer " + l);
                }
            }
            Parameter bias = layers.get(l).bias;
            assertClose(g64.of(twins.get(l).bias), g32.of(bias), "bias gradient of layer " + l);
        }
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        double sum = 0;
        for (double v : expected) {
            sum += v * v;
        }
        double rms = Math.sqrt(sum / Math.max(1, expected.length));
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(expected[i] - actual[i]);
            assertTrue(error <= 1e-5 * (Math.abs(expected[i]) + rms),
                    what + "[" + i + "]: fp64 " + expected[i] + ", fp32 " + actual[i]);
        }
    }
}
