package io.autonf.data;

import io.autonf.flow.Batch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Small real data shipped inside the jar, so that demos and tests run without downloads.
 * Sources, checksums and licences: {@code bundled/PROVENANCE.md} next to the files.
 *
 * <ul>
 *   <li>{@code power-sample}: 3000 rows of MAF's raw 8-column POWER data put through MAF's POWER
 *       steps ({@link Power#fromRaw}, RandomState(42)): 6-D, train 2430 / validation 270 / test 300.</li>
 *   <li>{@code miniboone-sample}: MAF's exact MINIBOONE validation (3284 rows) and test (3648 rows)
 *       splits, already normalised by MAF (43-D). There is no train split in the slice, so the
 *       validation file is divided: rows {@code RandomState(42).permutation(3284)}, the first
 *       3284 - int(0.2 x 3284) = 2628 become train and the last 656 validation. The test split is
 *       MAF's test split unchanged, and nothing is re-normalised.</li>
 * </ul>
 * Both are fixed data sets: they ignore the caller's seed, so every run sees the same rows.
 */
public final class Bundled {

    public static final String POWER_SAMPLE = "power-sample";
    public static final String MINIBOONE_SAMPLE = "miniboone-sample";
    /** The bundled names, in the order help texts list them. */
    public static final List<String> NAMES = List.of(POWER_SAMPLE, MINIBOONE_SAMPLE);

    /** Fraction of the MINIBOONE validation file that stays validation in {@code miniboone-sample}. */
    static final double MINIBOONE_VALIDATION_FRACTION = 0.2;

    private static final String FOLDER = "bundled/";

    private Bundled() {
    }

    /** True when {@code name} is a bundled data set (case-insensitive). */
    public static boolean contains(String name) {
        return NAMES.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Loads a bundled data set by name. */
    public static Dataset load(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case POWER_SAMPLE -> powerSample();
            case MINIBOONE_SAMPLE -> minibooneSample();
            default -> throw new IllegalArgumentException("no bundled data set '" + name + "'; bundled: " + NAMES);
        };
    }

    private static Dataset powerSample() {
        String resource = FOLDER + "power_subset_3000_raw8col.csv";
        // The header is the numeric column names 0..7, so it must be declared, not detected.
        Table raw = Csv.read(new String(bytes(resource), StandardCharsets.UTF_8), "bundled " + resource,
                Csv.Header.PRESENT);
        return Power.fromRaw(raw.values(), POWER_SAMPLE, "bundled " + resource,
                "bundled power-sample: 3000 random rows of MAF's raw POWER data.npy (UCI Individual household"
                        + " electric power consumption, CC BY 4.0; rows via Privacy-Police/Differential-Privacy, MIT)");
    }

    private static Dataset minibooneSample() {
        String valResource = FOLDER + "miniboone_val.npy";
        String testResource = FOLDER + "miniboone_test.npy";
        Batch validationFile = Npy.read(bytes(valResource), "bundled " + valResource);
        Batch test = Npy.read(bytes(testResource), "bundled " + testResource);
        int n = validationFile.rows();
        int validationRows = (int) (MINIBOONE_VALIDATION_FRACTION * n);
        int[] order = new NumpyRandomState(Power.MAF_SEED).permutation(n);
        return Dataset.of(MINIBOONE_SAMPLE, Matrices.rows(validationFile, order, 0, n - validationRows),
                Matrices.rows(validationFile, order, n - validationRows, n), test,
                "bundled miniboone-sample: MAF's MINIBOONE splits, already normalised by MAF (UCI MiniBooNE"
                        + " particle identification; files via vsimkus/variational-gibbs-inference); test = MAF's"
                        + " test split; MAF's validation split divided by RandomState(42).permutation(" + n
                        + "): first " + (n - validationRows) + " rows train, last " + validationRows + " validation");
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = Bundled.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw DataException.inFile("bundled " + resource, "resource missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw DataException.inFile("bundled " + resource, "cannot be read: " + e.getMessage(), e);
        }
    }
}
