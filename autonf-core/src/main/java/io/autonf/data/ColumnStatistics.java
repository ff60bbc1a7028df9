package io.autonf.data;

import io.autonf.flow.Batch;

/**
 * Per-column mean and standard deviation, and the standardisation {@code (x - mean) / std} built on them.
 *
 * <p>The sums run over rows in order, in two passes (mean first, then squared deviations), which is
 * what numpy's {@code mean(axis=0)}/{@code std(axis=0)} and pandas' column {@code mean()}/{@code std()} do
 * on these shapes; {@code ddof} is 0 for numpy's default (MAF's POWER and MINIBOONE) and 1 for
 * pandas' default (MAF's GAS and HEPMASS).
 */
public record ColumnStatistics(double[] mean, double[] std) {

    public ColumnStatistics {
        if (mean == null || std == null || mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std must be non-empty and of equal length");
        }
        mean = mean.clone();
        std = std.clone();
    }

    /**
     * Statistics of all rows of {@code data}.
     *
     * @param source named in the error when a column is constant (its std is 0 and it cannot be standardised)
     */
    public static ColumnStatistics of(Batch data, int ddof, Object source) {
        int rows = data.rows();
        int cols = data.cols();
        if (rows - ddof <= 0) {
            throw DataException.inFile(source, "needs more than " + ddof + " rows to compute a standard deviation, has " + rows);
        }
        double[] values = data.values();
        double[] mean = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                mean[c] += values[r * cols + c];
            }
        }
        for (int c = 0; c < cols; c++) {
            mean[c] /= rows;
        }
        double[] std = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double d = values[r * cols + c] - mean[c];
                std[c] += d * d;
            }
        }
        for (int c = 0; c < cols; c++) {
            std[c] = Math.sqrt(std[c] / (rows - ddof));
            if (!(std[c] > 0) || !Double.isFinite(std[c])) {
                throw DataException.atColumn(source, c + 1, null,
                        "has standard deviation " + std[c] + " over the rows used for normalisation"
                                + " (a constant column cannot be standardised)");
            }
        }
        return new ColumnStatistics(mean, std);
    }

    public int dimension() {
        return mean.length;
    }

    /** {@code (x - mean) / std} for every row of {@code data}, as a new batch. */
    public Batch standardise(Batch data) {
        data.requireCols(mean.length, "standardisation");
        double[] in = data.values();
        double[] out = new double[in.length];
        int cols = mean.length;
        for (int i = 0; i < in.length; i++) {
            int c = i % cols;
            out[i] = (in[i] - mean[c]) / std[c];
        }
        return new Batch(out, data.rows(), cols);
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }
}
