package io.autonf.flow;

/**
 * One forward (data to noise) application of a transform that remembers what its backward pass needs.
 *
 * <p>A pass is used once: build it with {@link Transform#forward(Batch)}, read its outputs, then call
 * {@link #backward} at most once.
 */
public interface ForwardPass {

    Batch outputs();

    /** log|det dz/dx| per sample. */
    double[] logAbsDet();

    /**
     * Back-propagates a scalar loss L.
     *
     * @param gradOutputs   dL/dz, same shape as {@link #outputs()}
     * @param gradLogAbsDet dL/d(log|det|), one value per sample
     * @param gradients     parameter gradients are added into this
     * @return dL/dx, same shape as the inputs
     */
    Batch backward(Batch gradOutputs, double[] gradLogAbsDet, Gradients gradients);

    default Mapping mapping() {
        return new Mapping(outputs(), logAbsDet());
    }
}
