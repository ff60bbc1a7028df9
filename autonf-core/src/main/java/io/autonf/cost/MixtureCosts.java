package io.autonf.cost;

import io.autonf.flow.Architecture;
import io.autonf.flow.LayerKind;

import java.util.HashSet;
import java.util.List;

/**
 * The search's cost term: the expected cost of the mixture flow, C_mix = Σ_i Σ_j w_i^j ĉ_j, where w_i are the
 * softmax weights of layer i over the options and ĉ_j the normalised cost of option j.
 *
 * <p><b>Normalisation.</b> ĉ_j = c_j / max_k c_k: each option's measured seconds per sample for the emphasis,
 * divided by those of the most expensive option in the search. So ĉ lies in [0, 1] (1 for the most expensive
 * option, 0 for {@link LayerKind#IDENTITY}) and C_mix in [0, n] for n layers whatever the machine, the data
 * dimension or the hidden width; λ then reads as "loss units worth replacing the most expensive option by a
 * free one in one layer", and the same λ means the same trade-off on a laptop and on a server. When every
 * option costs nothing (identity only) all ĉ are 0. Every cost the search reports on this scale (the expected
 * cost, an architecture's cost) goes through {@link #normalisedCosts}, so the scales agree.
 */
public final class MixtureCosts {

    private MixtureCosts() {
    }

    /** ĉ_j for each option, in the options' order (see the class documentation). */
    public static double[] normalisedCosts(List<LayerKind> options, CostTable table, CostEmphasis emphasis) {
        requireOptions(options);
        if (table == null || emphasis == null) {
            throw new IllegalArgumentException("normalised costs need a cost table and an emphasis");
        }
        double[] c = new double[options.size()];
        double max = 0;
        for (int j = 0; j < c.length; j++) {
            c[j] = table.cost(options.get(j), emphasis);
            max = Math.max(max, c[j]);
        }
        if (max > 0) {
            for (int j = 0; j < c.length; j++) {
                c[j] /= max;
            }
        }
        return c;
    }

    /**
     * C_mix = Σ_i Σ_j weights[i][j] ĉ_j.
     *
     * @param weights one row per layer, one weight per option (softmax(α_i), or one-hot for a fixed layer); every
     *                row counts, so leave out layers that take no part
     */
    public static double expectedCost(double[][] weights, List<LayerKind> options, CostTable table, CostEmphasis emphasis) {
        double[] c = normalisedCosts(options, table, emphasis);
        requireWeights(weights, c.length);
        double sum = 0;
        for (double[] row : weights) {
            for (int j = 0; j < c.length; j++) {
                sum += row[j] * c[j];
            }
        }
        return sum;
    }

    /** ∂C_mix/∂weights[i][j] = ĉ_j, for every layer i. */
    public static double[][] expectedCostGradient(double[][] weights, List<LayerKind> options, CostTable table,
                                                  CostEmphasis emphasis) {
        double[] c = normalisedCosts(options, table, emphasis);
        requireWeights(weights, c.length);
        double[][] grad = new double[weights.length][];
        for (int i = 0; i < weights.length; i++) {
            grad[i] = c.clone();
        }
        return grad;
    }

    /**
     * ∂C_mix/∂α_i^k when weights[i] = softmax(α_i): w_i^k (ĉ_k − Σ_j w_i^j ĉ_j), the chain rule through the softmax.
     *
     * @param weights the softmax weights (not the logits α)
     */
    public static double[][] expectedCostLogitGradient(double[][] weights, List<LayerKind> options, CostTable table,
                                                       CostEmphasis emphasis) {
        double[] c = normalisedCosts(options, table, emphasis);
        requireWeights(weights, c.length);
        double[][] grad = new double[weights.length][c.length];
        for (int i = 0; i < weights.length; i++) {
            double layerCost = 0;
            for (int j = 0; j < c.length; j++) {
                layerCost += weights[i][j] * c[j];
            }
            for (int k = 0; k < c.length; k++) {
                grad[i][k] = weights[i][k] * (c[k] - layerCost);
            }
        }
        return grad;
    }

    /** An architecture's cost on the same scale: Σ over its layers of ĉ of the layer's option. */
    public static double architectureCost(Architecture architecture, List<LayerKind> options, CostTable table,
                                          CostEmphasis emphasis) {
        double[] c = normalisedCosts(options, table, emphasis);
        if (architecture == null) {
            throw new IllegalArgumentException("an architecture is required");
        }
        double sum = 0;
        for (LayerKind k : architecture.layers()) {
            int j = options.indexOf(k);
            if (j < 0) {
                throw new IllegalArgumentException("layer '" + k + "' of " + architecture + " is not among the options "
                        + options + ", which fix the cost scale");
            }
            sum += c[j];
        }
        return sum;
    }

    private static void requireOptions(List<LayerKind> options) {
        if (options == null || options.isEmpty() || options.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("the search options must name at least one layer kind, got " + options);
        }
        if (new HashSet<>(options).size() != options.size()) {
            throw new IllegalArgumentException("the search options repeat a layer kind: " + options);
        }
    }

    private static void requireWeights(double[][] weights, int options) {
        if (weights == null) {
            throw new IllegalArgumentException("mixture weights are required");
        }
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] == null || weights[i].length != options) {
                throw new IllegalArgumentException("layer " + i + " has " + (weights[i] == null ? "no" : weights[i].length)
                        + " weights, expected one per option (" + options + ")");
            }
            for (int j = 0; j < options; j++) {
                if (!Double.isFinite(weights[i][j])) {
                    throw new IllegalArgumentException("weight " + j + " of layer " + i + " is " + weights[i][j]);
                }
            }
        }
    }
}
