package io.autonf.flow.transforms;

import io.autonf.nn.Network;

/**
 * Builds a transform's conditioner network from its input and output counts. A transform calls it exactly once,
 * from its constructor, so the random draws of the initialisation happen in a fixed order.
 */
@FunctionalInterface
interface ConditionerFactory {

    Network create(int inputs, int outputs);
}
