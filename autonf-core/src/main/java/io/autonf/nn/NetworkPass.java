package io.autonf.nn;

import io.autonf.flow.Batch;
import io.autonf.flow.Gradients;

/** One forward application of a {@link Network}, kept for its backward pass. */
public interface NetworkPass {

    Batch outputs();

    /** Adds parameter gradients into {@code gradients} and returns dL/d(inputs). */
    Batch backward(Batch gradOutputs, Gradients gradients);
}
