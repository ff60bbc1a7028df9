package io.autonf.data;

import io.autonf.flow.Batch;
import java.nio.file.Path;

/**
 * MAF's MINIBOONE (UCI MiniBooNE particle identification), split and normalised exactly as MAF's
 * {@code load_data_normalised}: no shuffle; test = last {@code int(0.1 N)} rows of
 * {@code miniboone/data.npy}, validation = last {@code int(0.1 M)} of the rest; all splits
 * standardised with the mean and (ddof 0) std of train + validation. MAF's {@code data.npy}
 * is already cleaned (outliers and discrete features removed, 43 columns); this loader does not
 * redo that cleaning, as MAF's loader does not.
 */
public final class Miniboone {

    private Miniboone() {
    }

    /** Loads {@code directory/data.npy} (the {@code miniboone} folder of MAF's data root). */
    public static Dataset load(Path directory) {
        Path file = directory.resolve("data.npy");
        return fromRaw(Npy.read(file), "miniboone", file.toString(),
                "MAF MINIBOONE from " + file + " (UCI MiniBooNE particle identification)");
    }

    /** Applies MAF's split and normalisation to the rows of MAF's {@code data.npy}. */
    public static Dataset fromRaw(Batch data, String name, String source, String provenance) {
        Batch[] splits = preprocess(data, source);
        return Dataset.of(name, splits[0], splits[1], splits[2], provenance
                + "; MAF MINIBOONE steps: test = last 10%, validation = last 10% of the rest (no shuffle),"
                + " standardised with train+validation mean/std");
    }

    static Batch[] preprocess(Batch data, Object source) {
        int[] sizes = MafSplits.sizes(data.rows(), source);
        int fitted = sizes[0] + sizes[1];
        ColumnStatistics stats = ColumnStatistics.of(data.slice(0, fitted), 0, source);
        return new Batch[] {
            stats.standardise(data.slice(0, sizes[0])),
            stats.standardise(data.slice(sizes[0], fitted)),
            stats.standardise(data.slice(fitted, data.rows()))};
    }
}
