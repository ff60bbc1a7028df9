package io.autonf.metric;

import io.autonf.flow.Batch;

/**
 * One set of points laid out for {@link DistanceTiles}: row-major (read one coordinate at a time and broadcast)
 * and dimension-major (read a vector of points per coordinate), both padded to whole tiles.
 *
 * <p>Padding points sit at the origin with an infinite squared norm, so every squared distance to them is
 * infinite: they never fall inside a ball and never become a neighbour, and the tile loops need no lane masks.
 */
final class PointSet {

    final int count;
    final int dimension;
    /** {@code count} rounded up to whole tiles (a multiple of {@link DistanceTiles#COLUMNS}, which rows divide). */
    final int padded;
    /** {@code [padded][dimension]}. */
    final double[] rows;
    /** {@code [dimension][padded]}. */
    final double[] columns;
    /** {@code |x|^2} per point in prdc's order ({@link Distances#squaredNorm}); +inf for padding. */
    final double[] squaredNorms;

    private PointSet(int count, int dimension, int padded, double[] rows, double[] columns, double[] squaredNorms) {
        this.count = count;
        this.dimension = dimension;
        this.padded = padded;
        this.rows = rows;
        this.columns = columns;
        this.squaredNorms = squaredNorms;
    }

    /**
     * Validates {@code points} (finite coordinates whose squared norms and dot products cannot overflow) and lays
     * them out; {@code role} names the set in error messages.
     */
    static PointSet of(Batch points, String role) {
        int n = points.rows();
        int d = points.cols();
        if (n < 1) {
            throw new IllegalArgumentException("the " + role + " set is empty");
        }
        double[] values = points.values();
        int padded = Math.ceilDiv(n, DistanceTiles.COLUMNS) * DistanceTiles.COLUMNS;
        double[] rows = new double[Math.multiplyExact(padded, d)];
        double[] columns = new double[rows.length];
        double[] norms = new double[padded];
        // |2 x.y| <= |x|^2 + |y|^2, so norms below a quarter of the largest double keep every sum finite.
        double limit = Double.MAX_VALUE / 4;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                double v = values[i * d + c];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("the " + role + " set has " + v + " at row " + (i + 1)
                            + ", column " + (c + 1) + " (1-based); every coordinate must be finite");
                }
                columns[c * padded + i] = v;
            }
            double norm = Distances.squaredNorm(values, i * d, d);
            if (!(norm <= limit)) {
                throw new IllegalArgumentException("the " + role + " set's row " + (i + 1)
                        + " is too far from the origin: its squared norm " + norm + " would overflow the distances");
            }
            norms[i] = norm;
        }
        System.arraycopy(values, 0, rows, 0, n * d);
        java.util.Arrays.fill(norms, n, padded, Double.POSITIVE_INFINITY);
        return new PointSet(n, d, padded, rows, columns, norms);
    }
}
