package io.autonf.nn;

import io.autonf.flow.Batch;
import io.autonf.flow.Gradients;
import io.autonf.flow.Parameter;
import io.autonf.flow.Precision;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The residual MLP shared by nflows' {@code ResidualNet} and {@code MADE} (residual blocks, no context):
 * {@code h = initial(x)}; per block {@code h = h + linear1(relu(linear0(relu(h))))}; {@code y = final(h)}.
 * MADE differs only in the masks and internal unit order of its {@link Linear} layers.
 *
 * <p>Inside a pass every activation is a padded row-major array in the network's precision; each ReLU is fused
 * into the epilogue of the product that feeds it, and only the rectified values are kept (their sign is the
 * ReLU derivative the backward pass needs).
 */
final class ResidualMlp implements Network {

    private final int inputs;
    private final int outputs;
    private final int hidden;
    private final Precision precision;
    private final Linear initial;
    /** Per block: {first, second} linear layer. */
    private final Linear[][] blocks;
    private final Linear last;
    private final Linear[] layerArray;
    private final Map<String, Parameter> parameters;
    private final int largestWeightGradient;

    /**
     * Per-thread buffers for the temporaries of backward passes (they never outlive the call), so that a training
     * step allocates little beyond the activations its forward pass must keep.
     */
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    ResidualMlp(int inputs, int outputs, int hidden, Precision precision, Linear initial, List<Linear[]> blocks,
                Linear last) {
        this.inputs = inputs;
        this.outputs = outputs;
        this.hidden = hidden;
        this.precision = precision;
        this.initial = initial;
        this.blocks = blocks.toArray(new Linear[0][]);
        this.last = last;
        Map<String, Parameter> p = new LinkedHashMap<>();
        add(p, "initial_layer", initial);
        for (int b = 0; b < this.blocks.length; b++) {
            add(p, "blocks." + b + ".linear_layers.0", this.blocks[b][0]);
            add(p, "blocks." + b + ".linear_layers.1", this.blocks[b][1]);
        }
        add(p, "final_layer", last);
        this.parameters = Collections.unmodifiableMap(p);
        int size = 0;
        for (Linear layer : layers()) {
            size = Math.max(size, layer.out * layer.inStride);
        }
        this.largestWeightGradient = size + 1; // + the zero slot masked entries read
        this.layerArray = layers().toArray(new Linear[0]);
    }

    private static void add(Map<String, Parameter> into, String name, Linear layer) {
        into.put(name + ".weight", layer.weight);
        into.put(name + ".bias", layer.bias);
    }

    @Override
    public int inputs() {
        return inputs;
    }

    @Override
    public int outputs() {
        return outputs;
    }

    @Override
    public int hiddenFeatures() {
        return hidden;
    }

    @Override
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    /** Layers in construction order: initial, each block's two, final. */
    List<Linear> layers() {
        List<Linear> all = new ArrayList<>();
        all.add(initial);
        for (Linear[] block : blocks) {
            all.add(block[0]);
            all.add(block[1]);
        }
        all.add(last);
        return all;
    }

