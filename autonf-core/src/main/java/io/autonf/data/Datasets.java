package io.autonf.data;

import io.autonf.flow.Batch;
import java.nio.file.Path;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Entry point: a data spec string in, a split {@link Dataset} out. The spec forms are listed in
 * {@link DataSource#parse}.
 */
public final class Datasets {

    private Datasets() {
    }

    /**
     * Loads {@code spec}; a single file is shuffled with {@code numpy.random.RandomState(seed)}, so the
     * split can be re-made in Python with {@code RandomState(seed).permutation(n)}.
     *
     * @param seed in {@code [0, 2^32 - 1]} (numpy's range)
     */
    public static Dataset load(String spec, long seed) {
        return DataSource.parse(spec).load(new NumpyRandomState(seed));
    }

    /** Loads {@code spec}; a single file is shuffled with {@code rng}. */
    public static Dataset load(String spec, RandomGenerator rng) {
        return DataSource.parse(spec).load(rng);
    }

    /** Reads a .npy or .csv file (CSV header detected) as a matrix; 1-D .npy arrays become one column. */
    public static Batch readMatrix(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return Npy.read(file);
        }
        if (name.endsWith(".csv")) {
            return Csv.read(file, Csv.Header.AUTO).values();
        }
        throw DataException.inFile(file, "is neither a .npy nor a .csv file");
    }

    /** The file name without its extension, used as the data set name. */
    static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
