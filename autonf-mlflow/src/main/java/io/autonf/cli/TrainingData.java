package io.autonf.cli;

import io.autonf.flow.Batch;

/**
 * A data set split for training: the rows the optimiser sees, the rows early stopping watches, and the rows the
 * final NLL is reported on.
 */
public record TrainingData(String name, Batch train, Batch validation, Batch test) {

    public TrainingData {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a data set needs a name");
        }
        if (train == null || validation == null || test == null) {
            throw new IllegalArgumentException("data set '" + name + "' needs train, validation and test splits");
        }
        if (train.rows() == 0 || validation.rows() == 0 || test.rows() == 0) {
            throw new IllegalArgumentException("data set '" + name + "' has an empty split: " + train.rows() + " train, "
                    + validation.rows() + " validation, " + test.rows() + " test rows");
        }
        if (validation.cols() != train.cols() || test.cols() != train.cols()) {
            throw new IllegalArgumentException("data set '" + name + "' splits differ in width: " + train.cols() + ", "
                    + validation.cols() + ", " + test.cols() + " features");
        }
    }

    public int dimension() {
        return train.cols();
    }
}
