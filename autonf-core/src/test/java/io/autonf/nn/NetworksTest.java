package io.autonf.nn;

import io.autonf.flow.Batch;
import io.autonf.flow.Gradients;
import io.autonf.flow.Parameter;
import io.autonf.flow.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.autonf.nn.NetworkTestSupport.checkGradients;
import static io.autonf.nn.NetworkTestSupport.randomBatch;
import static io.autonf.nn.NetworkTestSupport.randomiseParameters;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworksTest {

    private static Network build(String kind, int features, int hidden, int blocks, Precision precision, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return kind.equals("made")
                ? Networks.made(features, 3, hidden, blocks, precision, rng)
                : Networks.residual(features, 7, hidden, blocks, precision, rng);
    }

    @ParameterizedTest(name = "{0} H={1} blocks={2} batch={3}")
    @CsvSource({
            "residual, 7, 0, 3", "residual, 9, 1, 5", "residual, 16, 2, 6", "residual, 12, 2, 4",
            "made, 7, 0, 4", "made, 11, 1, 3", "made, 16, 2, 6", "made, 8, 2, 5"})
    void fp64GradientsMatchFiniteDifferences(String kind, int hidden, int blocks, int batch) {
        Network net = build(kind, 5, hidden, blocks, Precision.FP64, 11);
        SplittableRandom rng = new SplittableRandom(hidden * 100L + blocks * 10L + batch);
        randomiseParameters(net, rng, 0.6);
        Batch inputs = randomBatch(rng, batch, 5);
        Batch coefficients = randomBatch(rng, batch, net.outputs());
        checkGradients(net, inputs, coefficients);
    }

    @Test
    void parameterNamesAndShapesFollowNflows() {
        Network net = Networks.residual(4, 6, 10, 2, Precision.FP32, new SplittableRandom(1));
        assertEquals(List.of("initial_layer.weight", "initial_layer.bias",
                "blocks.0.linear_layers.0.weight", "blocks.0.linear_layers.0.bias",
                "blocks.0.linear_layers.1.weight", "blocks.0.linear_layers.1.bias",
                "blocks.1.linear_layers.0.weight", "blocks.1.linear_layers.0.bias",
                "blocks.1.linear_layers.1.weight", "blocks.1.linear_layers.1.bias",
                "final_layer.weight", "final_layer.bias"), List.copyOf(net.parameters().keySet()));
        Map<String, Parameter> p = net.parameters();
        assertArrayEquals(new int[] {10, 4}, p.get("initial_layer.weight").shape());
        assertArrayEquals(new int[] {10}, p.get("initial_layer.bias").shape());
        assertArrayEquals(new int[] {10, 10}, p.get("blocks.1.linear_layers.0.weight").shape());
        assertArrayEquals(new int[] {6, 10}, p.get("final_layer.weight").shape());
        assertEquals(4, net.inputs());
        assertEquals(6, net.outputs());
        assertEquals(10, net.hiddenFeatures());

        Network made = Networks.made(5, 4, 12, 1, Precision.FP64, new SplittableRandom(1));
        assertEquals(20, made.outputs());
        assertEquals(12, made.hiddenFeatures());
        assertArrayEquals(new int[] {20, 12}, made.parameters().get("final_layer.weight").shape());
        assertEquals(List.of("initial_layer.weight", "initial_layer.bias",
                "blocks.0.linear_layers.0.weight", "blocks.0.linear_layers.0.bias",
                "blocks.0.linear_layers.1.weight", "blocks.0.linear_layers.1.bias",
                "final_layer.weight", "final_layer.bias"), List.copyOf(made.parameters().keySet()));
    }

    @ParameterizedTest
    @CsvSource({"residual", "made"})
    void initialisationUsesTorchRangesAndZeroInitialisedBlockOutputs(String kind) {
        Network net = build(kind, 6, 64, 2, Precision.FP32, 5);
        for (Map.Entry<String, Parameter> e : net.parameters().entrySet()) {
            int fanIn = e.getKey().startsWith("initial_layer") ? 6 : 64;
            double bound = e.getKey().contains("linear_layers.1") ? 1e-3 : 1 / Math.sqrt(fanIn);
            double max = 0;
            for (double v : e.getValue().values()) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max <= bound, e.getKey() + " exceeds " + bound + ": " + max);
            if (e.getValue().size() >= 64) {
                assertTrue(max > 0.8 * bound, e.getKey() + " does not fill U(-" + bound + ", " + bound + "): " + max);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"residual", "made"})
    void sameSeedGivesSameParametersAndOtherSeedsDiffer(String kind) {
        Network a = build(kind, 5, 9, 2, Precision.FP32, 42);
        Network b = build(kind, 5, 9, 2, Precision.FP64, 42);
        Network c = build(kind, 5, 9, 2, Precision.FP32, 43);
        for (String name : a.parameters().keySet()) {
            assertArrayEquals(a.parameters().get(name).values(), b.parameters().get(name).values(), name);
            assertFalse(java.util.Arrays.equals(a.parameters().get(name).values(), c.parameters().get(name).values()),
                    name);
        }
    }

    @ParameterizedTest(name = "{0} H={1} blocks={2}")
    @CsvSource({"residual, 37, 2", "made, 70, 2", "made, 256, 1", "residual, 8, 0"})
    void fp32AgreesWithFp64(String kind, int hidden, int blocks) {
        Network single = build(kind, 6, hidden, blocks, Precision.FP32, 3);
        Network dual = build(kind, 6, hidden, blocks, Precision.FP64, 3);
        SplittableRandom rng = new SplittableRandom(8);
        for (String name : single.parameters().keySet()) {
            double[] v = single.parameters().get(name).values();
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextDouble(-0.3, 0.3);
            }
            single.parameters().get(name).markUpdated();
            dual.parameters().get(name).set(v);
        }
        Batch x = randomBatch(rng, 19, 6);
        Batch g = randomBatch(rng, 19, single.outputs());
        Gradients g32 = new Gradients();
        Gradients g64 = new Gradients();
        NetworkPass p32 = single.forward(x);
        NetworkPass p64 = dual.forward(x);
        assertClose(p64.outputs().values(), p32.outputs().values(), 1e-5, "outputs");
        assertClose(p64.backward(g, g64).values(), p32.backward(g, g32).values(), 1e-5, "input gradients");
        for (String name : single.parameters().keySet()) {
            assertClose(g64.of(dual.parameters().get(name)), g32.of(single.parameters().get(name)), 1e-5, name);
        }
    }

    /** Entry-wise |a - b| <= tolerance * (|a| + rms(a)), so near-zero entries are judged at the array's scale. */
    private static void assertClose(double[] expected, double[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        double sum = 0;
        for (double v : expected) {
            sum += v * v;
        }
        double rms = Math.sqrt(sum / Math.max(1, expected.length));
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(expected[i] - actual[i]);
            assertTrue(error <= tolerance * (Math.abs(expected[i]) + rms),
                    what + "[" + i + "]: fp64 " + expected[i] + ", fp32 " + actual[i]);
        }
    }

    @ParameterizedTest
    @CsvSource({"FP32", "FP64"})
    void emptyBatchesPassThrough(Precision precision) {
        Network net = Networks.made(4, 2, 8, 1, precision, new SplittableRandom(2));
        NetworkPass pass = net.forward(Batch.zeros(0, 4));
        assertEquals(0, pass.outputs().rows());
        assertEquals(8, pass.outputs().cols());
        Batch dx = pass.backward(Batch.zeros(0, 8), new Gradients());
        assertEquals(0, dx.rows());
        assertEquals(4, dx.cols());
    }

    @Test
    void parameterUpdatesReachTheNextPass() {
        Network net = Networks.residual(3, 2, 5, 1, Precision.FP32, new SplittableRandom(4));
        Batch x = randomBatch(new SplittableRandom(5), 4, 3);
        double before = net.forward(x).outputs().get(0, 0);
        Parameter bias = net.parameters().get("final_layer.bias");
        bias.values()[0] += 1;
        bias.markUpdated();
        assertEquals(before + 1, net.forward(x).outputs().get(0, 0), 1e-6);
    }

    @Test
    void rejectsBadArguments() {
        SplittableRandom rng = new SplittableRandom(1);
        assertThrows(IllegalArgumentException.class, () -> Networks.residual(0, 2, 4, 1, Precision.FP32, rng));
        assertThrows(IllegalArgumentException.class, () -> Networks.residual(2, 2, 4, -1, Precision.FP32, rng));
        assertThrows(IllegalArgumentException.class, () -> Networks.made(3, 0, 4, 1, Precision.FP32, rng));
        assertThrows(IllegalArgumentException.class, () -> Networks.made(3, 1, 4, 1, null, rng));
        assertThrows(IllegalArgumentException.class, () -> Networks.made(3, 1, 4, 1, Precision.FP32, null));
        Network net = Networks.made(3, 2, 4, 1, Precision.FP32, rng);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.forward(Batch.zeros(2, 4)));
        assertTrue(e.getMessage().contains("3"), e.getMessage());
        NetworkPass pass = net.forward(Batch.zeros(2, 3));
        assertThrows(IllegalArgumentException.class, () -> pass.backward(Batch.zeros(3, 6), new Gradients()));
        assertThrows(IllegalArgumentException.class, () -> pass.backward(Batch.zeros(2, 5), new Gradients()));
    }
}
