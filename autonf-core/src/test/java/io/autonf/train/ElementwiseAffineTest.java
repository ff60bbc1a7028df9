package io.autonf.train;

import io.autonf.flow.Precision;
import io.autonf.flow.Transform;
import io.autonf.flow.TransformContract;

import java.util.random.RandomGenerator;

/** The test transform the trainer tests rely on passes the same contract as every real transform. */
class ElementwiseAffineTest extends TransformContract {

    @Override
    protected Transform create(int dimension, Precision precision, RandomGenerator rng) {
        return ElementwiseAffine.random(dimension, rng);
    }
}
