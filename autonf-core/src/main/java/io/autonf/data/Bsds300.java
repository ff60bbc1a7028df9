package io.autonf.data;

import io.autonf.flow.Batch;
import io.jhdf.HdfFile;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * MAF's BSDS300 (8x8 patches of the Berkeley segmentation images, bottom-right pixel dropped:
 * 63 dimensions), read from {@code BSDS300/BSDS300.hdf5} with the pure-Java jHDF library.
 *
 * <p>(jHDF's own {@code io.jhdf.api.Dataset} is named in full below to keep it apart from ours.)
 *
 * <p>MAF uses the three HDF5 datasets {@code train}, {@code validation} and {@code test} as stored,
 * with no further preprocessing, and so does this loader. Any float or integer element type and
 * any row count are accepted; the three must have the same width and hold only finite values.
 */
public final class Bsds300 {

    private static final String[] SPLITS = {"train", "validation", "test"};

    private Bsds300() {
    }

    /** Loads {@code directory/BSDS300.hdf5}. */
    public static Dataset load(Path directory) {
        return read(directory.resolve("BSDS300.hdf5"));
    }

    /** Reads an HDF5 file holding 2-D datasets {@code train}, {@code validation} and {@code test}. */
    public static Dataset read(Path file) {
        if (!Files.exists(file)) {
            throw DataException.inFile(file, "file not found");
        }
        Batch[] splits = new Batch[SPLITS.length];
        try (HdfFile hdf = new HdfFile(file)) {
            for (int s = 0; s < SPLITS.length; s++) {
                splits[s] = readSplit(hdf, SPLITS[s], file);
                if (splits[s].cols() != splits[0].cols()) {
                    throw DataException.inFile(file, "dataset '" + SPLITS[s] + "' has " + splits[s].cols()
                            + " columns but 'train' has " + splits[0].cols());
                }
            }
        } catch (HdfException e) {
            throw DataException.inFile(file, "is not a readable HDF5 file: " + e.getMessage(), e);
        }
        return Dataset.of("bsds300", splits[0], splits[1], splits[2],
                "MAF BSDS300 from " + file + " (patches of the Berkeley Segmentation Dataset BSDS300),"
                        + " the train/validation/test datasets as stored, as MAF uses them");
    }

    private static Batch readSplit(HdfFile hdf, String name, Path file) {
        Node node = hdf.getChildren().get(name);
        if (!(node instanceof io.jhdf.api.Dataset dataset)) {
            throw DataException.inFile(file, "has no HDF5 dataset '" + name + "' (expected train, validation, test)");
        }
        int[] dims = dataset.getDimensions();
        String where = file + " dataset '" + name + "'";
        if (dims.length != 2 || dims[0] < 1 || dims[1] < 1) {
            throw DataException.inFile(where, "has shape " + java.util.Arrays.toString(dims)
                    + ": expected a non-empty 2-D array (rows, columns)");
        }
        double[] values = toDoubles(dataset.getDataFlat(), where);
        if ((long) dims[0] * dims[1] != values.length) {
            throw DataException.inFile(where, "holds " + values.length + " values for shape " + dims[0] + "x" + dims[1]);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw DataException.atCell(where, i / dims[1] + 1L, i % dims[1] + 1, null,
                        "value " + values[i] + " is not finite");
            }
        }
        return new Batch(values, dims[0], dims[1]);
    }

    private static double[] toDoubles(Object flat, String where) {
        if (flat instanceof double[] d) {
            return d;
        }
        double[] out;
        if (flat instanceof float[] f) {
            out = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
        } else if (flat instanceof int[] v) {
            out = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = v[i];
            }
        } else if (flat instanceof long[] v) {
            out = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = v[i];
            }
        } else if (flat instanceof short[] v) {
            out = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = v[i];
            }
        } else if (flat instanceof byte[] v) {
            out = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = v[i];
            }
        } else {
            throw DataException.inFile(where, "has element type "
                    + (flat == null ? "null" : flat.getClass().getComponentType()) + ", not a number type");
        }
        return out;
    }
}
