package io.autonf.parity;

import io.autonf.flow.Batch;

import java.util.Arrays;

/**
 * A fixture tensor: its PyTorch shape and its values in row-major order (fp32 values are stored as the float64
 * numbers they exactly are).
 */
public record Tensor(int[] shape, double[] values) {

    public Tensor {
        if (shape == null || values == null) {
            throw new IllegalArgumentException("a fixture tensor needs both 'shape' and 'values'");
        }
        long size = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative size in tensor shape " + Arrays.toString(shape));
            }
            size *= s;
        }
        if (size != values.length) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " needs " + size
                    + " values, the fixture has " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("tensor value " + i + " is " + values[i]);
            }
        }
    }

    public int size() {
        return values.length;
    }

    /** This rows x cols tensor as a batch (sharing the values). */
    public Batch toBatch() {
        if (shape.length != 2) {
            throw new IllegalArgumentException("a batch needs a 2-D tensor, this one has shape " + Arrays.toString(shape));
        }
        return new Batch(values, shape[0], shape[1]);
    }

    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
