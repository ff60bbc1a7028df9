package io.autonf.flow;

import java.util.Map;

/**
 * The one contract of every bijection in a flow.
 *
 * <p>{@code forward} maps data to noise (the direction of density evaluation and training) and returns
 * log|det dz/dx| per sample with a backward pass; {@code inverse} maps noise to data (sampling) and returns
 * log|det dx/dz|, so that for every x: {@code forward(x).logAbsDet = -inverse(forward(x).outputs).logAbsDet}.
 */
public interface Transform {

    /** Number of features this transform maps. */
    int dimension();

    ForwardPass forward(Batch inputs);

    Mapping inverse(Batch inputs);

    /**
     * The trainable parameters, by a stable dotted path (e.g. {@code "net.block0.linear1.weight"}); iteration
     * order is the construction order, the same for every transform built from the same specification.
     */
    Map<String, Parameter> parameters();
}
