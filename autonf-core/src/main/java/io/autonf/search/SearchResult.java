package io.autonf.search;

import io.autonf.flow.Architecture;
import io.autonf.flow.LayerKind;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a search.
 *
 * @param architecture     the argmax option of every layer, identity layers dropped
 * @param choice           the argmax option index of every layer (identity included)
 * @param weights          the final softmax weights, [layer][option]
 * @param trajectory       weights, expected cost, losses and compute after every step
 * @param layerEvaluations candidate-layer forward evaluations times rows, summed over every θ and α step
 * @param wallTime         time of the search alone (no cost measurement, retraining or evaluation)
 */
public record SearchResult(Architecture architecture, int[] choice, double[][] weights, AlphaTrajectory trajectory,
                           long layerEvaluations, Duration wallTime) {

    public SearchResult {
        if (architecture == null || choice == null || weights == null || trajectory == null || wallTime == null) {
            throw new IllegalArgumentException("a search result needs its architecture, choice, weights, trajectory and time");
        }
        if (choice.length != weights.length || choice.length != trajectory.layers()) {
            throw new IllegalArgumentException("choice, weights and trajectory disagree on the number of layers: "
                    + choice.length + ", " + weights.length + ", " + trajectory.layers());
        }
        choice = choice.clone();
        weights = deepCopy(weights);
    }

    @Override
    public int[] choice() {
        return choice.clone();
    }

    @Override
    public double[][] weights() {
        return deepCopy(weights);
    }

    public int steps() {
        return trajectory.steps();
    }

    /** The largest weight of {@code layer}: 1 for a layer that ended one-hot. */
    public double maxWeight(int layer) {
        double max = 0;
        for (double w : weights[layer]) {
            max = Math.max(max, w);
        }
        return max;
    }

    /** Wall time per step pair (one θ step and one α step). */
    public double secondsPerStep() {
        return wallTime.toNanos() / 1e9 / Math.max(1, steps());
    }

    /** The result by snake_case name, for run records: weights as {layer -> {option -> weight}}. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", architecture.toString());
        List<String> chosen = new ArrayList<>(choice.length);
        for (int c : choice) {
            chosen.add(trajectory.options().get(c).id());
        }
        m.put("choice", chosen);
        m.put("weights", weightsByName(weights, trajectory.options()));
        m.put("steps", steps());
        m.put("layer_evaluations", layerEvaluations);
        m.put("search_wall_time_s", wallTime.toNanos() / 1e9);
        m.put("seconds_per_step", secondsPerStep());
        return m;
    }

    /** {@code [{option: weight, ...} per layer]}, in layer order. */
    public static List<Map<String, Double>> weightsByName(double[][] weights, List<LayerKind> options) {
        List<Map<String, Double>> layers = new ArrayList<>(weights.length);
        for (double[] layer : weights) {
            Map<String, Double> byOption = new LinkedHashMap<>();
            for (int j = 0; j < layer.length; j++) {
                byOption.put(options.get(j).id(), layer[j]);
            }
            layers.add(byOption);
        }
        return layers;
    }

    static double[][] deepCopy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
