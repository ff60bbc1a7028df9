package io.autonf.flow;

import java.util.Map;

/**
 * Checks the shape at the public entry points, then calls the transform's own maths.
 */
public abstract class AbstractTransform implements Transform {

    private final int dimension;

    protected AbstractTransform(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " needs at least one feature, got " + dimension);
        }
        this.dimension = dimension;
    }

    @Override
    public final int dimension() {
        return dimension;
    }

    @Override
    public final ForwardPass forward(Batch inputs) {
        inputs.requireCols(dimension, getClass().getSimpleName());
        return forwardInternal(inputs);
    }

    @Override
    public final Mapping inverse(Batch inputs) {
        inputs.requireCols(dimension, getClass().getSimpleName());
        return inverseInternal(inputs);
    }

    protected abstract ForwardPass forwardInternal(Batch inputs);

    protected abstract Mapping inverseInternal(Batch inputs);

    @Override
    public Map<String, Parameter> parameters() {
        return Map.of();
    }
}
