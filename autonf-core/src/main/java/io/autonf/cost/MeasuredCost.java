package io.autonf.cost;

/**
 * What a whole flow costs per sample on this machine, timed on the flow itself ({@link CostModel#measureFlow})
 * rather than summed from a table of single layers: it includes what the table leaves out, such as the trained
 * parameters' effect on spline bin searches and the glue between layers.
 *
 * @param forwardSeconds density evaluation: one forward pass through every layer (outputs and log|det|), seconds
 *                       per sample
 * @param inverseSeconds sampling: one inverse pass through every layer, seconds per sample
 */
public record MeasuredCost(double forwardSeconds, double inverseSeconds) {

    public MeasuredCost {
        requirePositive("forward seconds", forwardSeconds);
        requirePositive("inverse seconds", inverseSeconds);
    }

    private static void requirePositive(String what, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("measured " + what + " per sample must be a positive finite number, got "
                    + value);
        }
    }
}
