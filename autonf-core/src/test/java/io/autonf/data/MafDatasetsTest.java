package io.autonf.data;

import static io.autonf.data.DataFixtures.assertMatrixClose;
import static io.autonf.data.DataFixtures.copyFolder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autonf.flow.Batch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The five MAF loaders on tiny synthetic directories in MAF's layout, compared with the outputs of
 * tools/fixtures/data/make_maf_fixtures.py (numpy/pandas running MAF's steps) to 1e-12.
 */
class MafDatasetsTest {

    private static final double EXACT = 1e-12;

    @TempDir
    Path root;

    @BeforeEach
    void layOutMafDataRoot() {
        for (MafDataset dataset : MafDataset.values()) {
            copyFolder("fixtures/maf/" + dataset.folder(), root.resolve(dataset.folder()));
        }
    }

    @Test
    void powerMatchesNumpyRunningMafsStepsOnTheSameFile() {
        Dataset power = Datasets.load("power:" + root, 0);
        // 57 rows: test int(5.7) = 5, validation int(5.2) = 5, train 47.
        assertEquals(6, power.dimension());
        assertEquals(47, power.train().rows());
        assertEquals(5, power.validation().rows());
        assertEquals(5, power.test().rows());
        assertSplitsEqualExpected("fixtures/maf/power", power);
        assertStandardised(Matrices.stack(power.train(), power.validation()), 0);
        assertTrue(power.provenance().contains("RandomState(42)"), power.provenance());
    }

    @Test
    void powerIsTheSameForAnySeedAndFromTheDatasetFolderItself() {
        Dataset viaRoot = Datasets.load("power:" + root, 1);
        Dataset viaFolder = MafDataset.POWER.load(root.resolve("power"));
        assertEquals(viaRoot.train(), viaFolder.train());
        assertEquals(viaRoot.test(), Datasets.load("power:" + root, 99).test());
    }

    @Test
    void minibooneMatchesNumpy() {
        Dataset miniboone = Datasets.load("miniboone:" + root, 0);
        // 45 rows, no shuffle: test 4, validation int(4.1) = 4, train 37.
        assertEquals(5, miniboone.dimension());
        assertEquals(37, miniboone.train().rows());
        assertEquals(4, miniboone.validation().rows());
        assertEquals(4, miniboone.test().rows());
        assertSplitsEqualExpected("fixtures/maf/miniboone", miniboone);
        assertStandardised(Matrices.stack(miniboone.train(), miniboone.validation()), 0);
    }

    @Test
    void hepmassMatchesPandasRunningMafsSteps() {
        Dataset hepmass = Datasets.load("hepmass:" + root, 0);
        JsonNode kept = DataFixtures.json("fixtures/maf/hepmass/kept_features.json");
        assertEquals(kept.size(), hepmass.dimension(), "discrete features f1 and f3 are dropped");
        assertSplitsEqualExpected("fixtures/maf/hepmass", hepmass);
        // Standardised with train statistics (pandas ddof 1) before validation was split off.
        assertStandardised(Matrices.stack(hepmass.train(), hepmass.validation()), 1);
        assertEquals((int) (0.1 * (hepmass.train().rows() + hepmass.validation().rows())), hepmass.validation().rows());
    }

    @Test
    void gasMatchesPandasRunningMafsStepsOnTheSameSample() {
        Dataset gas = Datasets.load("gas:" + root, 0);
        // 400 rows, 25% sample = 100: test 10, validation 9, train 81.
        assertEquals(DataFixtures.json("fixtures/maf/gas/kept_sensors.json").size(), gas.dimension());
        assertEquals(13, gas.dimension(), "one of each of the three near-copy sensor pairs is dropped");
        assertEquals(81, gas.train().rows());
        assertEquals(9, gas.validation().rows());
        assertEquals(10, gas.test().rows());
        assertSplitsEqualExpected("fixtures/maf/gas", gas);
        Batch all = Matrices.stack(Matrices.stack(gas.train(), gas.validation()), gas.test());
        assertStandardised(all, 1);
    }

    @Test
    void gasSampleFractionIsConfigurable() {
        Dataset full = Gas.load(root.resolve("gas"), 1.0);
        assertEquals(400, full.train().rows() + full.validation().rows() + full.test().rows());
        assertThrows(IllegalArgumentException.class, () -> Gas.load(root.resolve("gas"), 0));
    }

    @Test
    void bsds300IsReadAsStoredWithJhdf() {
        Dataset bsds = Datasets.load("bsds300:" + root, 0);
        assertEquals(63, bsds.dimension());
        assertEquals(12, bsds.train().rows());
        assertEquals(4, bsds.validation().rows());
        assertEquals(5, bsds.test().rows());
        assertSplitsEqualExpected("fixtures/maf/BSDS300", bsds);
    }

    @Test
    void powerNeedsEightColumnsAndElevenRows() throws IOException {
        Npy.write(root.resolve("power/data.npy"), new double[20][7]);
        DataException columns = assertThrows(DataException.class, () -> Datasets.load("power:" + root, 0));
        assertTrue(columns.getMessage().contains("has 7 columns; MAF's raw POWER data.npy has 8"), columns.getMessage());
        Npy.write(root.resolve("power/data.npy"), new double[10][8]);
        DataException rows = assertThrows(DataException.class, () -> Datasets.load("power:" + root, 0));
        assertTrue(rows.getMessage().contains("needs at least 11"), rows.getMessage());
    }

    @Test
    void constantColumnCannotBeStandardised() {
        double[][] rows = new double[20][3];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = new double[] {r, 5, r * r};
        }
        Npy.write(root.resolve("miniboone/data.npy"), rows);
        DataException e = assertThrows(DataException.class, () -> Datasets.load("miniboone:" + root, 0));
        assertEquals(2, e.column());
        assertTrue(e.getMessage().contains("constant column"), e.getMessage());
    }

    @Test
    void hepmassWidthMismatchNamesBothFiles() throws IOException {
        Files.writeString(root.resolve("hepmass/1000_test.csv"), "# label,f0\n1,0.5\n1,0.25\n");
        DataException e = assertThrows(DataException.class, () -> Datasets.load("hepmass:" + root, 0));
        assertTrue(e.getMessage().contains("1000_test.csv") && e.getMessage().contains("1000_train.csv"),
                e.getMessage());
        Files.writeString(root.resolve("hepmass/1000_test.csv"), "# label,f0,f1,f2,f3,f4,f5\n0,1,2,3,4,5,6\n");
        DataException noSignal = assertThrows(DataException.class, () -> Datasets.load("hepmass:" + root, 0));
        assertTrue(noSignal.getMessage().contains("column 1 '# label'") && noSignal.getMessage().contains("label 1"),
                noSignal.getMessage());
    }

    @Test
    void gasExplainsThatThePickleCannotBeRead() throws IOException {
        Path gas = Files.createDirectories(root.resolve("only-pickle/gas"));
        Files.write(gas.resolve("ethylene_CO.pickle"), new byte[] {(byte) 0x80, 4});
        DataException e = assertThrows(DataException.class, () -> Gas.load(gas));
        assertTrue(e.getMessage().contains("pandas pickle"), e.getMessage());
        Files.writeString(root.resolve("gas/ethylene_CO.txt"), "title line\n1 2 3\n4 5 6\n");
        DataException width = assertThrows(DataException.class, () -> Datasets.load("gas:" + root, 0));
        assertTrue(width.getMessage().contains("has 3 columns; the UCI ethylene_CO.txt has 19"), width.getMessage());
    }

    @Test
    void corruptOrInconsistentHdf5IsADataException() throws IOException {
        Files.write(root.resolve("BSDS300/BSDS300.hdf5"), "not hdf5 at all".getBytes());
        DataException e = assertThrows(DataException.class, () -> Datasets.load("bsds300:" + root, 0));
        assertTrue(e.getMessage().contains("BSDS300.hdf5"), e.getMessage());
    }

    @Test
    void hdf5SplitsOfDifferentWidthOrWithNaNOrMissingAreRefused() {
        Path file = root.resolve("BSDS300/BSDS300.hdf5");
        writeHdf5(file, new double[][] {{1, 2}, {3, 4}}, new double[][] {{1, 2}}, new double[][] {{1, 2, 3}});
        DataException width = assertThrows(DataException.class, () -> Datasets.load("bsds300:" + root, 0));
        assertEquals(file + ": dataset 'test' has 3 columns but 'train' has 2", width.getMessage());

        writeHdf5(file, new double[][] {{1, 2}, {3, Double.NaN}}, new double[][] {{1, 2}}, new double[][] {{1, 2}});
        DataException nan = assertThrows(DataException.class, () -> Datasets.load("bsds300:" + root, 0));
        assertTrue(nan.getMessage().startsWith(file + " dataset 'train', data row 2, column 2"), nan.getMessage());

        try (io.jhdf.WritableHdfFile hdf = io.jhdf.HdfFile.write(file)) {
            hdf.putDataset("train", new double[][] {{1, 2}});
        }
        DataException missing = assertThrows(DataException.class, () -> Datasets.load("bsds300:" + root, 0));
        assertTrue(missing.getMessage().contains("has no HDF5 dataset 'validation'"), missing.getMessage());
    }

    private static void writeHdf5(Path file, double[][] train, double[][] validation, double[][] test) {
        try (io.jhdf.WritableHdfFile hdf = io.jhdf.HdfFile.write(file)) {
            hdf.putDataset("train", train);
            hdf.putDataset("validation", validation);
            hdf.putDataset("test", test);
        }
    }

    @Test
    void missingDirectoryOrFileIsNamed() {
        Path nowhere = root.resolve("nowhere");
        DataException dir = assertThrows(DataException.class, () -> Datasets.load("power:" + nowhere, 0));
        assertEquals(nowhere + ": data directory not found", dir.getMessage());
        DataException file = assertThrows(DataException.class, () -> MafDataset.GAS.load(root.resolve("power")));
        assertTrue(file.getMessage().contains("holds neither gas/ethylene_CO.txt"), file.getMessage());
    }

    @Test
    void hepmassRuleLooksAtTheCountOfTheSmallestValue() {
        // Column 0: its minimum (0) repeats 6 times -> dropped. Column 1: 1.0 repeats 8 times but is
        // not the minimum -> kept, exactly as MAF's sorted-Counter rule behaves.
        double[] values = new double[20];
        for (int r = 0; r < 10; r++) {
            values[2 * r] = r < 6 ? 0 : r;
            values[2 * r + 1] = r < 2 ? -r : 1.0;
        }
        assertArrayEquals(new int[] {1}, Hepmass.featuresWithoutRepeatedMinimum(new Batch(values, 10, 2)));
    }

    @Test
    void gasCorrelationRuleDropsTheFirstOfACorrelatedPair() {
        double[] values = new double[30];
        for (int r = 0; r < 10; r++) {
            values[3 * r] = r;
            values[3 * r + 1] = Math.sin(r);
            values[3 * r + 2] = 2 * r + 0.001 * (r % 2);
        }
        assertArrayEquals(new int[] {1, 2}, Gas.uncorrelatedColumns(new Batch(values, 10, 3)));
        assertNotEquals(0, Gas.correlation(new Batch(values, 10, 3))[0][1]);
    }

    private static void assertSplitsEqualExpected(String folder, Dataset dataset) {
        assertMatrixClose(Npy.read(DataFixtures.resource(folder + "/expected_train.npy")), dataset.train(), EXACT,
                dataset.name() + " train");
        assertMatrixClose(Npy.read(DataFixtures.resource(folder + "/expected_validation.npy")), dataset.validation(),
                EXACT, dataset.name() + " validation");
        assertMatrixClose(Npy.read(DataFixtures.resource(folder + "/expected_test.npy")), dataset.test(), EXACT,
                dataset.name() + " test");
    }

    /** Column means ~0 and standard deviations (with the given ddof) ~1. */
    static void assertStandardised(Batch data, int ddof) {
        ColumnStatistics stats = ColumnStatistics.of(data, ddof, "check");
        for (int c = 0; c < data.cols(); c++) {
            assertEquals(0, stats.mean()[c], 1e-12, "mean of column " + c);
            assertEquals(1, stats.std()[c], 1e-12, "std of column " + c);
        }
    }
}
