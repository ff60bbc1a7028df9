package io.autonf.data;

import io.autonf.flow.Batch;

/**
 * A density-estimation data set, split for training, model selection and the final test.
 *
 * @param name        short identifier, e.g. {@code power} or {@code power-sample}
 * @param dimension   number of features; every split has this many columns
 * @param train       rows to fit on
 * @param validation  rows for early stopping and model selection
 * @param test        rows for the reported score only
 * @param provenance  where the numbers came from and what was done to them, for run records
 */
public record Dataset(String name, int dimension, Batch train, Batch validation, Batch test, String provenance) {

    public Dataset {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("dataset name must not be blank");
        }
        if (train == null || validation == null || test == null || provenance == null) {
            throw new IllegalArgumentException("dataset " + name + ": splits and provenance must not be null");
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("dataset " + name + ": dimension must be >= 1, got " + dimension);
        }
        train.requireCols(dimension, "dataset " + name + " train split");
        validation.requireCols(dimension, "dataset " + name + " validation split");
        test.requireCols(dimension, "dataset " + name + " test split");
        if (train.rows() < 1 || validation.rows() < 1 || test.rows() < 1) {
            throw new IllegalArgumentException("dataset " + name + ": every split needs at least one row, got "
                    + train.rows() + "/" + validation.rows() + "/" + test.rows());
        }
    }

    /** Builds a dataset whose dimension is taken from the train split. */
    public static Dataset of(String name, Batch train, Batch validation, Batch test, String provenance) {
        return new Dataset(name, train.cols(), train, validation, test, provenance);
    }

    /**
     * This dataset with every split standardised by the train split's per-column mean and standard
     * deviation (numpy's ddof 0). For generic files, which are otherwise used exactly as read.
     */
    public Dataset standardised() {
        ColumnStatistics stats = ColumnStatistics.of(train, 0, name + " train split");
        return new Dataset(name, dimension, stats.standardise(train), stats.standardise(validation),
                stats.standardise(test), provenance + "; then standardised with the train split's mean and std");
    }

    /** One line for logs: name, dimension and split sizes. */
    public String summary() {
        return name + ": " + dimension + "-D, train " + train.rows() + ", validation " + validation.rows()
                + ", test " + test.rows();
    }
}
