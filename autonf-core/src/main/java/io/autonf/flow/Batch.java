package io.autonf.flow;

import java.util.Arrays;

/**
 * A batch of {@code rows} samples with {@code cols} features each, stored row-major in one array.
 *
 * <p>The array is shared, not copied: a batch is a view that names the shape of the numbers it holds.
 * Transforms never write into a batch they were given.
 */
public record Batch(double[] values, int rows, int cols) {

    public Batch {
        if (values == null) {
            throw new IllegalArgumentException("batch values are null");
        }
        if (rows < 0 || cols < 1) {
            throw new IllegalArgumentException("batch shape " + rows + "x" + cols + " is not valid");
        }
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(
                    "batch of " + rows + "x" + cols + " needs " + (long) rows * cols + " values, got " + values.length);
        }
    }

    public static Batch zeros(int rows, int cols) {
        return new Batch(new double[Math.multiplyExact(rows, cols)], rows, cols);
    }

    public static Batch of(double[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("cannot infer the width of an empty batch");
        }
        int cols = rows[0].length;
        double[] values = new double[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("row " + r + " has " + rows[r].length + " values, expected " + cols);
            }
            System.arraycopy(rows[r], 0, values, r * cols, cols);
        }
        return new Batch(values, rows.length, cols);
    }

    public double get(int row, int col) {
        return values[row * cols + col];
    }

    /** Rows {@code [from, to)} as a new batch (copied). */
    public Batch slice(int from, int to) {
        return new Batch(Arrays.copyOfRange(values, from * cols, to * cols), to - from, cols);
    }

    public Batch copy() {
        return new Batch(values.clone(), rows, cols);
    }

    /** Throws unless this batch has {@code expectedCols} columns; the message names {@code what}. */
    public Batch requireCols(int expectedCols, String what) {
        if (cols != expectedCols) {
            throw new IllegalArgumentException(what + " expects " + expectedCols + " features, got " + cols);
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Batch b && rows == b.rows && cols == b.cols && Arrays.equals(values, b.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Batch[" + rows + "x" + cols + "]";
    }
}
