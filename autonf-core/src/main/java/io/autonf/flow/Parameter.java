package io.autonf.flow;

import java.util.Arrays;

/**
 * A trainable tensor: its values (fp64 master copy, row-major) and its shape.
 *
 * <p>Whoever changes {@link #values()} in place (an optimiser, a finite-difference test, a loader) calls
 * {@link #markUpdated()} afterwards, so that derived caches (fp32 copies of network weights, masked weights,
 * LU factors) know to rebuild themselves.
 */
public final class Parameter {

    private final int[] shape;
    private final double[] values;
    private volatile long version;

    public Parameter(int... shape) {
        this.shape = shape.clone();
        long size = 1;
        for (int s : shape) {
            if (s < 1) {
                throw new IllegalArgumentException("parameter shape " + Arrays.toString(shape) + " has a zero or negative size");
            }
            size = Math.multiplyExact(size, s);
        }
        this.values = new double[Math.toIntExact(size)];
    }

    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return values.length;
    }

    /** The live values; call {@link #markUpdated()} after writing them. */
    public double[] values() {
        return values;
    }

    public long version() {
        return version;
    }

    public void markUpdated() {
        version++;
    }

    /**
     * Draws every value uniformly from (-bound, bound) with {@code rng}, in index order, and marks the parameter
     * updated: the initialisation of network weights and of the planar and radial flows' parameters.
     */
    public void fillUniform(double bound, java.util.random.RandomGenerator rng) {
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.nextDouble(-bound, bound);
        }
        markUpdated();
    }

    /** Copies {@code source} into this parameter and marks it updated. */
    public void set(double[] source) {
        if (source.length != values.length) {
            throw new IllegalArgumentException("parameter of shape " + Arrays.toString(shape) + " needs " + values.length
                    + " values, got " + source.length);
        }
        System.arraycopy(source, 0, values, 0, values.length);
        markUpdated();
    }

    @Override
    public String toString() {
        return "Parameter" + Arrays.toString(shape);
    }
}
