package io.autonf.nn;

import io.autonf.flow.Batch;
import io.autonf.flow.Parameter;

import java.util.Map;

/**
 * A conditioner network: maps a batch of {@link #inputs()} features to {@link #outputs()} features and
 * back-propagates. Stateless between passes, so one network can serve concurrent passes.
 */
public interface Network {

    int inputs();

    int outputs();

    /** Width of the hidden layers (nflows divides spline widths and heights by its square root). */
    int hiddenFeatures();

    NetworkPass forward(Batch inputs);

    /** Trainable parameters by stable dotted path, in construction order. */
    Map<String, Parameter> parameters();
}
