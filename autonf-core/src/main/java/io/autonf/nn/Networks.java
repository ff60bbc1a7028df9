package io.autonf.nn;

import io.autonf.flow.Precision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * Builds the conditioner networks of nflows 0.14 (no context, no batch norm, no dropout), with the same layer
 * structure, parameter names, masks and initialisation ranges, so that parameters can be exchanged by name.
 */
public final class Networks {

    /** nflows re-initialises the last linear layer of every residual block to U(-1e-3, 1e-3). */
    private static final double BLOCK_OUTPUT_INIT = 1e-3;

    private Networks() {
    }

    /**
     * nflows {@code ResidualNet}: {@code initial_layer} Linear(inputs, H), then {@code blocks} residual blocks
     * {@code h + linear_layers.1(relu(linear_layers.0(relu(h))))}, then {@code final_layer} Linear(H, outputs).
     */
    public static Network residual(int inputs, int outputs, int hiddenFeatures, int blocks, Precision precision,
                                   RandomGenerator rng) {
        requirePositive(inputs, "residual net inputs");
        requirePositive(outputs, "residual net outputs");
        requirePositive(hiddenFeatures, "residual net hidden features");
        requireCommon(blocks, precision, rng);
        Linear initial = new Linear(inputs, hiddenFeatures, precision, null, null, null);
        List<Linear[]> blockLayers = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            blockLayers.add(new Linear[] {
                    new Linear(hiddenFeatures, hiddenFeatures, precision, null, null, null),
                    new Linear(hiddenFeatures, hiddenFeatures, precision, null, null, null)});
        }
        Linear last = new Linear(hiddenFeatures, outputs, precision, null, null, null);
        return initialised(new ResidualMlp(inputs, outputs, hiddenFeatures, precision, initial, blockLayers, last),
                rng);
    }

    /**
     * nflows {@code MADE} with residual blocks and sequential degrees: input degrees 1..D, hidden degrees
     * {@code k % max(1, D-1) + min(1, D-1)}, hidden masks {@code out >= in}, output j of feature d at index
     * {@code d * outputMultiplier + j} with degree d+1 and mask {@code out > in}. Output block d therefore depends
     * on inputs 0..d-1 only.
     */
    public static Network made(int features, int outputMultiplier, int hiddenFeatures, int blocks,
                               Precision precision, RandomGenerator rng) {
        requirePositive(features, "MADE features");
        requirePositive(outputMultiplier, "MADE output multiplier");
        requirePositive(hiddenFeatures, "MADE hidden features");
        requireCommon(blocks, precision, rng);
        int outputs = Math.multiplyExact(features, outputMultiplier);
        int[] inputDegrees = IntStream.rangeClosed(1, features).toArray();
        int cycle = Math.max(1, features - 1);
        int lowest = Math.min(1, features - 1);
        int[] hiddenDegrees = IntStream.range(0, hiddenFeatures).map(k -> k % cycle + lowest).toArray();
        int[] outputDegrees = IntStream.range(0, outputs).map(o -> inputDegrees[o / outputMultiplier]).toArray();

        // Sorting hidden units by degree makes every mask a staircase the kernels can skip; it changes nothing
        // outside the network (parameters and gradients stay in nflows' order).
        int[] hiddenOrder = IntStream.range(0, hiddenFeatures).boxed()
                .sorted(Comparator.comparingInt(k -> hiddenDegrees[k]))
                .mapToInt(Integer::intValue).toArray();
        int[] order = isIdentity(hiddenOrder) ? null : hiddenOrder;

        Linear initial = new Linear(features, hiddenFeatures, precision,
                mask(hiddenDegrees, inputDegrees, false), null, order);
        List<Linear[]> blockLayers = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            blockLayers.add(new Linear[] {
                    new Linear(hiddenFeatures, hiddenFeatures, precision,
                            mask(hiddenDegrees, hiddenDegrees, false), order, order),
                    new Linear(hiddenFeatures, hiddenFeatures, precision,
                            mask(hiddenDegrees, hiddenDegrees, false), order, order)});
        }
        Linear last = new Linear(hiddenFeatures, outputs, precision,
                mask(outputDegrees, hiddenDegrees, true), order, null);
        return initialised(new ResidualMlp(features, outputs, hiddenFeatures, precision, initial, blockLayers, last),
                rng);
    }

    /** mask[o][i] = out[o] > in[i] (strict) or out[o] >= in[i], row-major [out][in] like the weight. */
    private static boolean[] mask(int[] outDegrees, int[] inDegrees, boolean strict) {
        boolean[] mask = new boolean[Math.multiplyExact(outDegrees.length, inDegrees.length)];
        for (int o = 0; o < outDegrees.length; o++) {
            for (int i = 0; i < inDegrees.length; i++) {
                mask[o * inDegrees.length + i] = strict ? outDegrees[o] > inDegrees[i] : outDegrees[o] >= inDegrees[i];
            }
        }
        return mask;
    }

    private static boolean isIdentity(int[] order) {
        for (int k = 0; k < order.length; k++) {
            if (order[k] != k) {
                return false;
            }
        }
        return true;
    }

    /**
     * PyTorch's default Linear init, U(-1/sqrt(in), 1/sqrt(in)) for weight and bias, drawn layer by layer in
     * parameter order; the second layer of each residual block is drawn from U(-1e-3, 1e-3) instead.
     */
    private static Network initialised(ResidualMlp net, RandomGenerator rng) {
        List<Linear> layers = net.layers();
        for (int l = 0; l < layers.size(); l++) {
            Linear layer = layers.get(l);
            boolean blockOutput = l > 0 && l < layers.size() - 1 && l % 2 == 0;
            double bound = blockOutput ? BLOCK_OUTPUT_INIT : 1.0 / Math.sqrt(layer.in);
            layer.weight.fillUniform(bound, rng);
            layer.bias.fillUniform(bound, rng);
        }
        return net;
    }

    private static void requirePositive(int value, String what) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }

    private static void requireCommon(int blocks, Precision precision, RandomGenerator rng) {
        if (blocks < 0) {
            throw new IllegalArgumentException("residual blocks must be zero or more, got " + blocks);
        }
        if (precision == null) {
            throw new IllegalArgumentException("precision is required");
        }
        if (rng == null) {
            throw new IllegalArgumentException("a random generator is required");
        }
    }
}
