package io.autonf.study;

import io.autonf.data.Dataset;
import io.autonf.data.Datasets;

/**
 * Turns a study's data spec into train, validation and test splits. The command line passes its own loader (the
 * one behind {@code --data}); the library needs nothing more than this.
 */
@FunctionalInterface
public interface DatasetSource {

    /** {@link Datasets#load(String, long)} with seed 0: bundled and MAF data are fixed, a single file is split once. */
    DatasetSource DEFAULT = spec -> Datasets.load(spec, 0L);

    /**
     * @throws IllegalArgumentException or {@link io.autonf.data.DataException} when the spec cannot be loaded;
     *                                  the study records the data set's cells as failed and goes on
     */
    Dataset load(String spec);
}
