package io.autonf.data;

import io.autonf.flow.Batch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * MAF's HEPMASS (UCI HEPMASS, the "1000" mass files), preprocessed exactly as MAF's
 * {@code load_data_no_discrete_normalised_as_array}:
 * <ol>
 *   <li>read {@code 1000_train.csv} and {@code 1000_test.csv} (with header);</li>
 *   <li>keep only signal rows (first column, the label, equal to 1) and drop the label column;</li>
 *   <li>drop the test file's last column: MAF's test file carries one column more than its train
 *       file (MAF: "the data set is messed up"); a test file already as wide as the train file is
 *       accepted unchanged;</li>
 *   <li>standardise both with the train split's mean and (pandas' default ddof 1) std;</li>
 *   <li>drop every feature whose smallest train value occurs more than 5 times: MAF counts the
 *       values of each normalised train column and looks at the count of the smallest one, which
 *       removes the discrete features;</li>
 *   <li>validation = last {@code int(0.1 N)} train rows (no shuffle; the statistics above include
 *       them, as in MAF).</li>
 * </ol>
 */
public final class Hepmass {

    /** MAF drops a feature when its smallest value repeats more than this many times. */
    static final int MAX_REPEATS_OF_MINIMUM = 5;

    private Hepmass() {
    }

    /** Loads {@code directory/1000_train.csv} and {@code directory/1000_test.csv}. */
    public static Dataset load(Path directory) {
        Path trainFile = directory.resolve("1000_train.csv");
        Path testFile = directory.resolve("1000_test.csv");
        Table train = Csv.read(trainFile, Csv.Header.PRESENT);
        Table test = Csv.read(testFile, Csv.Header.PRESENT);
        return fromTables(train, test, "MAF HEPMASS from " + trainFile + " and " + testFile + " (UCI HEPMASS)");
    }

    /** Applies MAF's steps to the two tables as read (label column first). */
    public static Dataset fromTables(Table train, Table test, String provenance) {
        if (train.values().cols() < 2) {
            throw DataException.inFile(train.source(), "has " + train.values().cols()
                    + " column; HEPMASS needs the label column and at least one feature");
        }
        Batch trainSignal = signalFeatures(train);
        Batch testSignal = signalFeatures(test);
        int features = trainSignal.cols();
        if (testSignal.cols() == features + 1) {
            testSignal = Matrices.deleteColumn(testSignal, features);
        } else if (testSignal.cols() != features) {
            throw DataException.inFile(test.source(), "has " + test.values().cols() + " columns but "
                    + train.source() + " has " + train.values().cols()
                    + "; MAF's HEPMASS test file has the same columns as the train file, or one more at the end");
        }
        ColumnStatistics stats = ColumnStatistics.of(trainSignal, 1, train.source() + " (signal rows)");
        Batch normalisedTrain = stats.standardise(trainSignal);
        Batch normalisedTest = stats.standardise(testSignal);

        int[] kept = featuresWithoutRepeatedMinimum(normalisedTrain);
        if (kept.length == 0) {
            throw DataException.inFile(train.source(), "every feature has its smallest value more than "
                    + MAX_REPEATS_OF_MINIMUM + " times, so MAF's rule removes them all");
        }
        normalisedTrain = Matrices.keepColumns(normalisedTrain, kept);
        normalisedTest = Matrices.keepColumns(normalisedTest, kept);

        int n = normalisedTrain.rows();
        int validation = MafSplits.validationSize(n, train.source() + " (signal rows)");
        return Dataset.of("hepmass", normalisedTrain.slice(0, n - validation), normalisedTrain.slice(n - validation, n),
                normalisedTest, provenance + "; MAF HEPMASS steps: signal rows (label 1), label dropped, test's"
                        + " extra last column dropped, standardised with train mean/std (ddof 1), features whose"
                        + " minimum repeats > 5 times dropped (kept " + describe(kept, train) + "),"
                        + " validation = last 10% of train");
    }

    /** Signal rows (label == 1 in the first column), label column removed. */
    private static Batch signalFeatures(Table table) {
        Batch all = table.values();
        int cols = all.cols();
        if (cols < 2) {
            throw DataException.inFile(table.source(), "has " + cols + " column; expected the label and features");
        }
        double[] values = all.values();
        int signalRows = 0;
        for (int r = 0; r < all.rows(); r++) {
            if (values[r * cols] == 1.0) {
                signalRows++;
            }
        }
        if (signalRows == 0) {
            throw DataException.atColumn(table.source(), 1, table.columnName(0),
                    "no row has label 1 (signal), the only class MAF keeps");
        }
        double[] out = new double[signalRows * (cols - 1)];
        int at = 0;
        for (int r = 0; r < all.rows(); r++) {
            if (values[r * cols] == 1.0) {
                System.arraycopy(values, r * cols + 1, out, at, cols - 1);
                at += cols - 1;
            }
        }
        return new Batch(out, signalRows, cols - 1);
    }

    /** Indices of the columns whose minimum occurs at most {@link #MAX_REPEATS_OF_MINIMUM} times. */
    static int[] featuresWithoutRepeatedMinimum(Batch data) {
        int rows = data.rows();
        int cols = data.cols();
        double[] values = data.values();
        List<Integer> kept = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            double min = Double.POSITIVE_INFINITY;
            int count = 0;
            for (int r = 0; r < rows; r++) {
                double v = values[r * cols + c];
                if (v < min) {
                    min = v;
                    count = 1;
                } else if (v == min) {
                    count++;
                }
            }
            if (count <= MAX_REPEATS_OF_MINIMUM) {
                kept.add(c);
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String describe(int[] kept, Table train) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < kept.length; i++) {
            String name = train.columnName(kept[i] + 1);
            text.append(i == 0 ? "" : ",").append(name != null ? name : "feature " + kept[i]);
        }
        return kept.length + " features: " + text;
    }
}
