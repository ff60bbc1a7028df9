package io.autonf.flow.transforms;

import io.autonf.flow.Batch;
import io.autonf.flow.Precision;
import io.autonf.flow.Transform;
import io.autonf.flow.TransformContract;
import org.junit.jupiter.api.Test;

import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ReversePermutationTest extends TransformContract {

    @Override
    protected Transform create(int dimension, Precision precision, RandomGenerator rng) {
        return new ReversePermutation(dimension);
    }

    @Test
    void reversesEachRow() {
        Batch x = Batch.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        Batch z = new ReversePermutation(3).forward(x).outputs();
        assertArrayEquals(new double[] {3, 2, 1, 6, 5, 4}, z.values(), 0.0);
    }
}
