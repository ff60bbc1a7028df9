package io.autonf.data;

import io.autonf.flow.Batch;
import java.nio.file.Path;

/**
 * MAF's POWER (UCI "Individual household electric power consumption"), preprocessed exactly as
 * MAF's {@code load_data_normalised}.
 *
 * <p>From the raw 8-column {@code power/data.npy} (global active power, global reactive power,
 * voltage, global intensity, sub-metering 1-3, time of day), with one
 * {@code numpy.random.RandomState(42)} stream:
 * <ol>
 *   <li>shuffle the rows;</li>
 *   <li>delete column 3 (global intensity), then column 1 (global reactive power);</li>
 *   <li>draw, in this order, {@code rand(N,1)} for voltage, {@code rand(N,1)} for global active power
 *       and {@code rand(N,3)} for the sub-meterings, and add {@code 0.001 * u} to global active power,
 *       {@code 0.01 * u} to voltage and {@code u} to each sub-metering (their readings are rounded,
 *       the noise dequantises them); time of day gets no noise;</li>
 *   <li>test = last {@code int(0.1 N)} rows, validation = last {@code int(0.1 M)} of the rest;</li>
 *   <li>standardise all splits with the mean and (ddof 0) std of train + validation.</li>
 * </ol>
 * Because the stream is numpy's own ({@link NumpyRandomState}), the splits equal MAF's.
 */
public final class Power {

    /** The seed MAF hard-codes. */
    public static final long MAF_SEED = 42;
    /** Columns of MAF's raw {@code power/data.npy}. */
    public static final int RAW_COLUMNS = 8;
    /** Columns after MAF's preprocessing. */
    public static final int DIMENSION = 6;

    private Power() {
    }

    /** Loads {@code directory/data.npy} (the {@code power} folder of MAF's data root). */
    public static Dataset load(Path directory) {
        Path file = directory.resolve("data.npy");
        Batch raw = Npy.read(file);
        return fromRaw(raw, "power", file.toString(),
                "MAF POWER from " + file + " (UCI Individual household electric power consumption, CC BY 4.0)");
    }

    /**
     * Applies MAF's steps to raw 8-column rows with {@code RandomState(42)}.
     *
     * @param source     named in errors
     * @param provenance what the raw rows are; the preprocessing is appended
     */
    public static Dataset fromRaw(Batch raw, String name, String source, String provenance) {
        Batch[] splits = preprocess(raw, new NumpyRandomState(MAF_SEED), source);
        return new Dataset(name, DIMENSION, splits[0], splits[1], splits[2], provenance
                + "; MAF POWER steps: RandomState(42) row shuffle, delete columns 3 then 1,"
                + " noise 0.001*U on global active power, 0.01*U on voltage, U on each sub-metering, none on time,"
                + " test = last 10%, validation = last 10% of the rest, standardised with train+validation mean/std");
    }

    /** MAF's steps with a given stream; returns {train, validation, test}. */
    static Batch[] preprocess(Batch raw, NumpyRandomState rng, Object source) {
        if (raw.cols() != RAW_COLUMNS) {
            throw DataException.inFile(source, "has " + raw.cols() + " columns; MAF's raw POWER data.npy has "
                    + RAW_COLUMNS + " (active power, reactive power, voltage, intensity, sub-metering 1-3, time)");
        }
        int n = raw.rows();
        int[] sizes = MafSplits.sizes(n, source);
        Batch data = Matrices.rows(raw, rng.permutation(n));
        data = Matrices.deleteColumn(Matrices.deleteColumn(data, 3), 1);
        // Draw order matters for the stream: MAF draws voltage noise before global-active-power noise.
        double[] voltageNoise = rng.rand(n, 1);
        double[] activePowerNoise = rng.rand(n, 1);
        double[] subMeteringNoise = rng.rand(n, 3);
        double[] values = data.values().clone();
        for (int r = 0; r < n; r++) {
            int at = r * DIMENSION;
            values[at] += 0.001 * activePowerNoise[r];
            values[at + 1] += 0.01 * voltageNoise[r];
            values[at + 2] += subMeteringNoise[3 * r];
            values[at + 3] += subMeteringNoise[3 * r + 1];
            values[at + 4] += subMeteringNoise[3 * r + 2];
        }
        data = new Batch(values, n, DIMENSION);
        int fitted = sizes[0] + sizes[1];
        ColumnStatistics stats = ColumnStatistics.of(data.slice(0, fitted), 0, source);
        return new Batch[] {
            stats.standardise(data.slice(0, sizes[0])),
            stats.standardise(data.slice(sizes[0], fitted)),
            stats.standardise(data.slice(fitted, n))};
    }
}
