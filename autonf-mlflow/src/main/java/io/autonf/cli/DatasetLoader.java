package io.autonf.cli;

/**
 * Loads a data set named on the command line (a known name or a file), split into train, validation and test;
 * in the shipped command line this is {@code io.autonf.data.Datasets.load}.
 */
@FunctionalInterface
public interface DatasetLoader {

    /**
     * @param spec what the user passed to {@code --data}
     * @param seed seed for anything random in loading (synthetic data, split shuffling)
     * @throws IllegalArgumentException if the data set is unknown or unreadable
     */
    TrainingData load(String spec, long seed);
}
