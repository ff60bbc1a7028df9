package io.autonf.data;

import io.autonf.flow.Batch;

/**
 * MAF's split rule: the test split is the last {@code int(0.1 * N)} rows, and the validation split
 * is the last {@code int(0.1 * M)} rows of the {@code M} that remain; no shuffling here (POWER and
 * GAS shuffle before, MINIBOONE and HEPMASS do not shuffle at all).
 */
final class MafSplits {

    private MafSplits() {
    }

    /** MAF's {@code int(0.1 * n)}; the same IEEE multiply, then truncation. */
    static int tenPercent(int n) {
        return (int) (0.1 * n);
    }

    /** Row counts {train, validation, test} for {@code n} rows; fails when a split would be empty. */
    static int[] sizes(int n, Object source) {
        int test = tenPercent(n);
        int validation = tenPercent(n - test);
        int train = n - test - validation;
        if (test < 1 || validation < 1 || train < 1) {
            // MAF's data[-0:] would silently take every row as the test split; refuse instead.
            throw DataException.inFile(source, "has " + n + " rows; MAF's 10% test / 10% validation split"
                    + " needs at least 11 so that every split has a row");
        }
        return new int[] {train, validation, test};
    }

    /** Only a validation split taken from the end (HEPMASS: its test set is a separate file). */
    static int validationSize(int n, Object source) {
        int validation = tenPercent(n);
        if (validation < 1 || n - validation < 1) {
            throw DataException.inFile(source, "has " + n + " rows; MAF's 10% validation split needs at least 10");
        }
        return validation;
    }

    static Batch[] split(Batch data, Object source) {
        int[] sizes = sizes(data.rows(), source);
        int trainEnd = sizes[0];
        int validationEnd = sizes[0] + sizes[1];
        return new Batch[] {data.slice(0, trainEnd), data.slice(trainEnd, validationEnd),
            data.slice(validationEnd, data.rows())};
    }
}
