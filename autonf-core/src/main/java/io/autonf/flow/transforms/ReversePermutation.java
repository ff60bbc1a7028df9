package io.autonf.flow.transforms;

import io.autonf.flow.AbstractTransform;
import io.autonf.flow.Batch;
import io.autonf.flow.ForwardPass;
import io.autonf.flow.Gradients;
import io.autonf.flow.Mapping;

/**
 * Reverses the order of the features. Placed before every layer, so that autoregressive and coupling layers
 * see a different ordering each time; its log|det| is zero and it is its own inverse.
 */
public final class ReversePermutation extends AbstractTransform {

    public ReversePermutation(int dimension) {
        super(dimension);
    }

    @Override
    protected ForwardPass forwardInternal(Batch inputs) {
        Batch outputs = reverse(inputs);
        double[] logAbsDet = new double[inputs.rows()];
        return new ForwardPass() {
            @Override
            public Batch outputs() {
                return outputs;
            }

            @Override
            public double[] logAbsDet() {
                return logAbsDet;
            }

            @Override
            public Batch backward(Batch gradOutputs, double[] gradLogAbsDet, Gradients gradients) {
                return reverse(gradOutputs);
            }
        };
    }

    @Override
    protected Mapping inverseInternal(Batch inputs) {
        return new Mapping(reverse(inputs), new double[inputs.rows()]);
    }

    private static Batch reverse(Batch b) {
        int d = b.cols();
        double[] in = b.values();
        double[] out = new double[in.length];
        for (int r = 0; r < b.rows(); r++) {
            int base = r * d;
            for (int c = 0; c < d; c++) {
                out[base + c] = in[base + d - 1 - c];
            }
        }
        return new Batch(out, b.rows(), d);
    }
}
