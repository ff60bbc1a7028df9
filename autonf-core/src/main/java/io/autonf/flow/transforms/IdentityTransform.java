package io.autonf.flow.transforms;

import io.autonf.flow.AbstractTransform;
import io.autonf.flow.Batch;
import io.autonf.flow.ForwardPass;
import io.autonf.flow.Gradients;
import io.autonf.flow.Mapping;

/** The identity map: the {@code identity} option of a search, a layer that is not there. */
public final class IdentityTransform extends AbstractTransform {

    public IdentityTransform(int dimension) {
        super(dimension);
    }

    @Override
    protected ForwardPass forwardInternal(Batch inputs) {
        double[] logAbsDet = new double[inputs.rows()];
        return new ForwardPass() {
            @Override
            public Batch outputs() {
                return inputs;
            }

            @Override
            public double[] logAbsDet() {
                return logAbsDet;
            }

            @Override
            public Batch backward(Batch gradOutputs, double[] gradLogAbsDet, Gradients gradients) {
                return gradOutputs;
            }
        };
    }

    @Override
    protected Mapping inverseInternal(Batch inputs) {
        return new Mapping(inputs, new double[inputs.rows()]);
    }
}
