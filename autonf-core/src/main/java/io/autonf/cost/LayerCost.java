package io.autonf.cost;

import io.autonf.flow.LayerKind;

/**
 * What one layer ({@code reverse} + {@code lu} + the non-linear transform) of {@code kind} costs per sample.
 *
 * @param kind            the layer; never {@link LayerKind#IDENTITY}, which costs nothing and is not measured
 * @param forwardSeconds  density evaluation: one forward pass (outputs and log|det|), seconds per sample
 * @param inverseSeconds  sampling: one inverse pass, seconds per sample
 * @param trainingSeconds a forward pass and its backward pass, seconds per sample
 * @param forwardFlops    analytic floating-point operations per sample of the forward pass ({@link Flops})
 * @param inverseFlops    analytic floating-point operations per sample of the inverse pass ({@link Flops})
 */
public record LayerCost(LayerKind kind, double forwardSeconds, double inverseSeconds, double trainingSeconds,
                        double forwardFlops, double inverseFlops) {

    public LayerCost {
        if (kind == null) {
            throw new IllegalArgumentException("a layer cost needs its layer kind");
        }
        if (kind == LayerKind.IDENTITY) {
            throw new IllegalArgumentException("the identity layer costs nothing and has no measured cost");
        }
        requirePositive(kind, "forward seconds", forwardSeconds);
        requirePositive(kind, "inverse seconds", inverseSeconds);
        requirePositive(kind, "training seconds", trainingSeconds);
        requirePositive(kind, "forward FLOPs", forwardFlops);
        requirePositive(kind, "inverse FLOPs", inverseFlops);
    }

    private static void requirePositive(LayerKind kind, String what, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " of " + kind + " must be a positive finite number, got " + value);
        }
    }

    /** Seconds per sample of the operation {@code emphasis} names. */
    public double seconds(CostEmphasis emphasis) {
        if (emphasis == null) {
            throw new IllegalArgumentException("a cost emphasis is required");
        }
        return switch (emphasis) {
            case FORWARD -> forwardSeconds;
            case INVERSE -> inverseSeconds;
            case TRAINING -> trainingSeconds;
        };
    }
}