    @Override
    public NetworkPass forward(Batch batch) {
        if (batch == null) {
            throw new IllegalArgumentException("network inputs are null");
        }
        batch.requireCols(inputs, "network");
        long widest = Math.max(initial.outStride, Math.max(initial.inStride, last.outStride));
        if ((long) batch.rows() * widest > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a batch of " + batch.rows() + " rows is too large for a network "
                    + "with " + widest + "-wide padded layers; split it into smaller batches");
        }
        for (Linear layer : layerArray) {
            layer.packIfIdle(precision);
        }
        return precision == Precision.FP32 ? new FloatPass(batch) : new DoublePass(batch);
    }

    private void checkGradOutputs(Batch gradOutputs, int rows) {
        if (gradOutputs == null) {
            throw new IllegalArgumentException("network output gradients are null");
        }
        gradOutputs.requireCols(outputs, "network backward");
        if (gradOutputs.rows() != rows) {
            throw new IllegalArgumentException(
                    "network backward expects " + rows + " rows of output gradients, got " + gradOutputs.rows());
        }
    }

    // ------------------------------------------------------------------------------------------------- fp32

    private final class FloatPass implements NetworkPass {
        private final int n;
        private final Linear.Packed<float[]> initialWeights;
        private final Linear.Packed<float[]>[][] blockWeights;
        private final Linear.Packed<float[]> lastWeights;
        private final float[] x;
        /** relu(h) at the entry of each block, and relu(linear0(...)) inside it. */
        private final float[][] blockInputs;
        private final float[][] blockMiddles;
        private final float[] lastHidden;
        private final Batch result;

        @SuppressWarnings("unchecked")
        FloatPass(Batch batch) {
            n = batch.rows();
            int hs = initial.outStride;
            initialWeights = initial.floatWeights();
            blockWeights = new Linear.Packed[blocks.length][];
            for (int b = 0; b < blocks.length; b++) {
                blockWeights[b] = new Linear.Packed[] {blocks[b][0].floatWeights(), blocks[b][1].floatWeights()};
            }
            lastWeights = last.floatWeights();

            x = toFloat(batch.values(), n, inputs, initial.inStride, new float[n * initial.inStride]);
            blockInputs = new float[blocks.length][];
            blockMiddles = new float[blocks.length][];
            float[] h = new float[n * hs];
            if (blocks.length > 0) {
                blockInputs[0] = new float[n * hs];
            }
            forward(initial, initialWeights, x, null, h, blocks.length > 0 ? blockInputs[0] : null);
            for (int b = 0; b < blocks.length; b++) {
                blockMiddles[b] = new float[n * hs];
                forward(blocks[b][0], blockWeights[b][0], blockInputs[b], null, null, blockMiddles[b]);
                if (b + 1 < blocks.length) {
                    blockInputs[b + 1] = new float[n * hs];
                }
                // h += linear1(...) in place: backward needs only the rectified copies, not h itself.
                forward(blocks[b][1], blockWeights[b][1], blockMiddles[b], h, h,
                        b + 1 < blocks.length ? blockInputs[b + 1] : null);
            }
            lastHidden = h;
            float[] y = WORKSPACE.get().floats(6, n * last.outStride);
            forward(last, lastWeights, h, null, y, null);
            result = new Batch(toDouble(y, n, outputs, last.outStride), n, outputs);
        }

        private void forward(Linear layer, Linear.Packed<float[]> w, float[] input, float[] residual, float[] out,
                             float[] reluOut) {
            FloatKernels.product(n, layer.in, layer.outStride / FloatKernels.L, input, layer.inStride, 1,
                    w.transposed(), layer.outStride, layer.forwardFrom, layer.forwardTo, null, layer.forwardTiles,
                    w.bias(), null, residual, out, reluOut, layer.outStride);
        }

        @Override
        public Batch outputs() {
            return result;
        }

        @Override
        public Batch backward(Batch gradOutputs, Gradients gradients) {
            checkGradOutputs(gradOutputs, n);
            if (gradients == null) {
                throw new IllegalArgumentException("gradients are null");
            }
            Workspace work = WORKSPACE.get();
            float[] scratch = work.floats(0, largestWeightGradient);
            float[] sums = work.floats(1, Math.max(last.outStride, initial.outStride));
            int hs = initial.outStride;

            float[] g = toFloat(gradOutputs.values(), n, outputs, last.outStride, work.floats(2, n * last.outStride));
            float[] dh = work.floats(3, n * hs);
            parameterGradients(last, g, lastHidden, scratch, sums, gradients);
            inputGradient(last, lastWeights, g, null, null, dh);
            float[] dt = blocks.length > 0 ? work.floats(4, n * hs) : null;
            for (int b = blocks.length - 1; b >= 0; b--) {
                Linear first = blocks[b][0];
                Linear second = blocks[b][1];
                parameterGradients(second, dh, blockMiddles[b], scratch, sums, gradients);
                inputGradient(second, blockWeights[b][1], dh, blockMiddles[b], null, dt);
                parameterGradients(first, dt, blockInputs[b], scratch, sums, gradients);
                inputGradient(first, blockWeights[b][0], dt, blockInputs[b], dh, dh);
            }
            parameterGradients(initial, dh, x, scratch, sums, gradients);
            float[] dx = work.floats(5, n * initial.inStride);
            inputGradient(initial, initialWeights, dh, null, null, dx);
            return new Batch(toDouble(dx, n, inputs, initial.inStride), n, inputs);
        }

        private void inputGradient(Linear layer, Linear.Packed<float[]> w, float[] gradOut, float[] gate,
                                   float[] addend, float[] gradIn) {
            FloatKernels.product(n, layer.out, layer.inStride / FloatKernels.L, gradOut, layer.outStride, 1,
                    w.rows(), layer.inStride, layer.inputGradFrom, layer.inputGradTo, null, layer.inputGradTiles,
                    null, gate, addend, gradIn, null, layer.inStride);
        }

        private void parameterGradients(Linear layer, float[] gradOut, float[] input, float[] scratch, float[] sums,
                                        Gradients gradients) {
            if (n == 0) {
                return;
            }
            FloatKernels.product(layer.out, n, layer.inStride / FloatKernels.L, gradOut, 1, layer.outStride,
                    input, layer.inStride, null, null, layer.weightGradRowEnd, layer.weightGradTiles,
                    null, null, null, scratch, null, layer.inStride);
            layer.addWeightGradient(scratch, gradients.of(layer.weight));
            FloatKernels.columnSums(n, layer.outStride / FloatKernels.L, gradOut, layer.outStride, sums);
            layer.addBiasGradient(sums, gradients.of(layer.bias));
        }
    }

    /** Writes every entry of {@code padded} (padding zeros included, it may be a reused buffer). */
    private static float[] toFloat(double[] values, int rows, int cols, int stride, float[] padded) {
        for (int r = 0; r < rows; r++) {
            int from = r * cols;
            int to = r * stride;
            for (int c = 0; c < cols; c++) {
                padded[to + c] = (float) values[from + c];
            }
            java.util.Arrays.fill(padded, to + cols, to + stride, 0f);
        }
        return padded;
    }

    private static double[] toDouble(float[] padded, int rows, int cols, int stride) {
        double[] values = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            int from = r * stride;
            int to = r * cols;
            for (int c = 0; c < cols; c++) {
                values[to + c] = padded[from + c];
            }
        }
        return values;
    }

    // ------------------------------------------------------------------------------------------------- fp64

    private final class DoublePass implements NetworkPass {
        private final int n;
        private final Linear.Packed<double[]> initialWeights;
        private final Linear.Packed<double[]>[][] blockWeights;
        private final Linear.Packed<double[]> lastWeights;
        private final double[] x;
        private final double[][] blockInputs;
        private final double[][] blockMiddles;
        private final double[] lastHidden;
        private final Batch result;

        @SuppressWarnings("unchecked")
        DoublePass(Batch batch) {
            n = batch.rows();
            int hs = initial.outStride;
            initialWeights = initial.doubleWeights();
            blockWeights = new Linear.Packed[blocks.length][];
            for (int b = 0; b < blocks.length; b++) {
                blockWeights[b] = new Linear.Packed[] {blocks[b][0].doubleWeights(), blocks[b][1].doubleWeights()};
            }
            lastWeights = last.doubleWeights();

            x = pad(batch.values(), n, inputs, initial.inStride);
            blockInputs = new double[blocks.length][];
            blockMiddles = new double[blocks.length][];
            double[] h = new double[n * hs];
            if (blocks.length > 0) {
                blockInputs[0] = new double[n * hs];
            }
            forward(initial, initialWeights, x, null, h, blocks.length > 0 ? blockInputs[0] : null);
            for (int b = 0; b < blocks.length; b++) {
                blockMiddles[b] = new double[n * hs];
                forward(blocks[b][0], blockWeights[b][0], blockInputs[b], null, null, blockMiddles[b]);
                if (b + 1 < blocks.length) {
                    blockInputs[b + 1] = new double[n * hs];
                }
                forward(blocks[b][1], blockWeights[b][1], blockMiddles[b], h, h,
                        b + 1 < blocks.length ? blockInputs[b + 1] : null);
            }
            lastHidden = h;
            double[] y = new double[n * last.outStride];
            forward(last, lastWeights, h, null, y, null);
            result = new Batch(unpad(y, n, outputs, last.outStride), n, outputs);
        }

        private void forward(Linear layer, Linear.Packed<double[]> w, double[] input, double[] residual,
                             double[] out, double[] reluOut) {
            DoubleKernels.product(n, layer.in, layer.outStride / DoubleKernels.L, input, layer.inStride, 1,
                    w.transposed(), layer.outStride, layer.forwardFrom, layer.forwardTo, null, layer.forwardTiles,
                    w.bias(), null, residual, out, reluOut, layer.outStride);
        }

        @Override
        public Batch outputs() {
            return result;
        }

        @Override
        public Batch backward(Batch gradOutputs, Gradients gradients) {
            checkGradOutputs(gradOutputs, n);
            if (gradients == null) {
                throw new IllegalArgumentException("gradients are null");
            }
            Workspace work = WORKSPACE.get();
            double[] scratch = work.doubles(0, largestWeightGradient);
            double[] sums = work.doubles(1, Math.max(last.outStride, initial.outStride));
            int hs = initial.outStride;

            double[] g = pad(gradOutputs.values(), n, outputs, last.outStride);
            double[] dh = work.doubles(3, n * hs);
            parameterGradients(last, g, lastHidden, scratch, sums, gradients);
            inputGradient(last, lastWeights, g, null, null, dh);
            double[] dt = blocks.length > 0 ? work.doubles(4, n * hs) : null;
            for (int b = blocks.length - 1; b >= 0; b--) {
                Linear first = blocks[b][0];
                Linear second = blocks[b][1];
                parameterGradients(second, dh, blockMiddles[b], scratch, sums, gradients);
                inputGradient(second, blockWeights[b][1], dh, blockMiddles[b], null, dt);
                parameterGradients(first, dt, blockInputs[b], scratch, sums, gradients);
                inputGradient(first, blockWeights[b][0], dt, blockInputs[b], dh, dh);
            }
            parameterGradients(initial, dh, x, scratch, sums, gradients);
            double[] dx = work.doubles(5, n * initial.inStride);
            inputGradient(initial, initialWeights, dh, null, null, dx);
            return new Batch(unpad(dx, n, inputs, initial.inStride), n, inputs);
        }

        private void inputGradient(Linear layer, Linear.Packed<double[]> w, double[] gradOut, double[] gate,
                                   double[] addend, double[] gradIn) {
            DoubleKernels.product(n, layer.out, layer.inStride / DoubleKernels.L, gradOut, layer.outStride, 1,
                    w.rows(), layer.inStride, layer.inputGradFrom, layer.inputGradTo, null, layer.inputGradTiles,
                    null, gate, addend, gradIn, null, layer.inStride);
        }

        private void parameterGradients(Linear layer, double[] gradOut, double[] input, double[] scratch,
                                        double[] sums, Gradients gradients) {
            if (n == 0) {
                return;
            }
            DoubleKernels.product(layer.out, n, layer.inStride / DoubleKernels.L, gradOut, 1, layer.outStride,
                    input, layer.inStride, null, null, layer.weightGradRowEnd, layer.weightGradTiles,
                    null, null, null, scratch, null, layer.inStride);
            layer.addWeightGradient(scratch, gradients.of(layer.weight));
            DoubleKernels.columnSums(n, layer.outStride / DoubleKernels.L, gradOut, layer.outStride, sums);
            layer.addBiasGradient(sums, gradients.of(layer.bias));
        }
    }

    private static double[] pad(double[] values, int rows, int cols, int stride) {
        if (cols == stride) {
            return values.clone();
        }
        double[] padded = new double[rows * stride];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(values, r * cols, padded, r * stride, cols);
        }
        return padded;
    }

    /** A new dense copy ({@code padded} may be a reused buffer). */
    private static double[] unpad(double[] padded, int rows, int cols, int stride) {
        double[] values = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(padded, r * stride, values, r * cols, cols);
        }
        return values;
    }
}
