/**
 * Data sets for density estimation: the five MAF benchmarks with MAF's exact preprocessing, two
 * small bundled real samples, and generic {@code .npy}/{@code .csv} files.
 *
 * <h2>Entry point and spec syntax</h2>
 * {@link io.autonf.data.Datasets#load(String, long)} turns a spec (the CLI's {@code --data}) into a
 * {@link io.autonf.data.Dataset} (train/validation/test {@link io.autonf.flow.Batch}es plus a
 * provenance text). The forms, parsed by {@link io.autonf.data.DataSource#parse}:
 * <ul>
 *   <li>{@code power-sample}, {@code miniboone-sample}: bundled ({@link io.autonf.data.Bundled});</li>
 *   <li>{@code power:DIR}, {@code gas:DIR}, {@code hepmass:DIR}, {@code miniboone:DIR},
 *       {@code bsds300:DIR}: a MAF benchmark; DIR is MAF's data root (with {@code power/data.npy},
 *       {@code gas/ethylene_CO.txt}, {@code hepmass/1000_{train,test}.csv}, {@code miniboone/data.npy},
 *       {@code BSDS300/BSDS300.hdf5}) or the data set's own folder;</li>
 *   <li>{@code FILE.npy} / {@code FILE.csv}: one file, rows reordered by
 *       {@code numpy.random.RandomState(seed).permutation(n)}, then the first 80% train, the next 10%
 *       validation, the rest test ({@code validation = floor(0.1 n)}, {@code test = floor(0.1 n)});</li>
 *   <li>{@code FILE@0.7,0.15,0.15}: the same with other train,validation,test fractions;</li>
 *   <li>{@code TRAIN,VALIDATION,TEST}: three files used as the splits as they are.</li>
 * </ul>
 * The seed only matters for a single file; MAF data sets use MAF's fixed {@code RandomState(42)} and
 * bundled data are fixed, so their splits never depend on the caller. Generic files are used as read;
 * {@link io.autonf.data.Dataset#standardised()} standardises them with train statistics on request.
 *
 * <h2>MAF fidelity</h2>
 * {@link io.autonf.data.NumpyRandomState} reproduces numpy's legacy MT19937 stream ({@code permutation},
 * {@code shuffle}, {@code rand}) bit for bit, checked against a numpy-written fixture, so POWER's shuffle
 * and noise, and therefore its splits, equal MAF's. POWER, MINIBOONE, HEPMASS, GAS and BSDS300 follow
 * MAF's {@code datasets/*.py} step by step (see each class), including the small quirks that change the
 * numbers: numpy's ddof-0 std for POWER/MINIBOONE but pandas' ddof-1 std for GAS/HEPMASS; HEPMASS's rule
 * that looks at how often a feature's <em>smallest</em> value repeats; the test split taken from the end
 * of the file. Tests compare each loader with numpy/pandas running those steps on the same tiny files
 * ({@code tools/fixtures/data/make_maf_fixtures.py}) to 1e-12.
 *
 * <p><b>GAS differs from MAF in one respect.</b> MAF reads {@code ethylene_CO.pickle}, a pandas pickle
 * Java cannot read, which MAF made as an unrecorded random 25% row sample of the UCI file. {@link
 * io.autonf.data.Gas} reads the raw UCI {@code ethylene_CO.txt} and draws a sample of the same kind and
 * size with {@code RandomState(42)} before MAF's steps, so dimension, sizes and statistics match MAF
 * but the rows are not MAF's rows (see {@code docs/datasets.md}).
 *
 * <h2>Readers: pure Java, no ND4J</h2>
 * {@link io.autonf.data.Npy} parses and validates the {@code .npy} header itself (magic, version 1.0/2.0/3.0,
 * a literal parser for the {@code descr}/{@code fortran_order}/{@code shape} dict) and reads the body
 * through a {@link java.nio.ByteBuffer} in the declared byte order, C or Fortran order, float32/float64
 * (and integers). ND4J's {@code Nd4j.createFromNpyFile} was not used: it costs about 2.7 s of native
 * initialisation on these machines, can crash natively on malformed input instead of throwing, and
 * would add nothing the 200-line reader does not do; a corrupt header or short body is instead a
 * {@link io.autonf.data.DataException} that says what is wrong. {@link io.autonf.data.Csv} reads
 * comma-separated (and the gas recording's whitespace-separated) text; BSDS300's HDF5 is read with the
 * pure-Java jHDF library.
 *
 * <h2>Bad input</h2>
 * Every reader rejects what a flow cannot train on (NaN, infinities, non-numeric or empty cells, ragged
 * rows, width mismatches between files, empty/missing/corrupt/truncated files) with a
 * {@link io.autonf.data.DataException} naming the file, the 1-based data row (a header line is not a data
 * row), the 1-based column and its header name; a loader either returns a complete data set or throws,
 * and {@link io.autonf.data.Npy#write} replaces its target atomically. Malformed spec strings are an
 * {@link java.lang.IllegalArgumentException}.
 */
package io.autonf.data;
