package io.autonf.data;

import io.autonf.flow.Batch;

/**
 * Row and column selections on a {@link Batch} used as a data matrix; every method returns a new
 * batch and leaves its input untouched.
 */
public final class Matrices {

    private Matrices() {
    }

    /** Rows {@code order[from..to)} of {@code data}, in that order. */
    public static Batch rows(Batch data, int[] order, int from, int to) {
        int cols = data.cols();
        double[] out = new double[Math.multiplyExact(to - from, cols)];
        for (int i = from; i < to; i++) {
            System.arraycopy(data.values(), order[i] * cols, out, (i - from) * cols, cols);
        }
        return new Batch(out, to - from, cols);
    }

    /** All rows of {@code data} reordered: row {@code i} of the result is row {@code order[i]}. */
    public static Batch rows(Batch data, int[] order) {
        if (order.length != data.rows()) {
            throw new IllegalArgumentException("order has " + order.length + " entries for " + data.rows() + " rows");
        }
        return rows(data, order, 0, order.length);
    }

    /** {@code data} without column {@code column} (0-based), as numpy's {@code np.delete(x, column, axis=1)}. */
    public static Batch deleteColumn(Batch data, int column) {
        if (column < 0 || column >= data.cols()) {
            throw new IllegalArgumentException("column " + column + " is outside 0.." + (data.cols() - 1));
        }
        if (data.cols() == 1) {
            throw new IllegalArgumentException("cannot delete the only column");
        }
        int[] keep = new int[data.cols() - 1];
        for (int c = 0, k = 0; c < data.cols(); c++) {
            if (c != column) {
                keep[k++] = c;
            }
        }
        return keepColumns(data, keep);
    }

    /** Columns {@code columns} (0-based) of {@code data}, in that order. */
    public static Batch keepColumns(Batch data, int[] columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("no columns to keep");
        }
        for (int c : columns) {
            if (c < 0 || c >= data.cols()) {
                throw new IllegalArgumentException("column " + c + " is outside 0.." + (data.cols() - 1));
            }
        }
        int rows = data.rows();
        int inCols = data.cols();
        double[] in = data.values();
        double[] out = new double[Math.multiplyExact(rows, columns.length)];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < columns.length; k++) {
                out[r * columns.length + k] = in[r * inCols + columns[k]];
            }
        }
        return new Batch(out, rows, columns.length);
    }

    /** Rows of {@code top} followed by rows of {@code bottom}. */
    public static Batch stack(Batch top, Batch bottom) {
        if (top.cols() != bottom.cols()) {
            throw new IllegalArgumentException("cannot stack " + top.cols() + " columns on " + bottom.cols());
        }
        double[] out = new double[top.values().length + bottom.values().length];
        System.arraycopy(top.values(), 0, out, 0, top.values().length);
        System.arraycopy(bottom.values(), 0, out, top.values().length, bottom.values().length);
        return new Batch(out, top.rows() + bottom.rows(), top.cols());
    }
}
