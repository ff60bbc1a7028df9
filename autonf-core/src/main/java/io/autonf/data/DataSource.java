package io.autonf.data;

import io.autonf.flow.Batch;
import java.nio.file.Path;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Where a data set comes from: the parsed form of a {@code --data} spec (see {@link #parse}).
 */
public sealed interface DataSource {

    /**
     * Loads the data set. {@code rng} shuffles a single file before it is split; every other source
     * is fixed (MAF's own rules, or bundled rows) and ignores it.
     */
    Dataset load(RandomGenerator rng);

    /**
     * Parses a data spec:
     * <ul>
     *   <li>{@code power-sample}, {@code miniboone-sample}: bundled data ({@link Bundled});</li>
     *   <li>{@code NAME:DIR} with NAME one of {@code power, gas, hepmass, miniboone, bsds300}: a MAF
     *       benchmark read from DIR, which is MAF's data root or the dataset's own folder ({@link MafDataset});</li>
     *   <li>{@code FILE.npy} or {@code FILE.csv}: one file, rows shuffled then split 80/10/10;</li>
     *   <li>{@code FILE.csv@0.7,0.15,0.15}: the same with the given train,validation,test fractions;</li>
     *   <li>{@code TRAIN,VALIDATION,TEST}: three .npy/.csv files used as the three splits as they are.</li>
     * </ul>
     * Generic files are used as read (no normalisation); CSV headers are detected ({@link Csv.Header#AUTO}).
     *
     * @throws IllegalArgumentException when the spec has none of these forms
     */
    static DataSource parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("data spec is empty; " + SYNTAX);
        }
        String text = spec.strip();
        if (Bundled.contains(text)) {
            return new BundledSource(text.toLowerCase(Locale.ROOT));
        }
        int colon = text.indexOf(':');
        if (colon > 0) {
            MafDataset maf = MafDataset.byName(text.substring(0, colon));
            if (maf != null) {
                String directory = text.substring(colon + 1).strip();
                if (directory.isEmpty()) {
                    throw new IllegalArgumentException("data spec '" + spec + "' names no directory after '"
                            + maf.specName() + ":'");
                }
                return new MafSource(maf, Path.of(directory));
            }
        }
        int at = text.lastIndexOf('@');
        if (at > 0 && text.substring(at + 1).matches("[0-9.eE+\\-, ]+")) {
            Path file = Path.of(text.substring(0, at).strip());
            requireDataFile(file, spec);
            return new SingleFile(file, SplitFractions.parse(text.substring(at + 1)));
        }
        String[] parts = text.split(",", -1);
        if (parts.length == 3) {
            Path[] files = new Path[3];
            for (int i = 0; i < 3; i++) {
                files[i] = Path.of(parts[i].strip());
                requireDataFile(files[i], spec);
            }
            return new ThreeFiles(files[0], files[1], files[2]);
        }
        if (parts.length == 1 && isDataFile(Path.of(text))) {
            return new SingleFile(Path.of(text), SplitFractions.DEFAULT);
        }
        MafDataset bare = MafDataset.byName(text);
        if (bare != null) {
            throw new IllegalArgumentException("data spec '" + spec + "' needs a directory: " + bare.specName()
                    + ":/path/to/maf/data");
        }
        throw new IllegalArgumentException("data spec '" + spec + "' is not understood; " + SYNTAX);
    }

    /** One line naming every spec form, for error and help texts. */
    String SYNTAX = "expected one of: power-sample | miniboone-sample | NAME:DIR (NAME = power, gas, hepmass,"
            + " miniboone, bsds300) | FILE.npy | FILE.csv | FILE@TRAIN,VAL,TEST (fractions) | TRAIN,VAL,TEST (three files)";

    private static boolean isDataFile(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".npy") || name.endsWith(".csv");
    }

    private static void requireDataFile(Path file, String spec) {
        if (!isDataFile(file)) {
            throw new IllegalArgumentException("data spec '" + spec + "': '" + file
                    + "' is not a .npy or .csv file name");
        }
    }

    /** A bundled data set. */
    record BundledSource(String name) implements DataSource {
        @Override
        public Dataset load(RandomGenerator rng) {
            return Bundled.load(name);
        }
    }

    /** A MAF benchmark in a directory. */
    record MafSource(MafDataset dataset, Path directory) implements DataSource {
        public MafSource {
            if (dataset == null || directory == null) {
                throw new IllegalArgumentException("MAF source needs a dataset and a directory");
            }
        }

        @Override
        public Dataset load(RandomGenerator rng) {
            return dataset.load(directory);
        }
    }

    /** One .npy/.csv file, shuffled with the given generator and split by fractions. */
    record SingleFile(Path file, SplitFractions fractions) implements DataSource {
        public SingleFile {
            if (file == null || fractions == null) {
                throw new IllegalArgumentException("single-file source needs a file and fractions");
            }
        }

        @Override
        public Dataset load(RandomGenerator rng) {
            Batch all = Datasets.readMatrix(file);
            int[] sizes = fractions.sizes(all.rows(), file);
            int[] order = Shuffles.permutation(all.rows(), rng);
            int validationEnd = sizes[0] + sizes[1];
            String shuffle = rng instanceof NumpyRandomState
                    ? "numpy.random.RandomState(seed).permutation(" + all.rows() + ")"
                    : "a shuffle by " + rng.getClass().getSimpleName();
            return Dataset.of(Datasets.baseName(file), Matrices.rows(all, order, 0, sizes[0]),
                    Matrices.rows(all, order, sizes[0], validationEnd),
                    Matrices.rows(all, order, validationEnd, all.rows()),
                    file + ": rows reordered by " + shuffle + ", then the first " + sizes[0] + " train, next "
                            + sizes[1] + " validation, last " + sizes[2] + " test (fractions " + fractions.text()
                            + "); values as read");
        }
    }

    /** Three files used as train, validation and test as they are. */
    record ThreeFiles(Path train, Path validation, Path test) implements DataSource {
        public ThreeFiles {
            if (train == null || validation == null || test == null) {
                throw new IllegalArgumentException("three-file source needs three files");
            }
        }

        @Override
        public Dataset load(RandomGenerator rng) {
            Batch trainRows = Datasets.readMatrix(train);
            Batch validationRows = Datasets.readMatrix(validation);
            Batch testRows = Datasets.readMatrix(test);
            requireWidth(validation, validationRows, trainRows);
            requireWidth(test, testRows, trainRows);
            return Dataset.of(Datasets.baseName(train), trainRows, validationRows, testRows,
                    "train " + train + ", validation " + validation + ", test " + test + "; values as read");
        }

        private void requireWidth(Path file, Batch rows, Batch trainRows) {
            if (rows.cols() != trainRows.cols()) {
                throw DataException.inFile(file, "has " + rows.cols() + " columns but the train file " + train
                        + " has " + trainRows.cols());
            }
        }
    }
}
