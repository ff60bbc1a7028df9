package io.autonf.metric;

/**
 * A flow produced samples with NaN or infinite coordinates, so its sample-quality metrics are undefined. Not bad
 * input: the flow failed, and dropping those samples would flatter it.
 */
public final class NonFiniteSamplesException extends RuntimeException {

    private final int nonFinite;
    private final int total;
    private final int firstIndex;

    public NonFiniteSamplesException(int nonFinite, int total, int firstIndex) {
        super(nonFinite + " of " + total + " flow samples have NaN or infinite coordinates (the first is sample "
                + firstIndex + ", 0-based); density and coverage are undefined for such a flow");
        this.nonFinite = nonFinite;
        this.total = total;
        this.firstIndex = firstIndex;
    }

    /** How many samples have a non-finite coordinate. */
    public int nonFinite() {
        return nonFinite;
    }

    /** How many samples were drawn. */
    public int total() {
        return total;
    }

    /** The 0-based index of the first bad sample. */
    public int firstIndex() {
        return firstIndex;
    }
}
