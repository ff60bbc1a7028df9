package io.autonf.data;

import io.autonf.flow.Batch;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * MAF's GAS (UCI "Gas sensor array under dynamic gas mixtures", the ethylene + CO recording), read
 * from the raw UCI text because MAF's {@code ethylene_CO.pickle} is a pandas pickle Java cannot read.
 *
 * <p>The pickle MAF ships is a random 25% row sample of {@code ethylene_CO.txt} (MAF's loader keeps the
 * commented-out {@code sample(frac=0.25)} that made it; 1 052 065 = round(0.25 x 4 208 261) rows), in
 * random order, with the 19 columns named Time, Meth (the CO concentration), Eth and 16 sensors.
 * Its random state was never recorded, so this loader re-creates a sample of the same kind and size:
 * <ol>
 *   <li>read the 19 whitespace-separated columns (the free-text title line is skipped);</li>
 *   <li>keep the rows {@code RandomState(42).permutation(N)[:round(fraction N)]} in that order
 *       (fraction 0.25 by default; Python's round, i.e. half to even);</li>
 *   <li>then MAF's own steps: drop Time, CO and ethylene, leaving the 16 sensors; while some column
 *       has a Pearson correlation above 0.98 with another, drop the first such column and recompute;
 *       standardise every row with the mean and (pandas' default ddof 1) std of all rows; test = last
 *       {@code int(0.1 N)} rows, validation = last {@code int(0.1 M)} of the rest.</li>
 * </ol>
 * The result has MAF's dimension, sizes and statistics but not MAF's exact rows.
 */
public final class Gas {

    /** MAF's sample fraction of the raw recording. */
    public static final double MAF_FRACTION = 0.25;
    /** Columns of the raw UCI file: time, CO, ethylene, 16 sensors. */
    public static final int RAW_COLUMNS = 19;
    /** MAF drops one of every pair of columns correlated above this. */
    static final double CORRELATION_LIMIT = 0.98;

    private Gas() {
    }

    /** Loads {@code directory/ethylene_CO.txt} with MAF's 25% sample. */
    public static Dataset load(Path directory) {
        return load(directory, MAF_FRACTION);
    }

    /** Loads {@code directory/ethylene_CO.txt}, sampling {@code fraction} of its rows (1 keeps all, shuffled). */
    public static Dataset load(Path directory, double fraction) {
        Path file = directory.resolve("ethylene_CO.txt");
        if (!Files.exists(file) && Files.exists(directory.resolve("ethylene_CO.pickle"))) {
            throw DataException.inFile(file, "file not found; " + directory.resolve("ethylene_CO.pickle")
                    + " is a pandas pickle Java cannot read: put the raw UCI ethylene_CO.txt beside it");
        }
        Table raw = Csv.readWhitespace(file, Csv.Header.TEXT_TITLE);
        return fromRaw(raw.values(), fraction, file.toString(),
                "MAF GAS re-created from " + file + " (UCI gas sensor array under dynamic gas mixtures, CC BY 4.0)");
    }

    /** Applies the sample and MAF's steps to the raw 19-column rows. */
    public static Dataset fromRaw(Batch raw, double fraction, String source, String provenance) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("GAS sample fraction must be in (0, 1], got " + fraction);
        }
        if (raw.cols() != RAW_COLUMNS) {
            throw DataException.inFile(source, "has " + raw.cols() + " columns; the UCI ethylene_CO.txt has "
                    + RAW_COLUMNS + " (time, CO, ethylene, 16 sensors)");
        }
        int n = raw.rows();
        int sampled = (int) Math.rint(fraction * n);
        if (sampled < 1) {
            throw DataException.inFile(source, "has " + n + " rows; a " + fraction + " sample of them is empty");
        }
        int[] order = new NumpyRandomState(Power.MAF_SEED).permutation(n);
        Batch sample = Matrices.rows(raw, order, 0, sampled);
        int[] sensors = new int[RAW_COLUMNS - 3];
        for (int i = 0; i < sensors.length; i++) {
            sensors[i] = i + 3;
        }
        Batch data = Matrices.keepColumns(sample, sensors);
        int[] kept = uncorrelatedColumns(data);
        data = Matrices.keepColumns(data, kept);
        data = ColumnStatistics.of(data, 1, source).standardise(data);
        Batch[] splits = MafSplits.split(data, source);
        StringBuilder keptNames = new StringBuilder();
        for (int i = 0; i < kept.length; i++) {
            keptNames.append(i == 0 ? "" : ",").append(kept[i] + 1);
        }
        return Dataset.of("gas", splits[0], splits[1], splits[2], provenance + "; rows RandomState(42).permutation("
                + n + ")[:" + sampled + "] (MAF used an unrecorded random 25% sample); MAF GAS steps: time, CO and"
                + " ethylene dropped, correlated sensors dropped while any correlation > 0.98 (kept sensors "
                + keptNames + " of 1..16), standardised with the mean/std (ddof 1) of all rows,"
                + " test = last 10%, validation = last 10% of the rest");
    }

    /**
     * MAF's rule: count, for every column, the columns (itself included) it correlates with above
     * 0.98; while a count exceeds 1, drop the first such column and recount. Returns kept indices.
     */
    static int[] uncorrelatedColumns(Batch data) {
        int[] kept = new int[data.cols()];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = i;
        }
        while (true) {
            double[][] correlation = correlation(Matrices.keepColumns(data, kept));
            int drop = -1;
            for (int i = 0; i < kept.length && drop < 0; i++) {
                int above = 0;
                for (int j = 0; j < kept.length; j++) {
                    if (correlation[i][j] > CORRELATION_LIMIT) {
                        above++;
                    }
                }
                if (above > 1) {
                    drop = i;
                }
            }
            if (drop < 0 || kept.length == 1) {
                return kept;
            }
            int[] fewer = new int[kept.length - 1];
            for (int i = 0, k = 0; i < kept.length; i++) {
                if (i != drop) {
                    fewer[k++] = kept[i];
                }
            }
            kept = fewer;
        }
    }

    /** Pearson correlations as pandas' {@code DataFrame.corr()}; NaN where a column is constant. */
    static double[][] correlation(Batch data) {
        int rows = data.rows();
        int cols = data.cols();
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
        double[][] products = new double[cols][cols];
        double[] centred = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                centred[c] = values[r * cols + c] - mean[c];
            }
            for (int i = 0; i < cols; i++) {
                double ci = centred[i];
                double[] row = products[i];
                for (int j = i; j < cols; j++) {
                    row[j] += ci * centred[j];
                }
            }
        }
        double[][] correlation = new double[cols][cols];
        for (int i = 0; i < cols; i++) {
            for (int j = i; j < cols; j++) {
                double divisor = Math.sqrt(products[i][i] * products[j][j]);
                double value = divisor == 0 ? Double.NaN : products[i][j] / divisor;
                correlation[i][j] = value;
                correlation[j][i] = value;
            }
        }
        return correlation;
    }
}
