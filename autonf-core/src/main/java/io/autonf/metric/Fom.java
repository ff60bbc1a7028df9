package io.autonf.metric;

import io.autonf.cost.CostEmphasis;

/**
 * The AutoNF paper's figure of merit (its Table 1) of a flow against a reference flow: the cost reduction in
 * percent plus the density change in percent,
 * <pre>
 *   fom = 100 (c_ref - c) / c_ref + 100 (d - d_ref) / d_ref
 * </pre>
 * Sign convention: positive is better. A flow that is cheaper than the reference scores a positive cost
 * reduction, one whose samples have a higher density (Naeem et al.) scores a positive density change; the same
 * flow as the reference scores 0. Example: half the reference's cost at 5% less density gives 50 - 5 = 45.
 *
 * <p>The reference is RQ-AF ({@code rq-ar} in every layer) when the forward cost is emphasised and RQ-C
 * ({@code rq-c} in every layer) when the inverse cost is; choosing it is the caller's business.
 *
 * @param costReductionPercent {@code 100 (c_ref - c) / c_ref}: positive when cheaper, at most 100
 * @param densityChangePercent {@code 100 (d - d_ref) / d_ref}: positive when denser, at least -100
 */
public record Fom(double costReductionPercent, double densityChangePercent) {

    public Fom {
        if (!Double.isFinite(costReductionPercent) || costReductionPercent > 100) {
            throw new IllegalArgumentException("cost reduction must be finite and at most 100%, got " + costReductionPercent);
        }
        if (!Double.isFinite(densityChangePercent) || densityChangePercent < -100) {
            throw new IllegalArgumentException("density change must be finite and at least -100%, got " + densityChangePercent);
        }
    }

    /** The figure of merit: cost reduction % + density change %. */
    public double value() {
        return costReductionPercent + densityChangePercent;
    }

    /**
     * @param cost             the flow's cost (any unit, e.g. seconds per sample), finite and non-negative
     * @param referenceCost    the reference's cost in the same unit, finite and positive
     * @param density          the flow's density, finite and non-negative
     * @param referenceDensity the reference's density, finite and positive
     */
    public static Fom of(double cost, double referenceCost, double density, double referenceDensity) {
        requireNonNegative("cost", cost);
        requireNonNegative("density", density);
        if (!(referenceCost > 0) || Double.isInfinite(referenceCost)) {
            throw new IllegalArgumentException("the reference cost must be finite and positive, got " + referenceCost);
        }
        if (!(referenceDensity > 0) || Double.isInfinite(referenceDensity)) {
            throw new IllegalArgumentException("the reference density must be finite and positive (the density change"
                    + " is relative to it), got " + referenceDensity);
        }
        return new Fom(100 * (referenceCost - cost) / referenceCost, 100 * (density - referenceDensity) / referenceDensity);
    }

    /**
     * The figure of merit of {@code flow} against {@code reference}, with the forward or the inverse cost as
     * {@code emphasis} says; both evaluations must carry costs.
     */
    public static Fom of(FlowEvaluation flow, FlowEvaluation reference, CostEmphasis emphasis) {
        return switch (emphasis) {
            case FORWARD -> of(requireCost(flow.forwardCost(), "forward", "flow"),
                    requireCost(reference.forwardCost(), "forward", "reference"), flow.density(), reference.density());
            case INVERSE -> of(requireCost(flow.inverseCost(), "inverse", "flow"),
                    requireCost(reference.inverseCost(), "inverse", "reference"), flow.density(), reference.density());
            case TRAINING -> throw new IllegalArgumentException(
                    "the figure of merit compares forward or inverse cost (the paper's Table 1), not training cost");
        };
    }

    private static double requireCost(double cost, String direction, String which) {
        if (Double.isNaN(cost)) {
            throw new IllegalArgumentException("the " + which + "'s evaluation has no " + direction + " cost");
        }
        return cost;
    }

    private static void requireNonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and non-negative, got " + value);
        }
    }
}
