package io.autonf.data;

import static io.autonf.data.DataFixtures.encode;
import static io.autonf.data.DataFixtures.npyBytes;
import static io.autonf.data.DataFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autonf.flow.Batch;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    private static final double[][] MATRIX = {{1.5, -2.25, 3.0}, {4.0, 5.5, -6.75}};

    @Test
    void readsEveryFileNumpyWrote() {
        JsonNode expected = DataFixtures.json("fixtures/numpy/npy/expected.json");
        int checked = 0;
        for (Map.Entry<String, JsonNode> entry : expected.properties()) {
            Batch actual = Npy.read(DataFixtures.resource("fixtures/numpy/npy/" + entry.getKey()));
            assertEquals(Batch.of(DataFixtures.matrix(entry.getValue())), actual, entry.getKey());
            checked++;
        }
        assertEquals(9, checked, "float32/float64, both byte orders, C and Fortran, 1-D, int32, versions 2 and 3");
    }

    @Test
    void readsHandWrittenFloat32AndFloat64InBothOrdersAndByteOrders() {
        double[] cOrder = {1.5, -2.25, 3.0, 4.0, 5.5, -6.75};
        double[] fOrder = {1.5, 4.0, -2.25, 5.5, 3.0, -6.75};
        for (boolean float32 : new boolean[] {false, true}) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                String descr = (order == ByteOrder.BIG_ENDIAN ? ">" : "<") + (float32 ? "f4" : "f8");
                Path c = write(dir.resolve("c" + descr.hashCode() + ".npy"), npyBytes(
                        "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (2, 3), }",
                        encode(cOrder, float32, order)));
                Path f = write(dir.resolve("f" + descr.hashCode() + ".npy"), npyBytes(
                        "{'descr': '" + descr + "', 'fortran_order': True, 'shape': (2, 3), }",
                        encode(fOrder, float32, order)));
                assertEquals(Batch.of(MATRIX), Npy.read(c), descr + " C order");
                assertEquals(Batch.of(MATRIX), Npy.read(f), descr + " Fortran order");
            }
        }
    }

    @Test
    void oneDimensionalArrayIsOneColumn() {
        Path file = write(dir.resolve("v.npy"), npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }",
                encode(new double[] {1, 2, 3}, false, ByteOrder.LITTLE_ENDIAN)));
        Batch read = Npy.read(file);
        assertEquals(3, read.rows());
        assertEquals(1, read.cols());
        assertArrayEquals(new double[] {1, 2, 3}, read.values());
    }

    @Test
    void writerRoundTripsExactlyAndMatchesNumpysHeaderLayout() throws IOException {
        double[][] rows = {{Math.PI, -0.0, 1e-310}, {Double.MAX_VALUE, -Double.MIN_VALUE, 42}};
        Path file = dir.resolve("sub/out.npy");
        Npy.write(file, rows);
        Batch read = Npy.read(file);
        assertEquals(Batch.of(rows), read);
        NpyHeader header = Npy.readHeader(file);
        assertEquals("<f8", header.descr());
        assertFalse(header.fortranOrder());
        assertArrayEquals(new long[] {2, 3}, header.shape());
        assertEquals(0, header.dataOffset() % 64, "numpy aligns the data to 64 bytes");
        assertEquals(header.dataOffset() + 6 * 8, Files.size(file));
        try (Stream<Path> left = Files.list(file.getParent())) {
            assertEquals(1, left.count(), "no temporary file is left behind");
        }
        // Overwriting replaces the file whole.
        Npy.write(file, Batch.of(new double[][] {{7}}));
        assertEquals(Batch.of(new double[][] {{7}}), Npy.read(file));
    }

    @Test
    void readsVersionTwoAndThreeHeaders() {
        for (int major : new int[] {2, 3}) {
            Path file = write(dir.resolve("v" + major + ".npy"), npyBytes(major,
                    "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2)}", encode(new double[] {1, 2}, false,
                            ByteOrder.LITTLE_ENDIAN)));
            assertArrayEquals(new double[] {1, 2}, Npy.read(file).values());
        }
    }

    @Test
    void corruptHeadersAreReportedAsSuch() {
        byte[] body = encode(new double[] {1, 2}, false, ByteOrder.LITTLE_ENDIAN);
        assertBad("no-magic.npy", "not a .npy file", "PK\u0003\u0004 this is a zip".getBytes());
        assertBad("short.npy", "too short", new byte[] {(byte) 0x93, 'N', 'U'});
        byte[] version4 = npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", body);
        version4[6] = 4;
        assertBad("v4.npy", "version 4.0", version4);
        byte[] longHeader = npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", body);
        longHeader[8] = (byte) 0xff;
        longHeader[9] = (byte) 0x7f;
        assertBad("len.npy", "runs past the end", longHeader);
        assertBad("nobrace.npy", "corrupt .npy header", npyBytes("'descr': '<f8'", body));
        assertBad("nokey.npy", "'shape' is missing",
                npyBytes("{'descr': '<f8', 'fortran_order': False}", body));
        assertBad("extra.npy", "unexpected key 'color'",
                npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), 'color': 'red'}", body));
        assertBad("bool.npy", "'fortran_order' is missing or not True/False",
                npyBytes("{'descr': '<f8', 'fortran_order': 'no', 'shape': (1, 2)}", body));
        assertBad("garbage.npy", "unreadable value",
                npyBytes("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (1, 2)}", body));
        assertBad("trailing.npy", "unexpected text after the dict",
                npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2)} junk", body));
        assertBad("struct.npy", "structured dtypes are not supported", npyBytes(
                "{'descr': [('a', '<f8'), ('b', '<f8')], 'fortran_order': False, 'shape': (1,), }", body));
        assertBad("complex.npy", "unsupported dtype '<c16'",
                npyBytes("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", body));
        assertBad("f2.npy", "unsupported dtype '<f2'",
                npyBytes("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", new byte[4]));
        assertBad("3d.npy", "has shape (1, 1, 2)",
                npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 2), }", body));
        assertBad("scalar.npy", "has shape ()",
                npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", new byte[8]));
        assertBad("norows.npy", "holds no rows",
                npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3), }", new byte[0]));
        assertBad("nocols.npy", "holds no columns",
                npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 0), }", new byte[0]));
        assertBad("negative.npy", "not a non-negative integer",
                npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 2), }", body));
    }

    @Test
    void truncatedAndOverlongBodiesAreRefused() {
        byte[] full = npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
                encode(new double[] {1, 2, 3, 4, 5, 6}, false, ByteOrder.LITTLE_ENDIAN));
        DataException truncated = assertBad("cut.npy", "truncated .npy body", Arrays.copyOf(full, full.length - 5));
        assertTrue(truncated.getMessage().contains("needs 48 bytes after the header, the file has 43"),
                truncated.getMessage());
        assertBad("long.npy", "3 unexpected bytes after the 48 data bytes", Arrays.copyOf(full, full.length + 3));
    }

    @Test
    void nonFiniteValuesNameTheirRowAndColumnInBothOrders() {
        double[] cValues = {1, 2, 3, 4, Double.NaN, 6};
        DataException c = assertBad("nan-c.npy", "value NaN is not finite",
                npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
                        encode(cValues, false, ByteOrder.LITTLE_ENDIAN)));
        assertEquals(2, c.row());
        assertEquals(2, c.column());
        assertTrue(c.getMessage().contains("data row 2, column 2 (1-based"), c.getMessage());
        // Fortran order: element 5 of a 2x3 array is row 2, column 3.
        double[] fValues = {1, 2, 3, 4, 5, Double.POSITIVE_INFINITY};
        DataException f = assertBad("inf-f.npy", "value Infinity is not finite",
                npyBytes("{'descr': '>f4', 'fortran_order': True, 'shape': (2, 3), }",
                        encode(fValues, true, ByteOrder.BIG_ENDIAN)));
        assertEquals(2, f.row());
        assertEquals(3, f.column());
    }

    @Test
    void emptyAndMissingFilesAreNamed() {
        assertBad("empty.npy", "file is empty", new byte[0]);
        Path missing = dir.resolve("nowhere.npy");
        DataException e = assertThrows(DataException.class, () -> Npy.read(missing));
        assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("file not found"), e.getMessage());
    }

    @Test
    void readsClassPathBytesWithTheirSourceName() {
        byte[] bytes = npyBytes("{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }", new byte[] {1, 0, -1, -1});
        assertArrayEquals(new double[] {1, -1}, Npy.read(bytes, "memory").values());
        DataException e = assertThrows(DataException.class, () -> Npy.read(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, "memory"));
        assertTrue(e.getMessage().startsWith("memory: is not a .npy file"), e.getMessage());
    }

    private DataException assertBad(String name, String expectedText, byte[] bytes) {
        Path file = write(dir.resolve(name), bytes);
        DataException e = assertThrows(DataException.class, () -> Npy.read(file), name);
        assertTrue(e.getMessage().startsWith(file.toString()), "message names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expectedText), name + ": " + e.getMessage());
        return e;
    }
}
