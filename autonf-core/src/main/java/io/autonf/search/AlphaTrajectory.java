package io.autonf.search;

import io.autonf.flow.LayerKind;

import java.util.Arrays;
import java.util.List;

/**
 * What a search went through, step by step: the softmax weights of every layer and option, the expected cost,
 * the losses and the compute spent. Row 0 is the start (uniform weights, no losses yet); row s is after step s.
 */
public final class AlphaTrajectory {

    private final List<LayerKind> options;
    private final int layers;
    private final int[] phase;
    private final double[] weights;
    private final double[] expectedCost;
    private final double[] trainLoss;
    private final double[] validationLoss;
    private final long[] layerEvaluations;

    private AlphaTrajectory(List<LayerKind> options, int layers, int[] phase, double[] weights, double[] expectedCost,
                            double[] trainLoss, double[] validationLoss, long[] layerEvaluations) {
        this.options = List.copyOf(options);
        this.layers = layers;
        this.phase = phase;
        this.weights = weights;
        this.expectedCost = expectedCost;
        this.trainLoss = trainLoss;
        this.validationLoss = validationLoss;
        this.layerEvaluations = layerEvaluations;
    }

    public List<LayerKind> options() {
        return options;
    }

    public int layers() {
        return layers;
    }

    /** Steps taken; there are {@code steps() + 1} rows. */
    public int steps() {
        return phase.length - 1;
    }

    /** The schedule phase the step belonged to ({@code -1} for row 0). */
    public int phase(int step) {
        return phase[step];
    }

    public double weight(int step, int layer, int option) {
        checkStep(step);
        if (layer < 0 || layer >= layers || option < 0 || option >= options.size()) {
            throw new IllegalArgumentException("no layer " + layer + " / option " + option + " in " + layers + " x "
                    + options.size());
        }
        return weights[(step * layers + layer) * options.size() + option];
    }

    /** The weights after {@code step}, [layer][option]. */
    public double[][] weights(int step) {
        checkStep(step);
        int m = options.size();
        double[][] w = new double[layers][];
        for (int i = 0; i < layers; i++) {
            int from = (step * layers + i) * m;
            w[i] = Arrays.copyOfRange(weights, from, from + m);
        }
        return w;
    }

    public double expectedCost(int step) {
        checkStep(step);
        return expectedCost[step];
    }

    /** The search loss on the step's training batch (NaN for row 0). */
    public double trainLoss(int step) {
        checkStep(step);
        return trainLoss[step];
    }

    /** The search loss on the step's validation batch (NaN for row 0 and for θ-only warm-up steps). */
    public double validationLoss(int step) {
        checkStep(step);
        return validationLoss[step];
    }

    /** Candidate-layer evaluations times rows spent up to and including {@code step}. */
    public long layerEvaluations(int step) {
        checkStep(step);
        return layerEvaluations[step];
    }

    private void checkStep(int step) {
        if (step < 0 || step >= phase.length) {
            throw new IllegalArgumentException("step " + step + " is outside [0, " + steps() + "]");
        }
    }

    /** Collects rows as a search runs. */
    public static final class Recorder {
        private final List<LayerKind> options;
        private final int layers;
        private int rows;
        private int[] phase = new int[16];
        private double[] weights;
        private double[] expectedCost = new double[16];
        private double[] trainLoss = new double[16];
        private double[] validationLoss = new double[16];
        private long[] layerEvaluations = new long[16];

        public Recorder(List<LayerKind> options, int layers) {
            if (options == null || options.isEmpty() || layers < 1) {
                throw new IllegalArgumentException("a trajectory needs options and at least one layer");
            }
            this.options = List.copyOf(options);
            this.layers = layers;
            this.weights = new double[16 * layers * options.size()];
        }

        /** Appends the next row; the first row recorded is row 0. */
        public void record(int phaseIndex, double[][] w, double cost, double train, double validation, long evaluations) {
            int m = options.size();
            if (w.length != layers) {
                throw new IllegalArgumentException("weights have " + w.length + " layers, expected " + layers);
            }
            if (rows == phase.length) {
                int n = rows * 2;
                phase = Arrays.copyOf(phase, n);
                expectedCost = Arrays.copyOf(expectedCost, n);
                trainLoss = Arrays.copyOf(trainLoss, n);
                validationLoss = Arrays.copyOf(validationLoss, n);
                layerEvaluations = Arrays.copyOf(layerEvaluations, n);
                weights = Arrays.copyOf(weights, n * layers * m);
            }
            for (int i = 0; i < layers; i++) {
                if (w[i].length != m) {
                    throw new IllegalArgumentException("layer " + i + " has " + w[i].length + " weights, expected " + m);
                }
                System.arraycopy(w[i], 0, weights, (rows * layers + i) * m, m);
            }
            phase[rows] = phaseIndex;
            expectedCost[rows] = cost;
            trainLoss[rows] = train;
            validationLoss[rows] = validation;
            layerEvaluations[rows] = evaluations;
            rows++;
        }

        public AlphaTrajectory build() {
            if (rows == 0) {
                throw new IllegalStateException("no rows recorded");
            }
            return new AlphaTrajectory(options, layers, Arrays.copyOf(phase, rows),
                    Arrays.copyOf(weights, rows * layers * options.size()), Arrays.copyOf(expectedCost, rows),
                    Arrays.copyOf(trainLoss, rows), Arrays.copyOf(validationLoss, rows),
                    Arrays.copyOf(layerEvaluations, rows));
        }
    }
}
