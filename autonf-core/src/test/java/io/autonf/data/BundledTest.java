package io.autonf.data;

import static io.autonf.data.DataFixtures.assertMatrixClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autonf.flow.Batch;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BundledTest {

    @Test
    void powerSampleIsMafsPipelineOnTheBundledRowsAsNumpyComputesIt() {
        Dataset power = Datasets.load("power-sample", 0);
        assertEquals("power-sample", power.name());
        assertEquals(6, power.dimension());
        assertEquals(2430, power.train().rows());
        assertEquals(270, power.validation().rows());
        assertEquals(300, power.test().rows());
        assertMatrixClose(Npy.read(DataFixtures.resource("fixtures/maf/power_sample/expected_train.npy")),
                power.train(), 1e-12, "power-sample train");
        assertMatrixClose(Npy.read(DataFixtures.resource("fixtures/maf/power_sample/expected_validation.npy")),
                power.validation(), 1e-12, "power-sample validation");
        assertMatrixClose(Npy.read(DataFixtures.resource("fixtures/maf/power_sample/expected_test.npy")),
                power.test(), 1e-12, "power-sample test");
        MafDatasetsTest.assertStandardised(Matrices.stack(power.train(), power.validation()), 0);
    }

    @Test
    void minibooneSampleKeepsMafsTestSplitAndDividesTheValidationFile() {
        Dataset miniboone = Datasets.load("miniboone-sample", 123);
        assertEquals(43, miniboone.dimension());
        JsonNode expected = DataFixtures.json("fixtures/maf/miniboone_sample.json");
        assertEquals(expected.get("train_rows").asInt(), miniboone.train().rows());
        assertEquals(expected.get("validation_rows").asInt(), miniboone.validation().rows());
        assertEquals(2628, miniboone.train().rows());
        assertEquals(656, miniboone.validation().rows());
        assertEquals(3648, miniboone.test().rows());
        assertArrayEquals(doubles(expected.get("train_column_sums")), columnSums(miniboone.train()), 1e-9);
        assertArrayEquals(doubles(expected.get("validation_column_sums")), columnSums(miniboone.validation()), 1e-9);
        assertArrayEquals(doubles(expected.get("train_first_row")), miniboone.train().slice(0, 1).values(), 0.0);
        assertArrayEquals(doubles(expected.get("validation_last_row")),
                miniboone.validation().slice(655, 656).values(), 0.0);
        Batch mafTest = Npy.read(bytes("bundled/miniboone_test.npy"), "test copy");
        assertEquals(mafTest, miniboone.test(), "the test split is MAF's, bit for bit");
    }

    @Test
    void bundledDataIgnoreTheSeed() {
        assertEquals(Datasets.load("power-sample", 1).train(), Datasets.load("power-sample", 2).train());
        assertEquals(Datasets.load("MINIBOONE-SAMPLE", 1).validation(),
                Datasets.load("miniboone-sample", 2).validation());
    }

    @Test
    void bundledFilesAreTheSharedFilesByChecksum() throws IOException, NoSuchAlgorithmException {
        assertEquals("0a7dc904832808bcbe649673e11604ff26f97126e009a22617ce3e039ee0b2b1",
                sha256("bundled/power_subset_3000_raw8col.csv"));
        assertEquals("104f35c387c982cd550e5d6142e8b4075d746001508e65c1a90efcb83301839d",
                sha256("bundled/miniboone_val.npy"));
        assertEquals("01b3fc605f334e951fed477a09a7fcd69cdc440d9204111ca253ecdf0e7590de",
                sha256("bundled/miniboone_test.npy"));
        try (InputStream provenance = Bundled.class.getResourceAsStream("bundled/PROVENANCE.md")) {
            String text = new String(provenance.readAllBytes());
            assertTrue(text.contains("0a7dc904832808bcbe649673e11604ff26f97126e009a22617ce3e039ee0b2b1"));
        }
    }

    @Test
    void unknownBundledNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Bundled.load("gas-sample"));
    }

    private static String sha256(String resource) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes(resource)));
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = Bundled.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double[] columnSums(Batch data) {
        double[] sums = new double[data.cols()];
        for (int r = 0; r < data.rows(); r++) {
            for (int c = 0; c < data.cols(); c++) {
                sums[c] += data.get(r, c);
            }
        }
        return sums;
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}
