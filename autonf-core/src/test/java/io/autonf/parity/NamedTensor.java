package io.autonf.parity;

import java.util.Arrays;

/** A state_dict entry of an nflows module: its state_dict name, shape and row-major values. */
public record NamedTensor(String name, int[] shape, double[] values) {

    public NamedTensor {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a fixture tensor has no name");
        }
        // Validates shape against values and rejects non-finite numbers.
        new Tensor(shape, values);
    }

    public Tensor tensor() {
        return new Tensor(shape, values);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
