package io.autonf.data;

import static io.autonf.data.DataFixtures.writeText;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autonf.flow.Batch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @TempDir
    Path dir;

    /** 50 rows whose first column is the row index, so a split reveals which rows it took. */
    private Path indexedNpy() {
        double[][] rows = new double[50][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = new double[] {r, r * 0.5, -r};
        }
        Path file = dir.resolve("indexed.npy");
        Npy.write(file, rows);
        return file;
    }

    @Test
    void parsesEverySpecForm() {
        assertInstanceOf(DataSource.BundledSource.class, DataSource.parse("power-sample"));
        assertInstanceOf(DataSource.BundledSource.class, DataSource.parse(" Miniboone-Sample "));
        DataSource.MafSource maf = assertInstanceOf(DataSource.MafSource.class, DataSource.parse("HEPMASS:/data/maf"));
        assertEquals(MafDataset.HEPMASS, maf.dataset());
        assertEquals(Path.of("/data/maf"), maf.directory());
        DataSource.SingleFile single = assertInstanceOf(DataSource.SingleFile.class, DataSource.parse("x/y.csv"));
        assertEquals(SplitFractions.DEFAULT, single.fractions());
        DataSource.SingleFile fractions = assertInstanceOf(DataSource.SingleFile.class,
                DataSource.parse("a@b/y.npy@0.7, 0.2,0.1"));
        assertEquals(Path.of("a@b/y.npy"), fractions.file());
        assertEquals(new SplitFractions(0.7, 0.2, 0.1), fractions.fractions());
        DataSource.ThreeFiles three = assertInstanceOf(DataSource.ThreeFiles.class,
                DataSource.parse("t.npy, v.csv ,s.NPY"));
        assertEquals(Path.of("v.csv"), three.validation());
    }

    @Test
    void malformedSpecsSayWhatIsExpected() {
        for (String spec : new String[] {"", "  ", "gas", "power:", "data.txt", "a.npy,b.npy", "x.csv@0.5,0.5,0.5",
            "x.csv@1,0,0", "a.npy,b.txt,c.npy"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSource.parse(spec),
                    spec);
            assertTrue(e.getMessage().length() > 20, e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataSource.parse("gas")).getMessage()
                .contains("gas:/path/to/maf/data"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataSource.parse("foo")).getMessage()
                .contains("power-sample | miniboone-sample | NAME:DIR"));
    }

    @Test
    void singleFileIsShuffledWithNumpysPermutationThenSplit801010() {
        Path file = indexedNpy();
        Dataset data = Datasets.load(file.toString(), 7);
        assertEquals("indexed", data.name());
        assertEquals(40, data.train().rows());
        assertEquals(5, data.validation().rows());
        assertEquals(5, data.test().rows());
        int[] order = new NumpyRandomState(7).permutation(50);
        for (int i = 0; i < 40; i++) {
            assertEquals(order[i], data.train().get(i, 0));
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(order[40 + i], data.validation().get(i, 0));
            assertEquals(order[45 + i], data.test().get(i, 0));
        }
        assertTrue(data.provenance().contains("RandomState(seed).permutation(50)"), data.provenance());
    }

    @Test
    void singleFileSplitIsDeterministicPerSeedAndDiffersAcrossSeeds() {
        String spec = indexedNpy() + "@0.6,0.2,0.2";
        Dataset a = Datasets.load(spec, 3);
        assertEquals(a, Datasets.load(spec, 3));
        assertNotEquals(a.train(), Datasets.load(spec, 4).train());
        assertEquals(30, a.train().rows());
        assertEquals(10, a.validation().rows());
        assertEquals(10, a.test().rows());
        // Any RandomGenerator works, and is deterministic for its own seed.
        assertEquals(Datasets.load(spec, new SplittableRandom(5)), Datasets.load(spec, new SplittableRandom(5)));
        // Every row lands in exactly one split.
        double[] seen = new double[50];
        for (Batch split : new Batch[] {a.train(), a.validation(), a.test()}) {
            for (int r = 0; r < split.rows(); r++) {
                seen[(int) split.get(r, 0)]++;
            }
        }
        for (double count : seen) {
            assertEquals(1, count);
        }
    }

    @Test
    void csvFileWithHeaderLoadsAsOneFile() {
        StringBuilder text = new StringBuilder("a,b\n");
        for (int r = 0; r < 20; r++) {
            text.append(r).append(',').append(r * r).append('\n');
        }
        Path file = writeText(dir.resolve("table.csv"), text.toString());
        Dataset data = Datasets.load(file.toString(), 0);
        assertEquals(2, data.dimension());
        assertEquals(16 + 2 + 2, data.train().rows() + data.validation().rows() + data.test().rows());
        assertEquals(16, data.train().rows());
    }

    @Test
    void tooFewRowsForTheFractionsIsADataException() {
        Path file = dir.resolve("tiny.npy");
        Npy.write(file, new double[][] {{1}, {2}, {3}, {4}, {5}});
        DataException e = assertThrows(DataException.class, () -> Datasets.load(file.toString(), 0));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("has 5 rows"),
                e.getMessage());
    }

    @Test
    void threeFilesAreUsedAsTheyAre() {
        Path train = dir.resolve("train.npy");
        Npy.write(train, new double[][] {{1, 2}, {3, 4}, {5, 6}});
        Path validation = writeText(dir.resolve("val.csv"), "x,y\n7,8\n");
        Path test = dir.resolve("test.npy");
        Npy.write(test, new double[][] {{9, 10}});
        Dataset data = Datasets.load(train + "," + validation + "," + test, 0);
        assertEquals("train", data.name());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, data.train().values());
        assertArrayEquals(new double[] {7, 8}, data.validation().values());
        assertArrayEquals(new double[] {9, 10}, data.test().values());
    }

    @Test
    void mismatchedDimensionBetweenFilesNamesBoth() {
        Path train = dir.resolve("train.npy");
        Npy.write(train, new double[][] {{1, 2}, {3, 4}});
        Path validation = dir.resolve("val.npy");
        Npy.write(validation, new double[][] {{1, 2}});
        Path test = writeText(dir.resolve("test.csv"), "1,2,3\n");
        DataException e = assertThrows(DataException.class,
                () -> Datasets.load(train + "," + validation + "," + test, 0));
        assertEquals(test + ": has 3 columns but the train file " + train + " has 2", e.getMessage());
    }

    @Test
    void badFilesInAThreeFileSpecFailWhole() throws Exception {
        Path train = dir.resolve("train.npy");
        Npy.write(train, new double[][] {{1}, {2}});
        Path missing = dir.resolve("missing.npy");
        Path test = dir.resolve("test.npy");
        Npy.write(test, new double[][] {{3}});
        DataException e = assertThrows(DataException.class,
                () -> Datasets.load(train + "," + missing + "," + test, 0));
        assertEquals(missing + ": file not found", e.getMessage());
        Path empty = Files.createFile(dir.resolve("empty.csv"));
        assertEquals(empty + ": file is empty", assertThrows(DataException.class,
                () -> Datasets.load(train + "," + empty + "," + test, 0)).getMessage());
    }

    @Test
    void standardisedUsesTrainStatistics() {
        Dataset data = Datasets.load(indexedNpy().toString(), 1).standardised();
        MafDatasetsTest.assertStandardised(data.train(), 0);
        assertTrue(data.provenance().endsWith("standardised with the train split's mean and std"));
        assertTrue(data.summary().startsWith("indexed: 3-D, train 40, validation 5, test 5"));
    }

    @Test
    void datasetRecordValidatesItsSplits() {
        Batch two = Batch.of(new double[][] {{1, 2}});
        Batch three = Batch.of(new double[][] {{1, 2, 3}});
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", 2, two, three, two, "p"));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(" ", 2, two, two, two, "p"));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", 2, two, Batch.zeros(0, 2), two, "p"));
        assertThrows(IllegalArgumentException.class, () -> Datasets.load("power-sample", -1));
    }
}
