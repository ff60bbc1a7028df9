package io.autonf.train;

import io.autonf.flow.Architecture;
import io.autonf.flow.Flow;
import io.autonf.flow.LayerSettings;

import java.util.random.RandomGenerator;

/**
 * Builds a freshly initialised flow from its description; the signature of the layer factory
 * {@code io.autonf.flow.Layers.flow}, so that {@code Layers::flow} is one. Loading a saved flow builds it this
 * way and then overwrites every parameter, so the factory must name and shape parameters the same way each time.
 */
@FunctionalInterface
public interface FlowFactory {

    Flow build(Architecture architecture, int dimension, LayerSettings settings, RandomGenerator rng);
}
