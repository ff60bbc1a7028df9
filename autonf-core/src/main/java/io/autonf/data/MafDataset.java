package io.autonf.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

/**
 * The five UCI/BSDS benchmarks in the layout of MAF's data root ({@code power/data.npy},
 * {@code gas/ethylene_CO.txt}, {@code hepmass/1000_train.csv} + {@code 1000_test.csv},
 * {@code miniboone/data.npy}, {@code BSDS300/BSDS300.hdf5}).
 */
public enum MafDataset {
    POWER("power", "data.npy", Power::load),
    GAS("gas", "ethylene_CO.txt", Gas::load),
    HEPMASS("hepmass", "1000_train.csv", Hepmass::load),
    MINIBOONE("miniboone", "data.npy", Miniboone::load),
    BSDS300("BSDS300", "BSDS300.hdf5", Bsds300::load);

    private final String folder;
    private final String markerFile;
    private final Function<Path, Dataset> loader;

    MafDataset(String folder, String markerFile, Function<Path, Dataset> loader) {
        this.folder = folder;
        this.markerFile = markerFile;
        this.loader = loader;
    }

    /** The name used in data specs, e.g. {@code power}. */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The folder MAF keeps this dataset in under its data root. */
    public String folder() {
        return folder;
    }

    /** The dataset named {@code name} (case-insensitive), or null. */
    public static MafDataset byName(String name) {
        for (MafDataset dataset : values()) {
            if (dataset.specName().equalsIgnoreCase(name)) {
                return dataset;
            }
        }
        return null;
    }

    /**
     * Loads from {@code directory}, which may be MAF's data root (holding {@code power/},
     * {@code gas/}, ...) or this dataset's own folder.
     */
    public Dataset load(Path directory) {
        return loader.apply(resolve(directory));
    }

    /** The folder holding this dataset's files: {@code directory/<folder>} if it exists there, else {@code directory}. */
    public Path resolve(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw DataException.inFile(directory, "data directory not found");
        }
        Path nested = directory.resolve(folder);
        if (Files.exists(nested.resolve(markerFile))) {
            return nested;
        }
        if (Files.exists(directory.resolve(markerFile))) {
            return directory;
        }
        throw DataException.inFile(directory, "holds neither " + folder + "/" + markerFile + " (MAF's data root)"
                + " nor " + markerFile + " (the " + specName() + " folder itself)");
    }
}
