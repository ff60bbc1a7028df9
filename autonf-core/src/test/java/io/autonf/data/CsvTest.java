package io.autonf.data;

import static io.autonf.data.DataFixtures.writeText;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {

    @TempDir
    Path dir;

    @Test
    void readsWithAndWithoutHeader() {
        Path headed = writeText(dir.resolve("h.csv"), "a, b ,\"c\"\n1,2,3\r\n\n4.5,-6e-1,+7\n");
        Table table = Csv.read(headed, Csv.Header.AUTO);
        assertEquals(List.of("a", "b", "c"), table.columnNames());
        assertArrayEquals(new double[] {1, 2, 3, 4.5, -0.6, 7}, table.values().values());
        assertEquals(2, table.values().rows());

        Path plain = writeText(dir.resolve("p.csv"), "1,2\n3,4\n");
        Table noHeader = Csv.read(plain, Csv.Header.AUTO);
        assertTrue(noHeader.columnNames().isEmpty());
        assertNull(noHeader.columnName(0));
        assertArrayEquals(new double[] {1, 2, 3, 4}, noHeader.values().values());
        assertEquals(2, Csv.read(plain, Csv.Header.ABSENT).values().rows());
        // A declared header may be numeric, as in the bundled POWER rows ("0,1,...,7").
        Table numericHeader = Csv.read(plain, Csv.Header.PRESENT);
        assertEquals(List.of("1", "2"), numericHeader.columnNames());
        assertEquals(1, numericHeader.values().rows());
    }

    @Test
    void quotedCellsAndByteOrderMarkAreHandled() {
        Path file = writeText(dir.resolve("q.csv"), "\uFEFF\"x, y\",\"z\"\"\"\n\"1.5\",2\n");
        Table table = Csv.read(file, Csv.Header.AUTO);
        assertEquals(List.of("x, y", "z\""), table.columnNames());
        assertArrayEquals(new double[] {1.5, 2}, table.values().values());
    }

    @Test
    void whitespaceTablesSkipATextTitle() {
        Path file = writeText(dir.resolve("w.txt"), "Time (s), CO conc (ppm)\n0.00  1.5\t2\n  0.01 3 4  \n");
        Table table = Csv.readWhitespace(file, Csv.Header.TEXT_TITLE);
        assertTrue(table.columnNames().isEmpty());
        assertEquals(3, table.values().cols());
        assertArrayEquals(new double[] {0, 1.5, 2, 0.01, 3, 4}, table.values().values());
        Path untitled = writeText(dir.resolve("u.txt"), "0 1\n2 3\n");
        assertEquals(2, Csv.readWhitespace(untitled, Csv.Header.TEXT_TITLE).values().rows());
    }

    @Test
    void raggedRowNamesFileDataRowAndLine() {
        Path file = writeText(dir.resolve("ragged.csv"), "a,b,c\n1,2,3\n\n4,5\n");
        DataException e = assertThrows(DataException.class, () -> Csv.read(file, Csv.Header.AUTO));
        assertEquals(file + ", data row 2 (1-based; data rows, a header line is not counted): has 2 values,"
                + " expected 3 like the header (file line 4)", e.getMessage());
        assertEquals(2, e.row());
        Path noHeader = writeText(dir.resolve("ragged2.csv"), "1,2\n3,4,5\n");
        DataException e2 = assertThrows(DataException.class, () -> Csv.read(noHeader, Csv.Header.AUTO));
        assertTrue(e2.getMessage().contains("data row 2") && e2.getMessage().contains("like the first data row"),
                e2.getMessage());
    }

    @Test
    void nonNumericCellNamesRowColumnAndHeaderName() {
        Path file = writeText(dir.resolve("text.csv"), "x,voltage,z\n1,2,3\n4,abc,6\n");
        DataException e = assertThrows(DataException.class, () -> Csv.read(file, Csv.Header.AUTO));
        assertEquals(file + ", data row 2, column 2 'voltage' (1-based; data rows, a header line is not counted):"
                + " 'abc' is not a number (file line 3)", e.getMessage());
        assertEquals(2, e.row());
        assertEquals(2, e.column());
        assertEquals("voltage", e.columnName());
    }

    @Test
    void javaOnlyNumberFormsAreNotNumbers() {
        for (String cell : new String[] {"1.0f", "2d", "0x1p3", "1,5"}) {
            Path file = writeText(dir.resolve("j.csv"), "7,8\n" + cell + ",9\n");
            DataException e = assertThrows(DataException.class, () -> Csv.read(file, Csv.Header.ABSENT), cell);
            assertTrue(e.getMessage().contains("data row 2"), e.getMessage());
        }
    }

    @Test
    void mixedFirstLineIsDataSoItsTypoIsReported() {
        Path file = writeText(dir.resolve("typo.csv"), "1,2,x3\n4,5,6\n");
        DataException e = assertThrows(DataException.class, () -> Csv.read(file, Csv.Header.AUTO));
        assertEquals(1, e.row());
        assertEquals(3, e.column());
        assertNull(e.columnName());
        assertTrue(e.getMessage().contains("'x3' is not a number (file line 1)"), e.getMessage());
    }

    @Test
    void nanInfinityAndEmptyCellsAreRefused() {
        for (String cell : new String[] {"NaN", "nan", "inf", "-Infinity", "+inf"}) {
            Path file = writeText(dir.resolve("nan.csv"), "a,b\n1," + cell + "\n");
            DataException e = assertThrows(DataException.class, () -> Csv.read(file, Csv.Header.AUTO), cell);
            assertTrue(e.getMessage().contains("data row 1, column 2 'b'"), e.getMessage());
            assertTrue(e.getMessage().contains("is not finite"), e.getMessage());
        }
        Path overflow = writeText(dir.resolve("big.csv"), "1e999\n");
        assertTrue(assertThrows(DataException.class, () -> Csv.read(overflow, Csv.Header.ABSENT)).getMessage()
                .contains("overflows a double"));
        Path empty = writeText(dir.resolve("emptycell.csv"), "a,b\n1,\n");
        DataException e = assertThrows(DataException.class, () -> Csv.read(empty, Csv.Header.AUTO));
        assertTrue(e.getMessage().contains("column 2 'b'") && e.getMessage().contains("empty cell"), e.getMessage());
    }

    @Test
    void emptyHeaderOnlyAndMissingFilesAreNamed() {
        Path empty = writeText(dir.resolve("empty.csv"), "");
        assertEquals(empty + ": file is empty",
                assertThrows(DataException.class, () -> Csv.read(empty, Csv.Header.AUTO)).getMessage());
        Path blank = writeText(dir.resolve("blank.csv"), "\n  \n");
        assertTrue(assertThrows(DataException.class, () -> Csv.read(blank, Csv.Header.AUTO)).getMessage()
                .endsWith("file is empty"));
        Path header = writeText(dir.resolve("header.csv"), "a,b\n");
        assertEquals(header + ": has a header line but no data rows",
                assertThrows(DataException.class, () -> Csv.read(header, Csv.Header.AUTO)).getMessage());
        Path missing = dir.resolve("missing.csv");
        assertEquals(missing + ": file not found",
                assertThrows(DataException.class, () -> Csv.read(missing, Csv.Header.AUTO)).getMessage());
        Path unterminated = writeText(dir.resolve("quote.csv"), "\"a,b\n");
        assertTrue(assertThrows(DataException.class, () -> Csv.read(unterminated, Csv.Header.AUTO)).getMessage()
                .contains("unterminated quoted cell on file line 1"));
    }

    @Test
    void binaryFileIsNotTakenForText() {
        Path file = DataFixtures.write(dir.resolve("bin.csv"), new byte[] {(byte) 0x93, 'N', 'U', (byte) 0xff, 0, 1});
        DataException e = assertThrows(DataException.class, () -> Csv.read(file, Csv.Header.AUTO));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }
}
